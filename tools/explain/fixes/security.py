"""Fixes for container securityContext policies: privileged, escalation, root, read-only root, procMount."""

from __future__ import annotations

from tools.explain import paths
from tools.explain.fixes.base import FixContext, Proposal, at, automatic, strategy, unshaped


def _set_flag(ctx: FixContext, key: str, value: object, *notes: str) -> Proposal:
    tokens = ctx.container_tokens()
    if tokens is None or ctx.container() is None:
        return unshaped(ctx)
    if not paths.set_value(ctx.obj, [*tokens, "securityContext", key], value):
        return unshaped(ctx)
    shown = "true" if value is True else "false" if value is False else str(value)
    return automatic(
        f"set securityContext.{key}: {shown} on {ctx.container_label}",
        at(tokens, "securityContext", key),
        *notes,
    )


@strategy("privileged-containers")
def privileged(ctx: FixContext) -> Proposal:
    """privileged: false on the offending container."""
    return _set_flag(ctx, "privileged", False)


@strategy("privilege-escalation")
def privilege_escalation(ctx: FixContext) -> Proposal:
    """allowPrivilegeEscalation: false on the offending container."""
    container = ctx.container() or {}
    notes = []
    if paths.get(container, ["securityContext", "privileged"]) is True:
        notes.append(
            "Kubernetes rejects allowPrivilegeEscalation: false while privileged is true: set privileged: false too"
        )
    return _set_flag(ctx, "allowPrivilegeEscalation", False, *notes)


@strategy("read-only-root-filesystem")
def read_only_root(ctx: FixContext) -> Proposal:
    """readOnlyRootFilesystem: true on the offending container."""
    return _set_flag(
        ctx,
        "readOnlyRootFilesystem",
        True,
        "if the app writes to its own filesystem (/tmp, caches), mount an emptyDir volume there",
    )


@strategy("run-as-non-root")
def run_as_non_root(ctx: FixContext) -> Proposal:
    """runAsNonRoot: true on the offending container (it overrides a pod-level false)."""
    container = ctx.container() or {}
    pod = ctx.pod_spec() or {}
    notes = ["the image must then run as a non-zero uid (its USER, or securityContext.runAsUser)"]
    uid = paths.get(
        container, ["securityContext", "runAsUser"], paths.get(pod, ["securityContext", "runAsUser"])
    )
    if uid == 0:
        notes.append("runAsUser is 0 here: the kubelet will refuse to start it until that changes too")
    return _set_flag(ctx, "runAsNonRoot", True, *notes)


@strategy("disallow-root-user")
def disallow_root_user(ctx: FixContext) -> Proposal:
    """Removes runAsUser: 0 where it is set (container or pod), so the image's own user applies."""
    tokens = ctx.container_tokens()
    pod_tokens = ctx.pod_spec_tokens()
    if tokens is None or pod_tokens is None:
        return unshaped(ctx)
    removed = []
    container_field = [*tokens, "securityContext", "runAsUser"]
    pod_field = [*pod_tokens, "securityContext", "runAsUser"]
    if paths.get(ctx.obj, container_field) == 0:
        paths.remove(ctx.obj, container_field)
        removed.append(container_field)
    if paths.get(ctx.obj, pod_field) == 0 and not paths.has(ctx.obj, container_field):
        paths.remove(ctx.obj, pod_field)
        removed.append(pod_field)
    if not removed:
        if paths.get(ctx.obj, container_field, paths.get(ctx.obj, pod_field)) == 0:
            return unshaped(ctx)
        removed.append(container_field)  # another fix this round removed it already
    where = " and ".join(paths.format_path(t) for t in removed)
    return automatic(
        f"remove runAsUser: 0 ({where})",
        paths.format_path(removed[0]),
        "the image's USER then decides the uid; pair it with runAsNonRoot: true so root is refused",
        "set runAsUser to the app's non-zero uid instead if the image has no USER",
    )


@strategy("proc-mount")
def proc_mount(ctx: FixContext) -> Proposal:
    """Removes securityContext.procMount (Default keeps /proc's masked paths)."""
    tokens = ctx.container_tokens()
    if tokens is None:
        return unshaped(ctx)
    field = [*tokens, "securityContext", "procMount"]
    paths.remove(ctx.obj, field)
    return automatic(f"remove securityContext.procMount from {ctx.container_label}", paths.format_path(field))


@strategy("windows-hostprocess")
def windows_hostprocess(ctx: FixContext) -> Proposal:
    """Removes windowsOptions.hostProcess at the path the policy names (pod or container)."""
    tokens = ctx.detail_path()
    if tokens is None:
        return unshaped(ctx)
    paths.remove(ctx.obj, tokens)
    return automatic(
        f"remove {paths.format_path(tokens)}",
        paths.format_path(tokens),
        "a HostProcess pod also needs hostNetwork; remove that too if nothing else requires it",
    )
