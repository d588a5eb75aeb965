package k8sselinux

_app := {"name": "app", "image": "nginx:1.25"}

_with_options(container, options) := object.union(container, {"securityContext": {"seLinuxOptions": options}})

_pod(spec) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": object.union({"containers": [_app]}, spec)}

_pod_options(options) := _pod({"securityContext": {"seLinuxOptions": options}})

_container_options(options) := _pod({"containers": [_with_options(_app, options)]})

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

# types

test_default_types_allowed if {
	every type in ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"] {
		count(violation) == 0 with input as _review(_container_options({"type": type}), {})
		count(violation) == 0 with input as _review(_pod_options({"type": type}), {})
	}
}

test_spc_t_denied if {
	v := violation with input as _review(_container_options({"type": "spc_t"}), {})
	count(v) == 1
	some found in v
	found.details == {
		"path": "spec.containers[0].securityContext.seLinuxOptions",
		"container": "app",
		"field": "type",
		"value": "spc_t",
	}
}

test_pod_level_type_denied if {
	some found in violation with input as _review(_pod_options({"type": "unconfined_t"}), {})
	found.details.path == "spec.securityContext.seLinuxOptions"
	found.details.container == ""
}

test_empty_type_allowed if {
	count(violation) == 0 with input as _review(_container_options({"type": ""}), {})
}

test_level_is_not_restricted if {
	count(violation) == 0 with input as _review(_container_options({"level": "s0:c123,c456"}), {})
	count(violation) == 0 with input as _review(_pod_options({"level": "s0:c1,c2", "type": "container_t"}), {})
}

test_unset_allowed if {
	count(violation) == 0 with input as _review(_pod({}), {})
	count(violation) == 0 with input as _review(_pod({"securityContext": {"runAsNonRoot": true}}), {})
}

test_null_options_allowed if {
	count(violation) == 0 with input as _review(_pod_options(null), {})
	count(violation) == 0 with input as _review(_container_options(null), {})
}

test_custom_allowed_types if {
	params := {"allowedTypes": ["container_t", "acme_app_t"]}
	count(violation) == 0 with input as _review(_container_options({"type": "acme_app_t"}), params)
	count(violation) == 1 with input as _review(_container_options({"type": "container_kvm_t"}), params)
}

test_wildcard_allows_every_type if {
	count(violation) == 0 with input as _review(_container_options({"type": "spc_t"}), {"allowedTypes": ["*"]})
}

test_wildcard_still_denies_user_and_role if {
	opts := {"type": "spc_t", "user": "system_u"}
	count(violation) == 1 with input as _review(_container_options(opts), {"allowedTypes": ["*"]})
}

test_empty_list_denies_every_type if {
	count(violation) == 1 with input as _review(_container_options({"type": "container_t"}), {"allowedTypes": []})
}

# user and role

test_user_denied if {
	some found in violation with input as _review(_container_options({"user": "system_u"}), {})
	found.details.field == "user"
	found.details.value == "system_u"
}

test_role_denied if {
	some found in violation with input as _review(_pod_options({"role": "system_r"}), {})
	found.details.field == "role"
}

test_empty_user_and_role_allowed if {
	count(violation) == 0 with input as _review(_container_options({"user": "", "role": "", "type": "container_t"}), {})
}

test_every_problem_reported if {
	opts := {"user": "system_u", "role": "system_r", "type": "spc_t", "level": "s0"}
	fields := {found.details.field | some found in violation} with input as _review(_container_options(opts), {})
	fields == {"user", "role", "type"}
}

# container kinds and workloads

test_init_container_denied if {
	init := _with_options({"name": "setup", "image": "busybox:1.36"}, {"type": "spc_t"})
	some found in violation with input as _review(_pod({"initContainers": [init]}), {})
	found.details.path == "spec.initContainers[0].securityContext.seLinuxOptions"
}

test_ephemeral_container_denied if {
	debug := _with_options({"name": "debug", "image": "busybox:1.36"}, {"user": "unconfined_u"})
	some found in violation with input as _review(_pod({"ephemeralContainers": [debug]}), {})
	found.details.path == "spec.ephemeralContainers[0].securityContext.seLinuxOptions"
}

test_pod_and_container_both_reported if {
	spec := {
		"securityContext": {"seLinuxOptions": {"type": "spc_t"}},
		"containers": [_with_options(_app, {"type": "spc_t"})],
	}
	count(violation) == 2 with input as _review(_pod(spec), {})
}

test_container_override_does_not_hide_pod_setting if {
	spec := {
		"securityContext": {"seLinuxOptions": {"type": "spc_t"}},
		"containers": [_with_options(_app, {"type": "container_t"})],
	}
	count(violation) == 1 with input as _review(_pod(spec), {})
}

test_template_workloads_denied if {
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		obj := {"kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": {
			"containers": [_with_options(_app, {"type": "spc_t"})],
		}}}}
		some found in violation with input as _review(obj, {})
		found.details.path == "spec.template.spec.containers[0].securityContext.seLinuxOptions"
	}
}

test_cronjob_denied if {
	spec := {"securityContext": {"seLinuxOptions": {"role": "sysadm_r"}}, "containers": [_app]}
	obj := {"kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}}}
	some found in violation with input as _review(obj, {})
	found.details.path == "spec.jobTemplate.spec.template.spec.securityContext.seLinuxOptions"
}

test_kind_without_pod_spec_ignored if {
	spec := {"securityContext": {"seLinuxOptions": {"type": "spc_t"}}}
	obj := {"kind": "Service", "metadata": {"name": "s"}, "spec": spec}
	count(violation) == 0 with input as _review(obj, {})
}

test_missing_parameters_use_defaults if {
	count(violation) == 0 with input as {"review": {"object": _container_options({"type": "container_init_t"})}}
	count(violation) == 1 with input as {"review": {"object": _container_options({"type": "spc_t"})}}
}

# messages

test_message_for_type if {
	some found in violation with input as _review(_container_options({"type": "spc_t"}), {"allowedTypes": ["container_t"]})
	found.msg == concat("", [
		`Pod web: container "app" (spec.containers[0].securityContext.seLinuxOptions) sets SELinux type "spc_t"; `,
		`allowed types are ["container_t"]; use one of them or remove seLinuxOptions.type`,
	])
}

test_message_for_user if {
	some found in violation with input as _review(_pod_options({"user": "system_u"}), {})
	found.msg == concat("", [
		`Pod web: spec.securityContext.seLinuxOptions sets SELinux user "system_u"; `,
		"custom SELinux users are not allowed; remove seLinuxOptions.user",
	])
}

test_generate_name_reported if {
	spec := {"containers": [_with_options(_app, {"role": "r"})]}
	obj := {"kind": "Pod", "metadata": {"generateName": "web-"}, "spec": spec}
	some found in violation with input as _review(obj, {})
	startswith(found.msg, "Pod web-<generated>:")
}

test_unnamed_object_reported if {
	obj := {"kind": "Pod", "metadata": {}, "spec": {"containers": [_with_options(_app, {"role": "r"})]}}
	some found in violation with input as _review(obj, {})
	startswith(found.msg, "Pod <unnamed>:")
}

# more edge cases

test_only_the_offending_container_reported if {
	spec := {"containers": [
		_with_options(_app, {"type": "container_t"}),
		_with_options({"name": "agent", "image": "ghcr.io/acme/agent:1"}, {"type": "spc_t"}),
	]}
	v := violation with input as _review(_pod(spec), {})
	count(v) == 1
	some found in v
	found.details.container == "agent"
	found.details.path == "spec.containers[1].securityContext.seLinuxOptions"
}

test_types_are_case_sensitive if {
	count(violation) == 1 with input as _review(_container_options({"type": "Container_T"}), {})
}

test_pod_user_and_container_type_reported_separately if {
	spec := {
		"securityContext": {"seLinuxOptions": {"user": "system_u"}},
		"containers": [_with_options(_app, {"type": "spc_t"})],
	}
	found := {[v.details.path, v.details.field] | some v in violation} with input as _review(_pod(spec), {})
	found == {
		["spec.securityContext.seLinuxOptions", "user"],
		["spec.containers[0].securityContext.seLinuxOptions", "type"],
	}
}

test_level_only_on_init_container_allowed if {
	init := _with_options({"name": "setup", "image": "busybox:1.36"}, {"level": "s0:c5,c10"})
	count(violation) == 0 with input as _review(_pod({"initContainers": [init]}), {})
}

test_replication_controller_denied if {
	obj := {"kind": "ReplicationController", "metadata": {"name": "rc"}, "spec": {"template": {"spec": {
		"securityContext": {"seLinuxOptions": {"type": "spc_t"}},
		"containers": [_app],
	}}}}
	some found in violation with input as _review(obj, {})
	startswith(found.msg, "ReplicationController rc: spec.template.spec.securityContext.seLinuxOptions sets")
}
