package k8scapabilitiesdropall

import data.lib.images
import data.lib.objects
import data.lib.pods
import data.lib.security

# The restricted profile lets a container add back only NET_BIND_SERVICE.
default_allowed := ["NET_BIND_SERVICE"]

# allowed_capabilities is the parameter list spelled like the lib's normalised sets
# (upper case, no "CAP_" prefix), so "cap_net_bind_service" matches too.
allowed_capabilities contains upper(trim_prefix(upper(cap), "CAP_")) if {
	some cap in object.get(input, ["parameters", "allowedCapabilities"], default_allowed)
}

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	not windows_pod(obj)
	some entry in pods.containers(obj)
	not "ALL" in security.capabilities_dropped(entry.container)
	not exempt(entry.container)
	dropped := sort(security.capabilities_dropped(entry.container))
	msg := sprintf(
		"%s %s: container %q (%s) does not drop ALL capabilities (drops %s); add %q to securityContext.capabilities.drop",
		[obj.kind, objects.name(obj), entry.name, entry.path, names_text(dropped), "ALL"],
	)
	details := {"container": entry.name, "path": entry.path, "dropped": dropped}
}

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	not windows_pod(obj)
	some entry in pods.containers(obj)
	extra := security.capabilities_added(entry.container) - allowed_capabilities
	count(extra) > 0
	not exempt(entry.container)
	added := sort(extra)
	allowed_list := sort(allowed_capabilities)
	msg := sprintf(
		"%s %s: container %q (%s) adds capabilities %s, allowed are %s; remove them from securityContext.capabilities.add",
		[obj.kind, objects.name(obj), entry.name, entry.path, names_text(added), names_text(allowed_list)],
	)
	details := {"container": entry.name, "path": entry.path, "added": added}
}

names_text([]) := "none"

names_text(names) := concat(", ", names) if count(names) > 0

exempt(container) if images.matches_prefix(container.image, object.get(input, ["parameters", "exemptImages"], []))

# Capabilities are Linux-only: the API server rejects them on Windows pods
# (spec.os.name: windows), and the Pod Security Standards exempt them from this control.
windows_pod(obj) if pods.pod_spec(obj).os.name == "windows"
