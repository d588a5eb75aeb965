package k8srequiredlabels

_obj(kind, labels) := {"kind": kind, "metadata": {"name": "web", "labels": labels}}

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_require(items) := {"labels": items}

_owner := {"key": "owner"}

_env := {"key": "env", "allowedRegex": "prod|staging"}

test_missing_label_denied if {
	count(violation) == 1 with input as _review(_obj("Pod", {"app": "web"}), _require([_owner]))
}

test_present_label_without_regex_allowed if {
	count(violation) == 0 with input as _review(_obj("Pod", {"owner": "team-a"}), _require([_owner]))
}

test_empty_regex_means_any_value if {
	item := {"key": "owner", "allowedRegex": ""}
	count(violation) == 0 with input as _review(_obj("Pod", {"owner": "anything at all"}), _require([item]))
}

test_empty_value_is_present_when_no_regex if {
	count(violation) == 0 with input as _review(_obj("Pod", {"owner": ""}), _require([_owner]))
}

test_matching_value_allowed if {
	count(violation) == 0 with input as _review(_obj("Service", {"env": "staging"}), _require([_env]))
}

test_value_with_suffix_denied if {
	count(violation) == 1 with input as _review(_obj("Pod", {"env": "prod-old"}), _require([_env]))
}

test_value_with_prefix_denied if {
	count(violation) == 1 with input as _review(_obj("Pod", {"env": "my-staging"}), _require([_env]))
}

test_alternation_is_anchored_as_a_whole if {
	# Without the group, "^prod|staging$" would accept "prodx".
	count(violation) == 1 with input as _review(_obj("Pod", {"env": "prodx"}), _require([_env]))
}

test_pattern_with_its_own_anchors if {
	item := {"key": "env", "allowedRegex": "^prod$"}
	count(violation) == 0 with input as _review(_obj("Pod", {"env": "prod"}), _require([item]))
	count(violation) == 1 with input as _review(_obj("Pod", {"env": "preprod"}), _require([item]))
}

test_empty_value_against_regex_denied if {
	item := {"key": "owner", "allowedRegex": ".+"}
	count(violation) == 1 with input as _review(_obj("Pod", {"owner": ""}), _require([item]))
}

test_unquoted_number_compared_as_text if {
	item := {"key": "tier", "allowedRegex": "[0-9]+"}
	count(violation) == 0 with input as _review(_obj("Pod", {"tier": 3}), _require([item]))
}

test_two_missing_labels_two_violations if {
	count(violation) == 2 with input as _review(_obj("Pod", {"app": "web"}), _require([_owner, _env]))
}

test_missing_and_mismatched_labels if {
	count(violation) == 2 with input as _review(_obj("Pod", {"env": "dev"}), _require([_owner, _env]))
}

test_all_labels_valid if {
	labels := {"owner": "team-a", "env": "prod", "app": "web"}
	count(violation) == 0 with input as _review(_obj("Deployment", labels), _require([_owner, _env]))
}

test_no_parameters_no_violation if {
	count(violation) == 0 with input as {"review": {"object": _obj("Pod", {})}}
}

test_empty_label_list_no_violation if {
	count(violation) == 0 with input as _review(_obj("Pod", {}), _require([]))
}

test_null_label_list_no_violation if {
	count(violation) == 0 with input as _review(_obj("Pod", {}), {"labels": null})
}

test_entry_without_key_ignored if {
	count(violation) == 0 with input as _review(_obj("Pod", {}), _require([{"allowedRegex": "x"}]))
}

test_metadata_without_labels_denied if {
	obj := {"kind": "Namespace", "metadata": {"name": "payments"}}
	count(violation) == 1 with input as _review(obj, _require([_owner]))
}

test_null_labels_denied if {
	count(violation) == 1 with input as _review(_obj("Pod", null), _require([_owner]))
}

test_pod_template_labels_do_not_count if {
	obj := {
		"kind": "Deployment",
		"metadata": {"name": "web"},
		"spec": {"template": {"metadata": {"labels": {"owner": "team-a"}}}},
	}
	count(violation) == 1 with input as _review(obj, _require([_owner]))
}

test_same_key_listed_twice_checks_both_patterns if {
	items := [{"key": "env", "allowedRegex": "[a-z]+"}, {"key": "env", "allowedRegex": "prod"}]
	count(violation) == 1 with input as _review(_obj("Pod", {"env": "dev"}), _require(items))
}

test_invalid_regex_reported_when_label_present if {
	item := {"key": "env", "allowedRegex": "prod("}
	some v in violation with input as _review(_obj("Pod", {"env": "prod"}), _require([item]))
	contains(v.msg, "not a valid regular expression")
	v.details.allowedRegex == "prod("
}

test_invalid_regex_missing_label_reported_once if {
	item := {"key": "env", "allowedRegex": "prod("}
	count(violation) == 1 with input as _review(_obj("Pod", {}), _require([item]))
}

test_missing_message_names_kind_object_and_key if {
	some v in violation with input as _review(_obj("Service", {}), _require([_owner]))
	v.msg == `Service web: required label "owner" is missing; add it under metadata.labels`
	v.details == {"key": "owner", "missing": true}
}

test_mismatch_message_names_value_and_pattern if {
	some v in violation with input as _review(_obj("Pod", {"env": "dev"}), _require([_env]))
	contains(v.msg, `Pod web: label "env" has value "dev"`)
	contains(v.msg, `"prod|staging"`)
	v.details == {"key": "env", "value": "dev", "allowedRegex": "prod|staging"}
}

test_generate_name_used_when_no_name if {
	obj := {"kind": "Pod", "metadata": {"generateName": "web-7d9f-"}}
	some v in violation with input as _review(obj, _require([_owner]))
	startswith(v.msg, "Pod web-7d9f-<generated>: ")
}
