package k8sprivilegedcontainers

import data.lib.images
import data.lib.objects
import data.lib.pods

violation contains {"msg": msg, "details": {"container": entry.name, "path": entry.path}} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	entry.container.securityContext.privileged == true
	not exempt(entry.container)
	msg := sprintf(
		"%s %s: container %q (%s) must not run privileged; remove securityContext.privileged or set it to false",
		[obj.kind, objects.name(obj), entry.name, entry.path],
	)
}

exempt(container) if images.matches_prefix(container.image, object.get(input, ["parameters", "exemptImages"], []))
