package k8singresstls

_ingress(spec) := {"kind": "Ingress", "metadata": {"name": "shop"}, "spec": spec}

_rule(host) := {"host": host, "http": {"paths": [_path]}}

_path := {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}

_hostless := {"http": {"paths": [_path]}}

_tls_entry(hosts) := {"hosts": hosts, "secretName": "shop-tls"}

_review(obj) := {"review": {"object": obj}}

test_no_tls_denied if {
	count(violation) == 1 with input as _review(_ingress({"rules": [_rule("shop.example.com")]}))
}

test_empty_tls_denied if {
	count(violation) == 1 with input as _review(_ingress({"tls": [], "rules": [_rule("shop.example.com")]}))
}

test_null_tls_denied if {
	count(violation) == 1 with input as _review(_ingress({"tls": null, "rules": [_rule("shop.example.com")]}))
}

test_no_tls_reported_once_for_many_rules if {
	spec := {"rules": [_rule("a.example.com"), _rule("b.example.com"), _hostless]}
	count(violation) == 1 with input as _review(_ingress(spec))
}

test_default_backend_only_without_tls_denied if {
	spec := {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}}
	count(violation) == 1 with input as _review(_ingress(spec))
}

test_default_backend_only_with_tls_allowed if {
	backend := {"service": {"name": "web", "port": {"number": 80}}}
	spec := {"tls": [{"secretName": "default-tls"}], "defaultBackend": backend}
	count(violation) == 0 with input as _review(_ingress(spec))
}

test_covered_host_allowed if {
	spec := {"tls": [_tls_entry(["shop.example.com"])], "rules": [_rule("shop.example.com")]}
	count(violation) == 0 with input as _review(_ingress(spec))
}

test_uncovered_host_denied if {
	spec := {"tls": [_tls_entry(["shop.example.com"])], "rules": [_rule("shop.example.com"), _rule("api.example.com")]}
	count(violation) == 1 with input as _review(_ingress(spec))
	some v in violation with input as _review(_ingress(spec))
	v.details == {"rule": 1, "host": "api.example.com"}
}

test_hosts_spread_over_several_tls_entries_allowed if {
	spec := {
		"tls": [_tls_entry(["shop.example.com"]), _tls_entry(["api.example.com", "admin.example.com"])],
		"rules": [_rule("shop.example.com"), _rule("api.example.com"), _rule("admin.example.com")],
	}
	count(violation) == 0 with input as _review(_ingress(spec))
}

test_each_uncovered_host_reported if {
	spec := {"tls": [_tls_entry(["other.example.com"])], "rules": [_rule("a.example.com"), _rule("b.example.com")]}
	count(violation) == 2 with input as _review(_ingress(spec))
}

test_tls_entry_without_hosts_does_not_cover_named_hosts if {
	spec := {"tls": [{"secretName": "shop-tls"}], "rules": [_rule("shop.example.com")]}
	count(violation) == 1 with input as _review(_ingress(spec))
}

test_wildcard_certificate_covers_one_label if {
	spec := {"tls": [_tls_entry(["*.example.com"])], "rules": [_rule("shop.example.com"), _rule("api.example.com")]}
	count(violation) == 0 with input as _review(_ingress(spec))
}

test_wildcard_certificate_does_not_cover_deeper_names if {
	spec := {"tls": [_tls_entry(["*.example.com"])], "rules": [_rule("eu.shop.example.com")]}
	count(violation) == 1 with input as _review(_ingress(spec))
}

test_wildcard_certificate_does_not_cover_apex if {
	spec := {"tls": [_tls_entry(["*.example.com"])], "rules": [_rule("example.com")]}
	count(violation) == 1 with input as _review(_ingress(spec))
}

test_wildcard_certificate_does_not_cover_other_suffix if {
	spec := {"tls": [_tls_entry(["*.example.com"])], "rules": [_rule("shop.badexample.com")]}
	count(violation) == 1 with input as _review(_ingress(spec))
}

test_wildcard_rule_host_covered_by_same_wildcard if {
	spec := {"tls": [_tls_entry(["*.example.com"])], "rules": [_rule("*.example.com")]}
	count(violation) == 0 with input as _review(_ingress(spec))
}

test_wildcard_rule_host_not_covered_by_single_name if {
	spec := {"tls": [_tls_entry(["shop.example.com"])], "rules": [_rule("*.example.com")]}
	count(violation) == 1 with input as _review(_ingress(spec))
}

test_host_comparison_ignores_case if {
	spec := {"tls": [_tls_entry(["Shop.Example.com"])], "rules": [_rule("shop.example.COM")]}
	count(violation) == 0 with input as _review(_ingress(spec))
}

test_hostless_rule_denied_without_default_certificate if {
	spec := {"tls": [_tls_entry(["shop.example.com"])], "rules": [_rule("shop.example.com"), _hostless]}
	count(violation) == 1 with input as _review(_ingress(spec))
	some v in violation with input as _review(_ingress(spec))
	v.details == {"rule": 1, "host": ""}
}

test_empty_host_treated_as_hostless if {
	spec := {"tls": [_tls_entry(["shop.example.com"])], "rules": [_rule("")]}
	count(violation) == 1 with input as _review(_ingress(spec))
}

test_hostless_rule_allowed_with_default_certificate if {
	spec := {"tls": [{"secretName": "default-tls"}], "rules": [_hostless]}
	count(violation) == 0 with input as _review(_ingress(spec))
}

test_tls_entry_with_empty_hosts_is_default_certificate if {
	spec := {"tls": [_tls_entry([])], "rules": [_hostless]}
	count(violation) == 0 with input as _review(_ingress(spec))
}

test_tls_without_rules_allowed if {
	count(violation) == 0 with input as _review(_ingress({"tls": [_tls_entry(["shop.example.com"])]}))
}

test_null_rules_and_hosts_tolerated if {
	spec := {"tls": [{"hosts": null, "secretName": "x"}], "rules": null}
	count(violation) == 0 with input as _review(_ingress(spec))
}

test_only_ingresses_checked if {
	obj := {"kind": "Service", "metadata": {"name": "shop"}, "spec": {}}
	count(violation) == 0 with input as _review(obj)
}

test_missing_tls_message if {
	some v in violation with input as _review(_ingress({"rules": [_rule("shop.example.com")]}))
	startswith(v.msg, "Ingress shop has no spec.tls, so it serves plain HTTP; add spec.tls")
	v.details == {"tls": "missing"}
}

test_uncovered_host_message if {
	spec := {"tls": [_tls_entry(["shop.example.com"])], "rules": [_rule("api.example.com")]}
	some v in violation with input as _review(_ingress(spec))
	v.msg == concat("", [
		`Ingress shop: host "api.example.com" of spec.rules[0] is not listed in any spec.tls[].hosts; `,
		"add it to a TLS entry",
	])
}

test_hostless_message if {
	spec := {"tls": [_tls_entry(["shop.example.com"])], "rules": [_hostless]}
	some v in violation with input as _review(_ingress(spec))
	startswith(v.msg, "Ingress shop: spec.rules[0] has no host")
}

test_generate_name_used_when_no_name if {
	obj := {"kind": "Ingress", "metadata": {"generateName": "shop-"}, "spec": {}}
	some v in violation with input as _review(obj)
	startswith(v.msg, "Ingress shop-<generated> has no spec.tls")
}
