package k8sprivilegedcontainers

import data.lib.images
import data.lib.pods

violation contains {"msg": msg, "details": {"container": entry.name, "path": entry.path}} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	entry.container.securityContext.privileged == true
	not exempt(entry.container)
	msg := sprintf(
		"%s %s: container %q (%s) must not run privileged; remove securityContext.privileged or set it to false",
		[obj.kind, object_name(obj), entry.name, entry.path],
	)
}

# Objects created with generateName have no name until the API server assigns one; a
# message built from a missing name would make the whole violation undefined.
object_name(obj) := object.get(obj, ["metadata", "name"], object.get(obj, ["metadata", "generateName"], "<unnamed>"))

exempt(container) if images.matches_prefix(container.image, object.get(input, ["parameters", "exemptImages"], []))
