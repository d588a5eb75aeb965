package k8sserviceexternalips

_service(ips) := {"kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}], "externalIPs": ips}}

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_allow(ips) := {"allowedIPs": ips}

test_no_external_ips_allowed if {
	obj := {"kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}
	count(violation) == 0 with input as _review(obj, {})
}

test_empty_external_ips_allowed if {
	count(violation) == 0 with input as _review(_service([]), {})
}

test_null_external_ips_allowed if {
	count(violation) == 0 with input as _review(_service(null), {})
}

test_any_external_ip_denied_by_default if {
	count(violation) == 1 with input as {"review": {"object": _service(["203.0.113.10"])}}
}

test_listed_ip_allowed if {
	count(violation) == 0 with input as _review(_service(["203.0.113.10"]), _allow(["203.0.113.10"]))
}

test_unlisted_ip_denied if {
	count(violation) == 1 with input as _review(_service(["203.0.113.11"]), _allow(["203.0.113.10"]))
}

test_ip_prefix_is_not_a_match if {
	count(violation) == 1 with input as _review(_service(["203.0.113.100"]), _allow(["203.0.113.10"]))
}

test_each_unlisted_ip_reported if {
	ips := ["203.0.113.10", "198.51.100.7", "8.8.8.8"]
	count(violation) == 2 with input as _review(_service(ips), _allow(["203.0.113.10"]))
}

test_cidr_entry_allows_range if {
	params := _allow(["203.0.113.0/24"])
	count(violation) == 0 with input as _review(_service(["203.0.113.1", "203.0.113.254"]), params)
	count(violation) == 1 with input as _review(_service(["203.0.114.1"]), params)
}

test_host_cidr_entry if {
	count(violation) == 0 with input as _review(_service(["192.0.2.5"]), _allow(["192.0.2.5/32"]))
}

test_ipv6_entries if {
	params := _allow(["2001:db8:1::/48", "2001:DB8::10"])
	count(violation) == 0 with input as _review(_service(["2001:db8:1::7", "2001:db8::10"]), params)
	count(violation) == 1 with input as _review(_service(["2001:db8:2::7"]), params)
}

test_ipv4_cidr_does_not_match_ipv6 if {
	count(violation) == 1 with input as _review(_service(["2001:db8::1"]), _allow(["0.0.0.0/0"]))
}

test_invalid_cidr_entry_allows_nothing if {
	count(violation) == 1 with input as _review(_service(["10.0.0.1"]), _allow(["10.0.0.0/99"]))
}

test_null_allowed_list_allows_nothing if {
	count(violation) == 1 with input as _review(_service(["10.0.0.1"]), _allow(null))
}

test_only_services_checked if {
	obj := {"kind": "Endpoints", "metadata": {"name": "web"}, "spec": {"externalIPs": ["1.2.3.4"]}}
	count(violation) == 0 with input as _review(obj, {})
}

test_message_with_allowed_list if {
	some v in violation with input as _review(_service(["198.51.100.7"]), _allow(["203.0.113.10", "10.0.0.0/8"]))
	v.msg == concat("", [
		`Service web: spec.externalIPs[0] "198.51.100.7" is not allowed (allowedIPs: 203.0.113.10, 10.0.0.0/8); `,
		"remove it or expose the Service through a LoadBalancer or Ingress",
	])
	v.details == {"externalIP": "198.51.100.7", "index": 0}
}

test_message_without_allowed_list if {
	some v in violation with input as _review(_service(["203.0.113.10", "198.51.100.7"]), {})
	v.details.index == 1
	contains(v.msg, `spec.externalIPs[1] "198.51.100.7" is not allowed (allowedIPs: none)`)
}

test_generate_name_used_when_no_name if {
	obj := {"kind": "Service", "metadata": {"generateName": "svc-"}, "spec": {"externalIPs": ["1.2.3.4"]}}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "Service svc-<generated>: ")
}
