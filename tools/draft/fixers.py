"""Fixers: the smallest change that makes an object comply with one exemplar (given its parameters).

Fixtures of a composed policy need allowed objects that satisfy every rule: each base
object goes through the fixers of all the draft's exemplars, in FIX_ORDER (limits before
the maximum and the ratio that constrain them).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from typing import Any

from tools.draft import manifests as m
from tools.draft.imagerefs import image_under
from tools.draft.quantity import parse

Obj = dict[str, Any]
Fixer = Callable[[Obj, dict[str, Any]], None]
FIXERS: dict[str, Fixer] = {}
DIGEST = "@sha256:" + "4f6d1f8b0c1e2a3b5c7d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"
RESOURCE_VALUES = {"cpu": "500m", "memory": "256Mi", "ephemeral-storage": "1Gi"}
FIX_ORDER = [
    "allowed-registries", "disallowed-repositories", "latest-tag", "image-digests", "limits-required",
    "requests-required", "ephemeral-storage-limits", "max-limits", "limit-request-ratio",
]  # fmt: skip


def fixer(*ids: str) -> Callable[[Fixer], Fixer]:
    """Registers a fixer for exemplars."""

    def register(fn: Fixer) -> Fixer:
        for exemplar_id in ids:
            FIXERS[exemplar_id] = fn
        return fn

    return register


def apply_fixers(obj: Obj, parts: list[tuple[str, dict[str, Any]]]) -> Obj:
    """`obj` made compliant with every (exemplar id, params) part, in a stable order."""
    ordered = sorted(parts, key=lambda p: FIX_ORDER.index(p[0]) if p[0] in FIX_ORDER else -1)
    for exemplar_id, params in ordered:
        FIXERS.get(exemplar_id, lambda _o, _p: None)(obj, params)
    return obj


def _spec(obj: Obj) -> Obj:
    return m.pod_spec(obj) or {}


def _drop(item: Obj, *path: str) -> None:
    """Deletes item[path...] and prunes what became empty."""
    if len(path) == 1:
        item.pop(path[0], None)
        return
    child = item.get(path[0])
    if isinstance(child, dict):
        _drop(child, *path[1:])
        if not child:
            item.pop(path[0], None)


@fixer("privileged-containers")
def _privileged(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        _drop(c, "securityContext", "privileged")


@fixer("host-namespaces")
def _host_namespaces(obj: Obj, params: dict[str, Any]) -> None:
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        _spec(obj).pop(key, None)


@fixer("host-ports")
def _host_ports(obj: Obj, params: dict[str, Any]) -> None:
    allowed = set(params.get("allowedPorts") or [])
    _spec(obj).pop("hostNetwork", None)
    for c in m.containers(obj):
        for port in c.get("ports", []) or []:
            if port.get("hostPort") not in allowed:
                port.pop("hostPort", None)


@fixer("host-path-volumes")
def _host_paths(obj: Obj, params: dict[str, Any]) -> None:
    prefixes = [p.rstrip("/") for p in params.get("allowedPathPrefixes") or []]

    def allowed(path: str) -> bool:
        return any(path.rstrip("/") == p or path.startswith(p + "/") for p in prefixes)

    _remove_volumes(obj, lambda v: "hostPath" in v and not allowed(v["hostPath"].get("path", "")))


def _remove_volumes(obj: Obj, doomed: Callable[[Obj], bool]) -> None:
    spec = _spec(obj)
    gone = {v.get("name") for v in spec.get("volumes", []) or [] if doomed(v)}
    if not gone:
        return
    spec["volumes"] = [v for v in spec["volumes"] if v.get("name") not in gone]
    if not spec["volumes"]:
        spec.pop("volumes")
    for c in m.containers(obj):
        if c.get("volumeMounts"):
            c["volumeMounts"] = [vm for vm in c["volumeMounts"] if vm.get("name") not in gone]
            if not c["volumeMounts"]:
                c.pop("volumeMounts")


def _caps(c: Obj, key: str) -> list[str]:
    return list(c.get("securityContext", {}).get("capabilities", {}).get(key, []) or [])


def _norm(cap: str) -> str:
    return cap.upper().removeprefix("CAP_")


def _keep_adds(c: Obj, keep: Callable[[str], bool]) -> None:
    adds = [a for a in _caps(c, "add") if keep(_norm(a))]
    caps = m.security_context(c).setdefault("capabilities", {})
    if adds:
        caps["add"] = adds
    else:
        caps.pop("add", None)
    if not caps:
        _drop(c, "securityContext", "capabilities")
    if not c.get("securityContext"):
        c.pop("securityContext", None)


@fixer("capabilities-allowed")
def _caps_allowed(obj: Obj, params: dict[str, Any]) -> None:
    allowed = {_norm(a) for a in params.get("allowedCapabilities") or []}
    for c in m.containers(obj):
        _keep_adds(c, lambda cap: "*" in allowed or cap in allowed)


@fixer("capabilities-disallowed")
def _caps_disallowed(obj: Obj, params: dict[str, Any]) -> None:
    denied = {_norm(a) for a in params.get("disallowedCapabilities") or []}
    for c in m.containers(obj):
        _keep_adds(c, lambda cap: "*" not in denied and cap not in denied)


@fixer("capabilities-drop-all")
def _drop_all(obj: Obj, params: dict[str, Any]) -> None:
    allowed = {_norm(a) for a in params.get("allowedCapabilities", ["NET_BIND_SERVICE"])}
    for c in m.containers(obj):
        _keep_adds(c, lambda cap: cap in allowed)
        caps = m.security_context(c).setdefault("capabilities", {})
        caps["drop"] = ["ALL"]


def _profile_ok(profile: Obj, allowed: list[str]) -> bool:
    names = {a.lower() for a in allowed}
    return "*" in names or str(profile.get("type", "")).lower() in names


@fixer("apparmor")
def _apparmor(obj: Obj, params: dict[str, Any]) -> None:
    allowed = params.get("allowedProfiles") or ["RuntimeDefault", "Localhost"]
    for item in [_spec(obj), *m.containers(obj)]:
        profile = item.get("securityContext", {}).get("appArmorProfile")
        if profile is not None and not _profile_ok(profile, allowed):
            _drop(item, "securityContext", "appArmorProfile")
    for meta in (obj.get("metadata", {}), (obj.get("spec", {}).get("template") or {}).get("metadata", {})):
        notes = meta.get("annotations") or {}
        for key in [k for k in notes if k.startswith("container.apparmor.security.beta.kubernetes.io/")]:
            notes.pop(key)
        if "annotations" in meta and not notes:
            meta.pop("annotations")


@fixer("selinux")
def _selinux(obj: Obj, params: dict[str, Any]) -> None:
    for item in [_spec(obj), *m.containers(obj)]:
        _drop(item, "securityContext", "seLinuxOptions")


@fixer("proc-mount")
def _proc_mount(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        _drop(c, "securityContext", "procMount")


@fixer("seccomp-baseline")
def _seccomp_baseline(obj: Obj, params: dict[str, Any]) -> None:
    for item in [_spec(obj), *m.containers(obj)]:
        if item.get("securityContext", {}).get("seccompProfile", {}).get("type") == "Unconfined":
            _drop(item, "securityContext", "seccompProfile")


@fixer("seccomp-restricted")
def _seccomp_restricted(obj: Obj, params: dict[str, Any]) -> None:
    allowed = params.get("allowedProfiles") or ["RuntimeDefault", "Localhost"]
    for c in m.containers(obj):
        profile = c.get("securityContext", {}).get("seccompProfile")
        if profile is not None and not _profile_ok(profile, allowed):
            _drop(c, "securityContext", "seccompProfile")
    m.security_context(_spec(obj))["seccompProfile"] = seccomp_profile(allowed)


def seccomp_profile(allowed: list[str]) -> Obj:
    """A seccompProfile of the first allowed type."""
    first = next((a for a in allowed if a != "*"), "RuntimeDefault")
    if first.lower().startswith("localhost"):
        name = first.split("/", 1)[1] if "/" in first else "profiles/app.json"
        return {"type": "Localhost", "localhostProfile": name}
    return {"type": {"runtimedefault": "RuntimeDefault", "unconfined": "Unconfined"}.get(first.lower(), first)}


@fixer("sysctls")
def _sysctls(obj: Obj, params: dict[str, Any]) -> None:
    allowed = params.get("allowedSysctls") or []
    sc = _spec(obj).get("securityContext", {})
    if sc.get("sysctls"):
        sc["sysctls"] = [s for s in sc["sysctls"] if any(fnmatch.fnmatchcase(s["name"], a) for a in allowed)]
        if not sc["sysctls"]:
            _drop(_spec(obj), "securityContext", "sysctls")


@fixer("windows-hostprocess")
def _hostprocess(obj: Obj, params: dict[str, Any]) -> None:
    for item in [_spec(obj), *m.containers(obj)]:
        _drop(item, "securityContext", "windowsOptions", "hostProcess")


@fixer("privilege-escalation")
def _escalation(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        m.security_context(c)["allowPrivilegeEscalation"] = False


@fixer("run-as-non-root")
def _non_root(obj: Obj, params: dict[str, Any]) -> None:
    m.security_context(_spec(obj))["runAsNonRoot"] = True
    for c in m.containers(obj):
        _drop(c, "securityContext", "runAsNonRoot")


@fixer("disallow-root-user")
def _root_user(obj: Obj, params: dict[str, Any]) -> None:
    for item in [_spec(obj), *m.containers(obj)]:
        if item.get("securityContext", {}).get("runAsUser") == 0:
            item["securityContext"]["runAsUser"] = 10001


@fixer("read-only-root-filesystem")
def _read_only(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        m.security_context(c)["readOnlyRootFilesystem"] = True


@fixer("volume-types")
def _volume_types(obj: Obj, params: dict[str, Any]) -> None:
    allowed = set(params.get("allowedTypes") or [])
    if "*" not in allowed:
        _remove_volumes(obj, lambda v: not any(k in allowed for k in v if k != "name"))


@fixer("probes-required")
def _probes(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj, ("containers",)):
        for probe in params.get("probes") or ["livenessProbe", "readinessProbe"]:
            field = probe if probe.endswith("Probe") else f"{probe}Probe"
            c.setdefault(field, {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10})


@fixer("replica-bounds")
def _replicas(obj: Obj, params: dict[str, Any]) -> None:
    if obj.get("kind") in ("Deployment", "StatefulSet", "ReplicaSet"):
        low, high = int(params.get("minReplicas", 1)), int(params.get("maxReplicas", 100))
        current = obj["spec"].get("replicas", 1)
        obj["spec"]["replicas"] = min(max(current, low), high)


@fixer("automount-service-account-token")
def _automount(obj: Obj, params: dict[str, Any]) -> None:
    if m.pod_spec(obj) is not None:
        _spec(obj)["automountServiceAccountToken"] = False


@fixer("latest-tag")
def _latest(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        name, at, digest = c["image"].partition("@")
        last = name.rsplit("/", 1)[-1]
        if ":" not in last:
            name += ":1.4.2"
        elif last.endswith(":latest"):
            name = name[: -len("latest")] + "1.4.2"
        c["image"] = name + at + digest


@fixer("image-digests")
def _digests(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        if "@" not in c["image"]:
            c["image"] += DIGEST


@fixer("image-pull-policy")
def _pull_policy(obj: Obj, params: dict[str, Any]) -> None:
    first = (params.get("allowedPolicies") or ["Always"])[0]
    for c in m.containers(obj):
        c["imagePullPolicy"] = first


@fixer("allowed-registries")
def _registries(obj: Obj, params: dict[str, Any]) -> None:
    registries = params.get("registries") or []
    if not registries:
        return
    for c in m.containers(obj):
        base, suffix = m.image_parts(c["image"])
        if not any(_on_registry(c["image"], r) for r in registries):
            c["image"] = image_under(registries[0], base, "") + (suffix or ":1.4.2")


def _on_registry(image: str, entry: str) -> bool:
    """Python twin of the allowed-registries match, for images the fixtures write themselves."""
    if "/" not in entry:
        return image.split("/")[0].lower() == entry.lower() and "/" in image
    prefix = entry.rstrip("*")
    return image.startswith(prefix) and (entry.endswith(("*", "/")) or image[len(prefix) : len(prefix) + 1] in "/:@")


@fixer("disallowed-repositories")
def _repositories(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        if any(_on_registry(c["image"], r) or c["image"].startswith(r) for r in params.get("repositories") or []):
            base, suffix = m.image_parts(c["image"])
            c["image"] = f"registry.example.com/approved/{base}{suffix or ':1.4.2'}"


def _set_resources(obj: Obj, section: str, names: list[str]) -> None:
    for c in m.containers(obj, ("containers", "initContainers")):
        values = c.setdefault("resources", {}).setdefault(section, {})
        for name in names:
            values.setdefault(name, RESOURCE_VALUES.get(name, "1"))


@fixer("limits-required")
def _limits(obj: Obj, params: dict[str, Any]) -> None:
    _set_resources(obj, "limits", params.get("resources") or ["cpu", "memory"])


@fixer("requests-required")
def _requests(obj: Obj, params: dict[str, Any]) -> None:
    _set_resources(obj, "requests", params.get("resources") or ["cpu", "memory"])


@fixer("ephemeral-storage-limits")
def _ephemeral(obj: Obj, params: dict[str, Any]) -> None:
    limit = params.get("maxLimit") or RESOURCE_VALUES["ephemeral-storage"]
    for c in m.containers(obj, ("containers", "initContainers")):
        limits = c.setdefault("resources", {}).setdefault("limits", {})
        if "ephemeral-storage" not in limits or parse(str(limits["ephemeral-storage"])) > parse(limit):
            limits["ephemeral-storage"] = limit


@fixer("max-limits")
def _max_limits(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        limits = c.get("resources", {}).get("limits", {})
        for name in ("cpu", "memory"):
            cap = params.get(name)
            if cap and name in limits and parse(str(limits[name])) > parse(cap):
                limits[name] = cap
                requests = c["resources"].get("requests", {})
                if name in requests and parse(str(requests[name])) > parse(cap):
                    requests[name] = cap


@fixer("limit-request-ratio")
def _ratio(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        resources = c.get("resources", {})
        for name in params.get("resources") or ["cpu", "memory"]:
            if name in resources.get("limits", {}) and name in resources.get("requests", {}):
                resources["requests"][name] = resources["limits"][name]


def matching_value(regex: str | None) -> str | None:
    """A label/annotation value the regex accepts (None when no candidate does)."""
    if not regex:
        return "platform"
    alternatives = re.fullmatch(r"\^?\(([^()]*)\)\$?", regex)
    candidates = alternatives.group(1).split("|") if alternatives else []
    candidates += ["platform", "prod", "team-a", "1234", "https://runbooks.example.com/app",
                   "oncall@example.com", "a", "v1"]  # fmt: skip
    for value in candidates:
        try:
            if re.fullmatch(regex, value) or re.search(regex, value) and regex.startswith("^") and regex.endswith("$"):
                return value.replace("\\", "")
        except re.error:
            return None
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
        if hosts:
            obj["spec"]["tls"] = [{"hosts": hosts, "secretName": f"{obj['metadata']['name']}-tls"}]


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
    if obj.get("kind") in ("RoleBinding", "ClusterRoleBinding") and obj.get("roleRef", {}).get("name") == "cluster-admin":
        obj["roleRef"]["name"] = "view"


@fixer("pdb-allows-disruption")
def _pdb(obj: Obj, params: dict[str, Any]) -> None:
    if obj.get("kind") == "PodDisruptionBudget":
        obj["spec"].pop("minAvailable", None)
        obj["spec"]["maxUnavailable"] = 1
