package k8srbacwildcards

_role(kind, rules) := {"kind": kind, "metadata": {"name": "ops"}, "rules": rules}

_rule(groups, resources, verbs) := {"apiGroups": groups, "resources": resources, "verbs": verbs}

_review(obj) := {"review": {"object": obj}}

_reader := _rule([""], ["pods", "services"], ["get", "list", "watch"])

test_explicit_rule_allowed if {
	count(violation) == 0 with input as _review(_role("Role", [_reader]))
}

test_wildcard_verbs_denied if {
	count(violation) == 1 with input as _review(_role("Role", [_rule([""], ["pods"], ["*"])]))
}

test_wildcard_resources_denied if {
	count(violation) == 1 with input as _review(_role("ClusterRole", [_rule(["apps"], ["*"], ["get"])]))
}

test_wildcard_api_groups_denied if {
	count(violation) == 1 with input as _review(_role("ClusterRole", [_rule(["*"], ["deployments"], ["get"])]))
}

test_wildcard_among_explicit_values_denied if {
	count(violation) == 1 with input as _review(_role("Role", [_rule([""], ["pods"], ["get", "*"])]))
}

test_subresource_wildcard_denied if {
	count(violation) == 1 with input as _review(_role("ClusterRole", [_rule(["apps"], ["*/scale"], ["update"])]))
}

test_explicit_subresource_allowed if {
	count(violation) == 0 with input as _review(_role("Role", [_rule(["apps"], ["deployments/scale"], ["update"])]))
}

test_full_wildcard_rule_one_violation_per_field if {
	count(violation) == 3 with input as _review(_role("ClusterRole", [_rule(["*"], ["*"], ["*"])]))
}

test_each_rule_reported if {
	rules := [_rule([""], ["pods"], ["*"]), _reader, _rule([""], ["*"], ["get"])]
	violations := violation with input as _review(_role("Role", rules))
	{[v.details.rule, v.details.field] | some v in violations} == {[0, "verbs"], [2, "resources"]}
}

test_values_in_details if {
	some v in violation with input as _review(_role("Role", [_rule([""], ["pods", "*", "*/status"], ["get"])]))
	v.details == {"rule": 0, "field": "resources", "values": ["*", "*/status"]}
}

test_non_resource_urls_not_judged if {
	rule := {"nonResourceURLs": ["/healthz", "/metrics"], "verbs": ["get"]}
	count(violation) == 0 with input as _review(_role("ClusterRole", [rule]))
}

test_resource_names_not_judged if {
	rule := object.union(_rule([""], ["configmaps"], ["get"]), {"resourceNames": ["*"]})
	count(violation) == 0 with input as _review(_role("Role", [rule]))
}

test_missing_fields_tolerated if {
	count(violation) == 0 with input as _review(_role("ClusterRole", [{"verbs": ["get"]}]))
	count(violation) == 0 with input as _review(_role("ClusterRole", [{"apiGroups": null, "verbs": ["get"]}]))
}

test_no_rules_allowed if {
	count(violation) == 0 with input as _review({"kind": "ClusterRole", "metadata": {"name": "aggregate"}})
	count(violation) == 0 with input as _review(_role("ClusterRole", null))
	count(violation) == 0 with input as _review(_role("ClusterRole", []))
}

test_other_kinds_ignored if {
	obj := {"kind": "RoleBinding", "metadata": {"name": "ops"}, "rules": [_rule(["*"], ["*"], ["*"])]}
	count(violation) == 0 with input as _review(obj)
}

test_verbs_message if {
	some v in violation with input as _review(_role("ClusterRole", [_reader, _rule([""], ["pods"], ["*"])]))
	v.msg == concat("", [
		`ClusterRole ops: rules[1] has wildcard verbs ["*"], which grants every verb, including escalate, bind, `,
		"impersonate and delete; list the exact verbs it needs",
	])
}

test_api_groups_message if {
	some v in violation with input as _review(_role("Role", [_rule(["*"], ["pods"], ["get"])]))
	contains(v.msg, `Role ops: rules[0] has wildcard apiGroups ["*"], which grants every API group`)
}

test_resources_message if {
	some v in violation with input as _review(_role("Role", [_rule([""], ["*"], ["get"])]))
	contains(v.msg, "including secrets; list the exact resources it needs")
}

test_generate_name_used_when_no_name if {
	obj := {"kind": "Role", "metadata": {"generateName": "tmp-"}, "rules": [_rule(["*"], ["pods"], ["get"])]}
	some v in violation with input as _review(obj)
	startswith(v.msg, "Role tmp-<generated>: ")
}
