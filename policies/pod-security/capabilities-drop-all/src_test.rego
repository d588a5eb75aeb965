package k8scapabilitiesdropall

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_pod(spec) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

_template(kind, spec) := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": spec}}}

_cronjob(spec) := {
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

_caps(name, drop, add) := {
	"name": name,
	"image": "nginx:1.25",
	"securityContext": {"capabilities": {"drop": drop, "add": add}},
}

_hardened(name) := _caps(name, ["ALL"], [])

_plain(name) := {"name": name, "image": "nginx:1.25"}

test_drop_all_allowed if {
	count(violation) == 0 with input as _review(_pod({"containers": [_hardened("app")]}), {})
}

test_drop_all_add_net_bind_service_allowed if {
	c := _caps("web", ["ALL"], ["NET_BIND_SERVICE"])
	count(violation) == 0 with input as _review(_pod({"containers": [c]}), {})
}

test_missing_security_context_denied if {
	some v in violation with input as _review(_pod({"containers": [_plain("app")]}), {})
	v.details.dropped == []
	contains(v.msg, "does not drop ALL capabilities (drops none)")
}

test_partial_drop_denied if {
	c := _caps("app", ["NET_RAW", "SYS_ADMIN"], [])
	some v in violation with input as _review(_pod({"containers": [c]}), {})
	v.details.dropped == ["NET_RAW", "SYS_ADMIN"]
}

test_drop_spelling_normalised if {
	c := _caps("app", ["all"], ["cap_net_bind_service"])
	count(violation) == 0 with input as _review(_pod({"containers": [c]}), {})
}

test_added_capability_denied if {
	c := _caps("app", ["ALL"], ["SYS_ADMIN", "NET_ADMIN"])
	violations := violation with input as _review(_pod({"containers": [c]}), {})
	count(violations) == 1
	some v in violations
	v.details.added == ["NET_ADMIN", "SYS_ADMIN"]
}

test_no_drop_and_bad_add_two_violations if {
	c := _caps("app", [], ["SYS_PTRACE"])
	count(violation) == 2 with input as _review(_pod({"containers": [c]}), {})
}

test_adding_all_denied if {
	c := _caps("app", ["ALL"], ["ALL"])
	some v in violation with input as _review(_pod({"containers": [c]}), {})
	v.details.added == ["ALL"]
}

test_empty_allow_list_denies_net_bind_service if {
	c := _caps("web", ["ALL"], ["NET_BIND_SERVICE"])
	some v in violation with input as _review(_pod({"containers": [c]}), {"allowedCapabilities": []})
	contains(v.msg, "allowed are none")
}

test_custom_allow_list_normalised if {
	c := _caps("app", ["ALL"], ["CHOWN", "NET_BIND_SERVICE"])
	params := {"allowedCapabilities": ["CAP_CHOWN", "net_bind_service"]}
	count(violation) == 0 with input as _review(_pod({"containers": [c]}), params)
}

test_custom_allow_list_replaces_default if {
	c := _caps("app", ["ALL"], ["NET_BIND_SERVICE"])
	params := {"allowedCapabilities": ["CHOWN"]}
	count(violation) == 1 with input as _review(_pod({"containers": [c]}), params)
}

test_windows_pod_exempt if {
	spec := {"os": {"name": "windows"}, "containers": [{"name": "iis", "image": "mcr.microsoft.com/windows/iis"}]}
	count(violation) == 0 with input as _review(_pod(spec), {})
}

test_pod_level_security_context_not_enough if {
	# Capabilities exist only on containers; the pod securityContext has no such field.
	spec := {"securityContext": {"capabilities": {"drop": ["ALL"]}}, "containers": [_plain("app")]}
	count(violation) == 1 with input as _review(_pod(spec), {})
}

test_init_container_denied if {
	spec := {"containers": [_hardened("app")], "initContainers": [_caps("init", ["ALL"], ["NET_ADMIN"])]}
	some v in violation with input as _review(_pod(spec), {})
	v.details.container == "init"
	v.details.path == "spec.initContainers[0]"
}

test_ephemeral_container_denied if {
	spec := {"containers": [_hardened("app")], "ephemeralContainers": [_plain("debug")]}
	some v in violation with input as _review(_pod(spec), {})
	v.details.path == "spec.ephemeralContainers[0]"
}

test_each_container_reported if {
	spec := {"containers": [_plain("a"), _hardened("b"), _plain("c")], "initContainers": [_plain("i")]}
	count(violation) == 3 with input as _review(_pod(spec), {})
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		count(violation) == 1 with input as _review(_template(kind, {"containers": [_plain("app")]}), {})
	}
}

test_template_workload_allowed if {
	count(violation) == 0 with input as _review(_template("StatefulSet", {"containers": [_hardened("db")]}), {})
}

test_cronjob_denied if {
	spec := {"containers": [_caps("job", ["ALL"], ["SYS_TIME"])]}
	some v in violation with input as _review(_cronjob(spec), {})
	v.details.path == "spec.jobTemplate.spec.template.spec.containers[0]"
}

test_exempt_image_allowed if {
	c := object.union(_caps("cni", [], ["NET_ADMIN"]), {"image": "docker.io/calico/node:v3.28.0"})
	params := {"exemptImages": ["docker.io/calico/"]}
	count(violation) == 0 with input as _review(_pod({"containers": [c]}), params)
}

test_other_images_not_exempt if {
	params := {"exemptImages": ["docker.io/calico/*"]}
	count(violation) == 1 with input as _review(_pod({"containers": [_plain("app")]}), params)
}

test_no_parameters_key if {
	c := _caps("web", ["ALL"], ["NET_BIND_SERVICE", "NET_RAW"])
	some v in violation with input as {"review": {"object": _pod({"containers": [c]})}}
	v.details.added == ["NET_RAW"]
}

test_non_workload_ignored if {
	obj := {"kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}}
	count(violation) == 0 with input as _review(obj, {})
}

test_message_drop if {
	c := _caps("app", ["NET_RAW"], [])
	some v in violation with input as _review(_template("Deployment", {"containers": [c]}), {})
	v.msg == concat("", [
		`Deployment w: container "app" (spec.template.spec.containers[0]) does not drop ALL capabilities `,
		`(drops NET_RAW); add "ALL" to securityContext.capabilities.drop`,
	])
}

test_message_add if {
	c := _caps("app", ["ALL"], ["SYS_ADMIN"])
	some v in violation with input as _review(_pod({"containers": [c]}), {})
	v.msg == concat("", [
		`Pod p: container "app" (spec.containers[0]) adds capabilities SYS_ADMIN, allowed are NET_BIND_SERVICE; `,
		"remove them from securityContext.capabilities.add",
	])
}

test_generate_name_still_denied if {
	obj := {"kind": "Pod", "metadata": {"generateName": "api-"}, "spec": {"containers": [_plain("api")]}}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "Pod api-<generated>: ")
}

test_missing_metadata_still_denied if {
	obj := {"kind": "Pod", "spec": {"containers": [_caps("app", ["ALL"], ["SYS_ADMIN"])]}}
	count(violation) == 1 with input as _review(obj, {})
}
