package k8shostnamespaces

import data.lib.objects
import data.lib.pods

# The pod spec switches that join one of the node's namespaces, with the
# namespace each one shares (for the message).
host_namespaces := {
	"hostIPC": "IPC",
	"hostNetwork": "network",
	"hostPID": "process ID",
}

violation contains {"msg": msg, "details": {"field": field, "path": path, "value": true}} if {
	obj := input.review.object
	spec := pods.pod_spec(obj)
	some field, namespace in host_namespaces
	spec[field] == true
	path := sprintf("%s.%s", [pods.spec_path(obj), field])
	msg := sprintf(
		"%s %s: %s is true, so the pod shares the node's %s namespace; remove %s or set it to false",
		[obj.kind, objects.name(obj), path, namespace, field],
	)
}
