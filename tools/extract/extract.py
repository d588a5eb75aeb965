"""extract_features / extract_paths: Kubernetes objects to typed, policy-relevant features."""

from __future__ import annotations

from typing import Any

from tools.extract import emit
from tools.extract.kinds import (
    BINDING_KINDS,
    ROLE_KINDS,
    extract_ingress,
    extract_pdb,
    extract_rbac,
    extract_service,
)
from tools.extract.load import load_manifests
from tools.extract.models import ExtractResult, Limits, ObjectFeatures, SourcedObject
from tools.extract.pods import extract_pod
from tools.extract.shape import as_dict
from tools.extract.sources import PathArg
from tools.features import feature


def _str_map(value: Any) -> dict[str, str]:
    return {str(k): "" if v is None else str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def extract_features(obj: dict[str, Any] | SourcedObject, *, file: str = "", line: int = 1) -> ObjectFeatures:
    """The policy-relevant features of one Kubernetes object.

    Gives its identity and location, its labels and annotations, "key=value" feature
    strings from the vocabulary in tools/features.py, and typed details: the pod spec of
    any workload (every container kind with its path, effective securityContext, images
    split into registry/repository/tag/digest, resources, probes, ports, volumes), and
    Service, Ingress, RBAC and PodDisruptionBudget settings.
    """
    if isinstance(obj, SourcedObject):
        file, line, obj = obj.file, obj.line, obj.obj
    meta = as_dict(obj.get("metadata"))
    kind = str(obj.get("kind") or "")
    result = ObjectFeatures(
        kind=kind,
        apiVersion=str(obj.get("apiVersion") or ""),
        name=str(meta.get("name") or meta.get("generateName") or ""),
        namespace=str(meta["namespace"]) if meta.get("namespace") else None,
        file=file,
        line=line,
        labels=_str_map(meta.get("labels")),
        annotations=_str_map(meta.get("annotations")),
    )
    found = emit.metadata_features(kind, meta, result.apiVersion)
    result.pod = extract_pod(obj)
    if result.pod is not None:
        found += emit.pod_features(result.pod)
    elif kind == "Service":
        result.service = extract_service(obj)
        found += emit.service_features(result.service)
    elif kind == "Ingress":
        result.ingress = extract_ingress(obj)
        found += emit.ingress_features(result.ingress)
    elif kind in ROLE_KINDS or kind in BINDING_KINDS:
        result.rbac = extract_rbac(obj)
        found += emit.rbac_features(result.rbac)
    elif kind == "PodDisruptionBudget":
        result.pdb = extract_pdb(obj)
        found += emit.pdb_features(result.pdb)
    elif kind == "NetworkPolicy":
        found.append(feature("networkPolicy", "present"))
    result.features = emit.unique(found)
    return result


def extract_paths(
    paths: PathArg, *, stdin_text: str | None = None, limits: Limits | None = None
) -> ExtractResult:
    """Loads manifests from files, folders, globs or "-" and extracts every object's features.

    Objects keep the file and line they start on; inputs that could not be used
    (Helm templates, invalid YAML, non-Kubernetes documents, inputs over the limits) are
    listed in `notes`.
    """
    loaded = load_manifests(paths, stdin_text=stdin_text, limits=limits)
    return ExtractResult(objects=[extract_features(o) for o in loaded.objects], notes=loaded.notes)
