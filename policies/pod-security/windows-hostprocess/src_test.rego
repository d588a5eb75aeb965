package k8swindowshostprocess

_app := {"name": "app", "image": "mcr.microsoft.com/windows/nanoserver:ltsc2022"}

_host_process(container, value) := object.union(
	container,
	{"securityContext": {"windowsOptions": {"hostProcess": value}}},
)

_pod(spec) := {"kind": "Pod", "metadata": {"name": "win"}, "spec": object.union({"containers": [_app]}, spec)}

_pod_level(value) := _pod({"securityContext": {"windowsOptions": {"hostProcess": value}}, "hostNetwork": true})

_review(obj) := {"review": {"object": obj}, "parameters": {}}

test_pod_level_host_process_denied if {
	v := violation with input as _review(_pod_level(true))
	count(v) == 1
	some found in v
	found.details == {"path": "spec.securityContext.windowsOptions.hostProcess", "container": ""}
}

test_pod_level_false_allowed if {
	count(violation) == 0 with input as _review(_pod_level(false))
}

test_container_host_process_denied if {
	v := violation with input as _review(_pod({"containers": [_host_process(_app, true)]}))
	count(v) == 1
	some found in v
	found.details == {"path": "spec.containers[0].securityContext.windowsOptions.hostProcess", "container": "app"}
}

test_container_false_allowed if {
	count(violation) == 0 with input as _review(_pod({"containers": [_host_process(_app, false)]}))
}

test_unset_allowed if {
	count(violation) == 0 with input as _review(_pod({}))
	windows := {"securityContext": {"windowsOptions": {"runAsUserName": "ContainerUser"}}}
	count(violation) == 0 with input as _review(_pod(windows))
}

test_non_boolean_ignored if {
	# The API only accepts booleans; a string is not the flag.
	count(violation) == 0 with input as _review(_pod({"containers": [_host_process(_app, "true")]}))
}

test_pod_and_containers_all_reported if {
	spec := {
		"securityContext": {"windowsOptions": {"hostProcess": true}},
		"containers": [_host_process(_app, true), _host_process({"name": "b", "image": "x"}, true)],
	}
	count(violation) == 3 with input as _review(_pod(spec))
}

test_init_container_denied if {
	init := _host_process({"name": "setup", "image": "mcr.microsoft.com/windows/nanoserver:ltsc2022"}, true)
	some found in violation with input as _review(_pod({"initContainers": [init]}))
	found.details.path == "spec.initContainers[0].securityContext.windowsOptions.hostProcess"
}

test_ephemeral_container_denied if {
	debug := _host_process({"name": "debug", "image": "mcr.microsoft.com/windows/nanoserver:ltsc2022"}, true)
	some found in violation with input as _review(_pod({"ephemeralContainers": [debug]}))
	found.details.path == "spec.ephemeralContainers[0].securityContext.windowsOptions.hostProcess"
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		obj := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": {
			"hostNetwork": true,
			"securityContext": {"windowsOptions": {"hostProcess": true}},
			"containers": [_app],
		}}}}
		some found in violation with input as _review(obj)
		found.details.path == "spec.template.spec.securityContext.windowsOptions.hostProcess"
	}
}

test_cronjob_denied if {
	spec := {"containers": [_host_process(_app, true)]}
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
	some found in violation with input as _review(obj)
	found.details.path == "spec.jobTemplate.spec.template.spec.containers[0].securityContext.windowsOptions.hostProcess"
}

test_kind_without_pod_spec_ignored if {
	spec := {"securityContext": {"windowsOptions": {"hostProcess": true}}}
	obj := {"kind": "Service", "metadata": {"name": "s"}, "spec": spec}
	count(violation) == 0 with input as _review(obj)
}

test_missing_parameters_works if {
	count(violation) == 1 with input as {"review": {"object": _pod_level(true)}}
}

test_message_for_pod_level if {
	some found in violation with input as _review(_pod_level(true))
	found.msg == concat("", [
		"Pod win: spec.securityContext.windowsOptions.hostProcess is true, so the pod's containers run as ",
		"processes on the Windows node with host access; remove windowsOptions.hostProcess or set it to false",
	])
}

test_message_for_container if {
	some found in violation with input as _review(_pod({"containers": [_host_process(_app, true)]}))
	found.msg == concat("", [
		`Pod win: container "app" (spec.containers[0].securityContext.windowsOptions.hostProcess) is a Windows `,
		"HostProcess container with host access; remove windowsOptions.hostProcess or set it to false",
	])
}

test_generate_name_reported if {
	obj := object.union(_pod_level(true), {"metadata": {"name": "", "generateName": "win-"}})
	some found in violation with input as _review(obj)
	startswith(found.msg, "Pod win-<generated>:")
}

test_unnamed_object_reported if {
	obj := object.union(_pod_level(true), {"metadata": {"name": ""}})
	some found in violation with input as _review(obj)
	startswith(found.msg, "Pod <unnamed>:")
}
