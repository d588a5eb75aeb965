package k8svolumetypes

import data.lib.objects
import data.lib.pods

# The Pod Security Standards restricted profile's volume types.
default_types := [
	"configMap",
	"csi",
	"downwardAPI",
	"emptyDir",
	"ephemeral",
	"persistentVolumeClaim",
	"projected",
	"secret",
]

allowed_types := object.get(input, ["parameters", "allowedTypes"], default_types)

# Volume sources are camelCase keys; compare them case-insensitively so "hostpath" or
# "PersistentVolumeClaim" in the parameters still mean the API field.
allowed_lower contains lower(name) if some name in allowed_types

violation contains {"msg": msg, "details": details} if {
	not "*" in allowed_types
	obj := input.review.object
	some i, volume in pods.volumes(obj)
	some type in volume_types(volume)
	not lower(type) in allowed_lower
	name := object.get(volume, "name", sprintf("#%d", [i]))
	path := sprintf("%s.volumes[%d]", [pods.spec_path(obj), i])
	mounted_by := mounting_containers(obj, name)
	msg := sprintf(
		"%s %s: volume %q (%s%s) has type %s, which is not allowed; use one of [%s] instead",
		[obj.kind, objects.name(obj), name, path, mounted_text(mounted_by), type, concat(", ", allowed_types)],
	)
	details := {"volume": name, "path": path, "type": type, "containers": mounted_by}
}

# volume_types(volume) is the volume's source field; the API server defaults a volume
# that names no source to emptyDir.
volume_types(volume) := sources if {
	sources := {key | some key, _ in volume; key != "name"}
	count(sources) > 0
}

volume_types(volume) := {"emptyDir"} if count(object.remove(volume, ["name"])) == 0

mounting_containers(obj, volume_name) := sort([entry.name |
	some entry in pods.containers(obj)
	some mount in object.get(entry.container, "volumeMounts", [])
	mount.name == volume_name
])

mounted_text([]) := ""

mounted_text(names) := sprintf(", mounted by %s", [concat(", ", names)]) if count(names) > 0
