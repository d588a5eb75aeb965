package k8smaxlimits

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

# _c(name, limits): a container with the given resources.limits.
_c(name, limits) := {"name": name, "image": "ghcr.io/acme/app:1.0", "resources": {"limits": limits}}

_bare(name) := {"name": name, "image": "ghcr.io/acme/app:1.0"}

_pod(containers) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": containers}}

_pod_spec(spec) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": spec}

_templated(kind, spec) := {"kind": kind, "metadata": {"name": "app"}, "spec": {"template": {"spec": spec}}}

_cronjob(spec) := {
	"kind": "CronJob",
	"metadata": {"name": "nightly"},
	"spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

_max := {"cpu": "2", "memory": "4Gi"}

# _limits(limits, params): one Pod with one container limited as given.
_limits(limits, params) := _review(_pod([_c("app", limits)]), params)

_controllers := ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"]

# --- cpu quantities ---

test_cpu_under_maximum if count(violation) == 0 with input as _limits({"cpu": "500m"}, _max)

test_cpu_at_maximum if count(violation) == 0 with input as _limits({"cpu": "2"}, _max)

test_cpu_millicores_at_maximum if count(violation) == 0 with input as _limits({"cpu": "2000m"}, _max)

test_cpu_above_maximum if count(violation) == 1 with input as _limits({"cpu": "2500m"}, _max)

test_cpu_fraction if {
	count(violation) == 0 with input as _limits({"cpu": "1.5"}, _max)
	count(violation) == 1 with input as _limits({"cpu": "2.1"}, _max)
}

test_cpu_millicores_below_one_core if {
	count(violation) == 0 with input as _limits({"cpu": "500m"}, {"cpu": "1"})
	count(violation) == 1 with input as _limits({"cpu": "1001m"}, {"cpu": "1"})
}

test_cpu_number if {
	count(violation) == 0 with input as _limits({"cpu": 2}, _max)
	count(violation) == 1 with input as _limits({"cpu": 3}, _max)
}

test_cpu_exponent if {
	count(violation) == 0 with input as _limits({"cpu": "2e3m"}, _max)
	count(violation) == 1 with input as _limits({"cpu": "3e3m"}, _max)
	count(violation) == 1 with input as _limits({"cpu": "1e1"}, _max)
}

test_cpu_micro_and_nano_units if {
	count(violation) == 0 with input as _limits({"cpu": "250000u"}, {"cpu": "250m"})
	count(violation) == 1 with input as _limits({"cpu": "250001u"}, {"cpu": "250m"})
	count(violation) == 0 with input as _limits({"cpu": "2000000000n"}, _max)
	count(violation) == 1 with input as _limits({"cpu": "2000000001n"}, _max)
}

test_maximum_in_millicores if count(violation) == 1 with input as _limits({"cpu": "1"}, {"cpu": "750m"})

# --- memory quantities ---

test_memory_under_maximum if count(violation) == 0 with input as _limits({"memory": "512Mi"}, _max)

test_memory_at_maximum_in_other_units if {
	count(violation) == 0 with input as _limits({"memory": "4096Mi"}, _max)
	count(violation) == 0 with input as _limits({"memory": "4194304Ki"}, _max)
	count(violation) == 0 with input as _limits({"memory": 4294967296}, _max)
}

test_binary_unit_is_larger_than_decimal if {
	count(violation) == 1 with input as _limits({"memory": "1Gi"}, {"memory": "1G"})
	count(violation) == 0 with input as _limits({"memory": "1G"}, {"memory": "1Gi"})
}

test_decimal_units if {
	count(violation) == 0 with input as _limits({"memory": "4G"}, _max)
	count(violation) == 1 with input as _limits({"memory": "5G"}, _max)
	count(violation) == 1 with input as _limits({"memory": "4295M"}, _max)
}

test_memory_in_bytes_and_exponent if {
	count(violation) == 1 with input as _limits({"memory": "4294967297"}, _max)
	count(violation) == 1 with input as _limits({"memory": "5e9"}, _max)
	count(violation) == 0 with input as _limits({"memory": "4e9"}, _max)
}

test_larger_units if {
	count(violation) == 1 with input as _limits({"memory": "1Ti"}, _max)
	count(violation) == 1 with input as _limits({"memory": "0.5Ti"}, {"memory": "500Gi"})
}

test_both_above if count(violation) == 2 with input as _limits({"cpu": "4", "memory": "8Gi"}, _max)

# --- what is not this policy's business ---

test_missing_limits_allowed if {
	count(violation) == 0 with input as _review(_pod([_bare("app")]), _max)
	count(violation) == 0 with input as _limits({}, _max)
}

test_requests_are_not_limits if {
	c := {"name": "app", "image": "nginx:1.27", "resources": {"requests": {"cpu": "8", "memory": "16Gi"}}}
	count(violation) == 0 with input as _review(_pod([c]), _max)
}

test_null_limit_ignored if count(violation) == 0 with input as _limits({"cpu": null}, _max)

test_other_resources_ignored if count(violation) == 0 with input as _limits({"ephemeral-storage": "100Gi"}, _max)

# --- parameters ---

test_only_cpu_maximum if {
	count(violation) == 0 with input as _limits({"cpu": "1", "memory": "64Gi"}, {"cpu": "2"})
	count(violation) == 1 with input as _limits({"cpu": "3", "memory": "64Gi"}, {"cpu": "2"})
}

test_only_memory_maximum if {
	count(violation) == 0 with input as _limits({"cpu": "64", "memory": "1Gi"}, {"memory": "2Gi"})
}

test_empty_parameter_is_no_maximum if {
	count(violation) == 0 with input as _limits({"cpu": "64", "memory": "1Ti"}, {"cpu": "", "memory": null})
}

test_no_parameters_at_all if {
	count(violation) == 0 with input as {"review": {"object": _pod([_c("app", {"cpu": "64"})])}}
}

test_numeric_maximum if count(violation) == 1 with input as _limits({"cpu": "3"}, {"cpu": 2})

test_invalid_limit_denied if {
	some v in violation with input as _limits({"memory": "lots"}, _max)
	contains(v.msg, "has a memory limit of lots, which is not a quantity; set resources.limits.memory to 4Gi or less")
}

test_invalid_maximum_reported_once_per_object if {
	count(violation) == 1 with input as _review(_pod([_c("a", {"cpu": "1"}), _c("b", {"cpu": "1"})]), {"cpu": "two"})
	some v in violation with input as _review(_pod([_c("a", {"cpu": "1"}), _c("b", {"cpu": "1"})]), {"cpu": "two"})
	v.details == {"parameter": "cpu", "value": "two"}
	contains(v.msg, `Pod web: the constraint's maximum cpu limit two is not a Kubernetes quantity such as 2, 500m or 4Gi`)
}

test_invalid_maximum_ignores_non_workloads if {
	obj := {"kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}
	count(violation) == 0 with input as _review(obj, {"cpu": "two"})
}

# --- every container kind and workload ---

test_init_container_denied if {
	spec := {"containers": [_c("app", {"cpu": "1"})], "initContainers": [_c("warmup", {"cpu": "4"})]}
	some v in violation with input as _review(_pod_spec(spec), _max)
	v.details.path == "spec.initContainers[0]"
	v.details.field == "spec.initContainers[0].resources.limits.cpu"
	v.details.value == "4"
	v.details.maximum == "2"
}

test_ephemeral_containers_have_no_limits if {
	spec := {"containers": [_c("app", {"cpu": "1"})], "ephemeralContainers": [_bare("debug")]}
	count(violation) == 0 with input as _review(_pod_spec(spec), _max)
}

test_every_offending_container_reported if {
	spec := {"containers": [_c("a", {"cpu": "3"}), _c("b", {"cpu": "1"}), _c("c", {"memory": "6Gi"})]}
	count(violation) == 2 with input as _review(_pod_spec(spec), _max)
}

test_controllers if {
	bad := {"containers": [_c("app", {"memory": "16Gi"})]}
	good := {"containers": [_c("app", {"memory": "2Gi"})]}
	every kind in _controllers {
		count(violation) == 1 with input as _review(_templated(kind, bad), _max)
		count(violation) == 0 with input as _review(_templated(kind, good), _max)
	}
}

test_cronjob_denied if {
	some v in violation with input as _review(_cronjob({"containers": [_c("report", {"cpu": "8"})]}), _max)
	v.details.path == "spec.jobTemplate.spec.template.spec.containers[0]"
}

test_cronjob_allowed if {
	count(violation) == 0 with input as _review(_cronjob({"containers": [_c("report", {"cpu": "1"})]}), _max)
}

# --- messages ---

test_message if {
	some v in violation with input as _limits({"memory": "8Gi"}, _max)
	v.msg == concat("", [
		`Pod web: container "app" (spec.containers[0]) has a memory limit of 8Gi, above the maximum 4Gi; `,
		`lower resources.limits.memory to 4Gi or less`,
	])
}

test_message_uses_generate_name if {
	obj := {"kind": "Pod", "metadata": {"generateName": "web-7d9f-"}, "spec": {"containers": [_c("app", {"cpu": "3"})]}}
	some v in violation with input as _review(obj, _max)
	startswith(v.msg, "Pod web-7d9f-<generated>:")
}
