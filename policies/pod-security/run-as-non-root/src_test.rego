package k8srunasnonroot

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

# _pod builds a Pod whose pod-level securityContext is pod_sc ({} for none).
_pod(pod_sc, containers) := {
	"kind": "Pod",
	"metadata": {"name": "p"},
	"spec": {"securityContext": pod_sc, "containers": containers},
}

_container(name, security_context) := {"name": name, "image": "nginx:1.25", "securityContext": security_context}

_plain(name) := {"name": name, "image": "nginx:1.25"}

_non_root(name) := _container(name, {"runAsNonRoot": true})

_may_be_root(name) := _container(name, {"runAsNonRoot": false})

_template(kind, spec) := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": spec}}}

_cronjob(spec) := {
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

test_pod_level_true_allowed if {
	count(violation) == 0 with input as _review(_pod({"runAsNonRoot": true}, [_plain("app")]), {})
}

test_container_level_true_allowed if {
	count(violation) == 0 with input as _review(_pod({}, [_non_root("app")]), {})
}

test_container_false_overrides_pod_true if {
	some v in violation with input as _review(_pod({"runAsNonRoot": true}, [_may_be_root("app")]), {})
	v.details.source == "container"
	v.details.value == false
}

test_container_true_overrides_pod_false if {
	count(violation) == 0 with input as _review(_pod({"runAsNonRoot": false}, [_non_root("app")]), {})
}

test_pod_false_inherited if {
	some v in violation with input as _review(_pod({"runAsNonRoot": false}, [_plain("app")]), {})
	v.details.source == "pod"
	v.details.value == false
}

test_unset_everywhere_denied if {
	some v in violation with input as _review(_pod({}, [_plain("app")]), {})
	v.details.source == "unset"
	v.details.value == null
}

test_no_security_context_at_all_denied if {
	obj := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [_plain("app")]}}
	count(violation) == 1 with input as _review(obj, {})
}

test_non_zero_uid_alone_is_not_enough if {
	# The standard asks for runAsNonRoot itself; a uid can be overridden by the image.
	c := _container("app", {"runAsUser": 1000})
	count(violation) == 1 with input as _review(_pod({}, [c]), {})
}

test_only_unset_containers_reported if {
	count(violation) == 1 with input as _review(_pod({}, [_non_root("a"), _plain("b")]), {})
}

test_init_container_inherits_pod_true if {
	obj := object.union(_pod({"runAsNonRoot": true}, [_plain("app")]), {"spec": {"initContainers": [_plain("init")]}})
	count(violation) == 0 with input as _review(obj, {})
}

test_init_container_denied if {
	obj := object.union(_pod({}, [_non_root("app")]), {"spec": {"initContainers": [_may_be_root("chown")]}})
	some v in violation with input as _review(obj, {})
	v.details.container == "chown"
	v.details.path == "spec.initContainers[0]"
}

test_ephemeral_container_denied if {
	obj := object.union(
		_pod({"runAsNonRoot": true}, [_plain("app")]),
		{"spec": {"ephemeralContainers": [_may_be_root("debug")]}},
	)
	some v in violation with input as _review(obj, {})
	v.details.path == "spec.ephemeralContainers[0]"
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		count(violation) == 1 with input as _review(_template(kind, {"containers": [_plain("app")]}), {})
	}
}

test_template_workload_pod_level_allowed if {
	spec := {"securityContext": {"runAsNonRoot": true}, "containers": [_plain("app")]}
	count(violation) == 0 with input as _review(_template("Deployment", spec), {})
}

test_cronjob_denied if {
	some v in violation with input as _review(_cronjob({"containers": [_plain("job")]}), {})
	v.details.path == "spec.jobTemplate.spec.template.spec.containers[0]"
	contains(v.msg, "spec.jobTemplate.spec.template.spec.securityContext")
}

test_cronjob_pod_level_allowed if {
	spec := {"securityContext": {"runAsNonRoot": true}, "containers": [_plain("job")]}
	count(violation) == 0 with input as _review(_cronjob(spec), {})
}

test_exempt_image_allowed if {
	c := object.union(_plain("vault"), {"image": "hashicorp/vault:1.17"})
	count(violation) == 0 with input as _review(_pod({}, [c]), {"exemptImages": ["hashicorp/vault"]})
}

test_exempt_glob_does_not_cover_others if {
	params := {"exemptImages": ["hashicorp/*"]}
	count(violation) == 1 with input as _review(_pod({}, [_plain("app")]), params)
}

test_no_parameters_key if {
	count(violation) == 1 with input as {"review": {"object": _pod({}, [_plain("app")])}}
}

test_non_workload_ignored if {
	obj := {"kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"a": "b"}}
	count(violation) == 0 with input as _review(obj, {})
}

test_message_container_source if {
	some v in violation with input as _review(_pod({}, [_may_be_root("app")]), {})
	v.msg == concat("", [
		`Pod p: container "app" (spec.containers[0]) sets runAsNonRoot to false; `,
		"set securityContext.runAsNonRoot to true on the container or in spec.securityContext",
	])
}

test_message_pod_source if {
	some v in violation with input as _review(_pod({"runAsNonRoot": false}, [_plain("app")]), {})
	contains(v.msg, "inherits runAsNonRoot false from the pod securityContext")
}

test_message_unset if {
	obj := _template("DaemonSet", {"containers": [_plain("a")]})
	some v in violation with input as _review(obj, {})
	startswith(v.msg, `DaemonSet w: container "a" (spec.template.spec.containers[0]) does not set runAsNonRoot`)
	contains(v.msg, "in spec.template.spec.securityContext")
}

test_generate_name_still_denied if {
	obj := {"kind": "Pod", "metadata": {"generateName": "redis-"}, "spec": {"containers": [_plain("redis")]}}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "Pod redis-<generated>: ")
}

test_missing_metadata_still_denied if {
	count(violation) == 1 with input as _review({"kind": "Pod", "spec": {"containers": [_plain("app")]}}, {})
}
