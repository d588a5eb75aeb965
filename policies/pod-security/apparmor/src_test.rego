package k8sapparmor

_app := {"name": "app", "image": "nginx:1.25"}

_with_profile(container, profile) := object.union(container, {"securityContext": {"appArmorProfile": profile}})

_unconfined := {"type": "Unconfined"}

_localhost(name) := {"type": "Localhost", "localhostProfile": name}

_pod(spec) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": object.union({"containers": [_app]}, spec)}

_container_profile(profile) := _pod({"containers": [_with_profile(_app, profile)]})

_annotated(annotations) := {
	"kind": "Pod",
	"metadata": {"name": "web", "annotations": annotations},
	"spec": {"containers": [_app]},
}

_key(container) := concat("", ["container.apparmor.security.beta.kubernetes.io/", container])

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_allowing(profiles) := {"allowedProfiles": profiles}

# pod-level field

test_pod_unconfined_denied if {
	v := violation with input as _review(_pod({"securityContext": {"appArmorProfile": _unconfined}}), {})
	count(v) == 1
	some found in v
	found.details == {"path": "spec.securityContext.appArmorProfile", "container": "", "profile": "Unconfined"}
}

test_pod_runtime_default_allowed if {
	obj := _pod({"securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}})
	count(violation) == 0 with input as _review(obj, {})
}

test_pod_localhost_allowed if {
	obj := _pod({"securityContext": {"appArmorProfile": _localhost("k8s-nginx")}})
	count(violation) == 0 with input as _review(obj, {})
}

test_unset_allowed if {
	count(violation) == 0 with input as _review(_pod({}), {})
	count(violation) == 0 with input as _review(_pod({"securityContext": {"runAsNonRoot": true}}), {})
}

test_empty_type_treated_as_unset if {
	count(violation) == 0 with input as _review(_pod({"securityContext": {"appArmorProfile": {}}}), {})
}

# container fields

test_container_unconfined_denied if {
	v := violation with input as _review(_container_profile(_unconfined), {})
	count(v) == 1
	some found in v
	found.details.container == "app"
	found.details.path == "spec.containers[0].securityContext.appArmorProfile"
}

test_container_runtime_default_allowed if {
	obj := _container_profile({"type": "RuntimeDefault"})
	count(violation) == 0 with input as _review(obj, {})
}

test_init_container_unconfined_denied if {
	init := _with_profile({"name": "setup", "image": "busybox:1.36"}, _unconfined)
	some found in violation with input as _review(_pod({"initContainers": [init]}), {})
	found.details.path == "spec.initContainers[0].securityContext.appArmorProfile"
}

test_ephemeral_container_unconfined_denied if {
	debug := _with_profile({"name": "debug", "image": "busybox:1.36"}, _unconfined)
	some found in violation with input as _review(_pod({"ephemeralContainers": [debug]}), {})
	found.details.path == "spec.ephemeralContainers[0].securityContext.appArmorProfile"
}

test_pod_and_container_both_reported if {
	spec := {"securityContext": {"appArmorProfile": _unconfined}, "containers": [_with_profile(_app, _unconfined)]}
	count(violation) == 2 with input as _review(_pod(spec), {})
}

test_container_override_does_not_hide_pod_setting if {
	# The pod-level profile also applies to ephemeral containers added later.
	spec := {
		"securityContext": {"appArmorProfile": _unconfined},
		"containers": [_with_profile(_app, {"type": "RuntimeDefault"})],
	}
	count(violation) == 1 with input as _review(_pod(spec), {})
}

# legacy annotations

test_annotation_unconfined_denied if {
	v := violation with input as _review(_annotated({_key("app"): "unconfined"}), {})
	count(v) == 1
	some found in v
	found.details.container == "app"
	found.details.profile == "unconfined"
	found.details.path == `metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]`
}

test_annotation_runtime_default_allowed if {
	count(violation) == 0 with input as _review(_annotated({_key("app"): "runtime/default"}), {})
}

test_annotation_localhost_allowed if {
	count(violation) == 0 with input as _review(_annotated({_key("app"): "localhost/k8s-nginx"}), {})
}

test_annotation_empty_value_is_unset if {
	count(violation) == 0 with input as _review(_annotated({_key("app"): ""}), {})
}

test_annotation_unknown_value_denied if {
	count(violation) == 1 with input as _review(_annotated({_key("app"): "docker-default"}), {})
}

test_annotation_for_each_container if {
	obj := _annotated({_key("app"): "unconfined", _key("sidecar"): "unconfined", _key("init"): "runtime/default"})
	count(violation) == 2 with input as _review(obj, {})
}

test_unrelated_annotations_ignored if {
	obj := _annotated({"seccomp.security.alpha.kubernetes.io/pod": "unconfined", "team": "unconfined"})
	count(violation) == 0 with input as _review(obj, {})
}

test_template_annotation_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		obj := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {
			"metadata": {"annotations": {_key("app"): "unconfined"}},
			"spec": {"containers": [_app]},
		}}}
		some found in violation with input as _review(obj, {})
		startswith(found.details.path, "spec.template.metadata.annotations[")
	}
}

test_controller_own_annotations_ignored if {
	obj := {
		"kind": "Deployment",
		"metadata": {"name": "w", "annotations": {_key("app"): "unconfined"}},
		"spec": {"template": {"spec": {"containers": [_app]}}},
	}
	count(violation) == 0 with input as _review(obj, {})
}

test_template_without_metadata_allowed if {
	obj := {"kind": "Deployment", "metadata": {"name": "w"}, "spec": {"template": {"spec": {"containers": [_app]}}}}
	count(violation) == 0 with input as _review(obj, {})
}

test_template_field_denied if {
	obj := {"kind": "DaemonSet", "metadata": {"name": "w"}, "spec": {"template": {"spec": {
		"containers": [_with_profile(_app, _unconfined)],
	}}}}
	some found in violation with input as _review(obj, {})
	found.details.path == "spec.template.spec.containers[0].securityContext.appArmorProfile"
}

test_cronjob_annotation_and_field_denied if {
	template := {
		"metadata": {"annotations": {_key("app"): "unconfined"}},
		"spec": {"securityContext": {"appArmorProfile": _unconfined}, "containers": [_app]},
	}
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": template}}}}
	paths := {found.details.path | some found in violation} with input as _review(obj, {})
	paths == {
		`spec.jobTemplate.spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]`,
		"spec.jobTemplate.spec.template.spec.securityContext.appArmorProfile",
	}
}

test_kind_without_pod_spec_ignored if {
	obj := {"kind": "ConfigMap", "metadata": {"name": "cm", "annotations": {_key("app"): "unconfined"}}}
	count(violation) == 0 with input as _review(obj, {})
}

# parameters

test_runtime_default_only_denies_localhost if {
	params := _allowing(["RuntimeDefault"])
	v := violation with input as _review(_container_profile(_localhost("custom")), params)
	count(v) == 1
	some found in v
	found.details.profile == "Localhost/custom"
}

test_runtime_default_only_denies_localhost_annotation if {
	params := _allowing(["RuntimeDefault"])
	count(violation) == 1 with input as _review(_annotated({_key("app"): "localhost/custom"}), params)
	count(violation) == 0 with input as _review(_annotated({_key("app"): "runtime/default"}), params)
}

test_annotation_spelling_in_parameters if {
	params := _allowing(["runtime/default"])
	count(violation) == 0 with input as _review(_container_profile({"type": "RuntimeDefault"}), params)
	count(violation) == 1 with input as _review(_annotated({_key("app"): "localhost/custom"}), params)
}

test_specific_localhost_profile if {
	params := _allowing(["RuntimeDefault", "localhost/k8s-nginx"])
	count(violation) == 0 with input as _review(_container_profile(_localhost("k8s-nginx")), params)
	count(violation) == 0 with input as _review(_annotated({_key("app"): "localhost/k8s-nginx"}), params)
	count(violation) == 1 with input as _review(_container_profile(_localhost("other")), params)
}

test_localhost_profile_glob if {
	params := _allowing(["localhost/acme-*"])
	count(violation) == 0 with input as _review(_annotated({_key("app"): "localhost/acme-web"}), params)
	count(violation) == 1 with input as _review(_annotated({_key("app"): "localhost/other"}), params)
}

test_localhost_without_profile_name if {
	spec := {"containers": [_with_profile(_app, {"type": "Localhost"})]}
	some found in violation with input as _review(_pod(spec), _allowing(["RuntimeDefault"]))
	found.details.profile == "Localhost/"
}

test_unconfined_can_be_allowed if {
	count(violation) == 0 with input as _review(_annotated({_key("app"): "unconfined"}), _allowing(["unconfined"]))
	count(violation) == 0 with input as _review(_container_profile(_unconfined), _allowing(["Unconfined"]))
}

test_wildcard_allows_everything if {
	count(violation) == 0 with input as _review(_annotated({_key("app"): "unconfined"}), _allowing(["*"]))
}

test_empty_list_denies_every_explicit_profile if {
	count(violation) == 1 with input as _review(_annotated({_key("app"): "runtime/default"}), _allowing([]))
	count(violation) == 0 with input as _review(_pod({}), _allowing([]))
}

test_missing_parameters_use_defaults if {
	count(violation) == 1 with input as {"review": {"object": _annotated({_key("app"): "unconfined"})}}
	count(violation) == 0 with input as {"review": {"object": _annotated({_key("app"): "localhost/x"})}}
}

# messages

test_message_for_container_field if {
	some found in violation with input as _review(_container_profile(_unconfined), {})
	found.msg == concat("", [
		`Pod web: container "app" (spec.containers[0].securityContext.appArmorProfile) uses AppArmor profile `,
		`"Unconfined"; allowed profiles are ["RuntimeDefault", "Localhost"], so set its type to RuntimeDefault `,
		"or remove it",
	])
}

test_message_for_annotation if {
	some found in violation with input as _review(_annotated({_key("app"): "unconfined"}), {})
	endswith(found.msg, "so set the annotation to runtime/default or remove it")
	contains(found.msg, `container "app"`)
}

test_message_for_pod_field if {
	some found in violation with input as _review(_pod({"securityContext": {"appArmorProfile": _unconfined}}), {})
	startswith(found.msg, `Pod web: spec.securityContext.appArmorProfile uses AppArmor profile "Unconfined"`)
}

test_generate_name_reported if {
	obj := {"kind": "Pod", "metadata": {"generateName": "web-", "annotations": {_key("app"): "unconfined"}}}
	some found in violation with input as _review(object.union(obj, {"spec": {"containers": [_app]}}), {})
	startswith(found.msg, "Pod web-<generated>:")
}

test_unnamed_object_reported if {
	obj := {"kind": "Pod", "metadata": {"annotations": {_key("app"): "unconfined"}}, "spec": {"containers": [_app]}}
	some found in violation with input as _review(obj, {})
	startswith(found.msg, "Pod <unnamed>:")
}

# more edge cases

test_only_the_unconfined_container_reported if {
	spec := {"containers": [
		_with_profile(_app, {"type": "RuntimeDefault"}),
		_with_profile({"name": "sidecar", "image": "envoyproxy/envoy:v1.30.1"}, _unconfined),
	]}
	v := violation with input as _review(_pod(spec), {})
	count(v) == 1
	some found in v
	found.details.container == "sidecar"
	found.details.path == "spec.containers[1].securityContext.appArmorProfile"
}

test_annotation_for_init_container if {
	obj := {
		"kind": "Pod",
		"metadata": {"name": "web", "annotations": {_key("setup"): "unconfined"}},
		"spec": {"initContainers": [{"name": "setup", "image": "busybox:1.36"}], "containers": [_app]},
	}
	some found in violation with input as _review(obj, {})
	found.details.container == "setup"
}

test_matching_field_and_annotation_allowed if {
	obj := {
		"kind": "Pod",
		"metadata": {"name": "web", "annotations": {_key("app"): "localhost/k8s-nginx"}},
		"spec": {"containers": [_with_profile(_app, _localhost("k8s-nginx"))]},
	}
	count(violation) == 0 with input as _review(obj, {})
}

test_field_and_annotation_both_unconfined_reported_twice if {
	obj := {
		"kind": "Pod",
		"metadata": {"name": "web", "annotations": {_key("app"): "unconfined"}},
		"spec": {"containers": [_with_profile(_app, _unconfined)]},
	}
	count(violation) == 2 with input as _review(obj, {})
}

test_null_annotations_allowed if {
	obj := {"kind": "Pod", "metadata": {"name": "web", "annotations": null}, "spec": {"containers": [_app]}}
	count(violation) == 0 with input as _review(obj, {})
}

test_localhost_glob_entry_allows_every_localhost_profile if {
	params := _allowing(["RuntimeDefault", "localhost/*"])
	count(violation) == 0 with input as _review(_container_profile(_localhost("anything")), params)
	count(violation) == 0 with input as _review(_annotated({_key("app"): "localhost/anything"}), params)
	count(violation) == 1 with input as _review(_annotated({_key("app"): "unconfined"}), params)
}

test_types_are_case_sensitive if {
	count(violation) == 1 with input as _review(_container_profile({"type": "runtimedefault"}), {})
}

test_replication_controller_annotation_path if {
	obj := {"kind": "ReplicationController", "metadata": {"name": "rc"}, "spec": {"template": {
		"metadata": {"annotations": {_key("app"): "unconfined"}},
		"spec": {"containers": [_app]},
	}}}
	some found in violation with input as _review(obj, {})
	found.details.path == `spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]`
	startswith(found.msg, `ReplicationController rc: container "app"`)
}
