"""Fixes for confinement profiles: seccomp (baseline and restricted), AppArmor and SELinux options."""

from __future__ import annotations

from typing import Any

from tools.explain import paths
from tools.explain.fixes.base import (
    CONTAINER_FIELDS,
    FixContext,
    Proposal,
    automatic,
    manual,
    strategy,
    unshaped,
)

RUNTIME_DEFAULT = {"type": "RuntimeDefault"}
_RUNTIME_DEFAULT_NAMES = {"runtimedefault", "runtime/default", "docker/default", "*"}


def _allows_runtime_default(ctx: FixContext, defaults: list[str]) -> bool:
    allowed = ctx.parameters.get("allowedProfiles", defaults)
    return isinstance(allowed, list) and any(str(p).lower() in _RUNTIME_DEFAULT_NAMES for p in allowed)


def _not_runtime_default(ctx: FixContext, field: str | None) -> Proposal:
    allowed = ", ".join(map(str, ctx.parameters.get("allowedProfiles") or []))
    return manual(
        "no automatic fix: the constraint does not allow RuntimeDefault",
        field,
        f"a profile the constraint allows ({allowed}); a Localhost profile must exist on every node",
    )


def _set_profile(ctx: FixContext, tokens: paths.Path, what: str) -> Proposal:
    if not paths.set_value(ctx.obj, tokens, dict(RUNTIME_DEFAULT)):
        return unshaped(ctx)
    return automatic(f"set {what} to RuntimeDefault", paths.format_path(tokens))


@strategy("seccomp-restricted")
def seccomp_restricted(ctx: FixContext) -> Proposal:
    """RuntimeDefault on the pod when nothing is set, else where the disallowed profile is set."""
    container_tokens = ctx.container_tokens()
    pod_tokens = ctx.pod_spec_tokens()
    if container_tokens is None or pod_tokens is None:
        return unshaped(ctx)
    source = ctx.details.get("source")
    if source == "container":
        target = [*container_tokens, "securityContext", "seccompProfile"]
        what = f"the seccomp profile of {ctx.container_label}"
    else:
        # One pod-level profile covers every container that sets none (the usual case).
        target = [*pod_tokens, "securityContext", "seccompProfile"]
        what = "the pod's seccomp profile"
    if not _allows_runtime_default(ctx, ["RuntimeDefault", "Localhost"]):
        return _not_runtime_default(ctx, paths.format_path(target))
    return _set_profile(ctx, target, what)


def _annotation_target(ctx: FixContext, tokens: paths.Path) -> paths.Path | None:
    """The securityContext field that replaces a seccomp or AppArmor annotation."""
    pod_tokens = ctx.pod_spec_tokens()
    if pod_tokens is None:
        return None
    container = ctx.details.get("container")
    if not container:
        return [*pod_tokens, "securityContext"]
    for field in CONTAINER_FIELDS:
        for i, item in enumerate(paths.get(ctx.obj, [*pod_tokens, field]) or []):
            if isinstance(item, dict) and item.get("name") == container:
                return [*pod_tokens, field, i, "securityContext"]
    return None


@strategy("seccomp-baseline")
def seccomp_baseline(ctx: FixContext) -> Proposal:
    """Unconfined becomes RuntimeDefault; an Unconfined annotation is replaced by the field."""
    tokens = ctx.detail_path()
    if tokens is None or not paths.has(ctx.obj, tokens):
        return unshaped(ctx)
    if tokens[-1] == "seccompProfile":
        return _set_profile(ctx, tokens, paths.format_path(tokens))
    target = _annotation_target(ctx, tokens)
    paths.remove(ctx.obj, tokens)
    summary = f"remove the annotation {tokens[-1]}"
    if target is not None and not paths.has(ctx.obj, [*target, "seccompProfile"]):
        paths.set_value(ctx.obj, [*target, "seccompProfile"], dict(RUNTIME_DEFAULT))
        summary += f" and set {paths.format_path([*target, 'seccompProfile'])} to RuntimeDefault"
    return automatic(summary, paths.format_path(tokens))


@strategy("apparmor")
def apparmor(ctx: FixContext) -> Proposal:
    """The AppArmor profile (field or annotation) becomes RuntimeDefault when the constraint allows it."""
    tokens = ctx.detail_path()
    if tokens is None or not paths.has(ctx.obj, tokens):
        return unshaped(ctx)
    field = paths.format_path(tokens)
    if not _allows_runtime_default(ctx, ["RuntimeDefault", "Localhost"]):
        return _not_runtime_default(ctx, field)
    if tokens[-1] == "appArmorProfile":
        return _set_profile(ctx, tokens, field)
    paths.set_value(ctx.obj, tokens, "runtime/default")
    return automatic(
        f"set the annotation {tokens[-1]} to runtime/default",
        field,
        "on Kubernetes 1.30+ prefer securityContext.appArmorProfile: {type: RuntimeDefault}",
    )


@strategy("selinux")
def selinux(ctx: FixContext) -> Proposal:
    """Removes the disallowed seLinuxOptions entry (type, user or role); the runtime default applies."""
    tokens = ctx.detail_path()
    key: Any = ctx.details.get("field")
    if tokens is None or key not in ("type", "user", "role"):
        return unshaped(ctx)
    target = [*tokens, key]
    paths.remove(ctx.obj, target)
    notes = ["the container runtime's default type (container_t) applies"] if key == "type" else []
    return automatic(
        f"remove seLinuxOptions.{key} at {paths.format_path(tokens)}", paths.format_path(target), *notes
    )
