package lib.security

_pod(pod_sc, container) := {"kind": "Pod", "spec": {"securityContext": pod_sc, "containers": [container]}}

test_container_overrides_pod if {
	c := {"name": "a", "securityContext": {"runAsNonRoot": false}}
	effective(_pod({"runAsNonRoot": true}, c), c, "runAsNonRoot") == false
}

test_pod_value_used_when_container_unset if {
	c := {"name": "a"}
	effective(_pod({"runAsNonRoot": true}, c), c, "runAsNonRoot") == true
}

test_undefined_when_unset_everywhere if {
	c := {"name": "a"}
	not effective(_pod({}, c), c, "runAsNonRoot")
}

test_capabilities_normalised if {
	c := {"securityContext": {"capabilities": {"add": ["cap_net_admin", "SYS_TIME"], "drop": ["all"]}}}
	capabilities_added(c) == {"NET_ADMIN", "SYS_TIME"}
	capabilities_dropped(c) == {"ALL"}
}
