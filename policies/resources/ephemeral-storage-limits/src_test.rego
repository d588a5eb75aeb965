package k8sephemeralstoragelimits

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

# _storage(limit, params): one Pod with one container whose ephemeral-storage limit is given.
_storage(limit, params) := _review(_pod([_c("app", {"ephemeral-storage": limit})]), params)

_controllers := ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"]

# --- the limit must be set ---

test_limit_set_allowed if count(violation) == 0 with input as _storage("2Gi", {})

test_no_resources_denied if count(violation) == 1 with input as _review(_pod([_bare("app")]), {})

test_cpu_and_memory_are_not_enough if {
	count(violation) == 1 with input as _review(_pod([_c("app", {"cpu": "1", "memory": "1Gi"})]), {})
}

test_request_is_not_a_limit if {
	c := {"name": "app", "image": "nginx:1.27", "resources": {"requests": {"ephemeral-storage": "1Gi"}}}
	count(violation) == 1 with input as _review(_pod([c]), {})
}

test_null_limit_is_missing if count(violation) == 1 with input as _storage(null, {})

test_numeric_limit if count(violation) == 0 with input as _storage(1073741824, {})

test_no_parameters_at_all if {
	count(violation) == 1 with input as {"review": {"object": _pod([_bare("app")])}}
	count(violation) == 0 with input as {"review": {"object": _pod([_c("app", {"ephemeral-storage": "500Ti"})])}}
}

# --- the optional maximum ---

test_under_maximum if count(violation) == 0 with input as _storage("1Gi", {"maxLimit": "2Gi"})

test_at_maximum_in_other_units if {
	count(violation) == 0 with input as _storage("2048Mi", {"maxLimit": "2Gi"})
	count(violation) == 0 with input as _storage("2097152Ki", {"maxLimit": "2Gi"})
	count(violation) == 0 with input as _storage(2147483648, {"maxLimit": "2Gi"})
}

test_above_maximum if {
	some v in violation with input as _storage("4Gi", {"maxLimit": "2Gi"})
	v.details.value == "4Gi"
}

test_binary_unit_is_larger_than_decimal if {
	count(violation) == 1 with input as _storage("10Gi", {"maxLimit": "10G"})
	count(violation) == 0 with input as _storage("10G", {"maxLimit": "10Gi"})
}

test_exponent_and_bytes if {
	count(violation) == 1 with input as _storage("3e9", {"maxLimit": "2Gi"})
	count(violation) == 0 with input as _storage("2e9", {"maxLimit": "2Gi"})
	count(violation) == 1 with input as _storage("2147483649", {"maxLimit": "2Gi"})
}

test_empty_maximum_is_no_maximum if {
	count(violation) == 0 with input as _storage("1Ti", {"maxLimit": ""})
	count(violation) == 0 with input as _storage("1Ti", {"maxLimit": null})
}

test_missing_limit_message_names_the_maximum if {
	some v in violation with input as _review(_pod([_bare("app")]), {"maxLimit": "2Gi"})
	v.msg == concat("", [
		`Pod web: container "app" (spec.containers[0]) has no ephemeral-storage limit; `,
		`set resources.limits.ephemeral-storage to at most 2Gi`,
	])
	v.details.value == null
}

# --- invalid quantities ---

test_invalid_limit_denied if {
	count(violation) == 1 with input as _storage("plenty", {})
	some v in violation with input as _storage("plenty", {"maxLimit": "2Gi"})
	contains(v.msg, "has an ephemeral-storage limit of plenty, which is not a quantity; set it to at most 2Gi")
}

test_invalid_maximum_reported_once_per_object if {
	obj := _pod([_c("a", {"ephemeral-storage": "1Gi"}), _c("b", {"ephemeral-storage": "1Gi"})])
	count(violation) == 1 with input as _review(obj, {"maxLimit": "big"})
	some v in violation with input as _review(obj, {"maxLimit": "big"})
	v.details == {"parameter": "maxLimit", "value": "big"}
	contains(v.msg, "Pod web: the constraint's maxLimit big is not a Kubernetes quantity")
}

test_invalid_maximum_ignores_non_workloads if {
	obj := {"kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}
	count(violation) == 0 with input as _review(obj, {"maxLimit": "big"})
}

# --- every container kind ---

test_init_container_without_limit_denied if {
	spec := {"containers": [_c("app", {"ephemeral-storage": "1Gi"})], "initContainers": [_bare("unpack")]}
	some v in violation with input as _review(_pod_spec(spec), {})
	v.details.path == "spec.initContainers[0]"
	v.details.field == "spec.initContainers[0].resources.limits.ephemeral-storage"
}

test_init_container_above_maximum_denied if {
	spec := {
		"containers": [_c("app", {"ephemeral-storage": "1Gi"})],
		"initContainers": [_c("unpack", {"ephemeral-storage": "20Gi"})],
	}
	count(violation) == 1 with input as _review(_pod_spec(spec), {"maxLimit": "5Gi"})
}

test_ephemeral_containers_ignored if {
	spec := {"containers": [_c("app", {"ephemeral-storage": "1Gi"})], "ephemeralContainers": [_bare("debug")]}
	count(violation) == 0 with input as _review(_pod_spec(spec), {})
}

test_one_violation_per_container if {
	spec := {"containers": [_bare("a"), _c("b", {"ephemeral-storage": "1Gi"}), _c("c", {"cpu": "1"})]}
	count(violation) == 2 with input as _review(_pod_spec(spec), {})
}

# --- workload controllers ---

test_controllers if {
	bad := {"containers": [_c("app", {"memory": "1Gi"})]}
	good := {"containers": [_c("app", {"ephemeral-storage": "1Gi"})]}
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
	obj := _cronjob({"containers": [_c("report", {"ephemeral-storage": "500Mi"})]})
	count(violation) == 0 with input as _review(obj, {"maxLimit": "1Gi"})
}

test_non_workload_ignored if {
	obj := {"kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}
	count(violation) == 0 with input as _review(obj, {})
}

# --- messages ---

test_message_without_maximum if {
	some v in violation with input as _review(_pod([_bare("app")]), {})
	v.msg == concat("", [
		`Pod web: container "app" (spec.containers[0]) has no ephemeral-storage limit; `,
		`set resources.limits.ephemeral-storage`,
	])
}

test_message_above_maximum if {
	obj := _templated("Deployment", {"containers": [_c("api", {"ephemeral-storage": "8Gi"})]})
	some v in violation with input as _review(obj, {"maxLimit": "4Gi"})
	v.msg == concat("", [
		`Deployment app: container "api" (spec.template.spec.containers[0]) has an ephemeral-storage limit of 8Gi, `,
		`above the maximum 4Gi; lower it to 4Gi or less`,
	])
}

test_message_uses_generate_name if {
	obj := {"kind": "Pod", "metadata": {"generateName": "web-7d9f-"}, "spec": {"containers": [_bare("app")]}}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "Pod web-7d9f-<generated>:")
}
