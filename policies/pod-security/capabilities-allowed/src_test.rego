package k8scapabilitiesallowed

_adding(name, caps) := {"name": name, "image": "nginx:1.25", "securityContext": {"capabilities": {"add": caps}}}

_pod(containers) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": containers}}

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_allowing(caps) := {"allowedCapabilities": caps}

test_baseline_capability_allowed_by_default if {
	count(violation) == 0 with input as _review(_pod([_adding("app", ["NET_BIND_SERVICE", "CHOWN"])]), {})
}

test_every_baseline_capability_allowed_by_default if {
	count(violation) == 0 with input as _review(_pod([_adding("app", baseline_capabilities)]), {})
}

test_sys_admin_denied_by_default if {
	v := violation with input as _review(_pod([_adding("app", ["SYS_ADMIN"])]), {})
	count(v) == 1
	some found in v
	found.details.capabilities == ["SYS_ADMIN"]
	found.details.container == "app"
	found.details.path == "spec.containers[0]"
}

test_net_raw_not_in_baseline if {
	count(violation) == 1 with input as _review(_pod([_adding("app", ["NET_RAW"])]), {})
}

test_all_denied_by_default if {
	some found in violation with input as _review(_pod([_adding("app", ["ALL"])]), {})
	found.details.capabilities == ["ALL"]
}

test_one_violation_per_container_listing_every_capability if {
	v := violation with input as _review(_pod([_adding("app", ["SYS_ADMIN", "CHOWN", "NET_ADMIN"])]), {})
	count(v) == 1
	some found in v
	found.details.capabilities == ["NET_ADMIN", "SYS_ADMIN"]
}

test_cap_prefix_and_case_normalised if {
	some found in violation with input as _review(_pod([_adding("app", ["cap_sys_ptrace", "Cap_Chown"])]), {})
	found.details.capabilities == ["SYS_PTRACE"]
}

test_no_capabilities_allowed if {
	count(violation) == 0 with input as _review(_pod([{"name": "app", "image": "nginx:1.25"}]), {})
}

test_drop_only_allowed if {
	c := {"name": "app", "image": "nginx:1.25", "securityContext": {"capabilities": {"drop": ["ALL"]}}}
	count(violation) == 0 with input as _review(_pod([c]), _allowing([]))
}

test_empty_add_list_allowed if {
	count(violation) == 0 with input as _review(_pod([_adding("app", [])]), _allowing([]))
}

test_custom_list_replaces_default if {
	params := _allowing(["NET_ADMIN"])
	count(violation) == 0 with input as _review(_pod([_adding("app", ["NET_ADMIN"])]), params)
	count(violation) == 1 with input as _review(_pod([_adding("app", ["CHOWN"])]), params)
}

test_custom_list_normalised if {
	count(violation) == 0 with input as _review(_pod([_adding("app", ["NET_ADMIN"])]), _allowing(["cap_net_admin"]))
}

test_empty_list_denies_any_add if {
	v := violation with input as _review(_pod([_adding("app", ["NET_BIND_SERVICE"])]), _allowing([]))
	count(v) == 1
	some found in v
	endswith(found.msg, "remove securityContext.capabilities.add")
}

test_wildcard_allows_everything if {
	count(violation) == 0 with input as _review(_pod([_adding("app", ["SYS_ADMIN", "ALL"])]), _allowing(["*"]))
}

test_init_container_denied if {
	obj := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {
		"containers": [{"name": "app", "image": "nginx:1.25"}],
		"initContainers": [_adding("setup", ["NET_ADMIN"])],
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
	c := object.union(_adding("cni", ["NET_ADMIN"]), {"image": "docker.io/calico/node:v3.28.0"})
	count(violation) == 0 with input as _review(_pod([c]), {"exemptImages": ["docker.io/calico/*"]})
}

test_exemption_is_per_container if {
	exempted := object.union(_adding("cni", ["NET_ADMIN"]), {"image": "docker.io/calico/node:v3.28.0"})
	params := {"exemptImages": ["docker.io/calico/"]}
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
	spec := {"containers": [_adding("app", ["SYS_ADMIN"])]}
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
	some found in violation with input as _review(obj, {})
	found.details.path == "spec.jobTemplate.spec.template.spec.containers[0]"
}

test_missing_parameters_use_baseline_list if {
	count(violation) == 0 with input as {"review": {"object": _pod([_adding("app", ["KILL"])])}}
	count(violation) == 1 with input as {"review": {"object": _pod([_adding("app", ["SYS_TIME"])])}}
}

test_message_names_object_container_capabilities_and_fix if {
	some found in violation with input as _review(_pod([_adding("app", ["SYS_ADMIN"])]), _allowing(["CHOWN", "KILL"]))
	found.msg == concat("", [
		`Pod web: container "app" (spec.containers[0]) adds capabilities ["SYS_ADMIN"] that are not allowed; `,
		`remove them from securityContext.capabilities.add (allowed: ["CHOWN", "KILL"])`,
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
