package k8sprocmount

_with_proc_mount(name, value) := {"name": name, "image": "nginx:1.25", "securityContext": {"procMount": value}}

_app := {"name": "app", "image": "nginx:1.25"}

_pod(spec) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": object.union({"containers": [_app]}, spec)}

_review(obj) := {"review": {"object": obj}, "parameters": {}}

test_unmasked_denied if {
	v := violation with input as _review(_pod({"containers": [_with_proc_mount("app", "Unmasked")]}))
	count(v) == 1
	some found in v
	found.details == {"container": "app", "path": "spec.containers[0]", "procMount": "Unmasked"}
}

test_default_allowed if {
	count(violation) == 0 with input as _review(_pod({"containers": [_with_proc_mount("app", "Default")]}))
}

test_unset_allowed if {
	count(violation) == 0 with input as _review(_pod({}))
	c := {"name": "app", "image": "nginx:1.25", "securityContext": {"runAsNonRoot": true}}
	count(violation) == 0 with input as _review(_pod({"containers": [c]}))
}

test_null_allowed if {
	count(violation) == 0 with input as _review(_pod({"containers": [_with_proc_mount("app", null)]}))
}

test_unknown_value_denied if {
	count(violation) == 1 with input as _review(_pod({"containers": [_with_proc_mount("app", "default")]}))
	count(violation) == 1 with input as _review(_pod({"containers": [_with_proc_mount("app", "")]}))
}

test_pod_level_field_is_not_a_thing if {
	# procMount exists only on containers; a stray pod-level key changes nothing.
	count(violation) == 0 with input as _review(_pod({"securityContext": {"procMount": "Unmasked"}}))
}

test_init_container_denied if {
	some found in violation with input as _review(_pod({"initContainers": [_with_proc_mount("setup", "Unmasked")]}))
	found.details.path == "spec.initContainers[0]"
}

test_ephemeral_container_denied if {
	some found in violation with input as _review(_pod({"ephemeralContainers": [_with_proc_mount("debug", "Unmasked")]}))
	found.details.path == "spec.ephemeralContainers[0]"
}

test_each_container_reported if {
	spec := {"containers": [
		_with_proc_mount("a", "Unmasked"),
		_with_proc_mount("b", "Default"),
		_with_proc_mount("c", "Unmasked"),
	]}
	count(violation) == 2 with input as _review(_pod(spec))
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		obj := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": {
			"containers": [_with_proc_mount("app", "Unmasked")],
		}}}}
		some found in violation with input as _review(obj)
		found.details.path == "spec.template.spec.containers[0]"
	}
}

test_cronjob_denied if {
	spec := {"containers": [_with_proc_mount("app", "Unmasked")]}
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
	some found in violation with input as _review(obj)
	found.details.path == "spec.jobTemplate.spec.template.spec.containers[0]"
}

test_kind_without_pod_spec_ignored if {
	obj := {"kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"procMount": "Unmasked"}}
	count(violation) == 0 with input as _review(obj)
}

test_missing_parameters_works if {
	count(violation) == 1 with input as {"review": {"object": _pod({"containers": [_with_proc_mount("app", "Unmasked")]})}}
}

test_message_names_object_container_value_and_fix if {
	some found in violation with input as _review(_pod({"containers": [_with_proc_mount("app", "Unmasked")]}))
	found.msg == concat("", [
		`Pod web: container "app" (spec.containers[0]) sets securityContext.procMount to "Unmasked"; `,
		"remove procMount or set it to Default so /proc keeps its masked paths",
	])
}

test_generate_name_reported if {
	spec := {"containers": [_with_proc_mount("a", "Unmasked")]}
	obj := {"kind": "Pod", "metadata": {"generateName": "web-"}, "spec": spec}
	some found in violation with input as _review(obj)
	startswith(found.msg, "Pod web-<generated>:")
}

test_unnamed_object_reported if {
	obj := {"kind": "Pod", "metadata": {}, "spec": {"containers": [_with_proc_mount("a", "Unmasked")]}}
	some found in violation with input as _review(obj)
	startswith(found.msg, "Pod <unnamed>:")
}
