package lib.images

test_bare_name_is_docker_hub_implicit_latest if {
	parse("nginx") == {"registry": "docker.io", "repository": "nginx", "tag": "latest", "digest": "", "implicit_tag": true}
	uses_latest("nginx")
}

test_tag if {
	p := parse("nginx:1.25")
	p.tag == "1.25"
	not p.implicit_tag
	not uses_latest("nginx:1.25")
}

test_registry_with_port_is_not_a_tag if {
	p := parse("registry.example.com:5000/team/app")
	p.registry == "registry.example.com:5000"
	p.repository == "team/app"
	p.tag == "latest"
	p.implicit_tag
}

test_registry_port_tag_and_digest if {
	p := parse("registry.example.com:5000/team/app:1.2@sha256:abcd")
	p.registry == "registry.example.com:5000"
	p.repository == "team/app"
	p.tag == "1.2"
	p.digest == "sha256:abcd"
}

test_digest_only_has_no_tag if {
	p := parse("ghcr.io/org/app@sha256:ff")
	p.tag == ""
	p.digest == "sha256:ff"
	not p.implicit_tag
	not uses_latest("ghcr.io/org/app@sha256:ff")
}

test_localhost_registry if {
	parse("localhost/app:dev").registry == "localhost"
}

test_explicit_latest if {
	uses_latest("quay.io/org/app:latest")
}

test_matches_prefix if {
	matches_prefix("ghcr.io/org/app:1", ["docker.io/", "ghcr.io/org/"])
	matches_prefix("ghcr.io/org/app:1", ["ghcr.io/*"])
	not matches_prefix("evil.io/ghcr.io/org/app", ["ghcr.io/"])
}
