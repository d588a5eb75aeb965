package k8scapabilitiesdisallowed

import data.lib.images
import data.lib.objects
import data.lib.pods
import data.lib.security

# Capabilities that let a container reach the node or other workloads: mount and
# namespace tricks, kernel modules, raw devices and sockets, tracing, eBPF,
# bypassing file permissions or the LSM, the clock and reboots.
default_disallowed := [
	"ALL", "SYS_ADMIN", "NET_ADMIN", "NET_RAW", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO",
	"SYS_BOOT", "SYS_TIME", "BPF", "PERFMON", "DAC_READ_SEARCH", "MAC_ADMIN", "MAC_OVERRIDE",
]

disallowed_parameter := object.get(input, ["parameters", "disallowedCapabilities"], default_disallowed)

# Parameters are normalised like the container's list: upper case, no "CAP_".
disallowed contains normalize(cap) if some cap in disallowed_parameter

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	not exempt(entry.container)
	forbidden := sort([cap | some cap in security.capabilities_added(entry.container); denied(cap)])
	count(forbidden) > 0
	details := {"container": entry.name, "path": entry.path, "capabilities": forbidden}
	msg := sprintf(
		"%s %s: container %q (%s) adds disallowed capabilities %v; remove them from securityContext.capabilities.add",
		[obj.kind, objects.name(obj), entry.name, entry.path, forbidden],
	)
}

denied(cap) if cap in disallowed

# "*" in the parameter disallows adding any capability.
denied(_) if "*" in disallowed

# Adding ALL grants every capability, the disallowed ones included.
denied("ALL") if count(disallowed) > 0

normalize(cap) := upper(trim_prefix(upper(cap), "CAP_"))

exempt(container) if images.matches_prefix(container.image, object.get(input, ["parameters", "exemptImages"], []))
