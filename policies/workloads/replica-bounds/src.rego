package k8sreplicabounds

import data.lib.objects

scaled_kinds := {"Deployment", "StatefulSet", "ReplicaSet"}

min_replicas := object.get(input, ["parameters", "minReplicas"], 1)

max_replicas := object.get(input, ["parameters", "maxReplicas"], 100)

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	obj.kind in scaled_kinds
	wanted := replicas(obj)
	wanted < min_replicas
	msg := sprintf(
		"%s %s: spec.replicas is %s, below the minimum of %d; set spec.replicas to at least %d",
		[obj.kind, objects.name(obj), describe(obj), min_replicas, min_replicas],
	)
	details := {"replicas": wanted, "minReplicas": min_replicas, "maxReplicas": max_replicas}
}

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	obj.kind in scaled_kinds
	wanted := replicas(obj)
	wanted > max_replicas
	msg := sprintf(
		"%s %s: spec.replicas is %s, above the maximum of %d; set spec.replicas to at most %d",
		[obj.kind, objects.name(obj), describe(obj), max_replicas, max_replicas],
	)
	details := {"replicas": wanted, "minReplicas": min_replicas, "maxReplicas": max_replicas}
}

# replicas(obj) is the desired replica count; the API server defaults a missing spec.replicas to 1.
replicas(obj) := obj.spec.replicas if is_number(obj.spec.replicas)

replicas(obj) := 1 if not is_number(object.get(obj, ["spec", "replicas"], null))

describe(obj) := sprintf("%d", [obj.spec.replicas]) if is_number(obj.spec.replicas)

describe(obj) := "unset (defaults to 1)" if not is_number(object.get(obj, ["spec", "replicas"], null))
