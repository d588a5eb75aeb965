"""Canonical Kubernetes and Linux names the drafter recognises in requests, keyed by their lower-case spelling."""

from __future__ import annotations

import re

LINUX_CAPABILITIES = [
    "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE",
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER",
    "KILL", "LEASE", "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN",
    "NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW", "PERFMON", "SETFCAP", "SETGID", "SETPCAP",
    "SETUID", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT",
    "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "SYSLOG", "WAKE_ALARM",
]  # fmt: skip

# "net_admin", "net admin", "cap_net_admin", "CAP_NET_ADMIN" all name NET_ADMIN. One-word names
# ("KILL", "CHOWN", "ALL") are ordinary words too, so they count only upper-case or with "cap_".
_MULTI = [c for c in LINUX_CAPABILITIES if "_" in c]
_SINGLE = [c for c in LINUX_CAPABILITIES if "_" not in c]
CAPABILITY_ALTERNATION = "|".join(
    sorted((c.lower().replace("_", "[_ ]") for c in _MULTI), key=len, reverse=True)
)
_MULTI_RE = re.compile(r"(?<![\w./-])(?:cap_)?(" + CAPABILITY_ALTERNATION + r")(?![\w/-])", re.IGNORECASE)
_SINGLE_RE = re.compile(
    r"(?<![\w./-])(?:(?i:cap_)("
    + "|".join(_SINGLE)
    + r"|(?i:"
    + "|".join(_SINGLE)
    + r"))|("
    + "|".join(_SINGLE)
    + r"|ALL))(?![\w/-])"
)

# Every volume source of a PodSpec, by lower-case name.
VOLUME_TYPES = {
    name.lower(): name
    for name in [
        "awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "configMap", "csi",
        "downwardAPI", "emptyDir", "ephemeral", "fc", "flexVolume", "flocker", "gcePersistentDisk",
        "gitRepo", "glusterfs", "hostPath", "image", "iscsi", "nfs", "persistentVolumeClaim",
        "photonPersistentDisk", "portworxVolume", "projected", "quobyte", "rbd", "scaleIO", "secret",
        "storageos", "vsphereVolume",
    ]
}  # fmt: skip
# How people write volume types in prose.
VOLUME_ALIASES = {
    "config map": "configMap", "configmaps": "configMap", "secrets": "secret", "empty dir": "emptyDir",
    "emptydirs": "emptyDir", "pvc": "persistentVolumeClaim", "pvcs": "persistentVolumeClaim",
    "persistent volume claim": "persistentVolumeClaim", "persistent volume claims": "persistentVolumeClaim",
    "downward api": "downwardAPI", "git repo": "gitRepo", "host path": "hostPath",
    "projected volumes": "projected", "ephemeral volumes": "ephemeral",
}  # fmt: skip

SERVICE_TYPES = {"clusterip": "ClusterIP", "nodeport": "NodePort", "loadbalancer": "LoadBalancer",
                 "externalname": "ExternalName"}  # fmt: skip
SERVICE_TYPE_RE = re.compile(
    r"\b(cluster[\s-]?ip|node[\s-]?ports?|load[\s-]?balancers?|external[\s-]?name)\b"
)

PROBES = {"liveness": "livenessProbe", "readiness": "readinessProbe", "startup": "startupProbe"}
PULL_POLICIES = {"always": "Always", "ifnotpresent": "IfNotPresent", "never": "Never"}
PROFILE_TYPES = {"runtimedefault": "RuntimeDefault", "dockerdefault": "RuntimeDefault", "localhost": "Localhost",
                 "unconfined": "Unconfined"}  # fmt: skip

# Kinds a request may name, by the words people use for them.
KIND_WORDS = {
    "pod": "Pod", "deployment": "Deployment", "statefulset": "StatefulSet", "stateful set": "StatefulSet",
    "daemonset": "DaemonSet", "daemon set": "DaemonSet", "replicaset": "ReplicaSet", "replica set": "ReplicaSet",
    "job": "Job", "cronjob": "CronJob", "cron job": "CronJob", "replicationcontroller": "ReplicationController",
    "service": "Service", "ingress": "Ingress", "ingresses": "Ingress", "namespace": "Namespace",
    "configmap": "ConfigMap", "secret": "Secret", "role": "Role", "clusterrole": "ClusterRole", "cluster role": "ClusterRole",
    "rolebinding": "RoleBinding", "clusterrolebinding": "ClusterRoleBinding", "role binding": "RoleBinding",
    "cluster role binding": "ClusterRoleBinding",
    "poddisruptionbudget": "PodDisruptionBudget", "pod disruption budget": "PodDisruptionBudget",
    "pdb": "PodDisruptionBudget",
    "networkpolicy": "NetworkPolicy", "persistentvolumeclaim": "PersistentVolumeClaim",
}  # fmt: skip
# Dotted Kubernetes field paths ("spec.containers[*].ports", "resources.limits.cpu") look like host
# names to a pattern; they are fields, never images or registries.
FIELD_PATH = (
    r"(?:spec|metadata|securitycontext|resources|status|template|containers|initcontainers|data|rules|roleref|"
    r"subjects|volumes|seccompprofile|capabilities|windowsoptions|selinuxoptions|apparmorprofile|ports|env|"
    r"podsecuritycontext|jobtemplate)(?:\[\*?\d*\])?\.[\w.\[\]*]+"
)
POD_SPEC_KINDS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob",
                  "ReplicationController"]  # fmt: skip
CONTROLLER_KINDS = [k for k in POD_SPEC_KINDS if k != "Pod"]


def capability_name(text: str) -> str:
    """'cap_net_admin' / 'net admin' -> 'NET_ADMIN'."""
    name = text.strip().upper().replace(" ", "_")
    return name.removeprefix("CAP_")


def capabilities_in(text: str) -> list[tuple[str, int, int]]:
    """Capability names in `text` (as typed, not lower-cased) with their spans."""
    found = [(capability_name(m.group(1)), m.start(), m.end()) for m in _MULTI_RE.finditer(text)]
    found += [
        (capability_name(m.group(1) or m.group(2)), m.start(), m.end()) for m in _SINGLE_RE.finditer(text)
    ]
    return sorted(found, key=lambda item: item[1])
