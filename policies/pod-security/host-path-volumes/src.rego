package k8shostpathvolumes

import data.lib.objects
import data.lib.pods

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some i, volume in pods.volumes(obj)
	volume.hostPath != null
	host_path := object.get(volume.hostPath, "path", "")
	blocked(host_path)
	name := object.get(volume, "name", sprintf("#%d", [i]))
	path := sprintf("%s.volumes[%d]", [pods.spec_path(obj), i])
	containers := mounted_by(obj, name)
	details := {
		"volume": name,
		"path": path,
		"hostPath": host_path,
		"containers": containers,
		"allowedPathPrefixes": allowed_prefixes,
		"deniedPathPrefixes": denied_prefixes,
	}
	msg := sprintf(
		"%s %s: volume %q (%s) mounts host path %q%s; %s",
		[obj.kind, objects.name(obj), name, path, host_path, mount_text(containers), remedy(host_path)],
	)
}

allowed_prefixes := object.get(input, ["parameters", "allowedPathPrefixes"], [])

denied_prefixes := object.get(input, ["parameters", "deniedPathPrefixes"], [])

# With no denied prefixes the policy is an allowlist: every host path outside the
# allowed prefixes is denied. With denied prefixes it is a blocklist: only the paths
# at or below one of them are denied (e.g. the container runtime socket), and so is
# any path that climbs with "..", which could reach them from anywhere.
blocked(host_path) if {
	count(denied_prefixes) == 0
	not allowed(host_path)
}

blocked(host_path) if {
	not allowed(host_path)
	some prefix in denied_prefixes
	prefix != ""
	below(normal(host_path), normal(prefix))
}

blocked(host_path) if {
	count(denied_prefixes) > 0
	climbs(host_path)
}

# A host path is allowed when it is one of the prefixes or below one, compared by
# whole path segments: "/var/log" admits "/var/log/pods" but not "/var/logs".
# A path that climbs with ".." could leave any prefix, so it is never allowed.
allowed(host_path) if {
	not climbs(host_path)
	some prefix in allowed_prefixes
	prefix != ""
	below(normal(host_path), normal(prefix))
}

# normal(path) drops empty and "." segments and any trailing slash, so "/var//run/./x/"
# and "/var/run/x" compare equal; the root "/" becomes "", which is below nothing and
# above everything.
normal(path) := concat("/", ["", segments]) if {
	segments := concat("/", [segment | some segment in split(path, "/"); not segment in {"", "."}])
	segments != ""
} else := ""

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

remedy(_) := "hostPath volumes are not allowed; use an emptyDir, configMap, secret or persistentVolumeClaim volume" if {
	count(denied_prefixes) == 0
	count(allowed_prefixes) == 0
}

remedy(_) := msg if {
	count(denied_prefixes) == 0
	count(allowed_prefixes) > 0
	msg := sprintf("only host paths under %v are allowed; use one of them or another volume type", [allowed_prefixes])
}

remedy(host_path) := msg if {
	count(denied_prefixes) > 0
	not climbs(host_path)
	msg := sprintf(
		"host paths under %v are not allowed; mount something else or use another volume type",
		[denied_prefixes],
	)
}

remedy(host_path) := "host paths with \"..\" are not allowed; write the path without it" if {
	count(denied_prefixes) > 0
	climbs(host_path)
}
