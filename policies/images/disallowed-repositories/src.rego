package k8sdisallowedrepositories

import data.lib.images
import data.lib.objects
import data.lib.pods

violation contains {"msg": msg, "details": details} if {
	obj := input.review.object
	some entry in pods.containers(obj)
	image := entry.container.image
	matched := {repository |
		some repository in object.get(input, ["parameters", "repositories"], [])
		matches(image, repository)
	}
	count(matched) > 0
	msg := sprintf(
		"%s %s: container %q (%s) image %q is from the disallowed repository %s; use an image from an approved source",
		[obj.kind, objects.name(obj), entry.name, entry.path, image, concat(", ", matched)],
	)
	details := {
		"container": entry.name,
		"path": entry.path,
		"field": sprintf("%s.image", [entry.path]),
		"value": image,
		"repositories": matched,
	}
}

# An entry is a prefix of the full reference that ends at a path, tag or digest boundary:
# "quay.io/acme" denies "quay.io/acme/api:1" but not "quay.io/acme-tools/api:1", and
# "busybox" denies "busybox:1.36" but not "busyboxplus". Hosts compare without case.
matches(image, entry) if {
	not endswith(entry, "*")
	prefix := lower(entry)
	some spelling in spellings(image)
	startswith(lower(spelling), prefix)
	at_boundary(lower(spelling), prefix)
}

# A trailing "*" makes the entry a plain prefix with no boundary ("ghcr.io/acme/tmp-*").
matches(image, entry) if {
	endswith(entry, "*")
	some spelling in spellings(image)
	startswith(lower(spelling), lower(trim_suffix(entry, "*")))
}

at_boundary(_, prefix) if substring(prefix, count(prefix) - 1, 1) in {"/", ":", "@"}

at_boundary(spelling, prefix) if substring(spelling, count(prefix), 1) in {"", "/", ":", "@"}

# spellings(image): a deny-list must not be dodged by writing the same image another way.
# The reference as written, fully qualified ("docker.io/library/busybox:1.36"), without the
# registry port ("quay.io:443/x" is still quay.io) and, for Docker Hub, its short forms
# ("busybox:1.36", "library/busybox:1.36").
spellings(image) := {image, qualified(ref), portless(ref)} | short_forms(ref) if ref := images.parse(image)

qualified(ref) := concat("/", [host(ref), hub_path(ref)])

portless(ref) := concat("/", [split(host(ref), ":")[0], hub_path(ref)])

# A short form counts only while it still names a Docker Hub image: "docker.io/quay.io/x"
# is a Docker Hub path, not quay.io.
short_forms(ref) := {form |
	on_docker_hub(ref)
	some form in [hub_path(ref), short(ref)]
	on_docker_hub(images.parse(form))
}

# index.docker.io and registry-1.docker.io are Docker Hub's own names for docker.io.
host(ref) := "docker.io" if lower(ref.registry) in {"index.docker.io", "registry-1.docker.io"}

host(ref) := lower(ref.registry) if not lower(ref.registry) in {"index.docker.io", "registry-1.docker.io"}

on_docker_hub(ref) if host(ref) == "docker.io"

hub_path(ref) := concat("", [repository(ref), suffix(ref)])

short(ref) := concat("", [trim_prefix(ref.repository, "library/"), suffix(ref)])

# Official Docker Hub images live under library/: "busybox" is "docker.io/library/busybox".
repository(ref) := concat("/", ["library", ref.repository]) if official_image(ref)

repository(ref) := ref.repository if not official_image(ref)

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
