"""Fixers of the metadata, networking, RBAC and PDB exemplars (see fixer_base.py)."""

from __future__ import annotations

import re
from typing import Any

from tools.draft import manifests as m
from tools.draft.fixer_base import Obj, fixer


def matching_value(regex: str | None) -> str | None:
    """A label/annotation value the regex accepts (None when no candidate does)."""
    if not regex:
        return "platform"
    alternatives = re.fullmatch(r"\^?\(([^()]*)\)\$?", regex)
    candidates = (
        [re.sub(r"\\(.)", r"\1", a) for a in alternatives.group(1).split("|")] if alternatives else []
    )
    candidates += ["platform", "prod", "team-a", "1234", "https://runbooks.example.com/app",
                   "oncall@example.com", "a", "v1"]  # fmt: skip
    # The exemplars anchor the pattern themselves, so a value must match it as a whole.
    try:
        return next((v for v in candidates if re.fullmatch(regex, v)), None)
    except re.error:
        return None


def _metadata(obj: Obj, params: dict[str, Any], key: str, field: str) -> None:
    items = obj.setdefault("metadata", {}).setdefault(field, {})
    for item in params.get(key) or []:
        value = matching_value(item.get("allowedRegex"))
        if item["key"] not in items and value is not None:
            items[item["key"]] = value


@fixer("required-labels")
def _labels(obj: Obj, params: dict[str, Any]) -> None:
    _metadata(obj, params, "labels", "labels")


@fixer("required-annotations")
def _annotations(obj: Obj, params: dict[str, Any]) -> None:
    _metadata(obj, params, "annotations", "annotations")


@fixer("disallow-default-namespace")
def _default_ns(obj: Obj, params: dict[str, Any]) -> None:
    meta = obj.setdefault("metadata", {})
    if obj.get("kind") not in m.CLUSTER_SCOPED and meta.get("namespace") in (None, "", "default"):
        meta["namespace"] = "apps"


@fixer("service-types")
def _service_type(obj: Obj, params: dict[str, Any]) -> None:
    if obj.get("kind") == "Service":
        denied = {t.lower() for t in params.get("disallowedTypes") or []}
        if obj["spec"].get("type", "ClusterIP").lower() in denied:
            fallback = next(t for t in ("ClusterIP", "NodePort", "LoadBalancer") if t.lower() not in denied)
            obj["spec"]["type"] = fallback
            if fallback == "ClusterIP":
                for port in obj["spec"].get("ports", []):
                    port.pop("nodePort", None)


@fixer("service-external-ips")
def _external_ips(obj: Obj, params: dict[str, Any]) -> None:
    if obj.get("kind") == "Service":
        obj["spec"].pop("externalIPs", None)


@fixer("ingress-tls")
def _ingress_tls(obj: Obj, params: dict[str, Any]) -> None:
    if obj.get("kind") == "Ingress":
        hosts = [r["host"] for r in obj["spec"].get("rules", []) if r.get("host")]
        entry: Obj = {"secretName": f"{obj['metadata']['name']}-tls"}
        obj["spec"]["tls"] = [{"hosts": hosts, **entry} if hosts else entry]


@fixer("ingress-host-wildcards")
def _ingress_hosts(obj: Obj, params: dict[str, Any]) -> None:
    if obj.get("kind") == "Ingress":
        for rule in obj["spec"].get("rules", []):
            if not rule.get("host") or "*" in rule["host"]:
                rule["host"] = "shop.example.com"


@fixer("rbac-wildcards")
def _rbac(obj: Obj, params: dict[str, Any]) -> None:
    if obj.get("kind") in ("Role", "ClusterRole"):
        for rule in obj.get("rules", []):
            for key, safe in (("verbs", "get"), ("resources", "configmaps"), ("apiGroups", "")):
                if "*" in rule.get(key, []):
                    rule[key] = [safe]


@fixer("cluster-admin-bindings")
def _cluster_admin(obj: Obj, params: dict[str, Any]) -> None:
    if (
        obj.get("kind") in ("RoleBinding", "ClusterRoleBinding")
        and obj.get("roleRef", {}).get("name") == "cluster-admin"
    ):
        obj["roleRef"]["name"] = "view"


@fixer("pdb-allows-disruption")
def _pdb(obj: Obj, params: dict[str, Any]) -> None:
    if obj.get("kind") == "PodDisruptionBudget":
        obj["spec"].pop("minAvailable", None)
        obj["spec"]["maxUnavailable"] = 1
