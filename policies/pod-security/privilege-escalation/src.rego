package k8sprivilegeescalation

import data.lib.images
import data.lib.objects
import data.lib.pods

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	not windows_pod(obj)
	some entry in pods.containers(obj)
	not escalation_disabled(entry.container)
	not exempt(entry.container)
	value := object.get(entry.container, ["securityContext", "allowPrivilegeEscalation"], null)
	msg := sprintf(
		"%s %s: container %q (%s) has allowPrivilegeEscalation %s; set securityContext.allowPrivilegeEscalation to false",
		[obj.kind, objects.name(obj), entry.name, entry.path, describe(value)],
	)
	details := {
		"container": entry.name,
		"path": entry.path,
		"field": sprintf("%s.securityContext.allowPrivilegeEscalation", [entry.path]),
		"value": value,
	}
}

# Only an explicit false counts: when the field is unset the runtime lets a setuid
# binary gain privileges (no_new_privs is not applied).
escalation_disabled(container) if container.securityContext.allowPrivilegeEscalation == false

# The API server rejects allowPrivilegeEscalation on Windows pods (spec.os.name: windows),
# and the Pod Security Standards exempt them from this control.
windows_pod(obj) if pods.pod_spec(obj).os.name == "windows"

exempt(container) if images.matches_prefix(container.image, object.get(input, ["parameters", "exemptImages"], []))

describe(null) := "unset"

describe(value) := sprintf("%v", [value]) if value != null
