package k8srequiredprobes

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_pod(spec) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": spec}

_template(kind, spec) := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": spec}}}

_http_probe := {"httpGet": {"path": "/healthz", "port": 8080}}

_plain(name) := {"name": name, "image": "nginx:1.25"}

_probed(name) := object.union(_plain(name), {"livenessProbe": _http_probe, "readinessProbe": _http_probe})

_owned_pod(owner_kind) := {
	"kind": "Pod",
	"metadata": {"name": "x", "ownerReferences": [{"apiVersion": "v1", "kind": owner_kind, "name": "o", "uid": "1"}]},
	"spec": {"containers": [_plain("a")]},
}

_only(name, probe) := object.union(_plain(name), {probe: _http_probe})

test_both_probes_allowed if {
	count(violation) == 0 with input as _review(_pod({"containers": [_probed("app")]}), {})
}

test_no_probes_two_violations if {
	violations := violation with input as _review(_pod({"containers": [_plain("app")]}), {})
	{v.details.probe | some v in violations} == {"livenessProbe", "readinessProbe"}
	count(violations) == 2
}

test_missing_readiness_only if {
	violations := violation with input as _review(_pod({"containers": [_only("app", "livenessProbe")]}), {})
	count(violations) == 1
	some v in violations
	v.details.probe == "readinessProbe"
}

test_null_probe_counts_as_missing if {
	c := object.union(_only("app", "livenessProbe"), {"readinessProbe": null})
	count(violation) == 1 with input as _review(_pod({"containers": [c]}), {})
}

test_startup_probe_not_required_by_default if {
	count(violation) == 0 with input as _review(_pod({"containers": [_probed("app")]}), {})
}

test_liveness_only_parameter if {
	params := {"probes": ["livenessProbe"]}
	count(violation) == 0 with input as _review(_pod({"containers": [_only("app", "livenessProbe")]}), params)
	count(violation) == 1 with input as _review(_pod({"containers": [_only("app", "readinessProbe")]}), params)
}

test_short_probe_names_normalised if {
	params := {"probes": ["liveness", "Readiness", "startupProbe"]}
	violations := violation with input as _review(_pod({"containers": [_probed("app")]}), params)
	count(violations) == 1
	some v in violations
	v.details.probe == "startupProbe"
}

test_unknown_probe_name_used_as_field if {
	params := {"probes": ["healthProbe"]}
	some v in violation with input as _review(_pod({"containers": [_probed("app")]}), params)
	v.details.probe == "healthProbe"
}

test_empty_probe_list_requires_nothing if {
	count(violation) == 0 with input as _review(_pod({"containers": [_plain("app")]}), {"probes": []})
}

test_init_and_ephemeral_containers_not_checked if {
	spec := {
		"containers": [_probed("app")],
		"initContainers": [_plain("migrate")],
		"ephemeralContainers": [_plain("debug")],
	}
	count(violation) == 0 with input as _review(_pod(spec), {})
}

test_each_container_checked if {
	spec := {"containers": [_probed("app"), _only("sidecar", "readinessProbe"), _plain("proxy")]}
	count(violation) == 3 with input as _review(_pod(spec), {})
}

test_second_container_path if {
	spec := {"containers": [_probed("app"), _only("sidecar", "livenessProbe")]}
	some v in violation with input as _review(_pod(spec), {})
	v.details.container == "sidecar"
	v.details.path == "spec.containers[1]"
}

test_long_running_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"] {
		count(violation) == 2 with input as _review(_template(kind, {"containers": [_plain("app")]}), {})
	}
}

test_long_running_workload_allowed if {
	count(violation) == 0 with input as _review(_template("Deployment", {"containers": [_probed("app")]}), {})
}

test_job_not_checked if {
	count(violation) == 0 with input as _review(_template("Job", {"containers": [_plain("task")]}), {})
}

test_cronjob_not_checked if {
	spec := {"containers": [_plain("task")]}
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
	count(violation) == 0 with input as _review(obj, {})
}

test_pod_created_by_job_not_checked if {
	count(violation) == 0 with input as _review(_owned_pod("Job"), {})
}

test_pod_created_by_replicaset_checked if {
	count(violation) == 2 with input as _review(_owned_pod("ReplicaSet"), {})
}

test_no_parameters_key if {
	count(violation) == 1 with input as {"review": {"object": _pod({"containers": [_only("app", "readinessProbe")]})}}
}

test_non_workload_ignored if {
	obj := {"kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}}
	count(violation) == 0 with input as _review(obj, {})
}

test_message if {
	obj := _template("Deployment", {"containers": [_only("api", "readinessProbe")]})
	some v in violation with input as _review(obj, {})
	v.msg == concat("", [
		`Deployment w: container "api" (spec.template.spec.containers[0]) has no livenessProbe; `,
		"add spec.template.spec.containers[0].livenessProbe with an httpGet, tcpSocket, grpc or exec check",
	])
}

test_generate_name_still_denied if {
	obj := {"kind": "Pod", "metadata": {"generateName": "api-"}, "spec": {"containers": [_only("api", "livenessProbe")]}}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "Pod api-<generated>: ")
}

test_missing_metadata_still_denied if {
	count(violation) == 2 with input as _review({"kind": "Pod", "spec": {"containers": [_plain("app")]}}, {})
}
