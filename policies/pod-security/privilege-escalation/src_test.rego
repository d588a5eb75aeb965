package k8sprivilegeescalation

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_pod(spec) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

_container(name, security_context) := {"name": name, "image": "nginx:1.25", "securityContext": security_context}

_blocked(name) := _container(name, {"allowPrivilegeEscalation": false})

_escalating(name) := _container(name, {"allowPrivilegeEscalation": true})

_template(kind, spec) := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": spec}}}

test_explicit_false_allowed if {
	count(violation) == 0 with input as _review(_pod({"containers": [_blocked("app")]}), {})
}

test_explicit_true_denied if {
	count(violation) == 1 with input as _review(_pod({"containers": [_escalating("app")]}), {})
}

test_unset_field_denied if {
	c := _container("app", {"runAsNonRoot": true})
	count(violation) == 1 with input as _review(_pod({"containers": [c]}), {})
}

test_missing_security_context_denied if {
	c := {"name": "app", "image": "nginx:1.25"}
	count(violation) == 1 with input as _review(_pod({"containers": [c]}), {})
}

test_pod_level_setting_does_not_count if {
	# allowPrivilegeEscalation exists only on containers; a pod-level value is ignored.
	spec := {"securityContext": {"allowPrivilegeEscalation": false}, "containers": [{"name": "app", "image": "nginx"}]}
	count(violation) == 1 with input as _review(_pod(spec), {})
}

test_init_container_denied if {
	spec := {"containers": [_blocked("app")], "initContainers": [_escalating("migrate")]}
	some v in violation with input as _review(_pod(spec), {})
	v.details.container == "migrate"
	v.details.path == "spec.initContainers[0]"
}

test_ephemeral_container_denied if {
	spec := {"containers": [_blocked("app")], "ephemeralContainers": [{"name": "debug", "image": "busybox"}]}
	some v in violation with input as _review(_pod(spec), {})
	v.details.path == "spec.ephemeralContainers[0]"
}

test_every_container_kind_reported if {
	spec := {
		"containers": [_escalating("a"), _blocked("b")],
		"initContainers": [_escalating("i")],
		"ephemeralContainers": [_escalating("e")],
	}
	count(violation) == 3 with input as _review(_pod(spec), {})
}

test_all_containers_blocked_allowed if {
	spec := {
		"containers": [_blocked("a"), _blocked("b")],
		"initContainers": [_blocked("i")],
		"ephemeralContainers": [_blocked("e")],
	}
	count(violation) == 0 with input as _review(_pod(spec), {})
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		count(violation) == 1 with input as _review(_template(kind, {"containers": [_escalating("app")]}), {})
	}
}

test_template_workload_allowed if {
	count(violation) == 0 with input as _review(_template("Deployment", {"containers": [_blocked("app")]}), {})
}

test_cronjob_denied if {
	spec := {"containers": [_blocked("app")], "initContainers": [_escalating("init")]}
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
	some v in violation with input as _review(obj, {})
	v.details.path == "spec.jobTemplate.spec.template.spec.initContainers[0]"
}

test_windows_pod_exempt if {
	spec := {"os": {"name": "windows"}, "containers": [{"name": "iis", "image": "mcr.microsoft.com/windows/iis"}]}
	count(violation) == 0 with input as _review(_pod(spec), {})
}

test_linux_os_still_checked if {
	spec := {"os": {"name": "linux"}, "containers": [{"name": "app", "image": "nginx"}]}
	count(violation) == 1 with input as _review(_pod(spec), {})
}

test_exempt_image_allowed if {
	c := object.union(_escalating("agent"), {"image": "registry.example.com/tools/debugger:1.0"})
	params := {"exemptImages": ["registry.example.com/tools/"]}
	count(violation) == 0 with input as _review(_pod({"containers": [c]}), params)
}

test_exempt_image_glob_allowed if {
	c := object.union(_escalating("agent"), {"image": "registry.example.com/tools-debug:1.0"})
	params := {"exemptImages": ["registry.example.com/tools*"]}
	count(violation) == 0 with input as _review(_pod({"containers": [c]}), params)
}

test_other_images_not_exempt if {
	params := {"exemptImages": ["registry.example.com/tools/"]}
	count(violation) == 1 with input as _review(_pod({"containers": [_escalating("app")]}), params)
}

test_no_parameters_key if {
	count(violation) == 1 with input as {"review": {"object": _pod({"containers": [_escalating("app")]})}}
}

test_non_workload_ignored if {
	obj := {"kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}}
	count(violation) == 0 with input as _review(obj, {})
}

test_message_for_true if {
	some v in violation with input as _review(_pod({"containers": [_escalating("app")]}), {})
	v.msg == concat("", [
		`Pod p: container "app" (spec.containers[0]) has allowPrivilegeEscalation true; `,
		"set securityContext.allowPrivilegeEscalation to false",
	])
	v.details.value == true
	v.details.field == "spec.containers[0].securityContext.allowPrivilegeEscalation"
}

test_message_for_unset if {
	obj := _template("StatefulSet", {"containers": [{"name": "db", "image": "postgres:16"}]})
	some v in violation with input as _review(obj, {})
	contains(v.msg, "StatefulSet w:")
	contains(v.msg, "allowPrivilegeEscalation unset")
	v.details.value == null
}

test_generate_name_still_denied if {
	obj := {"kind": "Pod", "metadata": {"generateName": "toolbox-"}, "spec": {"containers": [_escalating("app")]}}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "Pod toolbox-<generated>: ")
}

test_missing_metadata_still_denied if {
	obj := {"kind": "Pod", "spec": {"containers": [_escalating("app")]}}
	count(violation) == 1 with input as _review(obj, {})
}
