package k8sapparmor

import data.lib.objects
import data.lib.pods

annotation_prefix := "container.apparmor.security.beta.kubernetes.io/"

default_profiles := ["RuntimeDefault", "Localhost"]

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some setting in settings(obj)
	not allowed(setting.profile)
	details := {"path": setting.path, "container": setting.container, "profile": setting.value}
	msg := sprintf(
		"%s %s: %s uses AppArmor profile %q; allowed profiles are %v, so %s",
		[obj.kind, objects.name(obj), setting.where, setting.value, allowed_parameter, setting.fix],
	)
}

allowed_parameter := object.get(input, ["parameters", "allowedProfiles"], default_profiles)

# settings(obj) lists every AppArmor choice in the pod: the pod-level field, each
# container's field and the legacy per-container annotations on the pod metadata
# (the template's metadata for controllers). Unset is the runtime's default
# profile and passes the baseline, so only present settings are listed.
settings(obj) := (pod_field(obj) | container_fields(obj)) | annotations(obj)

pod_field(obj) := {setting |
	field := pods.pod_spec(obj).securityContext.appArmorProfile
	object.get(field, "type", "") != ""
	path := sprintf("%s.securityContext.appArmorProfile", [pods.spec_path(obj)])
	setting := {
		"path": path,
		"container": "",
		"where": path,
		"profile": from_field(field),
		"value": field_value(field),
		"fix": "set its type to RuntimeDefault or remove it",
	}
}

container_fields(obj) := {setting |
	some entry in pods.containers(obj)
	field := entry.container.securityContext.appArmorProfile
	object.get(field, "type", "") != ""
	path := sprintf("%s.securityContext.appArmorProfile", [entry.path])
	setting := {
		"path": path,
		"container": entry.name,
		"where": sprintf("container %q (%s)", [entry.name, path]),
		"profile": from_field(field),
		"value": field_value(field),
		"fix": "set its type to RuntimeDefault or remove it",
	}
}

annotations(obj) := {setting |
	prefix := metadata_path(obj)
	some key, value in object.get(obj, array.concat(split(prefix, "."), ["annotations"]), {})
	startswith(key, annotation_prefix)
	value != ""
	container := substring(key, count(annotation_prefix), -1)
	path := sprintf("%s.annotations[%q]", [prefix, key])
	setting := {
		"path": path,
		"container": container,
		"where": sprintf("container %q (%s)", [container, path]),
		"profile": from_annotation(value),
		"value": value,
		"fix": "set the annotation to runtime/default or remove it",
	}
}

# metadata_path(obj) is where the pod's metadata sits: next to its spec.
metadata_path(obj) := concat("", [trim_suffix(pods.spec_path(obj), "spec"), "metadata"])

# Profiles are compared as {"type", "name"}: the field's type and localhostProfile,
# or the annotation's runtime/default, unconfined and localhost/<name>.
from_field(field) := {"type": field.type, "name": object.get(field, "localhostProfile", "")}

field_value(field) := concat("/", ["Localhost", object.get(field, "localhostProfile", "")]) if field.type == "Localhost"

field_value(field) := field.type if field.type != "Localhost"

from_annotation("runtime/default") := {"type": "RuntimeDefault", "name": ""}

from_annotation("unconfined") := {"type": "Unconfined", "name": ""}

from_annotation(value) := {"type": "Localhost", "name": substring(value, count("localhost/"), -1)} if {
	startswith(value, "localhost/")
}

# Anything else is not a profile the kubelet knows; it never matches a type.
from_annotation(value) := {"type": value, "name": ""} if {
	not value in {"runtime/default", "unconfined"}
	not startswith(value, "localhost/")
}

# An allowed entry is a type (RuntimeDefault, Localhost, Unconfined), its annotation
# spelling, localhost/<name> for one Localhost profile (a trailing "*" is a glob),
# or "*" for any profile.
allowed(_) if "*" in allowed_parameter

allowed(profile) if profile.type in {type | some entry in allowed_parameter; type := entry_type(entry)}

allowed(profile) if {
	profile.type == "Localhost"
	some entry in allowed_parameter
	startswith(lower(entry), "localhost/")
	pattern := substring(entry, count("localhost/"), -1)
	name_matches(profile.name, pattern)
}

entry_type("runtime/default") := "RuntimeDefault"

entry_type("unconfined") := "Unconfined"

entry_type(entry) := entry if not entry in {"runtime/default", "unconfined"}

name_matches(name, pattern) if name == pattern

name_matches(name, pattern) if {
	endswith(pattern, "*")
	startswith(name, trim_suffix(pattern, "*"))
}
