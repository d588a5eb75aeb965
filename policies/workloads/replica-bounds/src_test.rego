package k8sreplicabounds

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_spec := {
	"selector": {"matchLabels": {"app": "a"}},
	"template": {"spec": {"containers": [{"name": "a", "image": "a"}]}},
}

_workload(kind, replicas) := {
	"kind": kind,
	"metadata": {"name": "w"},
	"spec": object.union(_spec, {"replicas": replicas}),
}

_unset(kind) := {"kind": kind, "metadata": {"name": "w"}, "spec": _spec}

_bounds(low, high) := {"minReplicas": low, "maxReplicas": high}

test_default_bounds_allow_one_to_hundred if {
	every n in [1, 2, 50, 100] {
		count(violation) == 0 with input as _review(_workload("Deployment", n), {})
	}
}

test_default_minimum_denies_zero if {
	count(violation) == 1 with input as _review(_workload("Deployment", 0), {})
}

test_default_maximum_denies_above_hundred if {
	count(violation) == 1 with input as _review(_workload("Deployment", 101), {})
}

test_unset_replicas_is_one if {
	count(violation) == 0 with input as _review(_unset("Deployment"), {})
	count(violation) == 1 with input as _review(_unset("Deployment"), _bounds(2, 10))
}

test_null_replicas_is_one if {
	count(violation) == 1 with input as _review(_workload("Deployment", null), _bounds(2, 10))
}

test_below_minimum_denied if {
	some v in violation with input as _review(_workload("Deployment", 1), _bounds(2, 10))
	v.details == {"replicas": 1, "minReplicas": 2, "maxReplicas": 10}
}

test_at_bounds_allowed if {
	count(violation) == 0 with input as _review(_workload("Deployment", 2), _bounds(2, 10))
	count(violation) == 0 with input as _review(_workload("Deployment", 10), _bounds(2, 10))
}

test_above_maximum_denied if {
	some v in violation with input as _review(_workload("Deployment", 11), _bounds(2, 10))
	v.details.replicas == 11
}

test_minimum_only_keeps_default_maximum if {
	params := {"minReplicas": 3}
	count(violation) == 0 with input as _review(_workload("Deployment", 3), params)
	count(violation) == 1 with input as _review(_workload("Deployment", 2), params)
	count(violation) == 1 with input as _review(_workload("Deployment", 150), params)
}

test_maximum_only_keeps_default_minimum if {
	params := {"maxReplicas": 5}
	count(violation) == 0 with input as _review(_unset("Deployment"), params)
	count(violation) == 1 with input as _review(_workload("Deployment", 6), params)
}

test_every_scaled_kind_checked if {
	every kind in ["Deployment", "StatefulSet", "ReplicaSet"] {
		count(violation) == 1 with input as _review(_workload(kind, 1), _bounds(3, 5))
		count(violation) == 0 with input as _review(_workload(kind, 4), _bounds(3, 5))
	}
}

test_other_kinds_ignored if {
	every kind in ["DaemonSet", "Job", "CronJob", "Pod", "HorizontalPodAutoscaler"] {
		count(violation) == 0 with input as _review(_workload(kind, 0), _bounds(3, 5))
	}
}

test_no_parameters_key if {
	count(violation) == 1 with input as {"review": {"object": _workload("StatefulSet", 0)}}
}

test_message_below_minimum if {
	some v in violation with input as _review(_unset("Deployment"), _bounds(2, 10))
	v.msg == concat("", [
		"Deployment w: spec.replicas is unset (defaults to 1), below the minimum of 2; ",
		"set spec.replicas to at least 2",
	])
}

test_message_above_maximum if {
	some v in violation with input as _review(_workload("StatefulSet", 12), _bounds(2, 10))
	v.msg == "StatefulSet w: spec.replicas is 12, above the maximum of 10; set spec.replicas to at most 10"
}

test_fixed_replica_count if {
	params := _bounds(3, 3)
	count(violation) == 0 with input as _review(_workload("StatefulSet", 3), params)
	count(violation) == 1 with input as _review(_workload("StatefulSet", 2), params)
	count(violation) == 1 with input as _review(_workload("StatefulSet", 4), params)
}

test_zero_minimum_allows_scale_to_zero if {
	count(violation) == 0 with input as _review(_workload("Deployment", 0), _bounds(0, 10))
}

test_message_names_replicaset if {
	some v in violation with input as _review(_workload("ReplicaSet", 0), {})
	startswith(v.msg, "ReplicaSet w: spec.replicas is 0, below the minimum of 1;")
}

test_generate_name_still_denied if {
	obj := {"kind": "ReplicaSet", "metadata": {"generateName": "web-"}, "spec": object.union(_spec, {"replicas": 0})}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "ReplicaSet web-<generated>: ")
}

test_missing_metadata_still_denied if {
	count(violation) == 1 with input as _review({"kind": "Deployment", "spec": {"replicas": 0}}, {})
}
