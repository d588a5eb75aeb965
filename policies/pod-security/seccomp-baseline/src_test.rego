package k8sseccompbaseline

_app := {"name": "app", "image": "nginx:1.25"}

_with_profile(container, type) := object.union(container, {"securityContext": {"seccompProfile": {"type": type}}})

_pod(spec) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": object.union({"containers": [_app]}, spec)}

_pod_profile(type) := _pod({"securityContext": {"seccompProfile": {"type": type}}})

_container_profile(type) := _pod({"containers": [_with_profile(_app, type)]})

_annotated(annotations) := {
	"kind": "Pod",
	"metadata": {"name": "web", "annotations": annotations},
	"spec": {"containers": [_app]},
}

_container_key(name) := concat("", ["container.seccomp.security.alpha.kubernetes.io/", name])

_review(obj) := {"review": {"object": obj}, "parameters": {}}

# fields

test_pod_unconfined_denied if {
	v := violation with input as _review(_pod_profile("Unconfined"))
	count(v) == 1
	some found in v
	found.details == {"path": "spec.securityContext.seccompProfile", "container": "", "profile": "Unconfined"}
}

test_container_unconfined_denied if {
	v := violation with input as _review(_container_profile("Unconfined"))
	count(v) == 1
	some found in v
	found.details == {
		"path": "spec.containers[0].securityContext.seccompProfile",
		"container": "app",
		"profile": "Unconfined",
	}
}

test_runtime_default_and_localhost_allowed if {
	every type in ["RuntimeDefault", "Localhost"] {
		count(violation) == 0 with input as _review(_pod_profile(type))
		count(violation) == 0 with input as _review(_container_profile(type))
	}
}

test_unset_allowed if {
	count(violation) == 0 with input as _review(_pod({}))
	count(violation) == 0 with input as _review(_pod({"securityContext": {"runAsNonRoot": true}}))
}

test_null_profile_allowed if {
	count(violation) == 0 with input as _review(_pod({"securityContext": {"seccompProfile": null}}))
}

test_pod_and_container_both_reported if {
	spec := {
		"securityContext": {"seccompProfile": {"type": "Unconfined"}},
		"containers": [_with_profile(_app, "Unconfined")],
	}
	count(violation) == 2 with input as _review(_pod(spec))
}

test_container_override_does_not_hide_pod_setting if {
	# The pod-level profile also applies to ephemeral containers added later.
	spec := {
		"securityContext": {"seccompProfile": {"type": "Unconfined"}},
		"containers": [_with_profile(_app, "RuntimeDefault")],
	}
	count(violation) == 1 with input as _review(_pod(spec))
}

test_container_unconfined_under_runtime_default_pod if {
	spec := {
		"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
		"containers": [_with_profile(_app, "Unconfined")],
	}
	count(violation) == 1 with input as _review(_pod(spec))
}

test_init_container_denied if {
	init := _with_profile({"name": "setup", "image": "busybox:1.36"}, "Unconfined")
	some found in violation with input as _review(_pod({"initContainers": [init]}))
	found.details.path == "spec.initContainers[0].securityContext.seccompProfile"
}

test_ephemeral_container_denied if {
	debug := _with_profile({"name": "debug", "image": "busybox:1.36"}, "Unconfined")
	some found in violation with input as _review(_pod({"ephemeralContainers": [debug]}))
	found.details.path == "spec.ephemeralContainers[0].securityContext.seccompProfile"
}

# legacy annotations

test_pod_annotation_unconfined_denied if {
	some found in violation with input as _review(_annotated({"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}))
	found.details.container == ""
	found.details.path == `metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]`
}

test_container_annotation_unconfined_denied if {
	some found in violation with input as _review(_annotated({_container_key("app"): "unconfined"}))
	found.details.container == "app"
	contains(found.msg, `container "app"`)
}

test_annotations_with_profiles_allowed if {
	obj := _annotated({
		"seccomp.security.alpha.kubernetes.io/pod": "runtime/default",
		_container_key("app"): "localhost/profiles/audit.json",
		_container_key("sidecar"): "docker/default",
	})
	count(violation) == 0 with input as _review(obj)
}

test_unrelated_annotations_ignored if {
	obj := _annotated({"container.apparmor.security.beta.kubernetes.io/app": "unconfined", "note": "unconfined"})
	count(violation) == 0 with input as _review(obj)
}

test_controller_own_annotations_ignored if {
	obj := {
		"kind": "Deployment",
		"metadata": {"name": "w", "annotations": {"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}},
		"spec": {"template": {"spec": {"containers": [_app]}}},
	}
	count(violation) == 0 with input as _review(obj)
}

# workloads

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		obj := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {
			"metadata": {"annotations": {_container_key("app"): "unconfined"}},
			"spec": {"containers": [_with_profile(_app, "Unconfined")]},
		}}}
		paths := {found.details.path | some found in violation} with input as _review(obj)
		paths == {
			`spec.template.metadata.annotations["container.seccomp.security.alpha.kubernetes.io/app"]`,
			"spec.template.spec.containers[0].securityContext.seccompProfile",
		}
	}
}

test_cronjob_denied if {
	spec := {"securityContext": {"seccompProfile": {"type": "Unconfined"}}, "containers": [_app]}
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
	some found in violation with input as _review(obj)
	found.details.path == "spec.jobTemplate.spec.template.spec.securityContext.seccompProfile"
}

test_kind_without_pod_spec_ignored if {
	obj := {"kind": "ConfigMap", "metadata": {"name": "cm", "annotations": {_container_key("app"): "unconfined"}}}
	count(violation) == 0 with input as _review(obj)
}

test_missing_parameters_works if {
	count(violation) == 1 with input as {"review": {"object": _container_profile("Unconfined")}}
}

# messages

test_message_for_container_field if {
	some found in violation with input as _review(_container_profile("Unconfined"))
	found.msg == concat("", [
		`Pod web: container "app" (spec.containers[0].securityContext.seccompProfile) sets seccomp profile `,
		`"Unconfined", which turns syscall filtering off; set seccompProfile.type to RuntimeDefault `,
		"(or a Localhost profile) or remove it",
	])
}

test_message_for_pod_annotation if {
	some found in violation with input as _review(_annotated({"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}))
	startswith(found.msg, `Pod web: metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"] sets`)
	endswith(found.msg, "remove the annotation and set securityContext.seccompProfile.type to RuntimeDefault")
}

test_generate_name_reported if {
	obj := object.union(_pod_profile("Unconfined"), {"metadata": {"name": "", "generateName": "web-"}})
	some found in violation with input as _review(obj)
	startswith(found.msg, "Pod web-<generated>:")
}

test_unnamed_object_reported if {
	obj := object.union(_pod_profile("Unconfined"), {"metadata": {"name": ""}})
	some found in violation with input as _review(obj)
	startswith(found.msg, "Pod <unnamed>:")
}

# more edge cases

test_annotation_value_case_insensitive if {
	count(violation) == 1 with input as _review(_annotated({_container_key("app"): "Unconfined"}))
}

test_only_the_unconfined_container_reported if {
	spec := {"containers": [
		_with_profile(_app, "RuntimeDefault"),
		_with_profile({"name": "sidecar", "image": "envoyproxy/envoy:v1.30.1"}, "Unconfined"),
	]}
	v := violation with input as _review(_pod(spec))
	count(v) == 1
	some found in v
	found.details.container == "sidecar"
}

test_localhost_container_under_unconfined_pod if {
	spec := {
		"securityContext": {"seccompProfile": {"type": "Unconfined"}},
		"containers": [object.union(_app, {"securityContext": {"seccompProfile": {
			"type": "Localhost",
			"localhostProfile": "profiles/app.json",
		}}})],
	}
	some found in violation with input as _review(_pod(spec))
	found.details.path == "spec.securityContext.seccompProfile"
}

test_pod_and_container_annotations_both_reported if {
	obj := _annotated({
		"seccomp.security.alpha.kubernetes.io/pod": "unconfined",
		_container_key("app"): "unconfined",
	})
	count(violation) == 2 with input as _review(obj)
}

test_null_annotations_allowed if {
	obj := {"kind": "Pod", "metadata": {"name": "web", "annotations": null}, "spec": {"containers": [_app]}}
	count(violation) == 0 with input as _review(obj)
}

test_cronjob_template_annotation_path if {
	template := {
		"metadata": {"annotations": {"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}},
		"spec": {"containers": [_app]},
	}
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": template}}}}
	some found in violation with input as _review(obj)
	found.details.path == `spec.jobTemplate.spec.template.metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]`
}
