package k8simagedigests

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

# _at(name) is name pinned by _digest.
_at(name) := concat("@", [name, _digest])

_controllers := ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"]

# --- references ---

test_digest_allowed if count(violation) == 0 with input as _image(_at("ghcr.io/acme/api"))

test_tag_and_digest_allowed if count(violation) == 0 with input as _image(_at("nginx:1.27.3"))

test_latest_and_digest_allowed if count(violation) == 0 with input as _image(_at("nginx:latest"))

test_registry_port_and_digest_allowed if {
	count(violation) == 0 with input as _image(_at("registry.example.com:5000/team/app:1.2"))
}

test_tag_only_denied if count(violation) == 1 with input as _image("nginx:1.27.3")

test_no_tag_no_digest_denied if count(violation) == 1 with input as _image("nginx")

test_registry_port_is_not_a_digest if count(violation) == 1 with input as _image("registry.example.com:5000/team/app")

test_short_digest_denied if count(violation) == 1 with input as _image("nginx@sha256:abc123")

test_upper_case_digest_denied if {
	count(violation) == 1 with input as _image(concat("@", ["nginx", upper(_digest)]))
}

test_other_algorithm_denied if {
	sha512 := concat("", ["sha512:", concat("", [substring(_digest, 7, 64), substring(_digest, 7, 64)])])
	count(violation) == 1 with input as _image(concat("@", ["nginx", sha512]))
}

test_empty_digest_denied if count(violation) == 1 with input as _image("nginx@")

# --- every container kind ---

test_init_container_denied if {
	spec := {"containers": [_c("app", _at("nginx:1.27"))], "initContainers": [_c("migrate", "flyway/flyway:10")]}
	some v in violation with input as _review(_pod_spec(spec), {})
	v.details.path == "spec.initContainers[0]"
	v.details.field == "spec.initContainers[0].image"
}

test_ephemeral_container_denied if {
	spec := {"containers": [_c("app", _at("nginx:1.27"))], "ephemeralContainers": [_c("debug", "busybox:1.36")]}
	some v in violation with input as _review(_pod_spec(spec), {})
	v.details.container == "debug"
}

test_every_offending_container_reported if {
	spec := {
		"containers": [_c("a", "nginx:1.27"), _c("b", _at("redis:7.2")), _c("c", "busybox")],
		"initContainers": [_c("i", "alpine:3.20")],
	}
	count(violation) == 3 with input as _review(_pod_spec(spec), {})
}

test_container_without_image_ignored if {
	count(violation) == 0 with input as _review(_pod([{"name": "app"}]), {})
}

# --- workload controllers ---

test_controllers if {
	bad := {"containers": [_c("app", "ghcr.io/acme/api:1.0")]}
	good := {"containers": [_c("app", _at("ghcr.io/acme/api:1.0"))]}
	every kind in _controllers {
		count(violation) == 1 with input as _review(_templated(kind, bad), {})
		count(violation) == 0 with input as _review(_templated(kind, good), {})
	}
}

test_cronjob_denied if {
	some v in violation with input as _review(_cronjob({"containers": [_c("report", "python:3.12")]}), {})
	v.details.path == "spec.jobTemplate.spec.template.spec.containers[0]"
}

test_cronjob_allowed if {
	count(violation) == 0 with input as _review(_cronjob({"containers": [_c("report", _at("python:3.12"))]}), {})
}

test_non_workload_ignored if {
	obj := {"kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}
	count(violation) == 0 with input as _review(obj, {})
}

# --- parameters ---

test_no_parameters_at_all if {
	count(violation) == 1 with input as {"review": {"object": _pod([_c("app", "nginx:1.27")])}}
}

test_exempt_image_prefix if {
	params := {"exemptImages": ["registry.example.com/sandbox/"]}
	count(violation) == 0 with input as _review(_pod([_c("app", "registry.example.com/sandbox/tool:1")]), params)
	count(violation) == 1 with input as _review(_pod([_c("app", "registry.example.com/prod/tool:1")]), params)
}

test_exempt_image_glob if {
	params := {"exemptImages": ["ghcr.io/acme/dev-*"]}
	count(violation) == 0 with input as _review(_pod([_c("app", "ghcr.io/acme/dev-sandbox:2")]), params)
}

# --- messages ---

test_message_without_digest if {
	some v in violation with input as _image("nginx:1.27.3")
	v.msg == concat("", [
		`Pod web: container "app" (spec.containers[0]) image "nginx:1.27.3" has no digest; pin it by digest, `,
		`e.g. nginx:1.27.3@sha256:<64 hex digits>`,
	])
	v.details.value == "nginx:1.27.3"
}

test_message_with_malformed_digest if {
	some v in violation with input as _image("nginx:1.27@sha256:abc123")
	contains(v.msg, `has the digest "sha256:abc123", which is not sha256 with 64 hex digits`)
	contains(v.msg, "e.g. nginx:1.27@sha256:")
}

test_message_uses_generate_name if {
	obj := {"kind": "Pod", "metadata": {"generateName": "web-7d9f-"}, "spec": {"containers": [_c("app", "nginx")]}}
	some v in violation with input as _review(obj, {})
	startswith(v.msg, "Pod web-7d9f-<generated>:")
}
