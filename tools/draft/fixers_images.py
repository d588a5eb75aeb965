"""Fixers of the image and resource exemplars (see fixer_base.py)."""

from __future__ import annotations

from typing import Any

from tools.draft import manifests as m
from tools.draft.fixer_base import RESOURCE_VALUES, Obj, fixer
from tools.draft.imagerefs import image_under
from tools.draft.quantity import parse

DIGEST = "@sha256:" + "4f6d1f8b0c1e2a3b5c7d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"


@fixer("latest-tag")
def _latest(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        name, at, digest = c["image"].partition("@")
        last = name.rsplit("/", 1)[-1]
        if ":" not in last:
            name += ":1.4.2"
        elif last.endswith(":latest"):
            name = name[: -len("latest")] + "1.4.2"
        c["image"] = name + at + digest


@fixer("image-digests")
def _digests(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        if "@" not in c["image"]:
            c["image"] += DIGEST


@fixer("image-pull-policy")
def _pull_policy(obj: Obj, params: dict[str, Any]) -> None:
    first = (params.get("allowedPolicies") or ["Always"])[0]
    for c in m.containers(obj):
        c["imagePullPolicy"] = first


@fixer("allowed-registries")
def _registries(obj: Obj, params: dict[str, Any]) -> None:
    registries = params.get("registries") or []
    if not registries:
        return
    for c in m.containers(obj):
        base, suffix = m.image_parts(c["image"])
        if not any(on_registry(c["image"], r) for r in registries):
            c["image"] = image_under(registries[0], base, "") + (suffix or ":1.4.2")


def on_registry(image: str, entry: str) -> bool:
    """Python twin of the allowed-registries match, for images the fixtures write themselves."""
    if "/" not in entry:
        return image.split("/")[0].lower() == entry.lower() and "/" in image
    prefix = entry.rstrip("*")
    return image.startswith(prefix) and (
        entry.endswith(("*", "/")) or image[len(prefix) : len(prefix) + 1] in "/:@"
    )


@fixer("disallowed-repositories")
def _repositories(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        if any(
            on_registry(c["image"], r) or c["image"].startswith(r) for r in params.get("repositories") or []
        ):
            base, suffix = m.image_parts(c["image"])
            c["image"] = f"registry.example.com/approved/{base}{suffix or ':1.4.2'}"


def _set_resources(obj: Obj, section: str, names: list[str]) -> None:
    for c in m.containers(obj, ("containers", "initContainers")):
        values = c.setdefault("resources", {}).setdefault(section, {})
        for name in names:
            values.setdefault(name, RESOURCE_VALUES.get(name, "1"))


@fixer("limits-required")
def _limits(obj: Obj, params: dict[str, Any]) -> None:
    _set_resources(obj, "limits", params.get("resources") or ["cpu", "memory"])


@fixer("requests-required")
def _requests(obj: Obj, params: dict[str, Any]) -> None:
    _set_resources(obj, "requests", params.get("resources") or ["cpu", "memory"])


@fixer("ephemeral-storage-limits")
def _ephemeral(obj: Obj, params: dict[str, Any]) -> None:
    limit = params.get("maxLimit") or RESOURCE_VALUES["ephemeral-storage"]
    for c in m.containers(obj, ("containers", "initContainers")):
        limits = c.setdefault("resources", {}).setdefault("limits", {})
        if "ephemeral-storage" not in limits or parse(str(limits["ephemeral-storage"])) > parse(limit):
            limits["ephemeral-storage"] = limit


@fixer("max-limits")
def _max_limits(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        limits = c.get("resources", {}).get("limits", {})
        for name in ("cpu", "memory"):
            cap = params.get(name)
            if cap and name in limits and parse(str(limits[name])) > parse(cap):
                limits[name] = cap
                requests = c["resources"].get("requests", {})
                if name in requests and parse(str(requests[name])) > parse(cap):
                    requests[name] = cap


@fixer("limit-request-ratio")
def _ratio(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        resources = c.get("resources", {})
        for name in params.get("resources") or ["cpu", "memory"]:
            if name in resources.get("limits", {}) and name in resources.get("requests", {}):
                resources["requests"][name] = resources["limits"][name]
