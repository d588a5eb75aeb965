"""Fixes for Services and Ingresses, and (manual) guidance for RBAC policies."""

from __future__ import annotations

from tools.explain import paths
from tools.explain.fixes.base import FixContext, Proposal, automatic, manual, placeholder, strategy, unshaped

# Fields Kubernetes accepts only on NodePort / LoadBalancer Services.
_EXPOSED_ONLY = (
    "externalTrafficPolicy",
    "healthCheckNodePort",
    "loadBalancerIP",
    "loadBalancerSourceRanges",
    "loadBalancerClass",
    "allocateLoadBalancerNodePorts",
)


@strategy("service-types")
def service_types(ctx: FixContext) -> Proposal:
    """type: ClusterIP, without the nodePort and load-balancer fields Kubernetes rejects on it."""
    disallowed = ctx.parameters.get("disallowedTypes", ["LoadBalancer", "NodePort"])
    current = str(paths.get(ctx.obj, ["spec", "type"], "ClusterIP"))
    if current == "ExternalName" or any(str(t).lower() == "clusterip" for t in disallowed or []):
        return manual(
            "no automatic fix: ClusterIP is not an option here",
            "spec.type",
            "a Service type the constraint allows that still routes to the workload",
        )
    if not paths.set_value(ctx.obj, ["spec", "type"], "ClusterIP"):
        return unshaped(ctx)
    for port in paths.get(ctx.obj, ["spec", "ports"]) or []:
        if isinstance(port, dict):
            port.pop("nodePort", None)
    spec = ctx.obj["spec"]
    for key in _EXPOSED_ONLY:
        spec.pop(key, None)
    return automatic(
        f"set spec.type: ClusterIP (was {current})",
        "spec.type",
        "reach it from outside the cluster through an Ingress or Gateway route",
    )


@strategy("service-external-ips")
def service_external_ips(ctx: FixContext) -> Proposal:
    """Removes the disallowed address from spec.externalIPs."""
    address = ctx.details.get("externalIP")
    ips = paths.get(ctx.obj, ["spec", "externalIPs"])
    if not isinstance(address, str) or not isinstance(ips, list):
        return unshaped(ctx)
    kept = [ip for ip in ips if ip != address]
    if kept and len(kept) < len(ips):
        paths.set_value(ctx.obj, ["spec", "externalIPs"], kept)
    elif not kept:
        paths.remove(ctx.obj, ["spec", "externalIPs"])
    index = ctx.details.get("index")
    return automatic(
        f"remove {address} from spec.externalIPs",
        f"spec.externalIPs[{index}]" if isinstance(index, int) else "spec.externalIPs",
        "use a LoadBalancer or an Ingress for outside traffic",
    )


def _tls_secret(ctx: FixContext) -> str:
    name = str((ctx.obj.get("metadata") or {}).get("name") or "ingress")
    return f"{name}-tls"


@strategy("ingress-tls")
def ingress_tls(ctx: FixContext) -> Proposal:
    """A spec.tls entry for the rule hosts; the certificate Secret is a placeholder name to confirm."""
    host = ctx.details.get("host")
    tls = paths.get(ctx.obj, ["spec", "tls"])
    secret = _tls_secret(ctx)
    note = (
        f"the Secret {secret} must exist and hold a certificate for these hosts (cert-manager can issue it)"
    )
    if ctx.details.get("tls") == "missing":
        hosts: list[str] = []
        for rule in paths.get(ctx.obj, ["spec", "rules"]) or []:
            value = rule.get("host") if isinstance(rule, dict) else None
            if isinstance(value, str) and value and value not in hosts:
                hosts.append(value)
        entry = {"hosts": hosts, "secretName": secret} if hosts else {"secretName": secret}
        if not paths.set_value(ctx.obj, ["spec", "tls"], [entry]):
            return unshaped(ctx)
        return placeholder(f"add spec.tls with secretName {secret} (PLACEHOLDER)", "spec.tls", note)
    rule = ctx.details.get("rule")
    if not host:
        return manual(
            "no automatic fix: the rule has no host",
            f"spec.rules[{rule}].host",
            "a host name that is listed in spec.tls[].hosts",
        )
    if not isinstance(tls, list):
        return unshaped(ctx)
    for i, item in enumerate(tls):
        if isinstance(item, dict) and isinstance(item.get("hosts"), list):
            item["hosts"] = [*item["hosts"], host]
            name = item.get("secretName", "?")
            return placeholder(
                f"add {host} to spec.tls[{i}].hosts (confirm its certificate covers it)",
                f"spec.tls[{i}].hosts",
                f"the certificate in Secret {name} must cover {host}",
            )
    tls.append({"hosts": [host], "secretName": secret})
    return placeholder(
        f"add a spec.tls entry for {host} with secretName {secret} (PLACEHOLDER)", "spec.tls", note
    )


@strategy("ingress-host-wildcards")
def ingress_host_wildcards(ctx: FixContext) -> Proposal:
    """Manual: which host names the Ingress serves is the owner's decision."""
    rule = ctx.details.get("rule")
    return manual(
        "no automatic fix: list the exact host names",
        f"spec.rules[{rule}].host" if isinstance(rule, int) else "spec.rules",
        "an exact host name such as app.example.com (one rule per host)",
    )


@strategy("rbac-wildcards")
def rbac_wildcards(ctx: FixContext) -> Proposal:
    """Manual: only the role's owner knows which groups, resources and verbs it needs."""
    rule, field = ctx.details.get("rule"), ctx.details.get("field")
    target = f"rules[{rule}].{field}" if isinstance(rule, int) and isinstance(field, str) else "rules"
    return manual(
        "no automatic fix: list exactly what the role needs",
        target,
        f"the exact {field or 'entries'} the role needs instead of '*' (check with `kubectl auth can-i --list`)",
    )


@strategy("cluster-admin-bindings")
def cluster_admin_bindings(ctx: FixContext) -> Proposal:
    """Manual: bind a narrower role, or have the subject allowed by the constraint's owner."""
    return manual(
        "no automatic fix: cluster-admin must be replaced by a role with only the needed permissions",
        "roleRef.name",
        f"a narrower ClusterRole or Role for {ctx.details.get('subject', 'the subject')}, "
        "or an allowedSubjects entry granted by the constraint's owner",
    )
