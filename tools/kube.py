"""Validating Kubernetes objects against the pinned Kubernetes version's schemas."""

from __future__ import annotations

from typing import Any

# One pinned Kubernetes version for every sample, fixture and acceptance manifest.
KUBERNETES_VERSION = "1.33"


def validation_error(obj: Any, version: str = KUBERNETES_VERSION) -> str | None:
    """None when `obj` is a valid Kubernetes object (strict: unknown fields rejected), else a one-line reason."""
    import kubernetes_validate  # local: its schema loading is only needed here

    if not isinstance(obj, dict) or not obj.get("kind") or not obj.get("apiVersion"):
        return "not a Kubernetes object (apiVersion and kind are required)"
    try:
        kubernetes_validate.validate(obj, version, strict=True)
    except kubernetes_validate.ValidationError as exc:
        path = ".".join(str(p) for p in getattr(exc, "path", []) or [])
        first = str(getattr(exc, "message", exc)).splitlines()[0]
        return f"{path}: {first}" if path else first
    except kubernetes_validate.SchemaNotFoundError:
        return f"no schema for {obj.get('apiVersion')}/{obj.get('kind')} in Kubernetes {version}"
    except kubernetes_validate.InvalidSchemaError as exc:
        return f"schema error: {str(exc).splitlines()[0]}"
    return None
