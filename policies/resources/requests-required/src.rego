package k8srequestsrequired

import data.lib.images
import data.lib.objects
import data.lib.pods

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in resource_containers(obj)
	not exempt(entry.container)
	missing := [name | some name in required; not requested(obj, entry.container, name)]
	count(missing) > 0
	msg := sprintf(
		"%s %s: container %q (%s) has no %s request; set %s",
		[obj.kind, objects.name(obj), entry.name, entry.path, concat(" or ", missing), fields(missing)],
	)
	details := {
		"container": entry.name,
		"path": entry.path,
		"field": sprintf("%s.resources.requests", [entry.path]),
		"missing": missing,
	}
}

required := object.get(input, ["parameters", "resources"], ["cpu", "memory"])

# Ephemeral (debug) containers are left out: the API server forbids resources on them, so
# requiring requests there could never be satisfied.
resource_containers(obj) := [entry |
	some entry in pods.containers(obj)
	entry.field != "ephemeralContainers"
]

# Only a declared request counts, not a limit: the API server copies a limit into a
# missing request on Pods but never on pod templates, so the request is asked for where
# the workload is written. (A live Pod with only limits arrives here already defaulted.)
requested(_, container, name) if object.get(container, ["resources", "requests", name], null) != null

# A pod-level request (spec.resources.requests) covers all containers of the pod together.
requested(obj, _, name) if object.get(pods.pod_spec(obj), ["resources", "requests", name], null) != null

fields(names) := concat(" and ", [sprintf("resources.requests.%s", [name]) | some name in names])

exempt(container) if images.matches_prefix(container.image, object.get(input, ["parameters", "exemptImages"], []))
