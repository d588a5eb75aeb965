"""Feature strings ("key=value", tools/features.py) from an object's typed details.

Each key states a risk the corpus policies are about, so values name the risky state
(e.g. "securityContext.runAsNonRoot=unset"), not every setting seen. The corpus
meta.yaml `features` lists use the same strings, which is what retrieval matches on.
"""

from __future__ import annotations

from typing import Any

from tools.extract.models import ContainerInfo, IngressInfo, PdbInfo, PodInfo, RbacInfo, ServiceInfo
from tools.extract.shape import as_dict
from tools.features import feature

# Kinds that live outside namespaces: metadata.namespace means nothing for them.
CLUSTER_SCOPED_KINDS = frozenset(
    {
        "Namespace",
        "Node",
        "PersistentVolume",
        "StorageClass",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "PriorityClass",
        "IngressClass",
        "RuntimeClass",
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "APIService",
        "CSIDriver",
        "CSINode",
        "VolumeAttachment",
        "ComponentStatus",
        "CertificateSigningRequest",
        "ConstraintTemplate",
    }
)
# SELinux types the Pod Security Standards allow; anything else (or a user/role) is custom.
_PSS_SELINUX_TYPES = {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}


def _unset_or_false(value: bool | None) -> str | None:
    return "unset" if value is None else ("false" if value is False else None)


def _seccomp(profile: str | None) -> str | None:
    return None if profile == "RuntimeDefault" else (profile or "unset").lower()


def _container_features(c: ContainerInfo) -> list[str]:
    out: list[str] = []
    sc = c.security_context
    if c.privileged:
        out.append(feature("securityContext.privileged", True))
    if c.allow_privilege_escalation is not False:
        escalation = "true" if c.allow_privilege_escalation else "unset"
        out.append(feature("securityContext.allowPrivilegeEscalation", escalation))
    for key, value in (
        ("securityContext.runAsNonRoot", _unset_or_false(c.run_as_non_root)),
        ("securityContext.readOnlyRootFilesystem", _unset_or_false(c.read_only_root_filesystem)),
        ("securityContext.runAsUser", "0" if c.run_as_user == 0 else None),
        ("securityContext.runAsGroup", "0" if c.run_as_group == 0 else None),
        ("securityContext.procMount", "unmasked" if c.proc_mount not in (None, "Default") else None),
        ("securityContext.windowsHostProcess", "true" if c.windows_host_process else None),
        ("securityContext.seccompProfile", _seccomp(c.seccomp_profile)),
    ):
        if value is not None:
            out.append(feature(key, value))
    if c.app_armor_profile and c.app_armor_profile != "RuntimeDefault":
        out.append(feature("securityContext.appArmorProfile", c.app_armor_profile.lower()))
    selinux = as_dict(sc.get("seLinuxOptions"))
    if selinux.get("user") or selinux.get("role") or str(selinux.get("type") or "") not in _PSS_SELINUX_TYPES:
        out.append(feature("securityContext.seLinuxOptions", "custom"))
    out += [feature("securityContext.capabilities.add", cap) for cap in c.capabilities_add]
    if "ALL" not in c.capabilities_drop:
        out.append(feature("securityContext.capabilities.drop", "missing-all"))
    out += [feature("ports.hostPort", p.host_port) for p in c.ports if p.host_port]
    if c.image is not None:
        image = c.image
        if image.tag == "latest":
            out.append(feature("image.tag", "missing" if image.implicit_tag else "latest"))
        if not image.digest:
            out.append(feature("image.digest", "missing"))
        out.append(feature("image.registry", image.registry))
        out.append(feature("image.repository", image.repository))
    out.append(feature("imagePullPolicy", (c.image_pull_policy or "unset").lower()))
    if c.env_secret_literals:
        out.append(feature("env.secretLiteral", True))
    if c.field != "ephemeralContainers":  # ephemeral containers may not set resources or probes
        for part, names in (
            ("limits", ("cpu", "memory", "ephemeral-storage")),
            ("requests", ("cpu", "memory")),
        ):
            values = getattr(c.resources, part)
            out += [feature(f"resources.{part}.{r}", "set" if r in values else "missing") for r in names]
    if c.field == "containers":  # probes are not allowed on init containers
        out += [
            feature(f"probes.{p}", "missing")
            for p in ("liveness", "readiness", "startup")
            if p not in c.probes
        ]
    return out


def pod_features(pod: PodInfo) -> list[str]:
    """Features of a pod spec and of each of its containers."""
    out: list[str] = []
    for key, on in (("hostNetwork", pod.host_network), ("hostPID", pod.host_pid), ("hostIPC", pod.host_ipc)):
        if on:
            out.append(feature(key, True))
    sc = pod.security_context
    out += [feature("securityContext.sysctls", name) for name in pod.sysctls]
    fs_group = sc.get("fsGroup")
    if fs_group is None or fs_group == 0:
        out.append(feature("securityContext.fsGroup", "unset" if fs_group is None else "0"))
    for volume in pod.volumes:
        out.append(feature("volumes.type", volume.type))
        if volume.type == "hostPath" and volume.source.get("path"):
            out.append(feature("volumes.hostPath", volume.source["path"]))
    token = pod.automount_service_account_token
    if token is not False:
        out.append(feature("automountServiceAccountToken", "true" if token else "unset"))
    if pod.service_account_name in (None, "default"):
        out.append(feature("serviceAccountName", "default"))
    if pod.replicas is not None:
        out.append(feature("replicas", pod.replicas))
    fields = {c.field for c in pod.containers}
    for field in ("initContainers", "ephemeralContainers"):
        if field in fields:
            out.append(feature(f"containers.{field}", True))
    for container in pod.containers:
        out += _container_features(container)
    return out


def metadata_features(kind: str, meta: dict[str, Any], api_version: str = "") -> list[str]:
    """Label and annotation keys, and the namespace of namespaced kinds."""
    labels = as_dict(meta.get("labels"))
    annotations = as_dict(meta.get("annotations"))
    out = [feature("labels", k) for k in labels] + [feature("annotations", k) for k in annotations]
    if kind not in CLUSTER_SCOPED_KINDS and not api_version.startswith(
        ("constraints.gatekeeper.sh/", "templates.gatekeeper.sh/")
    ):
        namespace = meta.get("namespace")
        out.append(feature("metadata.namespace", namespace if namespace else "unset"))
    return out


def service_features(service: ServiceInfo) -> list[str]:
    out = [feature("service.type", service.type.lower())]
    if service.external_ips:
        out.append(feature("service.externalIPs", "set"))
    return out


def ingress_features(ingress: IngressInfo) -> list[str]:
    out = []
    if ingress.uncovered_hosts or not ingress.tls_hosts:
        out.append(feature("ingress.tls", "missing"))
    if ingress.wildcard_hosts:
        out.append(feature("ingress.host", "wildcard"))
    if ingress.missing_host:
        out.append(feature("ingress.host", "missing"))
    return out


def rbac_features(rbac: RbacInfo) -> list[str]:
    out = [feature(f"rbac.{name}", "*") for name in rbac.wildcards]
    if rbac.secrets_access:
        out.append(feature("rbac.secrets", rbac.secrets_access))
    if rbac.role_ref and rbac.role_ref.get("name"):
        out.append(feature("rbac.roleRef", rbac.role_ref["name"]))
    out += [feature("rbac.subject", f"{s.kind.lower()}:{s.name}") for s in rbac.subjects]
    return out


def pdb_features(pdb: PdbInfo) -> list[str]:
    out = []
    if pdb.min_available is not None:
        out.append(feature("pdb.minAvailable", pdb.min_available))
    if pdb.max_unavailable is not None:
        out.append(feature("pdb.maxUnavailable", pdb.max_unavailable))
    return out


def unique(features: list[str]) -> list[str]:
    """Features once each, in first-seen order."""
    return list(dict.fromkeys(features))
