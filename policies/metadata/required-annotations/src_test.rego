package k8srequiredannotations

_obj(kind, annotations) := {"kind": kind, "metadata": {"name": "api", "annotations": annotations}}

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_require(items) := {"annotations": items}

_contact := {"key": "example.com/contact"}

_runbook := {"key": "example.com/runbook", "allowedRegex": "https://[^\\s]+"}

test_missing_annotation_denied if {
	count(violation) == 1 with input as _review(_obj("Pod", {"other": "x"}), _require([_contact]))
}

test_present_annotation_without_regex_allowed if {
	obj := _obj("Pod", {"example.com/contact": "#team-api"})
	count(violation) == 0 with input as _review(obj, _require([_contact]))
}

test_empty_regex_means_any_value if {
	item := {"key": "example.com/contact", "allowedRegex": ""}
	obj := _obj("Service", {"example.com/contact": "a\nmulti-line value"})
	count(violation) == 0 with input as _review(obj, _require([item]))
}

test_empty_value_is_present_when_no_regex if {
	count(violation) == 0 with input as _review(_obj("Pod", {"example.com/contact": ""}), _require([_contact]))
}

test_matching_value_allowed if {
	obj := _obj("Deployment", {"example.com/runbook": "https://wiki.example.com/api"})
	count(violation) == 0 with input as _review(obj, _require([_runbook]))
}

test_value_with_leading_text_denied if {
	obj := _obj("Deployment", {"example.com/runbook": "see https://wiki.example.com/api"})
	count(violation) == 1 with input as _review(obj, _require([_runbook]))
}

test_value_with_trailing_text_denied if {
	obj := _obj("Deployment", {"example.com/runbook": "https://wiki.example.com/api and more"})
	count(violation) == 1 with input as _review(obj, _require([_runbook]))
}

test_alternation_is_anchored_as_a_whole if {
	item := {"key": "example.com/team", "allowedRegex": "team-a|team-b"}
	count(violation) == 1 with input as _review(_obj("Pod", {"example.com/team": "team-abc"}), _require([item]))
	count(violation) == 1 with input as _review(_obj("Pod", {"example.com/team": "my-team-b"}), _require([item]))
	count(violation) == 0 with input as _review(_obj("Pod", {"example.com/team": "team-b"}), _require([item]))
}

test_empty_value_against_regex_denied if {
	count(violation) == 1 with input as _review(_obj("Pod", {"example.com/runbook": ""}), _require([_runbook]))
}

test_unquoted_boolean_compared_as_text if {
	item := {"key": "example.com/reviewed", "allowedRegex": "true|false"}
	count(violation) == 0 with input as _review(_obj("Pod", {"example.com/reviewed": true}), _require([item]))
}

test_two_missing_annotations_two_violations if {
	count(violation) == 2 with input as _review(_obj("Pod", {}), _require([_contact, _runbook]))
}

test_missing_and_mismatched_annotations if {
	obj := _obj("Pod", {"example.com/runbook": "ftp://old"})
	count(violation) == 2 with input as _review(obj, _require([_contact, _runbook]))
}

test_all_annotations_valid if {
	annotations := {"example.com/contact": "#team-api", "example.com/runbook": "https://wiki.example.com/api"}
	count(violation) == 0 with input as _review(_obj("Namespace", annotations), _require([_contact, _runbook]))
}

test_no_parameters_no_violation if {
	count(violation) == 0 with input as {"review": {"object": _obj("Pod", {})}}
}

test_empty_annotation_list_no_violation if {
	count(violation) == 0 with input as _review(_obj("Pod", {}), _require([]))
}

test_null_annotation_list_no_violation if {
	count(violation) == 0 with input as _review(_obj("Pod", {}), {"annotations": null})
}

test_entry_without_key_ignored if {
	count(violation) == 0 with input as _review(_obj("Pod", {}), _require([{"allowedRegex": "x"}]))
}

test_metadata_without_annotations_denied if {
	obj := {"kind": "Namespace", "metadata": {"name": "payments"}}
	count(violation) == 1 with input as _review(obj, _require([_contact]))
}

test_null_annotations_denied if {
	count(violation) == 1 with input as _review(_obj("Pod", null), _require([_contact]))
}

test_labels_do_not_count if {
	obj := {"kind": "Pod", "metadata": {"name": "api", "labels": {"example.com/contact": "x"}}}
	count(violation) == 1 with input as _review(obj, _require([_contact]))
}

test_pod_template_annotations_do_not_count if {
	obj := {
		"kind": "Deployment",
		"metadata": {"name": "api"},
		"spec": {"template": {"metadata": {"annotations": {"example.com/contact": "x"}}}},
	}
	count(violation) == 1 with input as _review(obj, _require([_contact]))
}

test_invalid_regex_reported_when_annotation_present if {
	item := {"key": "example.com/team", "allowedRegex": "[team"}
	some v in violation with input as _review(_obj("Pod", {"example.com/team": "a"}), _require([item]))
	contains(v.msg, "not a valid regular expression")
	v.details.allowedRegex == "[team"
}

test_invalid_regex_missing_annotation_reported_once if {
	item := {"key": "example.com/team", "allowedRegex": "[team"}
	count(violation) == 1 with input as _review(_obj("Pod", {}), _require([item]))
}

test_missing_message_names_kind_object_and_key if {
	some v in violation with input as _review(_obj("Service", {}), _require([_contact]))
	v.msg == `Service api: required annotation "example.com/contact" is missing; add it under metadata.annotations`
	v.details == {"key": "example.com/contact", "missing": true}
}

test_mismatch_message_names_value_and_pattern if {
	some v in violation with input as _review(_obj("Pod", {"example.com/runbook": "tbd"}), _require([_runbook]))
	contains(v.msg, `Pod api: annotation "example.com/runbook" has value "tbd"`)
	v.details == {"key": "example.com/runbook", "value": "tbd", "allowedRegex": "https://[^\\s]+"}
}

test_generate_name_used_when_no_name if {
	obj := {"kind": "Pod", "metadata": {"generateName": "api-5c4b-"}}
	some v in violation with input as _review(obj, _require([_contact]))
	startswith(v.msg, "Pod api-5c4b-<generated>: ")
}
