"""Fixture recipes of the networking exemplars: Service types, external IPs, Ingress TLS and hosts."""

from __future__ import annotations

import ipaddress
from typing import Any

from tools.draft.recipe_base import Case, Ctx, recipe
from tools.draft.recipes_objects import compliant_object, ingress_rule, make_object

Obj = dict[str, Any]


def _service(ctx: Ctx, kind: str) -> Obj:
    obj = make_object("Service", f"{kind.lower()}-service", ctx.namespace)
    obj["spec"]["type"] = kind
    if kind == "ExternalName":
        obj["spec"] = {"type": "ExternalName", "externalName": "db.example.com"}
    return obj


@recipe("service-types")
def service_types(ctx: Ctx) -> list[Case]:
    """Deny: a Service of each disallowed type; allow: each other type and a Service without spec.type."""
    denied = [t.lower() for t in ctx.params.get("disallowedTypes") or []]
    types = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]
    cases = [Case(f"{t.lower()}-service", "deny", _service(ctx, t)) for t in types if t.lower() in denied]
    cases += [
        Case(f"{t.lower()}-service-allowed", "allow", ctx.fix(_service(ctx, t)))
        for t in types
        if t.lower() not in denied
    ]
    if "clusterip" not in denied:
        cases.append(
            Case("service-without-type", "allow", ctx.fix(make_object("Service", "web", ctx.namespace)))
        )
    return cases


@recipe("service-external-ips")
def service_external_ips(ctx: Ctx) -> list[Case]:
    """Deny: an external IP outside allowedIPs; allow: each allowed address and no externalIPs."""
    allowed = list(ctx.params.get("allowedIPs") or [])
    nets = [ipaddress.ip_network(a, strict=False) for a in allowed]

    def with_ips(name: str, ips: list[str]) -> Obj:
        obj = make_object("Service", name, ctx.namespace)
        obj["spec"]["externalIPs"] = ips
        return obj

    bad = next(ip for ip in ["203.0.113.99", "198.51.100.77", "192.0.2.55"]
               if not any(ipaddress.ip_address(ip) in n for n in nets))  # fmt: skip
    cases = [
        Case(f"external-ip-{bad.replace('.', '-')}", "deny", with_ips("hijack", [bad])),
        Case("service-without-external-ips", "allow", ctx.fix(make_object("Service", "web", ctx.namespace))),
    ]
    for net in nets[:3]:
        address = str(net.network_address if net.num_addresses == 1 else next(net.hosts()))
        cases.append(
            Case(f"allowed-external-ip-{address.replace('.', '-')}", "allow", with_ips("edge", [address]))
        )
    return cases


@recipe("ingress-tls")
def ingress_tls(ctx: Ctx) -> list[Case]:
    """Deny: no spec.tls, a host missing from spec.tls; allow: every host covered."""
    plain = compliant_object(ctx, "Ingress", "plain-http")
    plain["spec"].pop("tls", None)
    partial = compliant_object(ctx, "Ingress", "partial-tls")
    partial["spec"]["rules"].append(ingress_rule("admin.example.com"))
    partial["spec"]["tls"] = [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}]
    return [Case("ingress-without-tls", "deny", plain), Case("ingress-host-not-in-tls", "deny", partial),
            Case("ingress-with-tls", "allow", compliant_object(ctx, "Ingress", "secure"))]  # fmt: skip


@recipe("ingress-host-wildcards")
def ingress_host_wildcards(ctx: Ctx) -> list[Case]:
    """Deny: a '*.' host and a rule without host; allow: explicit hosts."""
    wildcard = compliant_object(ctx, "Ingress", "wildcard")
    wildcard["spec"]["rules"] = [ingress_rule("*.example.com")]
    hostless = compliant_object(ctx, "Ingress", "catch-all")
    hostless["spec"]["rules"] = [ingress_rule(None)]
    for obj in (wildcard, hostless):
        obj["spec"].pop("tls", None)
    return [Case("ingress-wildcard-host", "deny", wildcard, facet="wildcard"),
            Case("ingress-without-host", "deny", hostless, facet="missing"),
            Case("ingress-explicit-host", "allow", compliant_object(ctx, "Ingress", "shop"))]  # fmt: skip
