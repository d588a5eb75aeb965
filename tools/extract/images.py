"""Splitting container image references into registry, repository, tag and digest."""

from __future__ import annotations

from tools.extract.models import ImageRef

DEFAULT_REGISTRY = "docker.io"


def _is_registry(component: str) -> bool:
    """The first path component names a registry only with a dot, a port, or as localhost."""
    return "." in component or ":" in component or component == "localhost"


def parse_image(ref: str) -> ImageRef:
    """Splits an image reference the way container runtimes do.

    "registry.example.com:5000/team/app:1.2@sha256:ab" -> registry "registry.example.com:5000",
    repository "team/app", tag "1.2", digest "sha256:ab". Without a registry component the
    image is on docker.io; without tag and digest it is an implicit "latest". Docker Hub's
    official images get their "library/" namespace in `repository` ("nginx" ->
    "library/nginx"); `path` keeps the repository as written.
    """
    raw = ref.strip()
    name, _, digest = raw.partition("@")
    first, slash, rest = name.partition("/")
    if slash and _is_registry(first):
        registry, path, implicit_registry = first, rest, False
    else:
        registry, path, implicit_registry = DEFAULT_REGISTRY, name, True
    # The tag follows the last ":" after the last "/" (a registry port was split off above).
    last = path.rfind("/")
    colon = path.rfind(":")
    tag: str | None = None
    if colon > last:
        path, tag = path[:colon], path[colon + 1 :]
    implicit_tag = tag is None and not digest
    if implicit_tag:
        tag = "latest"
    repository = f"library/{path}" if registry == DEFAULT_REGISTRY and "/" not in path and path else path
    return ImageRef(
        raw=ref,
        registry=registry,
        repository=repository,
        path=path,
        tag=tag,
        digest=digest or None,
        implicit_registry=implicit_registry,
        implicit_tag=implicit_tag,
    )
