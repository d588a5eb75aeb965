package k8sreadonlyrootfilesystem

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_pod(spec) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

_template(kind, spec) := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": spec}}}

_container(name, security_context) := {"name": name, "image": "nginx:1.25", "securityContext": security_context}

_read_only(name) := _container(name, {"readOnlyRootFilesystem": true})

_writable(name) := _container(name, {"readOnlyRootFilesystem": false})

_plain(name) := {"name": name, "image": "nginx:1.25"}

test_read_only_allowed if {
	count(violation) == 0 with input as _review(_pod({"containers": [_read_only("app")]}), {})
}

test_explicit_false_denied if {
	some v in violation with input as _review(_pod({"containers": [_writable("app")]}), {})
	v.details.value == false
}

test_unset_denied if {
	some v in violation with input as _review(_pod({"containers": [_container("app", {"runAsNonRoot": true})]}), {})
	v.details.value == null
}

test_missing_security_context_denied if {
	count(violation) == 1 with input as _review(_pod({"containers": [_plain("app")]}), {})
}

test_pod_level_value_ignored if {
	# The pod securityContext has no readOnlyRootFilesystem; only the container's counts.
	spec := {"securityContext": {"readOnlyRootFilesystem": true}, "containers": [_plain("app")]}
	count(violation) == 1 with input as _review(_pod(spec), {})
}

test_init_container_denied if {
	spec := {"containers": [_read_only("app")], "initContainers": [_writable("setup")]}
	some v in violation with input as _review(_pod(spec), {})
	v.details.container == "setup"
	v.details.path == "spec.initContainers[0]"
}

test_ephemeral_container_denied if {
	spec := {"containers": [_read_only("app")], "ephemeralContainers": [_plain("debug")]}
	some v in violation with input as _review(_pod(spec), {})
	v.details.path == "spec.ephemeralContainers[0]"
}

test_each_container_reported if {
	spec := {
		"containers": [_plain("a"), _read_only("b"), _writable("c")],
		"initContainers": [_plain("i")],
		"ephemeralContainers": [_read_only("e")],
	}
	count(violation) == 3 with input as _review(_pod(spec), {})
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		count(violation) == 1 with input as _review(_template(kind, {"containers": [_plain("app")]}), {})
	}
}

test_template_workload_allowed if {
	count(violation) == 0 with input as _review(_template("Deployment", {"containers": [_read_only("app")]}), {})
}

test_cronjob_denied if {
	spec := {"containers": [_writable("job")]}
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
	some v in violation with input as _review(obj, {})
	v.details.field == "spec.jobTemplate.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem"
}

test_windows_pod_exempt if {
	spec := {"os": {"name": "windows"}, "containers": [{"name": "iis", "image": "mcr.microsoft.com/windows/iis"}]}
	count(violation) == 0 with input as _review(_pod(spec), {})
}

test_linux_os_checked if {
	count(violation) == 1 with input as _review(_pod({"os": {"name": "linux"}, "containers": [_plain("app")]}), {})
}

test_exempt_image_allowed if {
	c := object.union(_writable("jenkins"), {"image": "jenkins/jenkins:2.462-jdk17"})
	count(violation) == 0 with input as _review(_pod({"containers": [c]}), {"exemptImages": ["jenkins/jenkins"]})
}

test_exemption_is_per_container if {
	c := object.union(_writable("jenkins"), {"image": "jenkins/jenkins:2.462-jdk17"})
	params := {"exemptImages": ["jenkins/*"]}
	count(violation) == 1 with input as _review(_pod({"containers": [c, _plain("sidecar")]}), params)
}

test_no_parameters_key if {
	count(violation) == 1 with input as {"review": {"object": _pod({"containers": [_writable("app")]})}}
}

test_non_workload_ignored if {
	obj := {"kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}}
	count(violation) == 0 with input as _review(obj, {})
}

test_message_false if {
	some v in violation with input as _review(_pod({"containers": [_writable("app")]}), {})
	v.msg == concat("", [
		`Pod p: container "app" (spec.containers[0]) has readOnlyRootFilesystem false; `,
		"set securityContext.readOnlyRootFilesystem to true and mount an emptyDir volume where the app must write",
	])
}

test_message_unset if {
	some v in violation with input as _review(_template("StatefulSet", {"containers": [_plain("db")]}), {})
	startswith(v.msg, `StatefulSet w: container "db" (spec.template.spec.containers[0]) has readOnlyRootFilesystem unset;`)
}

test_generate_name_still_denied if {
	obj := {"kind": "Pod", "metadata": {"generateName": "wordpress-"}, "spec": {"containers": [_writable("wp")]}}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "Pod wordpress-<generated>: ")
}

test_missing_metadata_still_denied if {
	count(violation) == 1 with input as _review({"kind": "Pod", "spec": {"containers": [_plain("app")]}}, {})
}
