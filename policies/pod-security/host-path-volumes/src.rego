package k8shostpathvolumes

import data.lib.pods

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some i, volume in pods.volumes(obj)
	volume.hostPath != null
	host_path := object.get(volume.hostPath, "path", "")
	not allowed(host_path)
	name := object.get(volume, "name", sprintf("#%d", [i]))
	path := sprintf("%s.volumes[%d]", [pods.spec_path(obj), i])
	containers := mounted_by(obj, name)
	details := {
		"volume": name,
		"path": path,
		"hostPath": host_path,
		"containers": containers,
		"allowedPathPrefixes": allowed_prefixes,
	}
	msg := sprintf(
		"%s %s: volume %q (%s) mounts host path %q%s; %s",
		[obj.kind, object_name(obj), name, path, host_path, mount_text(containers), remedy],
	)
}

allowed_prefixes := object.get(input, ["parameters", "allowedPathPrefixes"], [])

# A host path is allowed when it is one of the prefixes or below one, compared by
# whole path segments: "/var/log" admits "/var/log/pods" but not "/var/logs".
# A path that climbs with ".." could leave any prefix, so it is never allowed.
allowed(host_path) if {
	not climbs(host_path)
	some prefix in allowed_prefixes
	prefix != ""
	below(trim_right(host_path, "/"), trim_right(prefix, "/"))
}

below(path, prefix) if path == prefix

below(path, prefix) if startswith(path, concat("", [prefix, "/"]))

climbs(host_path) if ".." in split(host_path, "/")

# mounted_by(obj, volume) lists the containers that mount the volume.
mounted_by(obj, volume) := [entry.name |
	some entry in pods.containers(obj)
	some mount in object.get(entry.container, "volumeMounts", [])
	mount.name == volume
]

mount_text(containers) := "" if count(containers) == 0

mount_text(containers) := sprintf(" into containers %v", [containers]) if count(containers) > 0

remedy := "hostPath volumes are not allowed; use an emptyDir, configMap, secret or persistentVolumeClaim volume" if {
	count(allowed_prefixes) == 0
}

remedy := msg if {
	count(allowed_prefixes) > 0
	msg := sprintf("only host paths under %v are allowed; use one of them or another volume type", [allowed_prefixes])
}

# object_name(obj) names the object in messages. An object created with only
# metadata.generateName has no name yet and must still be reported.
object_name(obj) := obj.metadata.name if {
	obj.metadata.name != ""
} else := concat("", [obj.metadata.generateName, "<generated>"]) if {
	obj.metadata.generateName != ""
} else := "<unnamed>"
