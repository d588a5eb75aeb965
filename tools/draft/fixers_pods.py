"""Fixers of the pod-security and workload exemplars (see fixer_base.py)."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from typing import Any

from tools.draft import manifests as m
from tools.draft.fixer_base import Obj, drop, fixer, remove_volumes, spec_of


@fixer("privileged-containers")
def _privileged(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        drop(c, "securityContext", "privileged")


@fixer("host-namespaces")
def _host_namespaces(obj: Obj, params: dict[str, Any]) -> None:
    for key in ("hostNetwork", "hostPID", "hostIPC"):
        spec_of(obj).pop(key, None)


@fixer("host-ports")
def _host_ports(obj: Obj, params: dict[str, Any]) -> None:
    allowed = set(params.get("allowedPorts") or [])
    spec_of(obj).pop("hostNetwork", None)
    for c in m.containers(obj):
        for port in c.get("ports", []) or []:
            if port.get("hostPort") not in allowed:
                port.pop("hostPort", None)


def _normal(path: str) -> str:
    """The path without empty or "." segments, as the exemplar compares them ("/" becomes "")."""
    return "".join("/" + seg for seg in path.split("/") if seg not in ("", "."))


def _below(path: str, prefixes: list[str]) -> bool:
    """True when `path` is one of `prefixes` or below one, by whole segments."""
    norm = _normal(path)
    return any(p != "" and (norm == _normal(p) or norm.startswith(_normal(p) + "/")) for p in prefixes)


def host_path_blocked(path: str, params: dict[str, Any]) -> bool:
    """What host-path-volumes denies: outside the allowed prefixes, and with a blocklist only
    paths below a denied prefix (or climbing with "..")."""
    climbs = ".." in path.split("/")
    if not climbs and _below(path, params.get("allowedPathPrefixes") or []):
        return False
    denied = params.get("deniedPathPrefixes") or []
    return not denied or climbs or _below(path, denied)


@fixer("host-path-volumes")
def _host_paths(obj: Obj, params: dict[str, Any]) -> None:
    remove_volumes(
        obj, lambda v: "hostPath" in v and host_path_blocked(v["hostPath"].get("path", ""), params)
    )


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
        drop(c, "securityContext", "capabilities")
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
    for item in [spec_of(obj), *m.containers(obj)]:
        profile = item.get("securityContext", {}).get("appArmorProfile")
        if profile is not None and not _profile_ok(profile, allowed):
            drop(item, "securityContext", "appArmorProfile")
    for meta in (obj.get("metadata", {}), (obj.get("spec", {}).get("template") or {}).get("metadata", {})):
        notes = meta.get("annotations") or {}
        for key in [k for k in notes if k.startswith("container.apparmor.security.beta.kubernetes.io/")]:
            notes.pop(key)
        if "annotations" in meta and not notes:
            meta.pop("annotations")


@fixer("selinux")
def _selinux(obj: Obj, params: dict[str, Any]) -> None:
    for item in [spec_of(obj), *m.containers(obj)]:
        drop(item, "securityContext", "seLinuxOptions")


@fixer("proc-mount")
def _proc_mount(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        drop(c, "securityContext", "procMount")


@fixer("seccomp-baseline")
def _seccomp_baseline(obj: Obj, params: dict[str, Any]) -> None:
    for item in [spec_of(obj), *m.containers(obj)]:
        if item.get("securityContext", {}).get("seccompProfile", {}).get("type") == "Unconfined":
            drop(item, "securityContext", "seccompProfile")


@fixer("seccomp-restricted")
def _seccomp_restricted(obj: Obj, params: dict[str, Any]) -> None:
    allowed = params.get("allowedProfiles") or ["RuntimeDefault", "Localhost"]
    for c in m.containers(obj):
        profile = c.get("securityContext", {}).get("seccompProfile")
        if profile is not None and not _profile_ok(profile, allowed):
            drop(c, "securityContext", "seccompProfile")
    m.security_context(spec_of(obj))["seccompProfile"] = seccomp_profile(allowed)


def seccomp_profile(allowed: list[str]) -> Obj:
    """A seccompProfile of the first allowed type."""
    first = next((a for a in allowed if a != "*"), "RuntimeDefault")
    if first.lower().startswith("localhost"):
        name = first.split("/", 1)[1] if "/" in first else "profiles/app.json"
        return {"type": "Localhost", "localhostProfile": name}
    return {
        "type": {"runtimedefault": "RuntimeDefault", "unconfined": "Unconfined"}.get(first.lower(), first)
    }


@fixer("sysctls")
def _sysctls(obj: Obj, params: dict[str, Any]) -> None:
    allowed = params.get("allowedSysctls") or []
    sc = spec_of(obj).get("securityContext", {})
    if sc.get("sysctls"):
        sc["sysctls"] = [s for s in sc["sysctls"] if any(fnmatch.fnmatchcase(s["name"], a) for a in allowed)]
        if not sc["sysctls"]:
            drop(spec_of(obj), "securityContext", "sysctls")


@fixer("windows-hostprocess")
def _hostprocess(obj: Obj, params: dict[str, Any]) -> None:
    for item in [spec_of(obj), *m.containers(obj)]:
        drop(item, "securityContext", "windowsOptions", "hostProcess")


@fixer("privilege-escalation")
def _escalation(obj: Obj, params: dict[str, Any]) -> None:
    for c in m.containers(obj):
        m.security_context(c)["allowPrivilegeEscalation"] = False


@fixer("run-as-non-root")
def _non_root(obj: Obj, params: dict[str, Any]) -> None:
    m.security_context(spec_of(obj))["runAsNonRoot"] = True
    for c in m.containers(obj):
        drop(c, "securityContext", "runAsNonRoot")


@fixer("disallow-root-user")
def _root_user(obj: Obj, params: dict[str, Any]) -> None:
    for item in [spec_of(obj), *m.containers(obj)]:
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
        remove_volumes(obj, lambda v: not any(k in allowed for k in v if k != "name"))


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
        spec_of(obj)["automountServiceAccountToken"] = False
