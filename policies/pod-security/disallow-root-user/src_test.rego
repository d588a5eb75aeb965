package k8sdisallowrootuser

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_pod(pod_sc, containers) := {
	"kind": "Pod",
	"metadata": {"name": "p"},
	"spec": {"securityContext": pod_sc, "containers": containers},
}

_template(kind, spec) := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": spec}}}

_cronjob(spec) := {
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

_plain(name) := {"name": name, "image": "nginx:1.25"}

_uid(name, uid) := {"name": name, "image": "nginx:1.25", "securityContext": {"runAsUser": uid}}

test_container_uid_zero_denied if {
	some v in violation with input as _review(_pod({}, [_uid("app", 0)]), {})
	v.details.source == "container"
	v.details.value == 0
}

test_non_zero_uid_allowed if {
	count(violation) == 0 with input as _review(_pod({}, [_uid("app", 1000)]), {})
}

test_unset_everywhere_allowed if {
	# Without runAsUser the image's USER applies; run-as-non-root is the policy for that.
	count(violation) == 0 with input as _review(_pod({}, [_plain("app")]), {})
}

test_no_security_context_allowed if {
	obj := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [_plain("app")]}}
	count(violation) == 0 with input as _review(obj, {})
}

test_pod_uid_zero_inherited_denied if {
	some v in violation with input as _review(_pod({"runAsUser": 0}, [_plain("app")]), {})
	v.details.source == "pod"
}

test_container_overrides_pod_zero if {
	count(violation) == 0 with input as _review(_pod({"runAsUser": 0}, [_uid("app", 1000)]), {})
}

test_container_zero_overrides_pod_non_zero if {
	count(violation) == 1 with input as _review(_pod({"runAsUser": 1000}, [_uid("app", 0)]), {})
}

test_pod_zero_reported_per_inheriting_container if {
	obj := _pod({"runAsUser": 0}, [_plain("a"), _plain("b"), _uid("c", 2000)])
	count(violation) == 2 with input as _review(obj, {})
}

test_run_as_group_zero_not_concerned if {
	c := {"name": "app", "image": "nginx:1.25", "securityContext": {"runAsUser": 1000, "runAsGroup": 0}}
	count(violation) == 0 with input as _review(_pod({}, [c]), {})
}

test_init_container_denied if {
	obj := object.union(_pod({}, [_uid("app", 1000)]), {"spec": {"initContainers": [_uid("chown", 0)]}})
	some v in violation with input as _review(obj, {})
	v.details.container == "chown"
	v.details.path == "spec.initContainers[0]"
}

test_init_container_inherits_pod_zero if {
	obj := object.union(_pod({"runAsUser": 0}, [_uid("app", 1000)]), {"spec": {"initContainers": [_plain("init")]}})
	some v in violation with input as _review(obj, {})
	v.details.path == "spec.initContainers[0]"
}

test_ephemeral_container_denied if {
	obj := object.union(_pod({}, [_plain("app")]), {"spec": {"ephemeralContainers": [_uid("debug", 0)]}})
	some v in violation with input as _review(obj, {})
	v.details.path == "spec.ephemeralContainers[0]"
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		count(violation) == 1 with input as _review(_template(kind, {"containers": [_uid("app", 0)]}), {})
	}
}

test_template_workload_allowed if {
	spec := {"securityContext": {"runAsUser": 10001}, "containers": [_plain("app")]}
	count(violation) == 0 with input as _review(_template("Deployment", spec), {})
}

test_cronjob_pod_level_denied if {
	spec := {"securityContext": {"runAsUser": 0}, "containers": [_plain("job")]}
	some v in violation with input as _review(_cronjob(spec), {})
	v.details.path == "spec.jobTemplate.spec.template.spec.containers[0]"
	contains(v.msg, "set spec.jobTemplate.spec.template.spec.securityContext.runAsUser to a non-zero uid")
}

test_exempt_image_allowed if {
	c := object.union(_uid("node-exporter", 0), {"image": "quay.io/prometheus/node-exporter:v1.8.1"})
	params := {"exemptImages": ["quay.io/prometheus/node-exporter"]}
	count(violation) == 0 with input as _review(_pod({}, [c]), params)
}

test_exemption_is_per_container if {
	c := object.union(_uid("node-exporter", 0), {"image": "quay.io/prometheus/node-exporter:v1.8.1"})
	params := {"exemptImages": ["quay.io/prometheus/*"]}
	count(violation) == 1 with input as _review(_pod({"runAsUser": 0}, [c, _plain("sidecar")]), params)
}

test_no_parameters_key if {
	count(violation) == 1 with input as {"review": {"object": _pod({}, [_uid("app", 0)])}}
}

test_non_workload_ignored if {
	obj := {"kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}}
	count(violation) == 0 with input as _review(obj, {})
}

test_message_container_source if {
	some v in violation with input as _review(_pod({}, [_uid("app", 0)]), {})
	v.msg == concat("", [
		`Pod p: container "app" (spec.containers[0]) runs as uid 0 (runAsUser set on the container); `,
		"set securityContext.runAsUser to a non-zero uid or remove it",
	])
}

test_message_pod_source if {
	spec := {"securityContext": {"runAsUser": 0}, "containers": [_plain("db")]}
	some v in violation with input as _review(_template("StatefulSet", spec), {})
	v.msg == concat("", [
		`StatefulSet w: container "db" (spec.template.spec.containers[0]) runs as uid 0 `,
		"(runAsUser inherited from the pod securityContext); ",
		"set spec.template.spec.securityContext.runAsUser to a non-zero uid or override it on the container",
	])
}

test_generate_name_still_denied if {
	obj := {"kind": "Pod", "metadata": {"generateName": "shell-"}, "spec": {"containers": [_uid("sh", 0)]}}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "Pod shell-<generated>: ")
}

test_missing_metadata_still_denied if {
	count(violation) == 1 with input as _review({"kind": "Pod", "spec": {"containers": [_uid("sh", 0)]}}, {})
}
