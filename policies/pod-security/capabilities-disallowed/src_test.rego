package k8scapabilitiesdisallowed

_adding(name, caps) := {"name": name, "image": "nginx:1.25", "securityContext": {"capabilities": {"add": caps}}}

_pod(containers) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": containers}}

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_disallowing(caps) := {"disallowedCapabilities": caps}

test_sys_admin_denied_by_default if {
	v := violation with input as _review(_pod([_adding("app", ["SYS_ADMIN"])]), {})
	count(v) == 1
	some found in v
	found.details.capabilities == ["SYS_ADMIN"]
	found.details.container == "app"
	found.details.path == "spec.containers[0]"
}

test_every_default_capability_denied if {
	every cap in default_disallowed {
		count(violation) == 1 with input as _review(_pod([_adding("app", [cap])]), {})
	}
}

test_harmless_capability_allowed_by_default if {
	count(violation) == 0 with input as _review(_pod([_adding("app", ["NET_BIND_SERVICE", "CHOWN"])]), {})
}

test_only_disallowed_ones_listed if {
	v := violation with input as _review(_pod([_adding("app", ["NET_ADMIN", "CHOWN", "NET_RAW"])]), {})
	count(v) == 1
	some found in v
	found.details.capabilities == ["NET_ADMIN", "NET_RAW"]
}

test_cap_prefix_and_case_normalised if {
	some found in violation with input as _review(_pod([_adding("app", ["cap_sys_admin"])]), {})
	found.details.capabilities == ["SYS_ADMIN"]
}

test_custom_list_replaces_default if {
	params := _disallowing(["NET_RAW"])
	count(violation) == 1 with input as _review(_pod([_adding("app", ["NET_RAW"])]), params)
	count(violation) == 0 with input as _review(_pod([_adding("app", ["SYS_ADMIN"])]), params)
}

test_custom_list_normalised if {
	count(violation) == 1 with input as _review(_pod([_adding("app", ["NET_RAW"])]), _disallowing(["Cap_Net_Raw"]))
}

test_adding_all_grants_disallowed_ones if {
	some found in violation with input as _review(_pod([_adding("app", ["ALL"])]), _disallowing(["SYS_ADMIN"]))
	found.details.capabilities == ["ALL"]
}

test_empty_list_disallows_nothing if {
	count(violation) == 0 with input as _review(_pod([_adding("app", ["ALL", "SYS_ADMIN"])]), _disallowing([]))
}

test_wildcard_disallows_every_add if {
	some found in violation with input as _review(_pod([_adding("app", ["CHOWN", "KILL"])]), _disallowing(["*"]))
	found.details.capabilities == ["CHOWN", "KILL"]
}

test_drop_is_not_an_add if {
	c := {"name": "app", "image": "nginx:1.25", "securityContext": {"capabilities": {"drop": ["SYS_ADMIN", "ALL"]}}}
	count(violation) == 0 with input as _review(_pod([c]), {})
}

test_no_security_context_allowed if {
	count(violation) == 0 with input as _review(_pod([{"name": "app", "image": "nginx:1.25"}]), {})
}

test_init_container_denied if {
	obj := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {
		"containers": [{"name": "app", "image": "nginx:1.25"}],
		"initContainers": [_adding("proxy-init", ["NET_ADMIN"])],
	}}
	some found in violation with input as _review(obj, {})
	found.details.path == "spec.initContainers[0]"
}

test_ephemeral_container_denied if {
	obj := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {
		"containers": [{"name": "app", "image": "nginx:1.25"}],
		"ephemeralContainers": [_adding("debugger", ["SYS_PTRACE"])],
	}}
	some found in violation with input as _review(obj, {})
	found.details.path == "spec.ephemeralContainers[0]"
}

test_each_container_reported if {
	count(violation) == 2 with input as _review(_pod([_adding("a", ["SYS_ADMIN"]), _adding("b", ["BPF"])]), {})
}

test_exempt_image_allowed if {
	c := object.union(_adding("cni", ["NET_ADMIN"]), {"image": "quay.io/cilium/cilium:v1.15.6"})
	count(violation) == 0 with input as _review(_pod([c]), {"exemptImages": ["quay.io/cilium/*"]})
}

test_exemption_is_per_container if {
	exempted := object.union(_adding("cni", ["NET_ADMIN"]), {"image": "quay.io/cilium/cilium:v1.15.6"})
	params := {"exemptImages": ["quay.io/cilium/"]}
	v := violation with input as _review(_pod([exempted, _adding("app", ["NET_ADMIN"])]), params)
	count(v) == 1
	some found in v
	found.details.container == "app"
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		obj := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": {
			"containers": [_adding("app", ["SYS_ADMIN"])],
		}}}}
		some found in violation with input as _review(obj, {})
		found.details.path == "spec.template.spec.containers[0]"
	}
}

test_cronjob_denied if {
	spec := {"containers": [_adding("app", ["SYS_TIME"])]}
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
	some found in violation with input as _review(obj, {})
	found.details.path == "spec.jobTemplate.spec.template.spec.containers[0]"
}

test_missing_parameters_use_default_list if {
	count(violation) == 1 with input as {"review": {"object": _pod([_adding("app", ["SYS_MODULE"])])}}
	count(violation) == 0 with input as {"review": {"object": _pod([_adding("app", ["SETUID"])])}}
}

test_message_names_object_container_capabilities_and_fix if {
	some found in violation with input as _review(_pod([_adding("app", ["NET_ADMIN", "SYS_ADMIN"])]), {})
	found.msg == concat("", [
		`Pod web: container "app" (spec.containers[0]) adds disallowed capabilities ["NET_ADMIN", "SYS_ADMIN"]; `,
		"remove them from securityContext.capabilities.add",
	])
}

test_generate_name_reported if {
	obj := {"kind": "Pod", "metadata": {"generateName": "web-"}, "spec": {"containers": [_adding("app", ["BPF"])]}}
	some found in violation with input as _review(obj, {})
	startswith(found.msg, "Pod web-<generated>:")
}

test_unnamed_object_reported if {
	obj := {"kind": "Pod", "metadata": {}, "spec": {"containers": [_adding("app", ["BPF"])]}}
	some found in violation with input as _review(obj, {})
	startswith(found.msg, "Pod <unnamed>:")
}
