"""Fixes for what a pod shares with its node: host namespaces, host ports, host paths, volumes, sysctls."""

from __future__ import annotations

from tools.explain import paths
from tools.explain.fixes.base import FixContext, Proposal, at, automatic, manual, strategy, unshaped


@strategy("host-namespaces")
def host_namespaces(ctx: FixContext) -> Proposal:
    """Removes hostNetwork / hostPID / hostIPC from the pod spec."""
    tokens = ctx.detail_path()
    if tokens is None or not isinstance(tokens[-1], str):
        return unshaped(ctx)
    paths.remove(ctx.obj, tokens, prune=False)
    notes = []
    if tokens[-1] == "hostNetwork":
        notes.append("the pod then gets its own network namespace: reach it through a Service")
        pod = paths.get(ctx.obj, tokens[:-1]) or {}
        if pod.get("dnsPolicy") == "ClusterFirstWithHostNet":
            notes.append("dnsPolicy ClusterFirstWithHostNet is only needed with hostNetwork")
    return automatic(f"remove {tokens[-1]}", paths.format_path(tokens), *notes)


@strategy("host-ports")
def host_ports(ctx: FixContext) -> Proposal:
    """Removes the hostPort (or hostNetwork, when the port is bound through it)."""
    tokens = ctx.detail_path()
    port = paths.get(ctx.obj, tokens) if tokens else None
    if tokens is None or not isinstance(port, dict):
        return unshaped(ctx)
    if "hostPort" in port:
        bound = port["hostPort"]
        paths.remove(ctx.obj, [*tokens, "hostPort"])
        return automatic(
            f"remove hostPort {bound} from {ctx.container_label}",
            at(tokens, "hostPort"),
            "expose the container through a Service (NodePort or LoadBalancer if it must be reachable from outside)",
        )
    pod_tokens = ctx.pod_spec_tokens()
    if pod_tokens is None:
        return unshaped(ctx)
    # Without an explicit hostPort the port is bound through hostNetwork (which the
    # host-namespaces fix may have removed already in this round).
    paths.remove(ctx.obj, [*pod_tokens, "hostNetwork"], prune=False)
    return automatic(
        f"remove hostNetwork, which binds containerPort {port.get('containerPort')} on the node",
        at(pod_tokens, "hostNetwork"),
    )


@strategy("host-path-volumes")
def host_path_volumes(ctx: FixContext) -> Proposal:
    """No automatic fix: what replaces node data is the owner's choice."""
    tokens = ctx.detail_path()
    prefixes = ctx.details.get("allowedPathPrefixes") or ctx.parameters.get("allowedPathPrefixes") or []
    under = f"; or a host path under {', '.join(map(str, prefixes))}" if prefixes else ""
    return manual(
        "no automatic fix: replacing node data is a design choice",
        at(tokens, "hostPath"),
        "another volume source: emptyDir for scratch space, configMap or secret for configuration, "
        f"a persistentVolumeClaim for data{under}",
    )


@strategy("volume-types")
def volume_types(ctx: FixContext) -> Proposal:
    """No automatic fix: a volume of another type changes what the pod reads and writes."""
    tokens = ctx.detail_path()
    kind = ctx.details.get("type")
    allowed = ctx.parameters.get("allowedTypes") or []
    field = at(tokens, kind) if tokens is not None and isinstance(kind, str) else at(tokens)
    return manual(
        f"no automatic fix: which volume type replaces {kind} is a design choice",
        field,
        f"a volume of an allowed type ({', '.join(map(str, allowed)) or 'see the constraint'})",
    )


@strategy("sysctls")
def sysctls(ctx: FixContext) -> Proposal:
    """Removes the unsafe sysctl from the pod's securityContext.sysctls (matched by name, not index)."""
    tokens = ctx.detail_path()
    name = ctx.details.get("sysctl")
    if tokens is None or not isinstance(tokens[-1], int) or not isinstance(name, str):
        return unshaped(ctx)
    list_tokens = tokens[:-1]
    entries = paths.get(ctx.obj, list_tokens)
    if not isinstance(entries, list):
        entries = []  # removed by an earlier fix in this round
    kept = [e for e in entries if not (isinstance(e, dict) and e.get("name") == name)]
    if kept and len(kept) < len(entries):
        paths.set_value(ctx.obj, list_tokens, kept)
    elif not kept:
        paths.remove(ctx.obj, list_tokens)
    return automatic(
        f"remove sysctl {name}",
        paths.format_path(tokens),
        "if the workload needs it, set it on the node (kubelet --allowed-unsafe-sysctls) with the cluster owner",
    )
