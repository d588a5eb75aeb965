package k8shostnamespaces

_containers := [{"name": "app", "image": "nginx:1.25"}]

_spec(extra) := object.union({"containers": _containers}, extra)

_pod(extra) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": _spec(extra)}

_workload(kind, extra) := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": _spec(extra)}}}

_cronjob(extra) := {"kind": "CronJob", "metadata": {"name": "nightly"}, "spec": {"jobTemplate": {"spec": {
	"template": {"spec": _spec(extra)},
}}}}

_review(obj) := {"review": {"object": obj}, "parameters": {}}

test_host_network_denied if {
	v := violation with input as _review(_pod({"hostNetwork": true}))
	count(v) == 1
	some found in v
	found.details.field == "hostNetwork"
	found.details.path == "spec.hostNetwork"
}

test_host_pid_denied if {
	v := violation with input as _review(_pod({"hostPID": true}))
	count(v) == 1
	some found in v
	found.details.field == "hostPID"
	contains(found.msg, "process ID namespace")
}

test_host_ipc_denied if {
	v := violation with input as _review(_pod({"hostIPC": true}))
	count(v) == 1
	some found in v
	found.details.path == "spec.hostIPC"
	contains(found.msg, "IPC namespace")
}

test_all_three_namespaces_three_violations if {
	count(violation) == 3 with input as _review(_pod({"hostNetwork": true, "hostPID": true, "hostIPC": true}))
}

test_explicit_false_allowed if {
	count(violation) == 0 with input as _review(_pod({"hostNetwork": false, "hostPID": false, "hostIPC": false}))
}

test_unset_allowed if {
	count(violation) == 0 with input as _review(_pod({}))
}

test_one_true_among_false_values if {
	count(violation) == 1 with input as _review(_pod({"hostNetwork": false, "hostPID": true, "hostIPC": false}))
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		v := violation with input as _review(_workload(kind, {"hostNetwork": true}))
		count(v) == 1
		some found in v
		found.details.path == "spec.template.spec.hostNetwork"
		startswith(found.msg, sprintf("%s w:", [kind]))
	}
}

test_template_workload_allowed if {
	count(violation) == 0 with input as _review(_workload("DaemonSet", {"hostNetwork": false}))
}

test_cronjob_denied if {
	v := violation with input as _review(_cronjob({"hostPID": true}))
	count(v) == 1
	some found in v
	found.details.path == "spec.jobTemplate.spec.template.spec.hostPID"
}

test_cronjob_allowed if {
	count(violation) == 0 with input as _review(_cronjob({}))
}

test_kind_without_pod_spec_ignored if {
	obj := {"kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"hostNetwork": "true"}}
	count(violation) == 0 with input as _review(obj)
}

test_missing_parameters_works if {
	count(violation) == 1 with input as {"review": {"object": _pod({"hostIPC": true})}}
}

test_message_names_object_field_and_fix if {
	some found in violation with input as _review(_pod({"hostNetwork": true}))
	found.msg == concat("", [
		"Pod web: spec.hostNetwork is true, so the pod shares the node's network namespace; ",
		"remove hostNetwork or set it to false",
	])
}

test_generate_name_reported if {
	obj := {"kind": "Pod", "metadata": {"generateName": "debug-"}, "spec": _spec({"hostPID": true})}
	some found in violation with input as _review(obj)
	startswith(found.msg, "Pod debug-<generated>:")
}

test_unnamed_object_still_reported if {
	obj := {"kind": "Pod", "metadata": {}, "spec": _spec({"hostPID": true})}
	some found in violation with input as _review(obj)
	startswith(found.msg, "Pod <unnamed>:")
}
