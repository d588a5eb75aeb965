"""Typed details of the non-workload kinds policies look at: Service, Ingress, RBAC, PDB."""

from __future__ import annotations

import fnmatch
from typing import Any

from tools.extract.models import IngressInfo, PdbInfo, RbacInfo, RbacRule, RbacSubject, ServiceInfo
from tools.extract.shape import as_dict as _dict
from tools.extract.shape import as_list as _list

ROLE_KINDS = frozenset({"Role", "ClusterRole"})
BINDING_KINDS = frozenset({"RoleBinding", "ClusterRoleBinding"})
_WRITE_VERBS = frozenset({"create", "update", "patch", "delete", "deletecollection", "*"})
_READ_VERBS = frozenset({"get", "list", "watch"})


def _strs(value: Any) -> list[str]:
    return [str(v) for v in _list(value) if v is not None]


def extract_service(obj: dict[str, Any]) -> ServiceInfo:
    """A Service's type (ClusterIP when unset), externalIPs, nodePorts and load-balancer ranges."""
    spec = _dict(obj.get("spec"))
    external_name = spec.get("externalName")
    return ServiceInfo(
        type=str(spec.get("type") or "ClusterIP"),
        external_ips=_strs(spec.get("externalIPs")),
        node_ports=[
            p["nodePort"] for p in _list(spec.get("ports")) if isinstance(_dict(p).get("nodePort"), int)
        ],
        load_balancer_source_ranges=_strs(spec.get("loadBalancerSourceRanges")),
        external_name=str(external_name) if external_name else None,
    )


def _covered(host: str, tls_hosts: list[str]) -> bool:
    # A TLS entry "*.example.com" covers "a.example.com", as certificates do.
    return any(host == t or (t.startswith("*.") and fnmatch.fnmatchcase(host, t)) for t in tls_hosts)


def extract_ingress(obj: dict[str, Any]) -> IngressInfo:
    """An Ingress's rule hosts, the hosts its TLS section lists, and what is left uncovered or wild."""
    spec = _dict(obj.get("spec"))
    rules = [_dict(r) for r in _list(spec.get("rules"))]
    hosts = [str(r["host"]) for r in rules if r.get("host")]
    tls_hosts = [str(h) for t in _list(spec.get("tls")) for h in _list(_dict(t).get("hosts"))]
    ingress_class = spec.get("ingressClassName") or _dict(_dict(obj.get("metadata")).get("annotations")).get(
        "kubernetes.io/ingress.class"
    )
    return IngressInfo(
        hosts=hosts,
        tls_hosts=tls_hosts,
        uncovered_hosts=[h for h in hosts if not _covered(h, tls_hosts)],
        wildcard_hosts=[h for h in hosts if "*" in h],
        missing_host=any(not r.get("host") for r in rules)
        or (not rules and bool(spec.get("defaultBackend"))),
        ingress_class=str(ingress_class) if ingress_class else None,
    )


def _secrets_access(rules: list[RbacRule]) -> str | None:
    access = None
    for rule in rules:
        if not ({"secrets", "*"} & set(rule.resources)) or not ({"", "*"} & set(rule.api_groups)):
            continue
        verbs = set(rule.verbs)
        if verbs & _WRITE_VERBS:
            return "write"
        if verbs & _READ_VERBS:
            access = "read"
    return access


def extract_rbac(obj: dict[str, Any]) -> RbacInfo:
    """Rules and their wildcards for roles; roleRef and subjects for bindings."""
    kind = obj.get("kind")
    if kind in BINDING_KINDS:
        ref = _dict(obj.get("roleRef"))
        return RbacInfo(
            role_ref={str(k): str(v) for k, v in ref.items()} or None,
            subjects=[
                RbacSubject(
                    kind=str(s.get("kind", "")),
                    name=str(s.get("name", "")),
                    namespace=str(s["namespace"]) if s.get("namespace") else None,
                )
                for s in map(_dict, _list(obj.get("subjects")))
            ],
        )
    rules = [
        RbacRule(
            api_groups=_strs(r.get("apiGroups")),
            resources=_strs(r.get("resources")),
            verbs=_strs(r.get("verbs")),
            resource_names=_strs(r.get("resourceNames")),
            non_resource_urls=_strs(r.get("nonResourceURLs")),
        )
        for r in map(_dict, _list(obj.get("rules")))
    ]
    wildcards = [
        name
        for name, attr in (("verbs", "verbs"), ("resources", "resources"), ("apiGroups", "api_groups"))
        if any("*" in getattr(rule, attr) for rule in rules)
    ]
    return RbacInfo(rules=rules, wildcards=wildcards, secrets_access=_secrets_access(rules))


def extract_pdb(obj: dict[str, Any]) -> PdbInfo:
    """A PodDisruptionBudget's minAvailable / maxUnavailable and whether it blocks every eviction."""
    spec = _dict(obj.get("spec"))
    min_available, max_unavailable = spec.get("minAvailable"), spec.get("maxUnavailable")
    blocks = max_unavailable in (0, "0", "0%") or min_available == "100%"
    return PdbInfo(
        min_available=min_available if isinstance(min_available, int | str) else None,
        max_unavailable=max_unavailable if isinstance(max_unavailable, int | str) else None,
        selector=_dict(spec.get("selector")),
        blocks_eviction=blocks,
    )
