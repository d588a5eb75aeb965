"""Fixes for workload policies: service account tokens, replica bounds, disruption budgets, probes."""

from __future__ import annotations

from typing import Any

from tools.explain import paths
from tools.explain.fixes.base import FixContext, Proposal, at, automatic, manual, strategy, unshaped


@strategy("automount-service-account-token")
def automount_token(ctx: FixContext) -> Proposal:
    """automountServiceAccountToken: false on the pod spec."""
    tokens = ctx.pod_spec_tokens()
    if tokens is None or ctx.pod_spec() is None:
        return unshaped(ctx)
    paths.set_value(ctx.obj, [*tokens, "automountServiceAccountToken"], False)
    return automatic(
        "set automountServiceAccountToken: false on the pod",
        at(tokens, "automountServiceAccountToken"),
        "if the app calls the Kubernetes API, mount a projected serviceAccountToken volume in that container",
    )


@strategy("replica-bounds")
def replica_bounds(ctx: FixContext) -> Proposal:
    """spec.replicas moved to the nearest bound."""
    wanted, low, high = (ctx.details.get(k) for k in ("replicas", "minReplicas", "maxReplicas"))
    if not all(isinstance(v, int | float) for v in (wanted, low, high)):
        return unshaped(ctx)
    assert isinstance(wanted, int | float) and isinstance(low, int | float) and isinstance(high, int | float)
    target = int(low) if wanted < low else int(high)
    if not paths.set_value(ctx.obj, ["spec", "replicas"], target):
        return unshaped(ctx)
    return automatic(
        f"set spec.replicas: {target}",
        "spec.replicas",
        "if a HorizontalPodAutoscaler scales this workload, set its minReplicas/maxReplicas too",
    )


@strategy("pdb-allows-disruption")
def pdb_allows_disruption(ctx: FixContext) -> Proposal:
    """maxUnavailable: 1 (replacing a minAvailable of 100%, since both cannot be set)."""
    field = ctx.details.get("field")
    if field == "spec.minAvailable":
        paths.remove(ctx.obj, ["spec", "minAvailable"], prune=False)
    elif field != "spec.maxUnavailable":
        return unshaped(ctx)
    if not paths.set_value(ctx.obj, ["spec", "maxUnavailable"], 1):
        return unshaped(ctx)
    summary = "set spec.maxUnavailable: 1" + (
        " instead of minAvailable" if field == "spec.minAvailable" else ""
    )
    return automatic(summary, field, "one pod at a time may then be evicted during node drains")


def _tcp_port(container: dict[str, Any]) -> Any:
    """The container's first TCP port, by name when it has one (probes follow renumbering)."""
    for port in container.get("ports") or []:
        if not isinstance(port, dict) or str(port.get("protocol", "TCP")).upper() != "TCP":
            continue
        if isinstance(port.get("name"), str) and port["name"]:
            return port["name"]
        if isinstance(port.get("containerPort"), int):
            return port["containerPort"]
    return None


@strategy("probes-required")
def probes_required(ctx: FixContext) -> Proposal:
    """A TCP probe on the container's declared port; without a port, what to check is the app's choice."""
    tokens = ctx.container_tokens()
    container = ctx.container()
    probe = ctx.details.get("probe")
    if tokens is None or container is None or not isinstance(probe, str):
        return unshaped(ctx)
    field = at(tokens, probe)
    port = _tcp_port(container)
    if port is None:
        return manual(
            "no automatic fix: the container declares no port to check",
            field,
            f"{probe} with an httpGet on the app's health endpoint, a tcpSocket or grpc port, or an exec command",
        )
    paths.set_value(ctx.obj, [*tokens, probe], {"tcpSocket": {"port": port}})
    return automatic(
        f"add {probe} with a TCP check on port {port} to {ctx.container_label}",
        field,
        "a TCP check only proves the port is open: use httpGet on a health endpoint if the app has one",
    )
