package k8ssysctls

import data.lib.objects
import data.lib.pods

# The Pod Security Standards baseline "safe" set (Kubernetes 1.32+): sysctls that
# are namespaced per pod and isolated from other pods on the node.
safe_sysctls := [
	"kernel.shm_rmid_forced",
	"net.ipv4.ip_local_port_range",
	"net.ipv4.ip_local_reserved_ports",
	"net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.ping_group_range",
	"net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
	"net.ipv4.tcp_keepalive_time",
	"net.ipv4.tcp_rmem",
	"net.ipv4.tcp_syncookies",
	"net.ipv4.tcp_wmem",
]

allowed_sysctls := object.get(input, ["parameters", "allowedSysctls"], safe_sysctls)

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	spec := pods.pod_spec(obj)
	some i, sysctl in object.get(spec, ["securityContext", "sysctls"], [])
	name := object.get(sysctl, "name", "")
	not allowed(dotted(name))
	path := sprintf("%s.securityContext.sysctls[%d]", [pods.spec_path(obj), i])
	details := {"path": path, "sysctl": name, "allowedSysctls": allowed_sysctls}
	msg := sprintf(
		"%s %s: %s sets sysctl %q, which is not an allowed sysctl; remove it from securityContext.sysctls",
		[obj.kind, objects.name(obj), path, name],
	)
}

# Kubernetes also accepts sysctl names with "/" separators, in which a "." belongs to
# a segment (an interface name like eth0.100). As the kubelet does, a name whose first
# separator is "/" is converted to the dotted form by swapping both characters.
dotted(name) := strings.replace_n({"/": ".", ".": "/"}, name) if slash_separated(name)

dotted(name) := name if not slash_separated(name)

slash_separated(name) if regex.match(`^[^./]*/`, name)

# Entries may use either separator too.
allowed_patterns contains dotted(entry) if some entry in allowed_sysctls

# An allowed entry is an exact name or, with a trailing "*", a prefix ("kernel.shm*");
# "*" alone allows every sysctl.
allowed(name) if name in allowed_patterns

allowed(name) if {
	some pattern in allowed_patterns
	endswith(pattern, "*")
	startswith(name, trim_suffix(pattern, "*"))
}
