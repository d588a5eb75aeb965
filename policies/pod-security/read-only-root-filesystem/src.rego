package k8sreadonlyrootfilesystem

import data.lib.images
import data.lib.objects
import data.lib.pods

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	not windows_pod(obj)
	some entry in pods.containers(obj)
	not read_only_root(entry.container)
	not exempt(entry.container)
	value := object.get(entry.container, ["securityContext", "readOnlyRootFilesystem"], null)
	msg := sprintf(
		"%s %s: container %q (%s) has readOnlyRootFilesystem %s; %s",
		[obj.kind, objects.name(obj), entry.name, entry.path, describe(value), fix],
	)
	details := {
		"container": entry.name,
		"path": entry.path,
		"field": sprintf("%s.securityContext.readOnlyRootFilesystem", [entry.path]),
		"value": value,
	}
}

fix := "set securityContext.readOnlyRootFilesystem to true and mount an emptyDir volume where the app must write"

# readOnlyRootFilesystem exists only on containers and defaults to a writable root.
read_only_root(container) if container.securityContext.readOnlyRootFilesystem == true

# The API server rejects readOnlyRootFilesystem on Windows pods (spec.os.name: windows),
# so they could never comply.
windows_pod(obj) if pods.pod_spec(obj).os.name == "windows"

exempt(container) if images.matches_prefix(container.image, object.get(input, ["parameters", "exemptImages"], []))

describe(null) := "unset"

describe(value) := sprintf("%v", [value]) if value != null
