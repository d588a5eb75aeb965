package k8slimitrequestratio

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

# _c(name, limits, requests): a container with the given resources.
_c(name, limits, requests) := {
	"name": name,
	"image": "ghcr.io/acme/app:1.0",
	"resources": {"limits": limits, "requests": requests},
}

_pod(containers) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": containers}}

_pod_spec(spec) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": spec}

_templated(kind, spec) := {"kind": kind, "metadata": {"name": "app"}, "spec": {"template": {"spec": spec}}}

_cronjob(spec) := {
	"kind": "CronJob",
	"metadata": {"name": "nightly"},
	"spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

# _cpu(limit, request, params): one Pod with one container's cpu limit and request.
_cpu(limit, request, params) := _review(_pod([_c("app", {"cpu": limit}, {"cpu": request})]), params)

_mem(limit, request, params) := _review(_pod([_c("app", {"memory": limit}, {"memory": request})]), params)

_controllers := ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"]

# --- cpu ratios, default maxRatio 2 ---

test_equal_limit_and_request if count(violation) == 0 with input as _cpu("1", "1", {})

test_ratio_at_default_maximum if count(violation) == 0 with input as _cpu("1", "500m", {})

test_ratio_above_default_maximum if count(violation) == 1 with input as _cpu("2", "500m", {})

test_millicores_on_both_sides if {
	count(violation) == 0 with input as _cpu("300m", "150m", {})
	count(violation) == 1 with input as _cpu("301m", "150m", {})
}

test_cores_and_millicores if {
	count(violation) == 0 with input as _cpu("1.5", "750m", {})
	count(violation) == 1 with input as _cpu(2, "999m", {})
}

test_micro_and_nano_units if {
	count(violation) == 0 with input as _cpu("500000u", "250000000n", {})
	count(violation) == 1 with input as _cpu("500001u", "250000000n", {})
}

test_exponent if count(violation) == 1 with input as _cpu("2e3m", "500m", {})

# --- memory ratios ---

test_memory_binary_units if {
	count(violation) == 0 with input as _mem("1Gi", "512Mi", {})
	count(violation) == 1 with input as _mem("1Gi", "511Mi", {})
}

test_memory_mixed_binary_and_decimal if {
	# 2Gi is 2147483648 bytes, just over twice 1G (1000000000 bytes).
	count(violation) == 1 with input as _mem("2Gi", "1G", {})
	count(violation) == 0 with input as _mem("2G", "1G", {})
}

test_memory_bytes if count(violation) == 1 with input as _mem("3000000000", "1G", {})

# --- zero requests ---

test_zero_request_with_limit_is_unbounded if {
	some v in violation with input as _cpu("100m", "0", {})
	v.details.ratio == "unbounded"
	contains(v.msg, "has a cpu limit of 100m over a request of 0, above the maximum 2x")
}

test_zero_limit_and_request if count(violation) == 0 with input as _cpu("0", "0m", {})

# --- only when both are set ---

test_limit_only_ignored if {
	c := {"name": "app", "image": "nginx:1.27", "resources": {"limits": {"cpu": "8", "memory": "8Gi"}}}
	count(violation) == 0 with input as _review(_pod([c]), {})
}

test_request_only_ignored if {
	c := {"name": "app", "image": "nginx:1.27", "resources": {"requests": {"cpu": "100m"}}}
	count(violation) == 0 with input as _review(_pod([c]), {})
}

test_no_resources_ignored if count(violation) == 0 with input as _review(_pod([{"name": "app", "image": "nginx"}]), {})

test_null_values_ignored if count(violation) == 0 with input as _cpu(null, "100m", {})

test_pairs_are_per_resource if {
	c := _c("app", {"cpu": "4"}, {"memory": "1Gi"})
	count(violation) == 0 with input as _review(_pod([c]), {})
}

# --- parameters ---

test_custom_max_ratio if {
	count(violation) == 0 with input as _cpu("4", "1", {"maxRatio": 4})
	count(violation) == 1 with input as _cpu("4100m", "1", {"maxRatio": 4})
}

test_fractional_max_ratio if {
	count(violation) == 0 with input as _mem("1536Mi", "1Gi", {"maxRatio": 1.5})
	count(violation) == 1 with input as _mem("1537Mi", "1Gi", {"maxRatio": 1.5})
}

test_max_ratio_one_means_limits_equal_requests if {
	count(violation) == 0 with input as _mem("1Gi", "1024Mi", {"maxRatio": 1})
	count(violation) == 1 with input as _mem("1Gi", "1000Mi", {"maxRatio": 1})
}

test_max_ratio_as_string if count(violation) == 1 with input as _cpu("4", "1", {"maxRatio": "3"})

test_resources_parameter if {
	c := _c(
		"app",
		{"cpu": "8", "memory": "8Gi", "ephemeral-storage": "10Gi"},
		{"cpu": "1", "memory": "1Gi", "ephemeral-storage": "1Gi"},
	)
	count(violation) == 3 with input as _review(_pod([c]), {"resources": ["cpu", "memory", "ephemeral-storage"]})
	some v in violation with input as _review(_pod([c]), {"resources": ["ephemeral-storage"]})
	v.details.field == "spec.containers[0].resources.limits.ephemeral-storage"
}

test_memory_only if {
	c := _c("app", {"cpu": "8", "memory": "1Gi"}, {"cpu": "1", "memory": "1Gi"})
	count(violation) == 0 with input as _review(_pod([c]), {"resources": ["memory"]})
}

test_no_parameters_at_all if {
	count(violation) == 1 with input as {"review": {"object": _pod([_c("app", {"cpu": "3"}, {"cpu": "1"})])}}
}

# --- invalid quantities ---

test_invalid_limit_reported if {
	some v in violation with input as _cpu("lots", "1", {})
	contains(v.msg, "has a cpu limit of lots, which is not a quantity")
	v.details.ratio == null
}

test_invalid_request_reported if {
	some v in violation with input as _mem("1Gi", "some", {})
	contains(v.msg, "has a memory request of some, which is not a quantity")
}

# --- every container kind and workload ---

test_init_container_denied if {
	spec := {
		"containers": [_c("app", {"cpu": "1"}, {"cpu": "1"})],
		"initContainers": [_c("warmup", {"cpu": "4"}, {"cpu": "100m"})],
	}
	some v in violation with input as _review(_pod_spec(spec), {})
	v.details.path == "spec.initContainers[0]"
	v.details.ratio == 40
}

test_every_offending_container_and_resource if {
	spec := {"containers": [
		_c("a", {"cpu": "4", "memory": "4Gi"}, {"cpu": "1", "memory": "1Gi"}),
		_c("b", {"cpu": "1"}, {"cpu": "1"}),
		_c("c", {"memory": "3Gi"}, {"memory": "1Gi"}),
	]}
	count(violation) == 3 with input as _review(_pod_spec(spec), {})
}

test_controllers if {
	bad := {"containers": [_c("app", {"memory": "4Gi"}, {"memory": "1Gi"})]}
	good := {"containers": [_c("app", {"memory": "2Gi"}, {"memory": "1Gi"})]}
	every kind in _controllers {
		count(violation) == 1 with input as _review(_templated(kind, bad), {})
		count(violation) == 0 with input as _review(_templated(kind, good), {})
	}
}

test_cronjob_denied if {
	some v in violation with input as _review(_cronjob({"containers": [_c("report", {"cpu": "3"}, {"cpu": "1"})]}), {})
	v.details.path == "spec.jobTemplate.spec.template.spec.containers[0]"
}

test_cronjob_allowed if {
	count(violation) == 0 with input as _review(_cronjob({"containers": [_c("report", {"cpu": "2"}, {"cpu": "1"})]}), {})
}

test_non_workload_ignored if {
	obj := {"kind": "LimitRange", "metadata": {"name": "lr"}, "spec": {"limits": [{"type": "Container"}]}}
	count(violation) == 0 with input as _review(obj, {})
}

# --- messages ---

test_message if {
	some v in violation with input as _cpu("2", "500m", {})
	v.msg == concat("", [
		`Pod web: container "app" (spec.containers[0]) has a cpu limit of 2 that is 4x its request of 500m, `,
		`above the maximum 2x; raise resources.requests.cpu or lower resources.limits.cpu so the limit is at most `,
		`2x the request`,
	])
	v.details.ratio == 4
	v.details.maxRatio == 2
}

test_message_rounds_the_ratio if {
	some v in violation with input as _mem("1Gi", "300Mi", {})
	contains(v.msg, "that is 3.41x its request of 300Mi")
}

test_message_uses_generate_name if {
	c := _c("app", {"cpu": "3"}, {"cpu": "1"})
	obj := {"kind": "Pod", "metadata": {"generateName": "web-7d9f-"}, "spec": {"containers": [c]}}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "Pod web-7d9f-<generated>:")
}
