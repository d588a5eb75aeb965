"""Image policies. A version, a digest or a registry is a person's choice: these say exactly which
field and what kind of value, and propose no made-up tag or digest. Only imagePullPolicy is fixed."""

from __future__ import annotations

import re

from tools.explain import paths
from tools.explain.fixes.base import FixContext, Proposal, automatic, manual, strategy, unshaped

_DIGEST = re.compile(r"@[^@]*$")
_TAG = re.compile(r":[^:/@]+$")


def _repository(image: str) -> str:
    """The image without its tag or digest: 'ghcr.io/acme/api:1.2@sha256:..' -> 'ghcr.io/acme/api'."""
    return _TAG.sub("", _DIGEST.sub("", image))


def _image(ctx: FixContext) -> str:
    value = ctx.details.get("value")
    if isinstance(value, str):
        return value
    container = ctx.container() or {}
    return str(container.get("image", ""))


def _field(ctx: FixContext) -> str | None:
    field = ctx.details.get("field")
    if isinstance(field, str):
        return field
    tokens = ctx.container_tokens()
    return paths.format_path([*tokens, "image"]) if tokens else None


@strategy("latest-tag")
def latest_tag(ctx: FixContext) -> Proposal:
    """Manual: an explicit version tag or a digest for the image."""
    repo = _repository(_image(ctx))
    return manual(
        "no automatic fix: which version to run is your choice",
        _field(ctx),
        f"an explicit version tag, e.g. {repo}:<version> (not latest), or a digest, {repo}@sha256:<64 hex digits>",
    )


@strategy("image-digests")
def image_digests(ctx: FixContext) -> Proposal:
    """Manual: the sha256 digest of the image that was tested."""
    image = _image(ctx)
    base = _DIGEST.sub("", image)
    return manual(
        "no automatic fix: only the registry knows the digest of the image you mean",
        _field(ctx),
        f"{base}@sha256:<64 hex digits>, the digest of the image you tested "
        f"(the registry reports it, e.g. `docker buildx imagetools inspect {base}`)",
    )


@strategy("allowed-registries")
def allowed_registries(ctx: FixContext) -> Proposal:
    """Manual: the same image pushed to (or mirrored in) an allowed registry."""
    registries = ctx.parameters.get("registries") or []
    listed = ", ".join(map(str, registries)) or "none are allowed by the constraint"
    return manual(
        "no automatic fix: the image must come from an allowed registry, and only you know where it is mirrored",
        _field(ctx),
        f"an image reference under one of: {listed}",
    )


@strategy("disallowed-repositories")
def disallowed_repositories(ctx: FixContext) -> Proposal:
    """Manual: an image from a repository the constraint does not list."""
    repositories = ctx.details.get("repositories") or ctx.parameters.get("repositories") or []
    return manual(
        "no automatic fix: choose an approved image source",
        _field(ctx),
        f"an image from an approved repository, not under {', '.join(map(str, repositories))}",
    )


@strategy("image-pull-policy")
def image_pull_policy(ctx: FixContext) -> Proposal:
    """imagePullPolicy set to the first policy the constraint allows (Always by default)."""
    tokens = ctx.container_tokens()
    allowed = ctx.parameters.get("allowedPolicies", ["Always"])
    if not isinstance(allowed, list) or not allowed:
        return manual(
            "no automatic fix", _field(ctx), "an imagePullPolicy the constraint allows (it allows none)"
        )
    if tokens is None or ctx.container() is None:
        return unshaped(ctx)
    value = str(allowed[0])
    paths.set_value(ctx.obj, [*tokens, "imagePullPolicy"], value)
    return automatic(
        f"set imagePullPolicy: {value} on {ctx.container_label}",
        paths.format_path([*tokens, "imagePullPolicy"]),
    )
