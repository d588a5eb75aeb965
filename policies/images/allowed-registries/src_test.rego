package k8sallowedregistries

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

# _in(image, registries): one Pod with one container, checked against an allow-list.
_in(image, registries) := _review(_pod([_c("app", image)]), {"registries": registries})

_digest := "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"

_controllers := ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"]

# --- host entries: exact host, port included ---

test_host_allows_its_images if count(violation) == 0 with input as _in("ghcr.io/acme/api:1.4.0", ["ghcr.io"])

test_host_is_not_a_prefix_of_another_host if {
	count(violation) == 1 with input as _in("ghcr.io.evil.com/x", ["ghcr.io"])
}

test_host_in_the_path_does_not_count if {
	count(violation) == 1 with input as _in("evil.com/ghcr.io/acme/api:1.0", ["ghcr.io"])
}

test_host_without_port_does_not_match_host_with_port if {
	count(violation) == 1 with input as _in("ghcr.io:443/acme/api:1.0", ["ghcr.io"])
	count(violation) == 1 with input as _in("registry.example.com:5000/team/app:1.2", ["registry.example.com"])
}

test_host_with_port_matches_exactly if {
	count(violation) == 0 with input as _in("registry.example.com:5000/team/app:1.2", ["registry.example.com:5000"])
	count(violation) == 0 with input as _in("registry.example.com:5000/team/app", ["registry.example.com:5000"])
	count(violation) == 1 with input as _in("registry.example.com:5001/team/app:1.2", ["registry.example.com:5000"])
	count(violation) == 1 with input as _in("registry.example.com/team/app:1.2", ["registry.example.com:5000"])
}

test_host_comparison_ignores_case if count(violation) == 0 with input as _in("ghcr.io/acme/api:1.0", ["GHCR.io"])

test_localhost_registry if {
	count(violation) == 0 with input as _in("localhost:5000/app:dev", ["localhost:5000"])
	count(violation) == 0 with input as _in("localhost/app:dev", ["localhost"])
	count(violation) == 1 with input as _in("localhost:5000/app:dev", ["localhost"])
}

# --- Docker Hub: bare names are docker.io ---

test_docker_hub_host_allows_bare_names if {
	every image in ["nginx", "nginx:1.27", "bitnami/redis:7.2", "docker.io/library/nginx:1.27", "myteam/app:3"] {
		count(violation) == 0 with input as _in(image, ["docker.io"])
	}
}

test_docker_hub_aliases if {
	count(violation) == 0 with input as _in("index.docker.io/library/nginx:1.27", ["docker.io"])
	count(violation) == 0 with input as _in("registry-1.docker.io/bitnami/redis:7.2", ["docker.io"])
	count(violation) == 0 with input as _in("nginx:1.27", ["index.docker.io"])
}

test_bare_name_is_not_from_another_registry if {
	some v in violation with input as _in("nginx:1.27", ["ghcr.io", "quay.io"])
	v.details.registry == "docker.io"
}

test_docker_hub_host_denies_other_registries if {
	count(violation) == 1 with input as _in("quay.io/prometheus/prometheus:v2.53.0", ["docker.io"])
}

# --- host wildcards: "*" is one DNS label ---

test_wildcard_host_label if {
	count(violation) == 0 with input as _in("eu.gcr.io/project/app:1", ["*.gcr.io"])
	count(violation) == 1 with input as _in("gcr.io/project/app:1", ["*.gcr.io"])
	count(violation) == 1 with input as _in("eu.gcr.io.evil.com/project/app:1", ["*.gcr.io"])
}

test_wildcard_ecr_host if {
	ecr := "*.dkr.ecr.*.amazonaws.com"
	count(violation) == 0 with input as _in("123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:2.0", [ecr])
	count(violation) == 1 with input as _in("123456789012.dkr.ecr.eu-west-1.evil.com/api:2.0", [ecr])
}

test_wildcard_port if {
	count(violation) == 0 with input as _in("registry.acme.com:5000/app:1", ["registry.acme.com:*"])
}

# --- prefix entries ---

test_prefix_with_slash if {
	count(violation) == 0 with input as _in("ghcr.io/acme/api:1.0", ["ghcr.io/acme/"])
	count(violation) == 1 with input as _in("ghcr.io/other/api:1.0", ["ghcr.io/acme/"])
	count(violation) == 1 with input as _in("ghcr.io.evil.com/acme/api:1.0", ["ghcr.io/acme/"])
}

test_prefix_stops_at_a_path_boundary if {
	count(violation) == 0 with input as _in("ghcr.io/acme/api:1.0", ["ghcr.io/acme"])
	count(violation) == 1 with input as _in("ghcr.io/acme-evil/api:1.0", ["ghcr.io/acme"])
}

test_prefix_of_a_repository_admits_its_tags_and_digests if {
	count(violation) == 0 with input as _in("ghcr.io/acme/api", ["ghcr.io/acme/api"])
	count(violation) == 0 with input as _in("ghcr.io/acme/api:1.0", ["ghcr.io/acme/api"])
	count(violation) == 0 with input as _in(concat("@", ["ghcr.io/acme/api", _digest]), ["ghcr.io/acme/api"])
	count(violation) == 1 with input as _in("ghcr.io/acme/api-internal:1.0", ["ghcr.io/acme/api"])
}

test_prefix_ending_in_tag_separator if {
	count(violation) == 0 with input as _in("ghcr.io/acme/api:1.0", ["ghcr.io/acme/api:"])
}

test_pinned_image_entry if {
	count(violation) == 0 with input as _in("nginx:1.27", ["docker.io/library/nginx:1.27"])
	count(violation) == 1 with input as _in("nginx:1.26", ["docker.io/library/nginx:1.27"])
	count(violation) == 1 with input as _in("nginx:1.27.1", ["docker.io/library/nginx:1.27"])
}

test_glob_prefix_has_no_boundary if {
	count(violation) == 0 with input as _in("ghcr.io/acme/team-payments/api:1", ["ghcr.io/acme/team-*"])
	count(violation) == 1 with input as _in("ghcr.io/acme/infra/api:1", ["ghcr.io/acme/team-*"])
}

test_docker_hub_library_prefix if {
	count(violation) == 1 with input as _in("bitnami/redis:7.2", ["docker.io/library/"])
	every image in ["nginx:1.27", "library/nginx:1.27", "docker.io/nginx:1.27", "index.docker.io/library/nginx"] {
		count(violation) == 0 with input as _in(image, ["docker.io/library/"])
	}
}

test_docker_hub_library_name if {
	count(violation) == 0 with input as _in("nginx:1.27", ["library/nginx"])
	count(violation) == 0 with input as _in("docker.io/library/nginx:1.27", ["library/"])
}

test_docker_hub_path_that_looks_like_a_host if {
	count(violation) == 1 with input as _in("docker.io/ghcr.io/acme/api:1", ["ghcr.io/acme/"])
	count(violation) == 1 with input as _in("docker.io/ghcr.io/acme/api:1", ["ghcr.io"])
}

test_docker_hub_organisation_prefix if {
	count(violation) == 0 with input as _in("bitnami/redis:7.2", ["docker.io/bitnami/"])
	count(violation) == 0 with input as _in("docker.io/bitnami/redis:7.2", ["bitnami/"])
	count(violation) == 1 with input as _in("bitnamilegacy/redis:7.2", ["docker.io/bitnami"])
}

test_prefix_with_registry_port if {
	count(violation) == 0 with input as _in("registry.example.com:5000/team/app:1.2", ["registry.example.com:5000/team/"])
	count(violation) == 1 with input as _in("registry.example.com/team/app:1.2", ["registry.example.com:5000/team/"])
}

test_spellings if {
	spellings("nginx") == {"nginx", "library/nginx", "docker.io/library/nginx"}
	spellings("docker.io/bitnami/redis:7.2") == {"docker.io/bitnami/redis:7.2", "bitnami/redis:7.2"}
	spellings("GHCR.io/acme/api:1") == {"GHCR.io/acme/api:1", "ghcr.io/acme/api:1"}
	spellings(concat("@", ["ghcr.io/acme/api:1", _digest])) == {concat("@", ["ghcr.io/acme/api:1", _digest])}
	pinned := concat("@", ["nginx", _digest])
	spellings(pinned) == {
		pinned,
		concat("@", ["library/nginx", _digest]),
		concat("@", ["docker.io/library/nginx", _digest]),
	}
}

# --- parameters ---

test_any_entry_may_match if {
	registries := ["ghcr.io/acme/", "registry.example.com:5000", "docker.io/library/"]
	spec := {
		"containers": [_c("api", "ghcr.io/acme/api:1"), _c("cache", "redis:7.2")],
		"initContainers": [_c("init", "registry.example.com:5000/tools/migrate:4")],
	}
	count(violation) == 0 with input as _review(_pod_spec(spec), {"registries": registries})
}

test_empty_list_allows_nothing if {
	some v in violation with input as _in("ghcr.io/acme/api:1.0", [])
	contains(v.msg, "use an image from none (the registries parameter is empty)")
}

test_no_parameters_allows_nothing if {
	count(violation) == 1 with input as {"review": {"object": _pod([_c("app", "nginx:1.27")])}}
}

# --- every container kind and workload ---

test_init_container_denied if {
	spec := {"containers": [_c("app", "ghcr.io/acme/api:1")], "initContainers": [_c("setup", "busybox:1.36")]}
	some v in violation with input as _review(_pod_spec(spec), {"registries": ["ghcr.io"]})
	v.details.path == "spec.initContainers[0]"
	v.details.field == "spec.initContainers[0].image"
}

test_ephemeral_container_denied if {
	spec := {"containers": [_c("app", "ghcr.io/acme/api:1")], "ephemeralContainers": [_c("debug", "nicolaka/netshoot")]}
	some v in violation with input as _review(_pod_spec(spec), {"registries": ["ghcr.io"]})
	v.details.container == "debug"
}

test_every_offending_container_reported if {
	spec := {"containers": [_c("a", "nginx:1.27"), _c("b", "ghcr.io/acme/b:1"), _c("c", "quay.io/org/c:1")]}
	count(violation) == 2 with input as _review(_pod_spec(spec), {"registries": ["ghcr.io"]})
}

test_controllers if {
	bad := {"containers": [_c("app", "docker.io/library/nginx:1.27")]}
	good := {"containers": [_c("app", "ghcr.io/acme/api:1")]}
	every kind in _controllers {
		count(violation) == 1 with input as _review(_templated(kind, bad), {"registries": ["ghcr.io"]})
		count(violation) == 0 with input as _review(_templated(kind, good), {"registries": ["ghcr.io"]})
	}
}

test_cronjob if {
	bad := _cronjob({"containers": [_c("report", "python:3.12")]})
	some v in violation with input as _review(bad, {"registries": ["ghcr.io"]})
	v.details.path == "spec.jobTemplate.spec.template.spec.containers[0]"
	good := _cronjob({"containers": [_c("report", "ghcr.io/acme/report:2")]})
	count(violation) == 0 with input as _review(good, {"registries": ["ghcr.io"]})
}

test_container_without_image_ignored if {
	count(violation) == 0 with input as _review(_pod([{"name": "app"}]), {"registries": ["ghcr.io"]})
}

test_non_workload_ignored if {
	obj := {"kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"image": "nginx"}}
	count(violation) == 0 with input as _review(obj, {"registries": ["ghcr.io"]})
}

# --- messages ---

test_message if {
	some v in violation with input as _in("nginx:1.27", ["ghcr.io/acme/", "registry.example.com:5000"])
	v.msg == concat("", [
		`Pod web: container "app" (spec.containers[0]) image "nginx:1.27" comes from registry "docker.io", `,
		`which is not allowed; use an image from ghcr.io/acme/, registry.example.com:5000`,
	])
}

test_message_uses_generate_name if {
	obj := {"kind": "Pod", "metadata": {"generateName": "api-5c8d-"}, "spec": {"containers": [_c("app", "nginx")]}}
	some v in violation with input as _review(obj, {"registries": ["ghcr.io"]})
	startswith(v.msg, "Pod api-5c8d-<generated>:")
}
