package k8slatesttag

_review(obj, params) := {"review": {"object": obj}, "parameters": params}

_c(name, image) := {"name": name, "image": image}

_pod(containers) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": {"containers": containers}}

_pod_spec(spec) := {"kind": "Pod", "metadata": {"name": "web"}, "spec": spec}

_templated(kind, spec) := {"kind": kind, "metadata": {"name": "app"}, "spec": {"template": {"spec": spec}}}

_cronjob(spec) := {
	"kind": "CronJob",
	"metadata": {"name": "nightly"},
	"spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}},
}

_image(image) := _review(_pod([_c("app", image)]), {})

_digest := "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"

# --- tags and digests ---

test_explicit_latest_denied if count(violation) == 1 with input as _image("nginx:latest")

test_no_tag_denied if count(violation) == 1 with input as _image("nginx")

test_no_tag_with_path_denied if count(violation) == 1 with input as _image("ghcr.io/acme/api")

test_version_tag_allowed if count(violation) == 0 with input as _image("nginx:1.25.3")

test_digest_only_allowed if {
	count(violation) == 0 with input as _image(concat("@", ["ghcr.io/acme/api", _digest]))
}

test_latest_pinned_by_digest_allowed if {
	count(violation) == 0 with input as _image(concat("@", ["nginx:latest", _digest]))
}

test_tag_that_only_starts_with_latest_allowed if count(violation) == 0 with input as _image("nginx:latest-alpine")

test_tag_names_are_case_sensitive if count(violation) == 0 with input as _image("nginx:LATEST")

# --- registries with ports: the port is not a tag ---

test_registry_port_without_tag_denied if {
	count(violation) == 1 with input as _image("registry.example.com:5000/team/app")
}

test_registry_port_with_latest_denied if {
	count(violation) == 1 with input as _image("registry.example.com:5000/team/app:latest")
}

test_registry_port_with_version_allowed if {
	count(violation) == 0 with input as _image("registry.example.com:5000/team/app:2.1.0")
}

test_localhost_port_without_tag_denied if count(violation) == 1 with input as _image("localhost:5000/app")

# --- every container kind ---

test_init_container_denied if {
	spec := {"containers": [_c("app", "nginx:1.25")], "initContainers": [_c("migrate", "flyway/flyway")]}
	some v in violation with input as _review(_pod_spec(spec), {})
	v.details.path == "spec.initContainers[0]"
	v.details.container == "migrate"
}

test_ephemeral_container_denied if {
	spec := {"containers": [_c("app", "nginx:1.25")], "ephemeralContainers": [_c("debug", "busybox:latest")]}
	some v in violation with input as _review(_pod_spec(spec), {})
	v.details.field == "spec.ephemeralContainers[0].image"
}

test_every_offending_container_reported if {
	spec := {
		"containers": [_c("a", "nginx"), _c("b", "redis:7.2"), _c("c", "busybox:latest")],
		"initContainers": [_c("i", "alpine")],
	}
	count(violation) == 3 with input as _review(_pod_spec(spec), {})
}

test_container_without_image_ignored if {
	count(violation) == 0 with input as _review(_pod([{"name": "app"}]), {})
}

# --- workload controllers ---

test_controllers_denied if {
	spec := {"containers": [_c("app", "nginx:latest")]}
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		count(violation) == 1 with input as _review(_templated(kind, spec), {})
	}
}

test_controllers_allowed if {
	spec := {"containers": [_c("app", "nginx:1.25")]}
	every kind in ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"] {
		count(violation) == 0 with input as _review(_templated(kind, spec), {})
	}
}

test_cronjob_denied if {
	some v in violation with input as _review(_cronjob({"containers": [_c("report", "python")]}), {})
	v.details.path == "spec.jobTemplate.spec.template.spec.containers[0]"
	startswith(v.msg, "CronJob nightly:")
}

test_cronjob_allowed if {
	count(violation) == 0 with input as _review(_cronjob({"containers": [_c("report", "python:3.12")]}), {})
}

test_non_workload_ignored if {
	obj := {"kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}
	count(violation) == 0 with input as _review(obj, {})
}

# --- parameters ---

test_no_parameters_at_all if {
	count(violation) == 1 with input as {"review": {"object": _pod([_c("app", "nginx")])}}
}

test_exempt_image_prefix if {
	params := {"exemptImages": ["registry.k8s.io/pause"]}
	count(violation) == 0 with input as _review(_pod([_c("pause", "registry.k8s.io/pause")]), params)
}

test_exempt_image_glob if {
	params := {"exemptImages": ["ghcr.io/acme/dev-*"]}
	count(violation) == 0 with input as _review(_pod([_c("app", "ghcr.io/acme/dev-sandbox:latest")]), params)
}

test_exemption_only_for_matching_images if {
	params := {"exemptImages": ["registry.k8s.io/"]}
	count(violation) == 1 with input as _review(_pod([_c("app", "nginx:latest")]), params)
}

# --- messages ---

test_message_for_implicit_latest if {
	some v in violation with input as _review(_pod([_c("app", "nginx")]), {})
	v.msg == concat("", [
		`Pod web: container "app" (spec.containers[0]) image "nginx" has no tag, so it resolves to the mutable `,
		`tag latest; pin an explicit version tag (e.g. nginx:1.2.3) or a digest (@sha256:...)`,
	])
	v.details.value == "nginx"
}

test_message_for_explicit_latest if {
	some v in violation with input as _review(_pod([_c("app", "registry.example.com:5000/app:latest")]), {})
	contains(v.msg, `image "registry.example.com:5000/app:latest" uses the mutable tag latest`)
	contains(v.msg, "e.g. registry.example.com:5000/app:1.2.3")
}

test_message_uses_generate_name if {
	obj := {"kind": "Pod", "metadata": {"generateName": "web-7d9f-"}, "spec": {"containers": [_c("app", "nginx")]}}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "Pod web-7d9f-<generated>:")
}
