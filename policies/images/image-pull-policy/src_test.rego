package k8simagepullpolicy

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_c(name, image, policy) := {"name": name, "image": image, "imagePullPolicy": policy}

_unset(name, image) := {"name": name, "image": image}

_pod(containers) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": containers}}

_pod_spec(spec) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": spec}

_templated(kind, spec) := {"kind": kind, "metadata": {"name": "app"}, "spec": {"template": {"spec": spec}}}

_cronjob(spec) := {
	"kind": "CronJob",
	"metadata": {"name": "nightly"},
	"spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

# _in(container, allowed): one Pod with one container and the given allowedPolicies.
_in(container, allowed) := _review(_pod([container]), {"allowedPolicies": allowed})

_digest := "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"

_controllers := ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"]

# --- explicit values, default parameter (Always) ---

test_always_allowed_by_default if {
	count(violation) == 0 with input as _review(_pod([_c("app", "nginx:1.27", "Always")]), {})
}

test_if_not_present_denied_by_default if {
	count(violation) == 1 with input as _review(_pod([_c("app", "nginx:1.27", "IfNotPresent")]), {})
}

test_never_denied_by_default if {
	count(violation) == 1 with input as _review(_pod([_c("app", "nginx:1.27", "Never")]), {})
}

test_no_parameters_at_all if {
	count(violation) == 1 with input as {"review": {"object": _pod([_c("app", "nginx:1.27", "Never")])}}
}

# --- unset: the Kubernetes default decides ---

test_unset_with_version_tag_defaults_to_if_not_present if {
	some v in violation with input as _in(_unset("app", "nginx:1.27"), ["Always"])
	v.details.value == "IfNotPresent"
	v.details.defaulted == true
}

test_unset_with_latest_defaults_to_always if {
	count(violation) == 0 with input as _in(_unset("app", "nginx:latest"), ["Always"])
	count(violation) == 1 with input as _in(_unset("app", "nginx:latest"), ["IfNotPresent"])
}

test_unset_without_tag_defaults_to_always if {
	count(violation) == 0 with input as _in(_unset("app", "nginx"), ["Always"])
	count(violation) == 0 with input as _in(_unset("app", "registry.example.com:5000/team/app"), ["Always"])
}

test_unset_with_registry_port_and_tag_defaults_to_if_not_present if {
	count(violation) == 1 with input as _in(_unset("app", "registry.example.com:5000/team/app:2.1"), ["Always"])
}

test_unset_with_digest_only_defaults_to_if_not_present if {
	image := concat("@", ["ghcr.io/acme/api", _digest])
	count(violation) == 0 with input as _in(_unset("app", image), ["IfNotPresent"])
	count(violation) == 1 with input as _in(_unset("app", image), ["Always"])
}

test_unset_with_latest_and_digest_defaults_to_always if {
	count(violation) == 0 with input as _in(_unset("app", concat("@", ["nginx:latest", _digest])), ["Always"])
}

test_empty_string_counts_as_unset if {
	count(violation) == 0 with input as _in(_c("app", "nginx", ""), ["Always"])
	count(violation) == 1 with input as _in(_c("app", "nginx:1.27", ""), ["Always"])
}

test_unset_without_image_ignored if {
	count(violation) == 0 with input as _in({"name": "app"}, ["Always"])
}

# --- parameters ---

test_several_allowed_policies if {
	allowed := ["Always", "IfNotPresent"]
	count(violation) == 0 with input as _in(_c("app", "nginx:1.27", "IfNotPresent"), allowed)
	count(violation) == 0 with input as _in(_unset("app", "nginx:1.27"), allowed)
	count(violation) == 1 with input as _in(_c("app", "nginx:1.27", "Never"), allowed)
}

test_parameter_spelling_is_case_insensitive if {
	count(violation) == 0 with input as _in(_c("app", "nginx:1.27", "IfNotPresent"), ["ifnotpresent"])
}

test_empty_list_allows_nothing if {
	some v in violation with input as _in(_c("app", "nginx:1.27", "Always"), [])
	contains(v.msg, "set imagePullPolicy to an allowed value (the allowedPolicies parameter is empty)")
}

# --- every container kind and workload ---

test_init_container_denied if {
	spec := {"containers": [_c("app", "nginx:1.27", "Always")], "initContainers": [_unset("init", "busybox:1.36")]}
	some v in violation with input as _review(_pod_spec(spec), {})
	v.details.path == "spec.initContainers[0]"
	v.details.field == "spec.initContainers[0].imagePullPolicy"
}

test_ephemeral_container_denied if {
	spec := {
		"containers": [_c("app", "nginx:1.27", "Always")],
		"ephemeralContainers": [_c("debug", "busybox:1.36", "IfNotPresent")],
	}
	some v in violation with input as _review(_pod_spec(spec), {})
	v.details.container == "debug"
}

test_every_offending_container_reported if {
	spec := {"containers": [
		_c("a", "nginx:1.27", "Never"),
		_unset("b", "redis:7.2"),
		_unset("c", "busybox"),
		_c("d", "ghcr.io/acme/d:1", "Always"),
	]}
	count(violation) == 2 with input as _review(_pod_spec(spec), {})
}

test_controllers if {
	bad := {"containers": [_c("app", "ghcr.io/acme/api:1.0", "IfNotPresent")]}
	good := {"containers": [_c("app", "ghcr.io/acme/api:1.0", "Always")]}
	every kind in _controllers {
		count(violation) == 1 with input as _review(_templated(kind, bad), {})
		count(violation) == 0 with input as _review(_templated(kind, good), {})
	}
}

test_cronjob_denied if {
	some v in violation with input as _review(_cronjob({"containers": [_unset("report", "python:3.12")]}), {})
	v.details.path == "spec.jobTemplate.spec.template.spec.containers[0]"
}

test_cronjob_allowed if {
	obj := _cronjob({"containers": [_c("report", "python:3.12", "Always")]})
	count(violation) == 0 with input as _review(obj, {})
}

test_non_workload_ignored if {
	obj := {"kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}
	count(violation) == 0 with input as _review(obj, {})
}

# --- messages ---

test_message_explicit if {
	some v in violation with input as _in(_c("app", "nginx:1.27", "Never"), ["Always", "IfNotPresent"])
	v.msg == concat("", [
		`Pod web: container "app" (spec.containers[0]) has imagePullPolicy "Never"; `,
		`set imagePullPolicy to Always or IfNotPresent`,
	])
	v.details.defaulted == false
}

test_message_defaulted_from_tag if {
	some v in violation with input as _in(_unset("app", "nginx:1.27"), ["Always"])
	contains(v.msg, `has no imagePullPolicy, so Kubernetes defaults it to "IfNotPresent"`)
	contains(v.msg, `for image "nginx:1.27" (tag 1.27); set imagePullPolicy to Always`)
}

test_message_defaulted_from_digest if {
	image := concat("@", ["nginx", _digest])
	some v in violation with input as _in(_unset("app", image), ["Always"])
	contains(v.msg, "(pinned by digest)")
}

test_message_defaulted_from_latest if {
	some v in violation with input as _in(_unset("app", "nginx"), ["IfNotPresent"])
	contains(v.msg, `defaults it to "Always" for image "nginx" (no tag, which means latest)`)
}

test_message_defaulted_from_explicit_latest if {
	some v in violation with input as _in(_unset("app", "nginx:latest"), ["IfNotPresent"])
	contains(v.msg, `defaults it to "Always" for image "nginx:latest" (tag latest)`)
}

test_message_uses_generate_name if {
	obj := {"kind": "Pod", "metadata": {"generateName": "web-7d9f-"}, "spec": {"containers": [_unset("app", "nginx:1")]}}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "Pod web-7d9f-<generated>:")
}
