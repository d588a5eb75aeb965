# Kubernetes resource quantities ("500m", "1.5", "2Gi", "1e3", "128974848").
package lib.quantity

# parse(q) is the numeric value of a quantity in base units (cores for cpu, bytes
# for memory): "500m" -> 0.5, "1Gi" -> 1073741824, "1e3" -> 1000.
parse(q) := q if is_number(q)

parse(q) := units.parse(q) if {
	is_string(q)
	not _has_exponent(q)
}

parse(q) := to_number(q) if {
	is_string(q)
	_has_exponent(q)
}

# A decimal exponent ("1e3", "2E-2"); "Ei"/"E" suffixes are binary/decimal units, not exponents.
_has_exponent(q) if regex.match(`^[+-]?[0-9.]+[eE][+-]?[0-9]+$`, q)

# valid(q) holds for strings that parse as quantities.
valid(q) if parse(q)
