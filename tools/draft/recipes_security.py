"""Fixture recipes of the pod-security exemplars, built from the draft's parameters."""

from __future__ import annotations

import fnmatch
from typing import Any

from tools.draft.fixers import host_path_blocked, seccomp_profile
from tools.draft.recipe_base import Case, Ctx, Mutation, pod_cases, recipe, sc, setter, unsetter

Obj = dict[str, Any]
_DANGEROUS = ["SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "BPF", "SYS_MODULE"]
_HARMLESS = ["NET_BIND_SERVICE", "CHOWN", "SETUID", "KILL"]


def _first(candidates: list[Any], taken: set[Any]) -> Any:
    return next((c for c in candidates if c not in taken), None)


@recipe("privileged-containers")
def privileged(ctx: Ctx) -> list[Case]:
    """Deny: privileged app / init container, privileged Deployment and CronJob."""
    return pod_cases(ctx, [Mutation("privileged-container", setter(privileged=True))],
                     [Mutation("privileged-false", setter(privileged=False))])  # fmt: skip


@recipe("host-namespaces")
def host_namespaces(ctx: Ctx) -> list[Case]:
    """Deny: hostNetwork, hostPID, hostIPC each; allow: all three false."""

    def flag(name: str) -> Mutation:
        label = name.replace("host", "host-").lower()
        return Mutation(label, lambda spec, _o: spec.update({name: True}), "pod", facet=name)

    off = Mutation("host-namespaces-false", lambda s, _o: s.update(hostNetwork=False, hostPID=False), "pod")
    return pod_cases(ctx, [flag("hostNetwork"), flag("hostPID"), flag("hostIPC")], [off])


def _port(port: int) -> Mutation:
    def apply(c: Obj, _o: Obj) -> None:
        c["ports"] = [{"containerPort": port, "hostPort": port}]

    return Mutation(f"host-port-{port}", apply)


@recipe("host-ports")
def host_ports(ctx: Ctx) -> list[Case]:
    """Allow: each allowed host port; deny: a host port outside the list."""
    allowed = list(ctx.params.get("allowedPorts") or [])
    bad = _first([8080, 9100, 30080, 2222, 4444], set(allowed))
    variants = [Mutation(f"allowed-host-port-{p}", _port(p).apply) for p in allowed[:3]]
    return pod_cases(ctx, [_port(bad)], variants)


def _host_path(path: str, label: str) -> Mutation:
    def apply(spec: Obj, _o: Obj) -> None:
        spec["volumes"] = [{"name": "host", "hostPath": {"path": path}}]
        spec["containers"][0]["volumeMounts"] = [{"name": "host", "mountPath": "/host"}]

    return Mutation(label, apply, "pod")


def _path_label(prefix: str, path: str) -> str:
    return prefix + (path.strip("/").replace("/", "-").replace(".", "-") or "root")


@recipe("host-path-volumes")
def host_path_volumes(ctx: Ctx) -> list[Case]:
    """Allow: a path under each allowed prefix; deny: /etc and the container runtime socket.
    With a blocklist, deny: each denied path (and one climbing to it with ".."); allow: another host path."""
    prefixes = [p.rstrip("/") for p in ctx.params.get("allowedPathPrefixes") or []]
    denied = [p.rstrip("/") or "/" for p in ctx.params.get("deniedPathPrefixes") or []]
    variants = [_host_path(f"{p}/app" if p != "/" else "/srv", f"host-path-under-{p.strip('/').replace('/', '-')}")
                for p in prefixes[:3]]  # fmt: skip
    if denied:
        bad = [p for p in denied if host_path_blocked(p, ctx.params)][:3]
        violations = [_host_path(p, _path_label("host-path-", p)) for p in bad]
        if bad:
            climb = "/tmp/.." + (bad[0] if bad[0] != "/" else "/etc")
            violations.append(_host_path(climb, "host-path-climbing-with-dot-dot"))
        others = [
            p
            for p in ["/var/log", "/proc", "/srv/cache", "/opt/data"]
            if not host_path_blocked(p, ctx.params)
        ]
        variants += [_host_path(p, _path_label("host-path-not-blocked-", p)) for p in others[:1]]
        return pod_cases(ctx, violations, variants)
    bad = [p for p in ["/etc", "/var/run/docker.sock", "/"] if host_path_blocked(p, ctx.params)]
    violations = [_host_path(p, _path_label("host-path-", p)) for p in bad[:2]]
    return pod_cases(ctx, violations, variants)


def _add(cap: str, drop_all: bool = False) -> Mutation:
    def apply(c: Obj, _o: Obj) -> None:
        caps = sc(c).setdefault("capabilities", {})
        caps["add"] = [cap]
        if drop_all:
            caps["drop"] = ["ALL"]

    return Mutation(f"adds-{cap.lower().replace('_', '-')}", apply)


@recipe("capabilities-allowed")
def capabilities_allowed(ctx: Ctx) -> list[Case]:
    """Allow: adding each allowed capability; deny: adding one outside the list."""
    allowed = {a.upper().removeprefix("CAP_") for a in ctx.params.get("allowedCapabilities") or []}
    if "*" in allowed:
        return []
    bad = [c for c in _DANGEROUS if c not in allowed][:2]
    variants = [
        Mutation(f"adds-allowed-{a.lower().replace('_', '-')}", _add(a).apply) for a in sorted(allowed)[:3]
    ]
    return pod_cases(ctx, [_add(c) for c in bad], variants)


@recipe("capabilities-disallowed")
def capabilities_disallowed(ctx: Ctx) -> list[Case]:
    """Deny: adding each forbidden capability (one spelt cap_lower-case); allow: a harmless one."""
    denied = [a.upper().removeprefix("CAP_") for a in ctx.params.get("disallowedCapabilities") or []]
    violations = [_add(c) for c in denied[:3] if c != "*"]
    if violations and denied[0] not in ("ALL", "*"):
        spelled = _add(f"cap_{denied[0].lower()}")
        violations.append(
            Mutation(f"adds-{denied[0].lower().replace('_', '-')}-as-cap-prefix", spelled.apply)
        )
    if "*" in denied:
        violations.append(_add("NET_BIND_SERVICE"))
    ok = _first(_HARMLESS, set(denied))
    variants = (
        [Mutation(f"adds-permitted-{ok.lower().replace('_', '-')}", _add(ok).apply)]
        if ok and "*" not in denied
        else []
    )
    return pod_cases(ctx, violations, variants)


@recipe("capabilities-drop-all")
def capabilities_drop_all(ctx: Ctx) -> list[Case]:
    """Deny: not dropping ALL, adding a capability outside the add-back list; allow: each add-back."""
    allowed = [a.upper().removeprefix("CAP_") for a in ctx.params.get("allowedCapabilities") or []]

    def keep_defaults(c: Obj, _o: Obj) -> None:
        sc(c).setdefault("capabilities", {})["drop"] = ["NET_RAW"]

    violations = [Mutation("does-not-drop-all", keep_defaults)]
    bad = _first(_DANGEROUS, set(allowed))
    violations.append(Mutation(f"drops-all-but-adds-{bad.lower().replace('_', '-')}", _add(bad, True).apply))
    variants = [
        Mutation(f"adds-back-{a.lower().replace('_', '-')}", _add(a, True).apply) for a in allowed[:2]
    ]
    return pod_cases(ctx, violations, variants)


def _profile_cases(ctx: Ctx, field: str, label: str, local: str) -> list[Case]:
    allowed = list(ctx.params.get("allowedProfiles") or ["RuntimeDefault", "Localhost"])
    names = {a.lower().split("/")[0] for a in allowed}

    def profile(kind: str) -> Obj:
        return {"type": kind, "localhostProfile": local} if kind == "Localhost" else {"type": kind}

    bad = [
        k
        for k in ("Unconfined", "Localhost", "RuntimeDefault")
        if k.lower() not in names and "*" not in names
    ]
    violations = [Mutation(f"{label}-{k.lower()}", setter(**{field: profile(k)})) for k in bad[:2]]
    if bad:
        violations.append(
            Mutation(f"{label}-{bad[0].lower()}-on-pod", setter(**{field: profile(bad[0])}), "pod")
        )
    variants = [Mutation(f"{label}-{a.split('/')[0].lower()}-allowed", setter(**{field: profile(a.split("/")[0])}))
                for a in allowed[:2] if a != "*"]  # fmt: skip
    return pod_cases(ctx, violations, variants)


@recipe("apparmor")
def apparmor(ctx: Ctx) -> list[Case]:
    """Deny: AppArmor profile types outside allowedProfiles; allow: each allowed type."""
    return _profile_cases(ctx, "appArmorProfile", "apparmor", "k8s-apparmor-app")


@recipe("seccomp-restricted")
def seccomp_restricted(ctx: Ctx) -> list[Case]:
    """Deny: no seccomp profile anywhere, a disallowed type; allow: each allowed type."""
    cases = _profile_cases(ctx, "seccompProfile", "seccomp", "profiles/app.json")
    unset = Mutation(
        "no-seccomp-profile",
        lambda spec, _o: spec.get("securityContext", {}).pop("seccompProfile", None),
        "pod",
    )
    return cases + [c for c in pod_cases(ctx, [unset], []) if c.expected == "deny"]


@recipe("seccomp-baseline")
def seccomp_baseline(ctx: Ctx) -> list[Case]:
    """Deny: seccomp Unconfined on a container or the pod; allow: RuntimeDefault and unset."""
    unconfined = {"seccompProfile": {"type": "Unconfined"}}
    return pod_cases(ctx, [Mutation("seccomp-unconfined", setter(**unconfined)),
                           Mutation("seccomp-unconfined-on-pod", setter(**unconfined), "pod")],
                     [Mutation("seccomp-runtime-default", setter(seccompProfile=seccomp_profile(["RuntimeDefault"])))])  # fmt: skip


@recipe("selinux")
def selinux(ctx: Ctx) -> list[Case]:
    """Deny: an SELinux type outside allowedTypes, a custom user; allow: each allowed type."""
    allowed = list(ctx.params.get("allowedTypes") or [])
    bad = _first(["spc_t", "unconfined_t", "super_t"], set(allowed))
    violations = [Mutation(f"selinux-type-{bad.replace('_', '-')}", setter(seLinuxOptions={"type": bad}))]
    violations.append(Mutation("selinux-custom-user", setter(seLinuxOptions={"user": "system_u"})))
    variants = [Mutation(f"selinux-type-{t.replace('_', '-')}-allowed", setter(seLinuxOptions={"type": t}))
                for t in allowed[:2] if t != "*"]  # fmt: skip
    return pod_cases(ctx, violations if "*" not in allowed else violations[1:], variants)


@recipe("proc-mount")
def proc_mount(ctx: Ctx) -> list[Case]:
    """Deny: procMount Unmasked; allow: procMount Default."""
    return pod_cases(ctx, [Mutation("proc-mount-unmasked", setter(procMount="Unmasked"))],
                     [Mutation("proc-mount-default", setter(procMount="Default"))])  # fmt: skip


def _sysctl(name: str, label: str) -> Mutation:
    return Mutation(label, lambda spec, _o: sc(spec).update(sysctls=[{"name": name, "value": "1"}]), "pod")


@recipe("sysctls")
def sysctls(ctx: Ctx) -> list[Case]:
    """Deny: a sysctl outside allowedSysctls; allow: each allowed sysctl."""
    allowed = list(ctx.params.get("allowedSysctls") or [])
    bad = [s for s in ["kernel.msgmax", "net.core.somaxconn", "vm.swappiness"]
           if not any(fnmatch.fnmatchcase(s, a) for a in allowed)]  # fmt: skip
    # The last entries are the ones the request added to the safe set: show those first.
    picked = list(dict.fromkeys([*allowed[-1:], *allowed[:1]]))
    examples = [
        a.replace("*", "_rmid_forced" if a.startswith("kernel.shm") else "x") for a in picked if a != "*"
    ]
    return pod_cases(ctx, [_sysctl(s, f"sysctl-{s.replace('.', '-').replace('_', '-')}") for s in bad[:2]],
                     [_sysctl(s, f"allowed-sysctl-{s.replace('.', '-').replace('_', '-')}") for s in examples])  # fmt: skip


@recipe("windows-hostprocess")
def windows_hostprocess(ctx: Ctx) -> list[Case]:
    """Deny: windowsOptions.hostProcess on a container and on the pod; allow: hostProcess false."""
    on = {"windowsOptions": {"hostProcess": True}}
    return pod_cases(ctx, [Mutation("windows-host-process", setter(**on)),
                           Mutation("windows-host-process-on-pod", setter(**on), "pod")],
                     [Mutation("windows-host-process-false", setter(windowsOptions={"hostProcess": False}))])  # fmt: skip


@recipe("privilege-escalation")
def privilege_escalation(ctx: Ctx) -> list[Case]:
    """Deny: allowPrivilegeEscalation true or unset; allow: false (the base)."""
    return pod_cases(ctx, [Mutation("allows-privilege-escalation", setter(allowPrivilegeEscalation=True)),
                           Mutation("privilege-escalation-unset", unsetter("allowPrivilegeEscalation"))], [])  # fmt: skip


@recipe("run-as-non-root")
def run_as_non_root(ctx: Ctx) -> list[Case]:
    """Deny: a container with runAsNonRoot false, a pod without it; allow: set on each container."""

    def per_container(spec: Obj, _o: Obj) -> None:
        spec.get("securityContext", {}).pop("runAsNonRoot", None)
        for c in spec.get("containers", []):
            sc(c)["runAsNonRoot"] = True

    return pod_cases(ctx, [Mutation("run-as-non-root-false", setter(runAsNonRoot=False)),
                           Mutation("run-as-non-root-unset", unsetter("runAsNonRoot"), "pod")],
                     [Mutation("run-as-non-root-per-container", per_container, "pod")])  # fmt: skip


@recipe("disallow-root-user")
def disallow_root_user(ctx: Ctx) -> list[Case]:
    """Deny: runAsUser 0 on a container and on the pod; allow: a non-zero uid."""
    return pod_cases(ctx, [Mutation("run-as-user-0", setter(runAsUser=0)),
                           Mutation("run-as-user-0-on-pod", setter(runAsUser=0), "pod")],
                     [Mutation("run-as-user-10001", setter(runAsUser=10001))])  # fmt: skip


@recipe("read-only-root-filesystem")
def read_only_root_filesystem(ctx: Ctx) -> list[Case]:
    """Deny: readOnlyRootFilesystem false or unset; allow: true (the base)."""
    return pod_cases(ctx, [Mutation("writable-root-filesystem", setter(readOnlyRootFilesystem=False)),
                           Mutation("read-only-root-filesystem-unset", unsetter("readOnlyRootFilesystem"))], [])  # fmt: skip


_VOLUME_SOURCES: dict[str, Obj] = {
    "configMap": {"name": "app-config"}, "secret": {"secretName": "app-secret"}, "emptyDir": {},
    "persistentVolumeClaim": {"claimName": "data"}, "downwardAPI": {"items": []}, "projected": {"sources": []},
    "csi": {"driver": "secrets-store.csi.k8s.io"}, "hostPath": {"path": "/data"},
    "nfs": {"server": "nfs.example.com", "path": "/exports"}, "gitRepo": {"repository": "https://example.com/r.git"},
    "iscsi": {"targetPortal": "10.0.0.1:3260", "iqn": "iqn.2001-04.com.example:storage", "lun": 0},
}  # fmt: skip


def _volume(kind: str, label: str) -> Mutation:
    def apply(spec: Obj, _o: Obj) -> None:
        spec["volumes"] = [{"name": "data", kind: dict(_VOLUME_SOURCES[kind])}]
        spec["containers"][0]["volumeMounts"] = [{"name": "data", "mountPath": "/data"}]

    return Mutation(label, apply, "pod")


@recipe("volume-types")
def volume_types(ctx: Ctx) -> list[Case]:
    """Deny: a volume type outside allowedTypes; allow: each allowed type fixtures can build."""
    allowed = list(ctx.params.get("allowedTypes") or [])
    bad = [
        t
        for t in ["hostPath", "nfs", "gitRepo", "iscsi", "emptyDir"]
        if t not in allowed and "*" not in allowed
    ]
    variants = [_volume(t, f"{t.lower()}-volume-allowed") for t in allowed if t in _VOLUME_SOURCES][:3]
    return pod_cases(ctx, [_volume(t, f"{t.lower()}-volume") for t in bad[:2]], variants)
