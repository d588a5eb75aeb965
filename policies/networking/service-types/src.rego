package k8sdisallowedservicetypes

import data.lib.objects

# A Service without spec.type is a ClusterIP Service (the API server defaults it), so the
# type is read with that default: a constraint that disallows ClusterIP still catches it.
# Types are compared case-insensitively so that "nodeport" in a constraint still means NodePort.

violation contains {"msg": msg, "details": {"type": type}} if {
	obj := input.review.object
	obj.kind == "Service"
	type := object.get(obj, ["spec", "type"], "ClusterIP")
	_disallowed(type)
	msg := sprintf(
		"Service %s: spec.type %s is not allowed (disallowed types: %s); %s",
		[objects.name(obj), type, concat(", ", _disallowed_types), _advice],
	)
}

_disallowed_types := object.get(input, ["parameters", "disallowedTypes"], ["LoadBalancer", "NodePort"])

_disallowed(type) if {
	some disallowed in _disallowed_types
	lower(type) == lower(disallowed)
}

# The usual replacement for an exposing type is a ClusterIP Service behind an Ingress or
# Gateway, unless ClusterIP is itself disallowed.
default _advice := "use type ClusterIP and expose the workload through an Ingress or Gateway"

_advice := "change spec.type to a type the constraint allows" if _disallowed("ClusterIP")
