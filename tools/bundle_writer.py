"""Writing a PolicyDraft as a bundle folder (the layout of docs/architecture.md), atomically."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from tools.bundle import CORPUS_LIB_DIR, generated_files, lib_files
from tools.draft.models import PolicyDraft
from tools.engine.opa import opa_format
from tools.errors import InputError

_LIB_IMPORT_RE = re.compile(r"\bdata\.lib\.(\w+)")

API_GROUPS = {
    "Pod": "",
    "ReplicationController": "",
    "Service": "",
    "Namespace": "",
    "ConfigMap": "",
    "Secret": "",
    "ServiceAccount": "",
    "Deployment": "apps",
    "StatefulSet": "apps",
    "DaemonSet": "apps",
    "ReplicaSet": "apps",
    "Job": "batch",
    "CronJob": "batch",
    "Ingress": "networking.k8s.io",
    "NetworkPolicy": "networking.k8s.io",
    "Role": "rbac.authorization.k8s.io",
    "ClusterRole": "rbac.authorization.k8s.io",
    "RoleBinding": "rbac.authorization.k8s.io",
    "ClusterRoleBinding": "rbac.authorization.k8s.io",
    "PodDisruptionBudget": "policy",
    "HorizontalPodAutoscaler": "autoscaling",
}


def match_for_kinds(kinds: list[str]) -> list[dict[str, Any]]:
    """A constraint's match.kinds grouped by API group, e.g. [{"apiGroups": ["apps"], "kinds": [...]}]."""
    groups: dict[str, list[str]] = {}
    for kind in kinds:
        groups.setdefault(API_GROUPS.get(kind, "*"), []).append(kind)
    return [{"apiGroups": [group], "kinds": sorted(names)} for group, names in sorted(groups.items())]


def constraint_for(draft: PolicyDraft) -> dict[str, Any]:
    """The Constraint object of a draft."""
    spec: dict[str, Any] = {"match": draft.match or {}}
    if draft.enforcement_action != "deny":
        spec["enforcementAction"] = draft.enforcement_action
    if draft.parameters:
        spec["parameters"] = draft.parameters
    return {
        "apiVersion": "constraints.gatekeeper.sh/v1beta1",
        "kind": draft.kind,
        "metadata": {"name": draft.policy_id},
        "spec": spec,
    }


def _meta(draft: PolicyDraft) -> dict[str, Any]:
    kinds = sorted({k for group in draft.match.get("kinds", []) or [] for k in group.get("kinds", [])})
    return {
        "id": draft.policy_id,
        "title": draft.title,
        "description": draft.description,
        "kind": draft.kind,
        "kinds": kinds,
        "parameters": draft.parameters_schema or {"type": "object"},
        "conftest": draft.target != "gatekeeper",
        "target": draft.target,
        "rego_version": draft.rego_version,
        "exemplars": draft.exemplar_ids,
        "notes": draft.notes,
    }


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, sort_keys=False, width=1000)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "case"


def bundle_files(draft: PolicyDraft, lib_dir: Path = CORPUS_LIB_DIR) -> dict[str, str]:
    """Every file of the bundle, relative path -> content (hand-written parts and generated ones)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", draft.policy_id):
        raise InputError(f"policy id {draft.policy_id!r} must be kebab-case (a-z, 0-9, -)")
    constraint = constraint_for(draft)
    sample = f"samples/{draft.policy_id}"
    files: dict[str, str] = {
        "meta.yaml": _dump(_meta(draft)),
        "src.rego": draft.src_rego if draft.src_rego.endswith("\n") else draft.src_rego + "\n",
        "src_test.rego": draft.src_test_rego
        if draft.src_test_rego.endswith("\n")
        else draft.src_test_rego + "\n",
        "constraint.yaml": _dump(constraint),
        f"{sample}/constraint.yaml": _dump(constraint),
    }
    seen: set[str] = set()
    for fixture in draft.fixtures:
        prefix = "example_disallowed" if fixture.expected == "deny" else "example_allowed"
        name = f"{prefix}_{_slug(fixture.name)}"
        while name in seen:
            name += "_2"
        seen.add(name)
        files[f"{sample}/{name}.yaml"] = _dump(fixture.manifest)
    for name, text in _lib_sources(draft, lib_dir).items():
        files[f"lib/{name}.rego"] = text
    return files


def _lib_sources(draft: PolicyDraft, lib_dir: Path) -> dict[str, str]:
    """The lib modules src.rego imports, with their own imports: the draft's extra_libs first, then lib_dir."""
    if not draft.extra_libs:
        return {lib.stem: lib.read_text() for lib in lib_files(draft.src_rego, lib_dir)}
    found: dict[str, str] = {}
    pending = sorted(set(_LIB_IMPORT_RE.findall(draft.src_rego)))
    while pending:
        name = pending.pop(0)
        if name in found:
            continue
        if name in draft.extra_libs:
            found[name] = draft.extra_libs[name]
        else:
            path = next(p for p in lib_files(f"import data.lib.{name}", lib_dir) if p.stem == name)
            found[name] = path.read_text()
        pending += sorted(set(_LIB_IMPORT_RE.findall(found[name])) - set(found))
    return found


def write_bundle(
    draft: PolicyDraft,
    out_dir: Path,
    *,
    overwrite: bool = False,
    report: Any = None,
    lib_dir: Path = CORPUS_LIB_DIR,
) -> Path:
    """Writes the bundle to `out_dir`: built in a temp folder beside it, then renamed into place.

    Nothing is half-written: on any error the previous contents of `out_dir` stay as they were.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()) and not overwrite:
        raise InputError(
            f"{out_dir} exists and is not empty", hint="pass --overwrite or choose another --out"
        )
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    except OSError as exc:  # a read-only or missing location is the user's to fix, not a crash
        raise InputError(
            f"cannot write {out_dir}: {exc.strerror or exc}", hint="choose a writable --out folder"
        ) from exc
    try:
        for rel, content in bundle_files(draft, lib_dir).items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)
        meta = yaml.safe_load((staging / "meta.yaml").read_text())
        for rel, content in generated_files(staging, meta, staging / "lib").items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(opa_format(content) if rel.endswith(".rego") else content)
        if report is not None:
            data = report.model_dump(mode="json") if hasattr(report, "model_dump") else report
            (staging / "report.json").write_text(json.dumps(data, indent=2) + "\n")
        if out_dir.exists():
            backup = out_dir.with_name(f".{out_dir.name}.old")
            shutil.rmtree(backup, ignore_errors=True)
            os.replace(out_dir, backup)
            os.replace(staging, out_dir)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(staging, out_dir)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InputError(
            f"cannot write {out_dir}: {exc.strerror or exc}", hint="choose a writable --out folder"
        ) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir


def write_report(out_dir: Path, report: Any) -> None:
    """(Re)writes report.json of an existing bundle atomically."""
    data = report.model_dump(mode="json") if hasattr(report, "model_dump") else report
    fd, tmp = tempfile.mkstemp(dir=out_dir, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        fh.write(json.dumps(data, indent=2) + "\n")
    os.replace(tmp, out_dir / "report.json")
