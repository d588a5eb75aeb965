package k8sprocmount

import data.lib.objects
import data.lib.pods

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	proc_mount := entry.container.securityContext.procMount
	not masked(proc_mount)
	details := {"container": entry.name, "path": entry.path, "procMount": proc_mount}
	msg := sprintf(
		"%s %s: container %q (%s) sets securityContext.procMount to %q; %s",
		[obj.kind, objects.name(obj), entry.name, entry.path, proc_mount, remedy],
	)
}

remedy := "remove procMount or set it to Default so /proc keeps its masked paths"

# Default keeps the runtime's masked and read-only /proc paths; a null value is
# the same as unset, which the API server defaults to Default.
masked("Default")

masked(null)
