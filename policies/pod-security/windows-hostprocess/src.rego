package k8swindowshostprocess

import data.lib.objects
import data.lib.pods

remedy := "remove windowsOptions.hostProcess or set it to false"

# The pod-level flag makes every container a HostProcess container unless it
# overrides it, so it is a violation on its own.
violation contains {"msg": msg, "details": {"path": path, "container": ""}} if {
	obj := input.review.object
	pods.pod_spec(obj).securityContext.windowsOptions.hostProcess == true
	path := sprintf("%s.securityContext.windowsOptions.hostProcess", [pods.spec_path(obj)])
	msg := sprintf(
		"%s %s: %s is true, so the pod's containers run as processes on the Windows node with host access; %s",
		[obj.kind, objects.name(obj), path, remedy],
	)
}

violation contains {"msg": msg, "details": {"path": path, "container": entry.name}} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	entry.container.securityContext.windowsOptions.hostProcess == true
	path := sprintf("%s.securityContext.windowsOptions.hostProcess", [entry.path])
	msg := sprintf(
		"%s %s: container %q (%s) is a Windows HostProcess container with host access; %s",
		[obj.kind, objects.name(obj), entry.name, path, remedy],
	)
}
