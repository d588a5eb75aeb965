package k8sdisallowedrepositories

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

# _in(image, repositories): one Pod with one container, checked against a deny-list.
_in(image, repositories) := _review(_pod([_c("app", image)]), {"repositories": repositories})

_digest := "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"

_controllers := ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"]

# --- prefixes and their boundaries ---

test_organisation_prefix_denied if count(violation) == 1 with input as _in("quay.io/acme/api:1.0", ["quay.io/acme/"])

test_other_organisation_allowed if count(violation) == 0 with input as _in("quay.io/other/api:1.0", ["quay.io/acme/"])

test_prefix_stops_at_a_path_boundary if {
	count(violation) == 1 with input as _in("quay.io/acme/api:1.0", ["quay.io/acme"])
	count(violation) == 0 with input as _in("quay.io/acme-tools/api:1.0", ["quay.io/acme"])
}

test_repository_entry_covers_tags_and_digests if {
	count(violation) == 1 with input as _in("quay.io/acme/api", ["quay.io/acme/api"])
	count(violation) == 1 with input as _in("quay.io/acme/api:2.0", ["quay.io/acme/api"])
	count(violation) == 1 with input as _in(concat("@", ["quay.io/acme/api", _digest]), ["quay.io/acme/api"])
	count(violation) == 0 with input as _in("quay.io/acme/api-gateway:2.0", ["quay.io/acme/api"])
}

test_tag_entry if {
	count(violation) == 1 with input as _in("nginx:1.19", ["nginx:1.19"])
	count(violation) == 0 with input as _in("nginx:1.27", ["nginx:1.19"])
	count(violation) == 0 with input as _in("nginx:1.19.10", ["nginx:1.19"])
	count(violation) == 1 with input as _in("nginx:1.19.10", ["nginx:1.*"])
	count(violation) == 1 with input as _in(concat("@", ["nginx:1.19", _digest]), ["nginx:1.19"])
}

test_glob_prefix_has_no_boundary if {
	count(violation) == 1 with input as _in("ghcr.io/acme/tmp-build/api:1", ["ghcr.io/acme/tmp-*"])
	count(violation) == 0 with input as _in("ghcr.io/acme/api:1", ["ghcr.io/acme/tmp-*"])
}

# --- hosts ---

test_host_entry_denies_the_whole_registry if {
	count(violation) == 1 with input as _in("quay.io/prometheus/prometheus:v2.53.0", ["quay.io"])
	count(violation) == 0 with input as _in("quay.io.example.com/prometheus/prometheus:v2.53.0", ["quay.io"])
}

test_host_entry_also_denies_its_ports if {
	count(violation) == 1 with input as _in("quay.io:443/prometheus/prometheus:v2.53.0", ["quay.io"])
	count(violation) == 1 with input as _in("quay.io:443/acme/api:1", ["quay.io/acme/"])
}

test_host_with_port_entry if {
	count(violation) == 1 with input as _in("registry.example.com:5000/legacy/app:3", ["registry.example.com:5000"])
	count(violation) == 0 with input as _in("registry.example.com:5001/legacy/app:3", ["registry.example.com:5000"])
	count(violation) == 1 with input as _in("registry.example.com:5000/legacy/app", ["registry.example.com:5000/legacy/"])
}

test_hosts_compare_without_case if {
	count(violation) == 1 with input as _in("Quay.IO/acme/api:1", ["quay.io/acme/"])
	count(violation) == 1 with input as _in("quay.io/acme/api:1", ["QUAY.io"])
}

# --- Docker Hub: every spelling of the same image ---

test_docker_hub_short_name if {
	every image in ["busybox", "busybox:1.36", "library/busybox:1.36", "docker.io/library/busybox:1.36"] {
		count(violation) == 1 with input as _in(image, ["busybox"])
	}
}

test_docker_hub_qualified_entry if {
	every image in ["busybox:1.36", "index.docker.io/library/busybox", "registry-1.docker.io/library/busybox:1"] {
		count(violation) == 1 with input as _in(image, ["docker.io/library/busybox"])
	}
}

test_docker_hub_name_is_not_a_prefix_of_another_name if {
	count(violation) == 0 with input as _in("busyboxplus:curl", ["busybox"])
	count(violation) == 0 with input as _in("nginxinc/nginx-unprivileged:1.27", ["nginx"])
}

test_docker_hub_as_a_whole if {
	count(violation) == 0 with input as _in("ghcr.io/acme/api:1", ["docker.io"])
	every image in ["nginx", "bitnami/redis:7.2", "docker.io/library/nginx:1.27", "myteam/app:3"] {
		count(violation) == 1 with input as _in(image, ["docker.io"])
	}
}

test_docker_hub_organisation if {
	count(violation) == 1 with input as _in("docker.io/bitnami/redis:7.2", ["bitnami/"])
	count(violation) == 1 with input as _in("bitnami/redis:7.2", ["docker.io/bitnami/"])
}

test_docker_hub_path_that_looks_like_a_host if {
	count(violation) == 0 with input as _in("docker.io/quay.io/acme/api:1", ["quay.io/acme/"])
}

test_spellings if {
	spellings("busybox") == {"busybox", "library/busybox", "docker.io/library/busybox"}
	spellings("quay.io:443/acme/api:1") == {"quay.io:443/acme/api:1", "quay.io/acme/api:1"}
	pinned := concat("@", ["ghcr.io/acme/api:1", _digest])
	spellings(pinned) == {pinned}
}

# --- parameters ---

test_every_matching_entry_is_named_once if {
	count(violation) == 1 with input as _in("quay.io/acme/api:1", ["quay.io", "quay.io/acme/"])
	some v in violation with input as _in("quay.io/acme/api:1", ["quay.io", "quay.io/acme/", "docker.io"])
	v.details.repositories == {"quay.io", "quay.io/acme/"}
	contains(v.msg, "the disallowed repository quay.io, quay.io/acme/;")
}

test_empty_list_denies_nothing if count(violation) == 0 with input as _in("busybox", [])

test_no_parameters_denies_nothing if {
	count(violation) == 0 with input as {"review": {"object": _pod([_c("app", "busybox")])}}
}

# --- every container kind and workload ---

test_init_container_denied if {
	spec := {"containers": [_c("app", "ghcr.io/acme/api:1")], "initContainers": [_c("setup", "busybox:1.36")]}
	some v in violation with input as _review(_pod_spec(spec), {"repositories": ["busybox"]})
	v.details.path == "spec.initContainers[0]"
	v.details.field == "spec.initContainers[0].image"
}

test_ephemeral_container_denied if {
	spec := {"containers": [_c("app", "ghcr.io/acme/api:1")], "ephemeralContainers": [_c("debug", "nicolaka/netshoot")]}
	some v in violation with input as _review(_pod_spec(spec), {"repositories": ["nicolaka/"]})
	v.details.container == "debug"
}

test_every_offending_container_reported if {
	spec := {"containers": [_c("a", "busybox"), _c("b", "ghcr.io/acme/b:1"), _c("c", "busybox:1.36")]}
	count(violation) == 2 with input as _review(_pod_spec(spec), {"repositories": ["busybox"]})
}

test_controllers if {
	bad := {"containers": [_c("app", "docker.io/library/busybox:1.36")]}
	good := {"containers": [_c("app", "ghcr.io/acme/api:1")]}
	every kind in _controllers {
		count(violation) == 1 with input as _review(_templated(kind, bad), {"repositories": ["busybox"]})
		count(violation) == 0 with input as _review(_templated(kind, good), {"repositories": ["busybox"]})
	}
}

test_cronjob if {
	bad := _cronjob({"containers": [_c("report", "busybox:1.36")]})
	some v in violation with input as _review(bad, {"repositories": ["busybox"]})
	v.details.path == "spec.jobTemplate.spec.template.spec.containers[0]"
	good := _cronjob({"containers": [_c("report", "ghcr.io/acme/report:2")]})
	count(violation) == 0 with input as _review(good, {"repositories": ["busybox"]})
}

test_container_without_image_ignored if {
	count(violation) == 0 with input as _review(_pod([{"name": "app"}]), {"repositories": ["busybox"]})
}

test_non_workload_ignored if {
	obj := {"kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"image": "busybox"}}
	count(violation) == 0 with input as _review(obj, {"repositories": ["busybox"]})
}

# --- messages ---

test_message if {
	some v in violation with input as _in("busybox:1.36", ["busybox"])
	v.msg == concat("", [
		`Pod web: container "app" (spec.containers[0]) image "busybox:1.36" is from the disallowed repository `,
		`busybox; use an image from an approved source`,
	])
}

test_message_uses_generate_name if {
	obj := {"kind": "Pod", "metadata": {"generateName": "api-5c8d-"}, "spec": {"containers": [_c("app", "busybox")]}}
	some v in violation with input as _review(obj, {"repositories": ["busybox"]})
	startswith(v.msg, "Pod api-5c8d-<generated>:")
}
