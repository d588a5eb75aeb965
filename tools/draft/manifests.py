"""Building valid Kubernetes objects for fixtures: pods, every workload kind, and their parts."""

from __future__ import annotations

import copy
import fnmatch
import re
from collections.abc import Iterator
from typing import Any

from tools.draft.names import POD_SPEC_KINDS

Obj = dict[str, Any]
# Short on purpose: with a digest appended, fixture lines must stay within the Rego line limit.
BASE_IMAGE = "example.com/acme/web:1.4.2"
_API = {"Pod": "v1", "ReplicationController": "v1", "Deployment": "apps/v1", "StatefulSet": "apps/v1",
        "DaemonSet": "apps/v1", "ReplicaSet": "apps/v1", "Job": "batch/v1", "CronJob": "batch/v1"}  # fmt: skip
CLUSTER_SCOPED = {
    "Namespace",
    "ClusterRole",
    "ClusterRoleBinding",
    "PersistentVolume",
    "StorageClass",
    "Node",
}
CONTAINER_FIELDS = ("containers", "initContainers", "ephemeralContainers")


def container(name: str = "app", image: str = BASE_IMAGE, **extra: Any) -> Obj:
    """A container with a name and an image, plus any other fields."""
    return {"name": name, "image": image, **extra}


def pod(name: str, namespace: str | None, spec: Obj, labels: dict[str, str] | None = None) -> Obj:
    """A Pod object around a pod spec."""
    meta: Obj = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = dict(labels)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": copy.deepcopy(spec)}


def workload(kind: str, name: str, namespace: str | None, spec: Obj, replicas: int | None = None) -> Obj:
    """An object of a pod-spec kind (Pod, Deployment, ..., CronJob) carrying `spec` as its pod spec."""
    if kind == "Pod":
        return pod(name, namespace, spec)
    labels = {"app": name}
    template: Obj = {"metadata": {"labels": dict(labels)}, "spec": copy.deepcopy(spec)}
    meta: Obj = {"name": name, **({"namespace": namespace} if namespace else {})}
    body: Obj
    if kind in ("Job", "CronJob"):
        template["spec"].setdefault("restartPolicy", "Never")
        job: Obj = {"template": template}
        body = {"schedule": "0 3 * * *", "jobTemplate": {"spec": job}} if kind == "CronJob" else job
    elif kind == "ReplicationController":
        body = {
            "replicas": 1 if replicas is None else replicas,
            "selector": dict(labels),
            "template": template,
        }
    else:
        body = {"selector": {"matchLabels": dict(labels)}, "template": template}
        if kind != "DaemonSet":
            body["replicas"] = 2 if replicas is None else replicas
        if kind == "StatefulSet":
            body["serviceName"] = name
    return {"apiVersion": _API[kind], "kind": kind, "metadata": meta, "spec": body}


def pod_spec(obj: Obj) -> Obj | None:
    """The (mutable) pod spec of a pod-spec object, None for other kinds."""
    kind, spec = obj.get("kind"), obj.get("spec") or {}
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        return spec.get("jobTemplate", {}).get("spec", {}).get("template", {}).get("spec")
    if kind in POD_SPEC_KINDS:
        return spec.get("template", {}).get("spec")
    return None


def convert(obj: Obj, kind: str) -> Obj:
    """The same pod spec and metadata under another pod-spec kind."""
    spec = pod_spec(obj)
    if spec is None or kind not in POD_SPEC_KINDS:
        raise ValueError(f"cannot convert {obj.get('kind')} to {kind}")
    meta = obj.get("metadata", {})
    spec = {k: v for k, v in spec.items() if not (k == "restartPolicy" and kind not in ("Job", "CronJob"))}
    out = workload(kind, meta.get("name", "app"), meta.get("namespace"), spec)
    for key in ("labels", "annotations"):
        if meta.get(key):
            out["metadata"][key] = copy.deepcopy(meta[key])
    if kind != "Pod" and obj.get("kind") != "Pod":
        src_meta = (obj.get("spec", {}).get("template", {}) or {}).get("metadata", {})
        if src_meta.get("annotations") and kind not in ("CronJob",):
            out["spec"]["template"]["metadata"]["annotations"] = copy.deepcopy(src_meta["annotations"])
    return out


def containers(obj: Obj, fields: tuple[str, ...] = CONTAINER_FIELDS) -> Iterator[Obj]:
    """Every container of the object (regular, init, ephemeral), mutable."""
    spec = pod_spec(obj) or {}
    for field in fields:
        yield from spec.get(field, []) or []


def security_context(item: Obj) -> Obj:
    """item.securityContext, created when missing."""
    sc: dict[str, Any] = item.setdefault("securityContext", {})
    return sc


def set_namespace(obj: Obj, namespace: str | None) -> Obj:
    """The object moved to `namespace` (cluster-scoped kinds stay without one)."""
    meta = obj.setdefault("metadata", {})
    if obj.get("kind") in CLUSTER_SCOPED:
        meta.pop("namespace", None)
    elif namespace:
        meta["namespace"] = namespace
    return obj


def rename(obj: Obj, name: str) -> Obj:
    """The object with metadata.name set (and a controller's selector kept consistent)."""
    name = slug(name)[:63].strip("-") or "app"
    obj.setdefault("metadata", {})["name"] = name
    return obj


def slug(text: str) -> str:
    """kebab-case of any text."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def concrete_namespace(pattern: str) -> str:
    """A real namespace name a namespace glob matches ('kube-*' -> 'kube-system')."""
    if "*" not in pattern:
        return pattern
    fill = "system" if pattern.startswith("kube-") else "team"
    name = slug(pattern.replace("*", fill)) or "team"
    return name if fnmatch.fnmatchcase(name, pattern) else pattern.replace("*", "a")


def in_scope(namespace: str | None, excluded: list[str], included: list[str]) -> bool:
    """Whether a constraint with these excludedNamespaces / namespaces matches an object in `namespace`."""
    ns = namespace or ""
    if any(fnmatch.fnmatchcase(ns, p) for p in excluded):
        return False
    return not included or any(fnmatch.fnmatchcase(ns, p) for p in included)


def image_parts(image: str) -> tuple[str, str]:
    """('repository base name', 'tag or digest suffix') of an image: 'ghcr.io/a/api:1.2' -> ('api', ':1.2')."""
    name = image.split("@")[0]
    last = name.rsplit("/", 1)[-1]
    base = last.split(":")[0]
    suffix = image[len(image.split("@")[0]) :] if "@" in image else ""
    tag = last[len(base) :] if ":" in last else ""
    return base, tag + suffix
