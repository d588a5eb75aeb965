package k8sseccomprestricted

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_pod(pod_sc, containers) := {
	"kind": "Pod",
	"metadata": {"name": "p"},
	"spec": {"securityContext": pod_sc, "containers": containers},
}

_template(kind, spec) := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": spec}}}

_cronjob(spec) := {
	"kind": "CronJob",
	"metadata": {"name": "c"},
	"spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

_plain(name) := {"name": name, "image": "nginx:1.25"}

_with_profile(name, profile) := {"name": name, "image": "nginx:1.25", "securityContext": {"seccompProfile": profile}}

_runtime_default := {"type": "RuntimeDefault"}

_unconfined := {"type": "Unconfined"}

_local(file) := {"type": "Localhost", "localhostProfile": file}

_pod_profile(profile) := {"seccompProfile": profile}

test_pod_level_runtime_default_allowed if {
	count(violation) == 0 with input as _review(_pod(_pod_profile(_runtime_default), [_plain("app")]), {})
}

test_container_level_runtime_default_allowed if {
	count(violation) == 0 with input as _review(_pod({}, [_with_profile("app", _runtime_default)]), {})
}

test_localhost_profile_allowed_by_default if {
	c := _with_profile("app", _local("profiles/audit.json"))
	count(violation) == 0 with input as _review(_pod({}, [c]), {})
}

test_unset_denied if {
	some v in violation with input as _review(_pod({}, [_plain("app")]), {})
	v.details.source == "unset"
	v.details.profile == null
}

test_no_security_context_denied if {
	obj := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [_plain("app")]}}
	count(violation) == 1 with input as _review(obj, {})
}

test_pod_unconfined_inherited_denied if {
	some v in violation with input as _review(_pod(_pod_profile(_unconfined), [_plain("app")]), {})
	v.details.source == "pod"
	v.details.profile == "Unconfined"
}

test_container_unconfined_overrides_pod if {
	obj := _pod(_pod_profile(_runtime_default), [_with_profile("app", _unconfined)])
	some v in violation with input as _review(obj, {})
	v.details.source == "container"
}

test_container_runtime_default_overrides_pod_unconfined if {
	obj := _pod(_pod_profile(_unconfined), [_with_profile("app", _runtime_default)])
	count(violation) == 0 with input as _review(obj, {})
}

test_only_inheriting_containers_reported if {
	obj := _pod({}, [_plain("a"), _with_profile("b", _runtime_default), _plain("c")])
	count(violation) == 2 with input as _review(obj, {})
}

test_narrowed_to_runtime_default if {
	params := {"allowedProfiles": ["RuntimeDefault"]}
	count(violation) == 1 with input as _review(_pod({}, [_with_profile("app", _local("p.json"))]), params)
	count(violation) == 0 with input as _review(_pod({}, [_with_profile("app", _runtime_default)]), params)
}

test_specific_localhost_file if {
	params := {"allowedProfiles": ["Localhost/profiles/audit.json"]}
	count(violation) == 0 with input as _review(_pod({}, [_with_profile("app", _local("profiles/audit.json"))]), params)
	count(violation) == 1 with input as _review(_pod({}, [_with_profile("app", _local("profiles/other.json"))]), params)
	count(violation) == 1 with input as _review(_pod({}, [_with_profile("app", _runtime_default)]), params)
}

test_annotation_spellings_accepted if {
	every name in ["runtime/default", "docker/default", "runtimedefault"] {
		params := {"allowedProfiles": [name]}
		count(violation) == 0 with input as _review(_pod({}, [_with_profile("app", _runtime_default)]), params)
	}
	params := {"allowedProfiles": ["localhost/profiles/audit.json"]}
	count(violation) == 0 with input as _review(_pod({}, [_with_profile("app", _local("profiles/audit.json"))]), params)
}

test_unconfined_when_explicitly_allowed if {
	params := {"allowedProfiles": ["RuntimeDefault", "unconfined"]}
	count(violation) == 0 with input as _review(_pod({}, [_with_profile("app", _unconfined)]), params)
}

test_wildcard_accepts_any_set_profile if {
	params := {"allowedProfiles": ["*"]}
	count(violation) == 0 with input as _review(_pod({}, [_with_profile("app", _unconfined)]), params)
	count(violation) == 1 with input as _review(_pod({}, [_plain("app")]), params)
}

test_unknown_names_ignored if {
	params := {"allowedProfiles": ["seccomp-strict"]}
	count(violation) == 1 with input as _review(_pod({}, [_with_profile("app", _runtime_default)]), params)
}

test_empty_allowed_list_denies_everything if {
	params := {"allowedProfiles": []}
	count(violation) == 1 with input as _review(_pod({}, [_with_profile("app", _runtime_default)]), params)
}

test_windows_pod_exempt if {
	spec := {"os": {"name": "windows"}, "containers": [{"name": "iis", "image": "mcr.microsoft.com/windows/iis"}]}
	count(violation) == 0 with input as _review({"kind": "Pod", "metadata": {"name": "w"}, "spec": spec}, {})
}

test_init_container_denied if {
	obj := object.union(
		_pod({}, [_with_profile("app", _runtime_default)]),
		{"spec": {"initContainers": [_with_profile("setup", _unconfined)]}},
	)
	some v in violation with input as _review(obj, {})
	v.details.container == "setup"
	v.details.path == "spec.initContainers[0]"
}

test_ephemeral_container_denied if {
	obj := object.union(
		_pod({}, [_with_profile("app", _runtime_default)]),
		{"spec": {"ephemeralContainers": [_plain("debug")]}},
	)
	some v in violation with input as _review(obj, {})
	v.details.path == "spec.ephemeralContainers[0]"
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		count(violation) == 1 with input as _review(_template(kind, {"containers": [_plain("app")]}), {})
	}
}

test_template_workload_allowed if {
	spec := {"securityContext": _pod_profile(_runtime_default), "containers": [_plain("app")]}
	count(violation) == 0 with input as _review(_template("Deployment", spec), {})
}

test_cronjob_denied if {
	some v in violation with input as _review(_cronjob({"containers": [_plain("job")]}), {})
	v.details.path == "spec.jobTemplate.spec.template.spec.containers[0]"
	contains(v.msg, "in spec.jobTemplate.spec.template.spec.securityContext")
}

test_no_parameters_key if {
	count(violation) == 1 with input as {"review": {"object": _pod({}, [_with_profile("app", _unconfined)])}}
}

test_non_workload_ignored if {
	obj := {"kind": "Namespace", "metadata": {"name": "team-a"}}
	count(violation) == 0 with input as _review(obj, {})
}

test_message_unset if {
	some v in violation with input as _review(_pod({}, [_plain("app")]), {})
	v.msg == concat("", [
		`Pod p: container "app" (spec.containers[0]) has no seccomp profile (set on neither the container nor the pod); `,
		"set securityContext.seccompProfile.type (allowed: RuntimeDefault, Localhost) ",
		"on the container or in spec.securityContext",
	])
}

test_message_disallowed_profile if {
	params := {"allowedProfiles": ["RuntimeDefault"]}
	some v in violation with input as _review(_pod(_pod_profile(_local("profiles/x.json")), [_plain("app")]), params)
	v.msg == concat("", [
		`Pod p: container "app" (spec.containers[0]) uses seccomp profile Localhost/profiles/x.json `,
		"(inherited from the pod securityContext), which is not allowed; ",
		"set securityContext.seccompProfile.type (allowed: RuntimeDefault) on the container or in spec.securityContext",
	])
}

test_describe_profiles if {
	describe(_runtime_default) == "RuntimeDefault"
	describe(_local("a.json")) == "Localhost/a.json"
	describe({"type": "Localhost"}) == "Localhost"
	describe({"type": "Unconfined", "localhostProfile": "a.json"}) == "Unconfined"
}

test_generate_name_still_denied if {
	obj := {"kind": "Pod", "metadata": {"generateName": "legacy-"}, "spec": {"containers": [_plain("app")]}}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "Pod legacy-<generated>: ")
}

test_missing_metadata_still_denied if {
	obj := {"kind": "Pod", "spec": {"containers": [_with_profile("app", _unconfined)]}}
	count(violation) == 1 with input as _review(obj, {})
}
