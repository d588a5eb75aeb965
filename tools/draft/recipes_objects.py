"""Fixture recipes of exemplars about whole objects: metadata, Services, Ingresses, RBAC, PDBs, replicas."""

from __future__ import annotations

import copy
import re
from typing import Any

from tools.draft import manifests as m
from tools.draft.fixers import matching_value
from tools.draft.recipe_base import Case, Ctx, base, recipe

Obj = dict[str, Any]
_RBAC = "rbac.authorization.k8s.io/v1"


def make_object(kind: str, name: str, namespace: str | None) -> Obj:
    """A small valid object of a non-pod kind (Namespace, Service, Ingress, RBAC, PDB, ...)."""
    meta: Obj = {"name": m.slug(name)[:63].strip("-")}
    if namespace and kind not in m.CLUSTER_SCOPED:
        meta["namespace"] = namespace
    body: dict[str, Obj] = {
        "Namespace": {"apiVersion": "v1"},
        "Service": {"apiVersion": "v1", "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]}},
        "ConfigMap": {"apiVersion": "v1", "data": {"mode": "production"}},
        "Secret": {"apiVersion": "v1", "type": "Opaque", "stringData": {"token": "redacted"}},
        "ServiceAccount": {"apiVersion": "v1"},
        "PersistentVolumeClaim": {"apiVersion": "v1", "spec": {"accessModes": ["ReadWriteOnce"],
                                                               "resources": {"requests": {"storage": "1Gi"}}}},
        "Ingress": {"apiVersion": "networking.k8s.io/v1", "spec": {"rules": [ingress_rule("shop.example.com")]}},
        "NetworkPolicy": {"apiVersion": "networking.k8s.io/v1", "spec": {"podSelector": {}}},
        "Role": {"apiVersion": _RBAC, "rules": [{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}]},
        "ClusterRole": {"apiVersion": _RBAC, "rules": [{"apiGroups": [""], "resources": ["nodes"], "verbs": ["get"]}]},
        "PodDisruptionBudget": {"apiVersion": "policy/v1",
                                "spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app": "web"}}}},
        "HorizontalPodAutoscaler": {"apiVersion": "autoscaling/v2", "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "maxReplicas": 5}},
    }  # fmt: skip
    if kind in ("RoleBinding", "ClusterRoleBinding"):
        return binding(
            kind,
            name,
            namespace,
            "view",
            [{"kind": "Group", "name": "developers", "apiGroup": "rbac.authorization.k8s.io"}],
        )
    if kind not in body:
        raise ValueError(f"no fixture builder for {kind}")
    return {"kind": kind, "metadata": meta, **copy.deepcopy(body[kind])}


def ingress_rule(host: str | None) -> Obj:
    """An Ingress rule routing / to the web Service (without a host when `host` is None)."""
    path = {
        "path": "/",
        "pathType": "Prefix",
        "backend": {"service": {"name": "web", "port": {"number": 80}}},
    }
    rule: Obj = {"http": {"paths": [path]}}
    if host is not None:
        rule["host"] = host
    return rule


def binding(kind: str, name: str, namespace: str | None, role: str, subjects: list[Obj]) -> Obj:
    """A RoleBinding / ClusterRoleBinding of ClusterRole `role` to `subjects`."""
    meta: Obj = {"name": m.slug(name)}
    if kind == "RoleBinding" and namespace:
        meta["namespace"] = namespace
    return {"apiVersion": _RBAC, "kind": kind, "metadata": meta,
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
            "subjects": subjects}  # fmt: skip


def compliant_object(ctx: Ctx, kind: str, name: str) -> Obj:
    """An object of `kind` that every rule of the draft admits."""
    if kind in m.POD_SPEC_KINDS:
        return base(ctx, kind, name)
    return ctx.fix(make_object(kind, name, ctx.namespace))


def _metadata_kinds(ctx: Ctx) -> list[str]:
    preferred = ["Deployment", "Namespace", "Service", "Pod", "ConfigMap", "StatefulSet", "CronJob"]
    kinds = [k for k in preferred if k in ctx.kinds] or list(ctx.kinds)
    return kinds[:2]


def _bad_value(regex: str) -> str | None:
    for value in ["invalid-value", "qa", "x1", "UPPER", "none"]:
        if not re.fullmatch(regex, value):
            return value
    return None


def _metadata_cases(ctx: Ctx, param: str, field: str, noun: str) -> list[Case]:
    items = list(ctx.params.get(param) or [])
    if not items or any(matching_value(i.get("allowedRegex")) is None for i in items):
        return []
    kinds = _metadata_kinds(ctx)
    cases = [
        Case(f"all-{noun}s-set-{k.lower()}", "allow", compliant_object(ctx, k, f"with-{noun}s"))
        for k in kinds
    ]
    for item in items[:3]:
        for kind in kinds:
            obj = compliant_object(ctx, kind, f"missing-{item['key']}")
            obj["metadata"].get(field, {}).pop(item["key"], None)
            if not obj["metadata"].get(field):
                obj["metadata"].pop(field, None)
            cases.append(Case(f"missing-{noun}-{item['key']}-{kind.lower()}", "deny", obj))
        regex = item.get("allowedRegex")
        if not regex:
            continue
        alternatives = re.fullmatch(r"\^?\(([^()]*)\)\$?", regex)
        for value in (alternatives.group(1).split("|") if alternatives else [])[:3]:
            obj = compliant_object(ctx, kinds[0], f"{item['key']}-{value}")
            obj["metadata"][field][item["key"]] = value.replace("\\", "")
            cases.append(Case(f"{noun}-{item['key']}-{value}", "allow", obj))
        bad = _bad_value(regex)
        if bad:
            obj = compliant_object(ctx, kinds[0], f"{item['key']}-{bad}")
            obj["metadata"][field][item["key"]] = bad
            cases.append(Case(f"{noun}-{item['key']}-{bad}", "deny", obj))
    return cases


@recipe("required-labels")
def required_labels(ctx: Ctx) -> list[Case]:
    """Allow: every label set with a matching value (one per listed value); deny: missing, non-matching."""
    return _metadata_cases(ctx, "labels", "labels", "label")


@recipe("required-annotations")
def required_annotations(ctx: Ctx) -> list[Case]:
    """Allow: every annotation set with a matching value; deny: missing, non-matching."""
    return _metadata_cases(ctx, "annotations", "annotations", "annotation")


@recipe("disallow-default-namespace")
def default_namespace(ctx: Ctx) -> list[Case]:
    """Deny: objects in the default namespace and without one; allow: the same in their own namespace."""
    cases = []
    for kind in [k for k in ("Pod", "ConfigMap", "Service", "Deployment") if k in ctx.kinds][:2] or ctx.kinds[
        :1
    ]:
        obj = compliant_object(ctx, kind, f"{kind.lower()}-in-default")
        cases.append(
            Case(f"{kind.lower()}-in-default-namespace", "deny", m.set_namespace(obj, "default"), pinned=True)
        )
        bare = copy.deepcopy(obj)
        bare["metadata"].pop("namespace", None)
        cases.append(
            Case(f"{kind.lower()}-without-namespace", "deny", m.rename(bare, f"{kind}-unset"), pinned=True)
        )
        own = compliant_object(ctx, kind, f"{kind.lower()}-own")
        cases.append(Case(f"{kind.lower()}-in-own-namespace", "allow", own))
    return cases


@recipe("rbac-wildcards")
def rbac_wildcards(ctx: Ctx) -> list[Case]:
    """Deny: '*' in verbs, resources and apiGroups of each Role kind; allow: explicit rules."""
    rules = {
        "verbs": {"apiGroups": [""], "resources": ["pods"], "verbs": ["*"]},
        "resources": {"apiGroups": ["apps"], "resources": ["*"], "verbs": ["get", "list"]},
        "apiGroups": {"apiGroups": ["*"], "resources": ["deployments"], "verbs": ["get"]},
    }
    cases = []
    for kind in [k for k in ("ClusterRole", "Role") if k in ctx.kinds]:
        for facet, rule in rules.items():
            obj = make_object(kind, f"wildcard-{facet}", ctx.namespace)
            obj["rules"] = [dict(rule)]
            cases.append(Case(f"{kind.lower()}-wildcard-{m.slug(facet)}", "deny", obj, facet=facet))
        cases.append(Case(f"{kind.lower()}-explicit-rules", "allow", compliant_object(ctx, kind, "reader")))
    return cases


def _subject(entry: str) -> Obj:
    kind, _, rest = entry.replace("*", "x").partition(":")
    if kind == "ServiceAccount":
        namespace, _, name = rest.partition(":")
        return {"kind": "ServiceAccount", "name": name, "namespace": namespace}
    return {"kind": kind, "name": rest, "apiGroup": "rbac.authorization.k8s.io"}


@recipe("cluster-admin-bindings")
def cluster_admin_bindings(ctx: Ctx) -> list[Case]:
    """Deny: cluster-admin bound to a subject outside allowedSubjects; allow: each allowed subject, other roles."""
    allowed = list(ctx.params.get("allowedSubjects") or [])
    outsider = next(
        s for s in ["User:alice", "Group:developers", "Group:system:authenticated"] if s not in allowed
    )
    cases = [Case(f"cluster-admin-for-{m.slug(outsider)}", "deny",
                  binding("ClusterRoleBinding", "cluster-admin-for-dev", None, "cluster-admin", [_subject(outsider)])),
             Case("rolebinding-to-cluster-admin", "deny",
                  binding("RoleBinding", "team-admin", ctx.namespace, "cluster-admin", [_subject(outsider)])),
             Case("binding-to-view-role", "allow", binding("ClusterRoleBinding", "readers", None, "view",
                                                           [_subject(outsider)]))]  # fmt: skip
    for entry in allowed[:2]:
        subject = _subject(entry)
        if subject.get("name") and (subject["kind"] != "ServiceAccount" or subject.get("namespace")):
            cases.append(
                Case(
                    f"cluster-admin-for-allowed-{m.slug(entry)}",
                    "allow",
                    binding("ClusterRoleBinding", f"admins-{entry}", None, "cluster-admin", [subject]),
                )
            )
    return [c for c in cases if c.manifest["kind"] in ctx.kinds]


@recipe("pdb-allows-disruption")
def pdb(ctx: Ctx) -> list[Case]:
    """Deny: maxUnavailable 0 and minAvailable 100%; allow: maxUnavailable 1, minAvailable 50%."""

    def budget(name: str, **spec: Any) -> Obj:
        obj = make_object("PodDisruptionBudget", name, ctx.namespace)
        obj["spec"] = {**spec, "selector": {"matchLabels": {"app": "web"}}}
        return obj

    return [Case("pdb-max-unavailable-0", "deny", budget("frozen", maxUnavailable=0)),
            Case("pdb-min-available-100-percent", "deny", budget("all-up", minAvailable="100%")),
            Case("pdb-max-unavailable-1", "allow", budget("web", maxUnavailable=1)),
            Case("pdb-min-available-50-percent", "allow", budget("half", minAvailable="50%"))]  # fmt: skip


@recipe("replica-bounds")
def replica_bounds(ctx: Ctx) -> list[Case]:
    """Deny: replicas below the minimum (and unset when the minimum is above 1), above the maximum; allow: both bounds."""
    low, high = int(ctx.params.get("minReplicas", 1)), int(ctx.params.get("maxReplicas", 100))
    kinds = [k for k in ("Deployment", "StatefulSet", "ReplicaSet") if k in ctx.kinds] or ["Deployment"]

    def scaled(kind: str, replicas: int | None, name: str) -> Obj:
        obj = base(ctx, kind, name)
        if replicas is None:
            obj["spec"].pop("replicas", None)
        else:
            obj["spec"]["replicas"] = replicas
        return obj

    cases = [Case(f"replicas-{low}-at-minimum", "allow", scaled(kinds[0], low, "at-min")),
             Case(f"replicas-{high}-at-maximum", "allow", scaled(kinds[-1], high, "at-max")),
             Case(f"replicas-{high + 1}-above-maximum", "deny", scaled(kinds[0], high + 1, "too-many"))]  # fmt: skip
    if low > 0:
        cases.append(Case(f"replicas-{low - 1}-below-minimum", "deny", scaled(kinds[-1], low - 1, "too-few")))
    if low > 1:
        cases.append(Case("replicas-unset-counts-as-1", "deny", scaled(kinds[0], None, "unset")))
    return cases
