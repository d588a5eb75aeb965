"""Pod specs of every workload kind: containers, effective security settings, volumes."""

from __future__ import annotations

import re
from typing import Any, get_args

from tools.extract.images import parse_image
from tools.extract.models import ContainerField, ContainerInfo, PodInfo, PortInfo, Resources, VolumeInfo
from tools.extract.shape import as_dict, as_list

# kind -> path of its pod spec. Other kinds with a spec.template.spec.containers list
# (Argo Rollouts, OpenKruise CloneSets, ...) are read at spec.template.spec too.
POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "PodTemplate": ("template", "spec"),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
WORKLOAD_KINDS = frozenset(POD_SPEC_PATHS)
# Kinds whose replica count defaults to 1 when unset.
REPLICATED_KINDS = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"})
CONTAINER_FIELDS: tuple[ContainerField, ...] = get_args(ContainerField)
# Pod-level securityContext fields a container inherits unless it sets them itself.
INHERITED_FIELDS = (
    "runAsUser",
    "runAsGroup",
    "runAsNonRoot",
    "seLinuxOptions",
    "seccompProfile",
    "appArmorProfile",
    "windowsOptions",
)
_CREDENTIAL_NAME = re.compile(
    r"(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY)", re.I
)
_APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
_SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod"
_SECCOMP_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"
# Legacy annotation values -> the securityContext field's type names.
_LEGACY_PROFILES = {
    "runtime/default": "RuntimeDefault",
    "docker/default": "RuntimeDefault",
    "unconfined": "Unconfined",
}


def _get(obj: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def pod_spec_path(obj: dict[str, Any]) -> tuple[str, ...] | None:
    """Where the object's pod spec sits, or None for kinds without one."""
    kind = obj.get("kind")
    if isinstance(kind, str) and kind in POD_SPEC_PATHS:
        return POD_SPEC_PATHS[kind]
    generic = ("spec", "template", "spec")
    return generic if isinstance(_get(obj, (*generic, "containers")), list) else None


def _pod_annotations(obj: dict[str, Any], spec_path: tuple[str, ...]) -> dict[str, Any]:
    """Annotations of the pod itself: the object's for a Pod, the template's for a workload."""
    meta_path = ("metadata",) if spec_path == ("spec",) else (*spec_path[:-1], "metadata")
    found = _get(obj, (*meta_path, "annotations"))
    return as_dict(found)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _caps(values: Any) -> list[str]:
    """Capability names upper-cased without the CAP_ prefix, as the kernel and the Rego library name them."""
    if not isinstance(values, list):
        return []
    return [str(v).upper().removeprefix("CAP_") for v in values]


def _resources(raw: Any) -> Resources:
    raw = as_dict(raw)
    pick = lambda part: {str(k): str(v) for k, v in (raw.get(part) or {}).items()}  # noqa: E731
    return Resources(requests=pick("requests"), limits=pick("limits"))


def _ports(raw: Any) -> list[PortInfo]:
    ports = []
    for port in as_list(raw):
        if isinstance(port, dict):
            ports.append(
                PortInfo(
                    container_port=_int(port.get("containerPort")),
                    host_port=_int(port.get("hostPort")),
                    protocol=str(port.get("protocol") or "TCP"),
                    name=_str(port.get("name")),
                )
            )
    return ports


def _app_armor(
    container: dict[str, Any], effective: dict[str, Any], annotations: dict[str, Any]
) -> str | None:
    profile = effective.get("appArmorProfile")
    if isinstance(profile, dict) and profile.get("type"):
        return str(profile["type"])
    return _legacy(annotations.get(_APPARMOR_PREFIX + str(container.get("name", ""))))


def _legacy(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return _LEGACY_PROFILES.get(value, "Localhost" if value.startswith("localhost/") else value)


def _seccomp(container: dict[str, Any], effective: dict[str, Any], annotations: dict[str, Any]) -> str | None:
    """The seccomp type: the fields (container over pod) win over the pre-1.19 annotations."""
    profile = effective.get("seccompProfile")
    if isinstance(profile, dict) and profile.get("type"):
        return str(profile["type"])
    own = annotations.get(_SECCOMP_PREFIX + str(container.get("name", "")))
    return _legacy(own if own is not None else annotations.get(_SECCOMP_POD))


def _container(
    raw: dict[str, Any],
    field: ContainerField,
    index: int,
    prefix: str,
    pod_sc: dict[str, Any],
    annotations: dict[str, Any],
) -> ContainerInfo:
    own = as_dict(raw.get("securityContext"))
    effective = {k: pod_sc[k] for k in INHERITED_FIELDS if k in pod_sc}
    effective.update(own)
    caps = as_dict(effective.get("capabilities"))
    windows = effective.get("windowsOptions")
    image = raw.get("image")
    env = as_list(raw.get("env"))
    return ContainerInfo(
        name=str(raw.get("name") or f"#{index}"),
        field=field,
        index=index,
        path=f"{prefix}.{field}[{index}]",
        image=parse_image(image) if isinstance(image, str) and image.strip() else None,
        image_pull_policy=_str(raw.get("imagePullPolicy")),
        security_context=effective,
        privileged=effective.get("privileged") is True,
        allow_privilege_escalation=_bool(effective.get("allowPrivilegeEscalation")),
        run_as_non_root=_bool(effective.get("runAsNonRoot")),
        run_as_user=_int(effective.get("runAsUser")),
        run_as_group=_int(effective.get("runAsGroup")),
        read_only_root_filesystem=_bool(effective.get("readOnlyRootFilesystem")),
        capabilities_add=_caps(caps.get("add")),
        capabilities_drop=_caps(caps.get("drop")),
        seccomp_profile=_seccomp(raw, effective, annotations),
        app_armor_profile=_app_armor(raw, effective, annotations),
        proc_mount=_str(effective.get("procMount")),
        windows_host_process=isinstance(windows, dict) and windows.get("hostProcess") is True,
        resources=_resources(raw.get("resources")),
        probes=[p for p in ("liveness", "readiness", "startup") if isinstance(raw.get(f"{p}Probe"), dict)],
        ports=_ports(raw.get("ports")),
        env_secret_literals=[
            str(e["name"])
            for e in env
            if isinstance(e, dict)
            and isinstance(e.get("name"), str)
            and _CREDENTIAL_NAME.search(e["name"])
            and isinstance(e.get("value"), str)
            and e["value"]
        ],
    )


def _volumes(raw: Any) -> list[VolumeInfo]:
    volumes = []
    for i, volume in enumerate(as_list(raw)):
        if not isinstance(volume, dict):
            continue
        sources = [k for k in volume if k != "name"]
        kind = sources[0] if sources else "emptyDir"  # a volume with only a name is an emptyDir
        source = volume.get(kind)
        volumes.append(
            VolumeInfo(
                name=str(volume.get("name") or f"#{i}"),
                type=kind,
                source=as_dict(source),
            )
        )
    return volumes


def extract_pod(obj: dict[str, Any]) -> PodInfo | None:
    """The pod spec of a Pod, a pod-template workload or a CronJob, or None for other kinds."""
    path = pod_spec_path(obj)
    spec = _get(obj, path) if path else None
    if not path or not isinstance(spec, dict):
        return None
    prefix = ".".join(path)
    pod_sc = as_dict(spec.get("securityContext"))
    annotations = _pod_annotations(obj, path)
    containers = [
        _container(c, field, i, prefix, pod_sc, annotations)
        for field in CONTAINER_FIELDS
        for i, c in enumerate(as_list(spec.get(field)))
        if isinstance(c, dict)
    ]
    replicas = _int(_get(obj, ("spec", "replicas")))
    if replicas is None and obj.get("kind") in REPLICATED_KINDS:
        replicas = 1
    sysctls = as_list(pod_sc.get("sysctls"))
    service_account = spec.get("serviceAccountName") or spec.get("serviceAccount")
    return PodInfo(
        path=prefix,
        host_network=spec.get("hostNetwork") is True,
        host_pid=spec.get("hostPID") is True,
        host_ipc=spec.get("hostIPC") is True,
        host_users=_bool(spec.get("hostUsers")),
        security_context=pod_sc,
        sysctls=[str(s.get("name")) for s in sysctls if isinstance(s, dict) and s.get("name")],
        service_account_name=str(service_account) if service_account else None,
        automount_service_account_token=_bool(spec.get("automountServiceAccountToken")),
        volumes=_volumes(spec.get("volumes")),
        containers=containers,
        replicas=replicas,
    )
