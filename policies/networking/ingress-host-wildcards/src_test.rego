package k8singresshostwildcards

_ingress(rules) := {"kind": "Ingress", "metadata": {"name": "shop"}, "spec": {"rules": rules}}

_path := {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}

_rule(host) := {"host": host, "http": {"paths": [_path]}}

_hostless := {"http": {"paths": [_path]}}

_review(obj) := {"review": {"object": obj}}

test_explicit_host_allowed if {
	count(violation) == 0 with input as _review(_ingress([_rule("shop.example.com")]))
}

test_several_explicit_hosts_allowed if {
	count(violation) == 0 with input as _review(_ingress([_rule("shop.example.com"), _rule("api.example.com")]))
}

test_wildcard_host_denied if {
	count(violation) == 1 with input as _review(_ingress([_rule("*.example.com")]))
}

test_bare_star_host_denied if {
	count(violation) == 1 with input as _review(_ingress([_rule("*")]))
}

test_star_inside_host_denied if {
	count(violation) == 1 with input as _review(_ingress([_rule("shop.*.example.com")]))
}

test_missing_host_denied if {
	count(violation) == 1 with input as _review(_ingress([_hostless]))
}

test_empty_host_denied if {
	count(violation) == 1 with input as _review(_ingress([_rule("")]))
}

test_null_host_denied if {
	count(violation) == 1 with input as _review(_ingress([_rule(null)]))
}

test_each_bad_rule_reported if {
	rules := [_rule("shop.example.com"), _rule("*.example.com"), _hostless, _rule("*.internal.example.com")]
	count(violation) == 3 with input as _review(_ingress(rules))
}

test_bad_rule_index_in_details if {
	rules := [_rule("shop.example.com"), _rule("*.example.com"), _hostless]
	violations := violation with input as _review(_ingress(rules))
	{v.details | some v in violations} == {
		{"rule": 1, "host": "*.example.com", "reason": "wildcard"},
		{"rule": 2, "host": "", "reason": "missing"},
	}
}

test_default_backend_only_allowed if {
	obj := {"kind": "Ingress", "metadata": {"name": "shop"}, "spec": {"defaultBackend": _path.backend}}
	count(violation) == 0 with input as _review(obj)
}

test_null_rules_allowed if {
	count(violation) == 0 with input as _review(_ingress(null))
}

test_wildcard_tls_host_is_not_a_rule if {
	obj := {"kind": "Ingress", "metadata": {"name": "shop"}, "spec": {
		"tls": [{"hosts": ["*.example.com"], "secretName": "wildcard-tls"}],
		"rules": [_rule("shop.example.com")],
	}}
	count(violation) == 0 with input as _review(obj)
}

test_only_ingresses_checked if {
	obj := {"kind": "Gateway", "metadata": {"name": "shop"}, "spec": {"rules": [_hostless]}}
	count(violation) == 0 with input as _review(obj)
}

test_wildcard_message if {
	some v in violation with input as _review(_ingress([_rule("*.example.com")]))
	v.msg == concat("", [
		`Ingress shop: spec.rules[0] has the wildcard host "*.example.com", which claims every matching subdomain; `,
		"list each host name explicitly",
	])
}

test_missing_host_message if {
	some v in violation with input as _review(_ingress([_rule("a.example.com"), _hostless]))
	v.msg == "Ingress shop: spec.rules[1] has no host, so it receives traffic for every host name; set spec.rules[1].host"
}

test_generate_name_used_when_no_name if {
	obj := {"kind": "Ingress", "metadata": {"generateName": "shop-"}, "spec": {"rules": [_hostless]}}
	some v in violation with input as _review(obj)
	startswith(v.msg, "Ingress shop-<generated>: ")
}
