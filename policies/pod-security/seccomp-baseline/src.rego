package k8sseccompbaseline

import data.lib.objects
import data.lib.pods

pod_annotation := "seccomp.security.alpha.kubernetes.io/pod"

container_annotation_prefix := "container.seccomp.security.alpha.kubernetes.io/"

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some setting in unconfined(obj)
	details := {"path": setting.path, "container": setting.container, "profile": setting.value}
	msg := sprintf(
		"%s %s: %s sets seccomp profile %q, which turns syscall filtering off; %s",
		[obj.kind, objects.name(obj), setting.where, setting.value, setting.fix],
	)
}

# unconfined(obj) lists every place that disables seccomp: the pod-level field, each
# container's field and the legacy annotations on the pod metadata (the template's
# metadata for controllers), which older kubelets still honour. Unset and
# RuntimeDefault or Localhost profiles pass the baseline.
unconfined(obj) := (pod_field(obj) | container_fields(obj)) | annotations(obj)

field_fix := "set seccompProfile.type to RuntimeDefault (or a Localhost profile) or remove it"

annotation_fix := "remove the annotation and set securityContext.seccompProfile.type to RuntimeDefault"

pod_field(obj) := {setting |
	value := pods.pod_spec(obj).securityContext.seccompProfile.type
	is_unconfined(value)
	path := sprintf("%s.securityContext.seccompProfile", [pods.spec_path(obj)])
	setting := {"path": path, "container": "", "where": path, "value": value, "fix": field_fix}
}

container_fields(obj) := {setting |
	some entry in pods.containers(obj)
	value := entry.container.securityContext.seccompProfile.type
	is_unconfined(value)
	path := sprintf("%s.securityContext.seccompProfile", [entry.path])
	where := sprintf("container %q (%s)", [entry.name, path])
	setting := {"path": path, "container": entry.name, "where": where, "value": value, "fix": field_fix}
}

annotations(obj) := {setting |
	prefix := metadata_path(obj)
	some key, value in object.get(obj, array.concat(split(prefix, "."), ["annotations"]), {})
	is_unconfined(value)
	container := annotated_container(key)
	path := sprintf("%s.annotations[%q]", [prefix, key])
	setting := {
		"path": path,
		"container": container,
		"where": annotation_where(container, path),
		"value": value,
		"fix": annotation_fix,
	}
}

annotated_container(key) := "" if key == pod_annotation

annotated_container(key) := substring(key, count(container_annotation_prefix), -1) if {
	startswith(key, container_annotation_prefix)
}

annotation_where("", path) := path

annotation_where(container, path) := sprintf("container %q (%s)", [container, path]) if container != ""

# The field spells it Unconfined, the annotations unconfined.
is_unconfined(value) if lower(value) == "unconfined"

# metadata_path(obj) is where the pod's metadata sits: next to its spec.
metadata_path(obj) := concat("", [trim_suffix(pods.spec_path(obj), "spec"), "metadata"])
