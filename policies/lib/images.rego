# Container image references: registry (with port), repository, tag, digest.
package lib.images

# parse(ref) splits an image reference the way container runtimes do:
#   "registry.example.com:5000/team/app:1.2@sha256:ab.." -> registry, repository, tag, digest.
# The first path component is a registry only when it has a dot or a port, or is
# "localhost"; otherwise the image is on docker.io. A missing tag is an implicit latest.
parse(ref) := {
	"registry": registry,
	"repository": repository,
	"tag": tag,
	"digest": digest,
	"implicit_tag": implicit,
} if {
	name_and_tag := _without_digest(ref)
	digest := _digest(ref)
	parts := split(name_and_tag, "/")
	registry := _registry(parts)
	path := _path(parts, registry)
	tag := _tag(path, digest)
	repository := _repository(path)
	implicit := _implicit(path, digest)
}

_without_digest(ref) := substring(ref, 0, indexof(ref, "@")) if contains(ref, "@")

_without_digest(ref) := ref if not contains(ref, "@")

_digest(ref) := substring(ref, indexof(ref, "@") + 1, -1) if contains(ref, "@")

_digest(ref) := "" if not contains(ref, "@")

_is_registry(first) if contains(first, ".")

_is_registry(first) if contains(first, ":")

_is_registry("localhost")

_registry(parts) := parts[0] if {
	count(parts) > 1
	_is_registry(parts[0])
}

_registry(parts) := "docker.io" if {
	count(parts) > 1
	not _is_registry(parts[0])
}

_registry(parts) := "docker.io" if count(parts) == 1

# _path is the repository path with its tag, without the registry.
_path(parts, registry) := concat("/", array.slice(parts, 1, count(parts))) if {
	count(parts) > 1
	_is_registry(parts[0])
	registry == parts[0]
}

_path(parts, registry) := concat("/", parts) if {
	registry == "docker.io"
	not _explicit_docker(parts)
}

_explicit_docker(parts) if {
	count(parts) > 1
	_is_registry(parts[0])
}

# The tag follows the last ":" of the path (the registry's port is not in the path).
_tag(path, _) := substring(path, indexof(path, ":") + 1, -1) if contains(path, ":")

_tag(path, digest) := "" if {
	not contains(path, ":")
	digest != ""
}

_tag(path, "") := "latest" if not contains(path, ":")

_repository(path) := substring(path, 0, indexof(path, ":")) if contains(path, ":")

_repository(path) := path if not contains(path, ":")

_implicit(path, digest) if {
	not contains(path, ":")
	digest == ""
}

_implicit(path, _) := false if contains(path, ":")

_implicit(path, digest) := false if {
	not contains(path, ":")
	digest != ""
}

# uses_latest(ref) holds for ":latest" and for a reference with neither tag nor digest.
uses_latest(ref) if parse(ref).tag == "latest"

# matches_prefix(ref, prefixes) holds when ref starts with one of the prefixes; a
# prefix ending in "*" is a glob on the rest.
matches_prefix(ref, prefixes) if {
	some prefix in prefixes
	startswith(ref, trim_suffix(prefix, "*"))
}
