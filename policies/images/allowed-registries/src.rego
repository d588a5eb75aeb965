package k8sallowedregistries

import data.lib.images
import data.lib.objects
import data.lib.pods

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	image := entry.container.image
	not allowed(image)
	registry := images.parse(image).registry
	msg := sprintf(
		"%s %s: container %q (%s) image %q comes from registry %q, which is not allowed; use an image from %s",
		[obj.kind, objects.name(obj), entry.name, entry.path, image, registry, allowed_text],
	)
	details := {
		"container": entry.name,
		"path": entry.path,
		"field": sprintf("%s.image", [entry.path]),
		"value": image,
		"registry": registry,
	}
}

# An empty list allows no registry at all: an allow-list fails closed.
registries := object.get(input, ["parameters", "registries"], [])

allowed_text := concat(", ", registries) if count(registries) > 0

allowed_text := "none (the registries parameter is empty)" if count(registries) == 0

allowed(image) if {
	some entry in registries
	matches(image, entry)
}

# An entry without "/" is a registry host, with its port if it has one, and matches that
# host exactly: "ghcr.io" matches neither "ghcr.io.evil.com" nor "ghcr.io:443". A "*"
# stands for one DNS label ("*.gcr.io", "registry.acme.com:*"). Bare names such as
# "nginx" or "bitnami/redis" are on docker.io.
matches(image, entry) if {
	not contains(entry, "/")
	host := hub_alias(lower(images.parse(image).registry))
	glob.match(hub_alias(lower(entry)), ["."], host)
}

# An entry with "/" is a prefix of the full reference, compared with every spelling of it
# ("nginx" is also "docker.io/library/nginx"). It ends at a path, tag or digest boundary,
# so "ghcr.io/acme" admits "ghcr.io/acme/api" but not "ghcr.io/acme-evil/api".
matches(image, entry) if {
	contains(entry, "/")
	not endswith(entry, "*")
	some spelling in spellings(image)
	startswith(spelling, entry)
	at_boundary(spelling, entry)
}

# A trailing "*" makes the entry a plain prefix with no boundary ("ghcr.io/acme/team-*").
matches(image, entry) if {
	contains(entry, "/")
	endswith(entry, "*")
	some spelling in spellings(image)
	startswith(spelling, trim_suffix(entry, "*"))
}

at_boundary(_, entry) if substring(entry, count(entry) - 1, 1) in {"/", ":", "@"}

at_boundary(spelling, entry) if substring(spelling, count(entry), 1) in {"", "/", ":", "@"}

# index.docker.io and registry-1.docker.io are Docker Hub's own names for docker.io.
hub_alias(host) := "docker.io" if host in {"index.docker.io", "registry-1.docker.io"}

hub_alias(host) := host if not host in {"index.docker.io", "registry-1.docker.io"}

# spellings(image) is the reference as written and fully qualified, with a lower-case host
# ("docker.io/library/nginx:1.27"); Docker Hub images also in their short forms
# ("nginx:1.27", "library/nginx:1.27").
spellings(image) := {image, qualified(ref)} | short_forms(ref) if ref := images.parse(image)

# A short form counts only while it still names a Docker Hub image: "docker.io/ghcr.io/x"
# must not be read as "ghcr.io/x".
short_forms(ref) := {form |
	on_docker_hub(ref)
	some form in [hub_path(ref), short(ref)]
	on_docker_hub(images.parse(form))
}

on_docker_hub(ref) if hub_alias(lower(ref.registry)) == "docker.io"

qualified(ref) := concat("", [hub_alias(lower(ref.registry)), "/", hub_path(ref)])

hub_path(ref) := concat("", [hub_repository(ref), suffix(ref)])

short(ref) := concat("", [trim_prefix(ref.repository, "library/"), suffix(ref)])

# Official Docker Hub images live under library/: "nginx" is "docker.io/library/nginx".
hub_repository(ref) := concat("/", ["library", ref.repository]) if official_image(ref)

hub_repository(ref) := ref.repository if not official_image(ref)

official_image(ref) if {
	on_docker_hub(ref)
	not contains(ref.repository, "/")
}

# The tag as written (an implicit latest is not spelt out), then the digest.
suffix(ref) := concat("", [tag_part(ref), digest_part(ref)])

tag_part(ref) := concat(":", ["", ref.tag]) if explicit_tag(ref)

tag_part(ref) := "" if not explicit_tag(ref)

explicit_tag(ref) if {
	not ref.implicit_tag
	ref.tag != ""
}

digest_part(ref) := concat("@", ["", ref.digest]) if ref.digest != ""

digest_part(ref) := "" if ref.digest == ""
