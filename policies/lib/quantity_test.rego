package lib.quantity

test_millicores if parse("500m") == 0.5

test_binary_units if parse("2Gi") == 2147483648

test_decimal_units if parse("1G") == 1000000000

test_exponent if parse("1e3") == 1000

test_plain_numbers if {
	parse("1.5") == 1.5
	parse(2) == 2
}

test_invalid_is_undefined if not valid("lots")
