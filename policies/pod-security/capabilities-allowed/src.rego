package k8scapabilitiesallowed

import data.lib.images
import data.lib.objects
import data.lib.pods
import data.lib.security

# The capabilities the Pod Security Standards baseline lets a container add: the
# container runtime's default set, less NET_RAW.
baseline_capabilities := [
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
]

# Parameters are normalised like the container's list: upper case, no "CAP_".
# "*" in the list allows every capability.
allowed contains normalize(cap) if some cap in allowed_parameter

allowed_parameter := object.get(input, ["parameters", "allowedCapabilities"], baseline_capabilities)

violation contains {"msg": msg, "details": details} if {
	not "*" in allowed
	obj := input.review.object
	some entry in pods.containers(obj)
	not exempt(entry.container)
	forbidden := sort(security.capabilities_added(entry.container) - allowed)
	count(forbidden) > 0
	details := {"container": entry.name, "path": entry.path, "capabilities": forbidden, "allowed": sort(allowed)}
	msg := sprintf(
		"%s %s: container %q (%s) adds capabilities %v that are not allowed; %s",
		[obj.kind, objects.name(obj), entry.name, entry.path, forbidden, remedy],
	)
}

normalize(cap) := upper(trim_prefix(upper(cap), "CAP_"))

remedy := "remove securityContext.capabilities.add" if count(allowed) == 0

remedy := sprintf("remove them from securityContext.capabilities.add (allowed: %v)", [sort(allowed)]) if {
	count(allowed) > 0
}

exempt(container) if images.matches_prefix(container.image, object.get(input, ["parameters", "exemptImages"], []))
