package k8spdballowsdisruption

_review(obj) := {"review": {"object": obj}, "parameters": {}}

_pdb(budget) := {
	"apiVersion": "policy/v1",
	"kind": "PodDisruptionBudget",
	"metadata": {"name": "web"},
	"spec": object.union({"selector": {"matchLabels": {"app": "web"}}}, budget),
}

test_max_unavailable_zero_denied if {
	some v in violation with input as _review(_pdb({"maxUnavailable": 0}))
	v.details == {"field": "spec.maxUnavailable", "value": 0}
}

test_max_unavailable_zero_percent_denied if {
	count(violation) == 1 with input as _review(_pdb({"maxUnavailable": "0%"}))
}

test_max_unavailable_zero_string_denied if {
	every value in ["0", "00", " 0 ", "0.0%"] {
		count(violation) == 1 with input as _review(_pdb({"maxUnavailable": value}))
	}
}

test_max_unavailable_positive_allowed if {
	every value in [1, 2, "1%", "10%", "50%"] {
		count(violation) == 0 with input as _review(_pdb({"maxUnavailable": value}))
	}
}

test_min_available_hundred_percent_denied if {
	some v in violation with input as _review(_pdb({"minAvailable": "100%"}))
	v.details == {"field": "spec.minAvailable", "value": "100%"}
}

test_min_available_over_hundred_percent_denied if {
	count(violation) == 1 with input as _review(_pdb({"minAvailable": "150%"}))
}

test_min_available_below_hundred_percent_allowed if {
	every value in ["50%", "99%", "0%"] {
		count(violation) == 0 with input as _review(_pdb({"minAvailable": value}))
	}
}

test_min_available_integer_allowed if {
	# Whether an integer blocks drains depends on the replica count, which a PDB does not carry.
	every value in [1, 2, 100] {
		count(violation) == 0 with input as _review(_pdb({"minAvailable": value}))
	}
}

test_min_available_zero_allowed if {
	count(violation) == 0 with input as _review(_pdb({"minAvailable": 0}))
}

test_neither_field_allowed if {
	count(violation) == 0 with input as _review(_pdb({}))
}

test_malformed_strings_ignored if {
	every value in ["abc", "%", "1x%"] {
		count(violation) == 0 with input as _review(_pdb({"maxUnavailable": value}))
		count(violation) == 0 with input as _review(_pdb({"minAvailable": value}))
	}
}

test_other_kinds_ignored if {
	obj := {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"maxUnavailable": 0, "minAvailable": "100%"}}
	count(violation) == 0 with input as _review(obj)
}

test_no_parameters_key if {
	count(violation) == 1 with input as {"review": {"object": _pdb({"maxUnavailable": 0})}}
}

test_message_max_unavailable if {
	some v in violation with input as _review(_pdb({"maxUnavailable": 0}))
	v.msg == concat("", [
		"PodDisruptionBudget web: spec.maxUnavailable is 0, so no selected pod can ever be evicted and node drains hang; ",
		"allow at least one disruption, e.g. maxUnavailable: 1 or a minAvailable below the replica count",
	])
}

test_message_min_available if {
	some v in violation with input as _review(_pdb({"minAvailable": "100%"}))
	startswith(v.msg, `PodDisruptionBudget web: spec.minAvailable is "100%", so no selected pod can ever be evicted`)
}

test_message_quotes_percent_strings if {
	some v in violation with input as _review(_pdb({"maxUnavailable": "0%"}))
	contains(v.msg, `spec.maxUnavailable is "0%"`)
}

test_generate_name_still_denied if {
	obj := {"kind": "PodDisruptionBudget", "metadata": {"generateName": "web-"}, "spec": {"maxUnavailable": 0}}
	some v in violation with input as _review(obj)
	startswith(v.msg, "PodDisruptionBudget web-<generated>: ")
}

test_missing_metadata_still_denied if {
	count(violation) == 1 with input as _review({"kind": "PodDisruptionBudget", "spec": {"minAvailable": "100%"}})
}
