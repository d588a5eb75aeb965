package k8srunasnonroot

import data.lib.images
import data.lib.objects
import data.lib.pods
import data.lib.security

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	not runs_as_non_root(obj, entry.container)
	not exempt(entry.container)
	source := origin(obj, entry.container)
	value := effective_or_null(obj, entry.container)
	msg := sprintf(
		"%s %s: container %q (%s) %s; set securityContext.runAsNonRoot to true on the container or in %s.securityContext",
		[obj.kind, objects.name(obj), entry.name, entry.path, reason(source, value), pods.spec_path(obj)],
	)
	details := {"container": entry.name, "path": entry.path, "source": source, "value": value}
}

# The container's runAsNonRoot overrides the pod's; only an effective true passes, so the
# kubelet refuses to start the container when its image would run as uid 0.
runs_as_non_root(obj, container) if security.effective(obj, container, "runAsNonRoot") == true

effective_or_null(obj, container) := security.effective(obj, container, "runAsNonRoot")

effective_or_null(obj, container) := null if origin(obj, container) == "unset"

# origin(obj, container) says where the effective value comes from, for the message.
origin(_, container) := "container" if sets(container)

origin(obj, container) := "pod" if {
	not sets(container)
	sets(pods.pod_spec(obj))
}

origin(obj, container) := "unset" if {
	not sets(container)
	not sets(pods.pod_spec(obj))
}

# sets(x) holds when x (a container or a pod spec) sets runAsNonRoot, even to false.
sets(x) if _ = x.securityContext.runAsNonRoot

reason("container", value) := sprintf("sets runAsNonRoot to %v", [value])

reason("pod", value) := sprintf("inherits runAsNonRoot %v from the pod securityContext", [value])

reason("unset", _) := "does not set runAsNonRoot and neither does the pod"

exempt(container) if images.matches_prefix(container.image, object.get(input, ["parameters", "exemptImages"], []))
