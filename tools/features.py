"""The manifest feature vocabulary shared by the extractor, the corpus meta files and retrieval.

A feature is a "key=value" string, e.g. "securityContext.privileged=true". The
extractor emits the features it sees on an object; each exemplar policy lists the
features it concerns; retrieval scores the overlap. Values are lower-cased except
capability, sysctl, registry and label names, which keep their spelling.
"""

from __future__ import annotations

# key -> what it means (and the usual values)
FEATURE_KEYS: dict[str, str] = {
    # pod and container security
    "securityContext.privileged": "a container runs privileged (true)",
    "securityContext.allowPrivilegeEscalation": "privilege escalation allowed or unset (true|unset)",
    "securityContext.runAsNonRoot": "runAsNonRoot false or unset (false|unset)",
    "securityContext.runAsUser": "a container may run as uid 0 (0)",
    "securityContext.runAsGroup": "a container may run as gid 0 (0)",
    "securityContext.readOnlyRootFilesystem": "root filesystem writable (false|unset)",
    "securityContext.capabilities.add": "an added Linux capability (NET_ADMIN, SYS_ADMIN, ...)",
    "securityContext.capabilities.drop": "capabilities not dropping ALL (missing-all)",
    "securityContext.seccompProfile": "seccomp profile Unconfined or unset (unconfined|unset|localhost)",
    "securityContext.appArmorProfile": "AppArmor profile unconfined (unconfined)",
    "securityContext.seLinuxOptions": "a custom SELinux type or user/role (custom)",
    "securityContext.procMount": "procMount other than Default (unmasked)",
    "securityContext.sysctls": "a sysctl set on the pod (its name)",
    "securityContext.fsGroup": "fsGroup 0 or unset (0|unset)",
    "securityContext.windowsHostProcess": "a Windows HostProcess container (true)",
    "hostNetwork": "pod uses the host network (true)",
    "hostPID": "pod shares the host PID namespace (true)",
    "hostIPC": "pod shares the host IPC namespace (true)",
    "ports.hostPort": "a container port bound on the host (the port number)",
    "volumes.type": "a volume of this type (hostPath, emptyDir, secret, configMap, nfs, ...)",
    "volumes.hostPath": "a hostPath volume's path",
    # images
    "image.tag": "image tag latest or no tag at all (latest|missing)",
    "image.digest": "image without a digest (missing)",
    "image.registry": "the image's registry host (docker.io, ghcr.io, registry.example.com:5000)",
    "image.repository": "the image's repository path",
    "imagePullPolicy": "imagePullPolicy value (always|ifnotpresent|never|unset)",
    # resources
    "resources.limits.cpu": "cpu limit (missing|set)",
    "resources.limits.memory": "memory limit (missing|set)",
    "resources.requests.cpu": "cpu request (missing|set)",
    "resources.requests.memory": "memory request (missing|set)",
    "resources.limits.ephemeral-storage": "ephemeral-storage limit (missing|set)",
    # workload hygiene
    "probes.liveness": "liveness probe missing (missing)",
    "probes.readiness": "readiness probe missing (missing)",
    "probes.startup": "startup probe missing (missing)",
    "automountServiceAccountToken": "token mounted automatically (true|unset)",
    "serviceAccountName": "pod runs as the default service account (default)",
    "replicas": "replica count (the number)",
    "containers.initContainers": "the pod has init containers (true)",
    "containers.ephemeralContainers": "the pod has ephemeral containers (true)",
    "env.secretLiteral": "an env value that looks like a credential (true)",
    # metadata
    "labels": "a label key present on the object",
    "annotations": "an annotation key present on the object",
    "metadata.namespace": "the object's namespace (default|unset|name)",
    # networking
    "service.type": "Service type (loadbalancer|nodeport|clusterip|externalname)",
    "service.externalIPs": "Service with externalIPs (set)",
    "ingress.tls": "Ingress without TLS (missing)",
    "ingress.host": "Ingress host wildcard or missing (wildcard|missing)",
    "networkPolicy": "a NetworkPolicy object (present)",
    # RBAC
    "rbac.verbs": "a Role/ClusterRole rule with wildcard verbs (*)",
    "rbac.resources": "a Role/ClusterRole rule with wildcard resources (*)",
    "rbac.apiGroups": "a Role/ClusterRole rule with wildcard apiGroups (*)",
    "rbac.secrets": "a rule granting access to secrets (read|write)",
    "rbac.roleRef": "a binding's role (cluster-admin, ...)",
    "rbac.subject": "a binding subject (group:system:authenticated, serviceaccount:default, ...)",
    # availability
    "pdb.minAvailable": "a PodDisruptionBudget minAvailable value",
    "pdb.maxUnavailable": "a PodDisruptionBudget maxUnavailable value (0 blocks drains)",
}


def feature(key: str, value: object) -> str:
    """Builds a "key=value" feature string; booleans render as true/false."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f"{key}={value}"


def split_feature(text: str) -> tuple[str, str]:
    """Splits "key=value" (the value may itself contain '=')."""
    key, _, value = text.partition("=")
    return key, value


def is_known(text: str) -> bool:
    """True when the feature's key is in the vocabulary."""
    return split_feature(text)[0] in FEATURE_KEYS
