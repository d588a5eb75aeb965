package k8slimitsrequired

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

# _c(name, limits): a container with the given resources.limits.
_c(name, limits) := {"name": name, "image": "ghcr.io/acme/app:1.0", "resources": {"limits": limits}}

_bare(name) := {"name": name, "image": "ghcr.io/acme/app:1.0"}

_full := {"cpu": "500m", "memory": "256Mi"}

_pod(containers) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": containers}}

_pod_spec(spec) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": spec}

_templated(kind, spec) := {"kind": kind, "metadata": {"name": "app"}, "spec": {"template": {"spec": spec}}}

_cronjob(spec) := {
	"kind": "CronJob",
	"metadata": {"name": "nightly"},
	"spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

_controllers := ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"]

# --- default resources: cpu and memory ---

test_both_limits_allowed if count(violation) == 0 with input as _review(_pod([_c("app", _full)]), {})

test_no_resources_denied if {
	some v in violation with input as _review(_pod([_bare("app")]), {})
	v.details.missing == ["cpu", "memory"]
}

test_empty_resources_denied if {
	c := {"name": "app", "image": "nginx:1.27", "resources": {}}
	count(violation) == 1 with input as _review(_pod([c]), {})
}

test_requests_are_not_limits if {
	c := {"name": "app", "image": "nginx:1.27", "resources": {"requests": _full}}
	count(violation) == 1 with input as _review(_pod([c]), {})
}

test_memory_missing if {
	some v in violation with input as _review(_pod([_c("app", {"cpu": "1"})]), {})
	v.details.missing == ["memory"]
}

test_cpu_missing if {
	some v in violation with input as _review(_pod([_c("app", {"memory": "1Gi"})]), {})
	v.details.missing == ["cpu"]
}

test_null_limit_is_missing if {
	some v in violation with input as _review(_pod([_c("app", {"cpu": null, "memory": "1Gi"})]), {})
	v.details.missing == ["cpu"]
}

test_numeric_limit_counts if {
	count(violation) == 0 with input as _review(_pod([_c("app", {"cpu": 2, "memory": 1073741824})]), {})
}

test_no_parameters_at_all if {
	count(violation) == 1 with input as {"review": {"object": _pod([_c("app", {"cpu": "1"})])}}
}

# --- the resources parameter ---

test_custom_resources if {
	params := {"resources": ["memory", "ephemeral-storage"]}
	some v in violation with input as _review(_pod([_c("app", {"cpu": "1", "memory": "1Gi"})]), params)
	v.details.missing == ["ephemeral-storage"]
}

test_memory_only if {
	params := {"resources": ["memory"]}
	count(violation) == 0 with input as _review(_pod([_c("app", {"memory": "1Gi"})]), params)
}

test_extended_resource if {
	params := {"resources": ["nvidia.com/gpu"]}
	count(violation) == 0 with input as _review(_pod([_c("app", {"nvidia.com/gpu": 1})]), params)
	count(violation) == 1 with input as _review(_pod([_c("app", _full)]), params)
}

test_empty_resource_list_requires_nothing if {
	count(violation) == 0 with input as _review(_pod([_bare("app")]), {"resources": []})
}

# --- pod-level limits ---

test_pod_level_limits_count if {
	spec := {"resources": {"limits": _full}, "containers": [_bare("app"), _bare("sidecar")]}
	count(violation) == 0 with input as _review(_pod_spec(spec), {})
}

test_pod_level_limits_combine_with_container_limits if {
	spec := {"resources": {"limits": {"memory": "2Gi"}}, "containers": [_c("app", {"cpu": "1"}), _bare("sidecar")]}
	some v in violation with input as _review(_pod_spec(spec), {})
	v.details.container == "sidecar"
	v.details.missing == ["cpu"]
}

# --- every container kind ---

test_init_container_denied if {
	spec := {"containers": [_c("app", _full)], "initContainers": [_c("migrate", {"cpu": "200m"})]}
	some v in violation with input as _review(_pod_spec(spec), {})
	v.details.path == "spec.initContainers[0]"
	v.details.field == "spec.initContainers[0].resources.limits"
	v.details.missing == ["memory"]
}

test_ephemeral_container_ignored if {
	spec := {"containers": [_c("app", _full)], "ephemeralContainers": [_bare("debug")]}
	count(violation) == 0 with input as _review(_pod_spec(spec), {})
}

test_one_violation_per_container if {
	spec := {"containers": [_bare("a"), _c("b", _full), _c("c", {"cpu": "1"})], "initContainers": [_bare("i")]}
	count(violation) == 3 with input as _review(_pod_spec(spec), {})
}

# --- workload controllers ---

test_controllers if {
	bad := {"containers": [_c("app", {"memory": "512Mi"})]}
	good := {"containers": [_c("app", _full)]}
	every kind in _controllers {
		count(violation) == 1 with input as _review(_templated(kind, bad), {})
		count(violation) == 0 with input as _review(_templated(kind, good), {})
	}
}

test_cronjob_denied if {
	some v in violation with input as _review(_cronjob({"containers": [_bare("report")]}), {})
	v.details.path == "spec.jobTemplate.spec.template.spec.containers[0]"
}

test_cronjob_allowed if {
	count(violation) == 0 with input as _review(_cronjob({"containers": [_c("report", _full)]}), {})
}

test_non_workload_ignored if {
	obj := {"kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}
	count(violation) == 0 with input as _review(obj, {})
}

# --- exemptions ---

test_exempt_image if {
	c := {"name": "pause", "image": "registry.k8s.io/pause:3.10"}
	count(violation) == 0 with input as _review(_pod([c]), {"exemptImages": ["registry.k8s.io/pause"]})
	count(violation) == 1 with input as _review(_pod([c]), {"exemptImages": ["ghcr.io/"]})
}

test_container_without_image_is_not_exempt if {
	count(violation) == 1 with input as _review(_pod([{"name": "app"}]), {"exemptImages": ["ghcr.io/*"]})
}

# --- messages ---

test_message_both_missing if {
	some v in violation with input as _review(_pod([_bare("app")]), {})
	v.msg == concat("", [
		`Pod web: container "app" (spec.containers[0]) has no cpu or memory limit; `,
		`set resources.limits.cpu and resources.limits.memory`,
	])
}

test_message_one_missing if {
	obj := _templated("Deployment", {"containers": [_c("api", {"cpu": "1"})]})
	some v in violation with input as _review(obj, {})
	v.msg == concat("", [
		`Deployment app: container "api" (spec.template.spec.containers[0]) has no memory limit; `,
		`set resources.limits.memory`,
	])
}

test_message_uses_generate_name if {
	obj := {"kind": "Pod", "metadata": {"generateName": "web-7d9f-"}, "spec": {"containers": [_bare("app")]}}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "Pod web-7d9f-<generated>:")
}
