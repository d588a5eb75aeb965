package lib.objects

test_name_when_named if {
	name({"kind": "Pod", "metadata": {"name": "web", "generateName": "web-"}}) == "web"
}

test_generate_name_marked_when_unnamed if {
	name({"kind": "Pod", "metadata": {"generateName": "web-"}}) == "web-<generated>"
}

# The API server treats an empty name as absent, so generateName still applies.
test_generate_name_when_name_is_empty if {
	name({"kind": "Pod", "metadata": {"name": "", "generateName": "web-"}}) == "web-<generated>"
}

test_placeholder_without_metadata if {
	name({"kind": "Pod"}) == "<unnamed>"
}

test_placeholder_when_both_are_empty if {
	name({"kind": "Pod", "metadata": {"name": "", "generateName": ""}}) == "<unnamed>"
}
