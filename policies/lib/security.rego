# Effective security settings: a container's securityContext overrides the pod's.
package lib.security

import data.lib.pods

# effective(obj, container, field) is the container's securityContext[field] when set,
# else the pod securityContext's, else undefined.
effective(_, container, field) := container.securityContext[field]

effective(obj, container, field) := pods.pod_spec(obj).securityContext[field] if {
	not _has(container, field)
}

_has(container, field) if {
	_ = container.securityContext[field]
}

# capabilities_added(container) is the set of added capabilities, upper-cased without "CAP_".
capabilities_added(container) := {upper(trim_prefix(upper(cap), "CAP_")) |
	some cap in object.get(container, ["securityContext", "capabilities", "add"], [])
}

# capabilities_dropped(container) is the set of dropped capabilities, normalised the same way.
capabilities_dropped(container) := {upper(trim_prefix(upper(cap), "CAP_")) |
	some cap in object.get(container, ["securityContext", "capabilities", "drop"], [])
}
