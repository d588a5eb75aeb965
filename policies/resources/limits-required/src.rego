package k8slimitsrequired

import data.lib.images
import data.lib.objects
import data.lib.pods

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in resource_containers(obj)
	not exempt(entry.container)
	missing := [name | some name in required; not limited(obj, entry.container, name)]
	count(missing) > 0
	msg := sprintf(
		"%s %s: container %q (%s) has no %s limit; set %s",
		[obj.kind, objects.name(obj), entry.name, entry.path, concat(" or ", missing), fields(missing)],
	)
	details := {
		"container": entry.name,
		"path": entry.path,
		"field": sprintf("%s.resources.limits", [entry.path]),
		"missing": missing,
	}
}

required := object.get(input, ["parameters", "resources"], ["cpu", "memory"])

# Ephemeral (debug) containers are left out: the API server forbids resources on them, so
# requiring limits there could never be satisfied.
resource_containers(obj) := [entry |
	some entry in pods.containers(obj)
	entry.field != "ephemeralContainers"
]

limited(_, container, name) if object.get(container, ["resources", "limits", name], null) != null

# A pod-level limit (spec.resources.limits) caps every container of the pod together.
limited(obj, _, name) if object.get(pods.pod_spec(obj), ["resources", "limits", name], null) != null

fields(names) := concat(" and ", [sprintf("resources.limits.%s", [name]) | some name in names])

exempt(container) if images.matches_prefix(container.image, object.get(input, ["parameters", "exemptImages"], []))
