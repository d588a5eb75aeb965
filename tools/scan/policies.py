"""The policies a scan applies: the corpus by default, or a user's templates and constraints.

A policy folder may hold loose ConstraintTemplate and Constraint YAML files, bundles
(template.yaml + constraint.yaml, as `kpc ask` writes them) or corpus policies
(template.yaml + samples/<name>/constraint.yaml). A bundle contributes its template and
one constraint: its root constraint.yaml, else its first sample's; never its example
manifests, suite or conftest copy.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from tools.bundle import load_yaml_file, sample_dirs
from tools.errors import InputError
from tools.extract.load import load_manifests
from tools.extract.sources import MANIFEST_SUFFIXES, PathArg, as_path_list
from tools.models import Finding
from tools.scan.models import PolicyRef

TEMPLATE_GROUP = "templates.gatekeeper.sh"
CONSTRAINT_GROUP = "constraints.gatekeeper.sh"
EXPANSION_GROUP = "expansion.gatekeeper.sh"
# Other Gatekeeper objects gator would act on (expansion, mutation, configuration):
# they change the policy set, so they belong with --policies, never with the scanned objects.
GATEKEEPER_SUFFIX = ".gatekeeper.sh"


class PolicySet(BaseModel):
    """Templates and constraints ready for gator, with a PolicyRef per constraint."""

    templates: list[dict[str, Any]] = []
    constraints: list[dict[str, Any]] = []
    extras: list[dict[str, Any]] = Field(default_factory=list, description="ExpansionTemplates")
    refs: list[PolicyRef] = []
    notes: list[Finding] = []
    sources: list[str] = []


def api_group(obj: dict[str, Any]) -> str:
    """The API group of an object ('' for the core group)."""
    api_version = str(obj.get("apiVersion", ""))
    return api_version.split("/", 1)[0] if "/" in api_version else ""


def is_gatekeeper_object(obj: dict[str, Any]) -> bool:
    """Templates, constraints and other *.gatekeeper.sh objects (expansion, mutation, config)."""
    return api_group(obj).endswith(GATEKEEPER_SUFFIX)


def _is_bundle(folder: Path) -> bool:
    return (folder / "template.yaml").is_file() and (
        (folder / "constraint.yaml").is_file() or (folder / "samples").is_dir()
    )


def _bundle_files(folder: Path) -> list[Path]:
    files = [folder / "template.yaml"]
    if (folder / "constraint.yaml").is_file():
        files.append(folder / "constraint.yaml")
    elif samples := sample_dirs(folder):
        files.append(samples[0] / "constraint.yaml")
    return files


def policy_files(root: Path) -> list[Path]:
    """The files under `root` that carry policies (see the module docstring for bundles)."""
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise InputError(f"{root}: no such policy file or folder")
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        folder = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if _is_bundle(folder):
            files += _bundle_files(folder)
            dirnames[:] = []
            continue
        files += [folder / f for f in sorted(filenames) if f.lower().endswith(MANIFEST_SUFFIXES)]
    return files


@functools.cache
def _corpus_meta() -> dict[str, dict[str, Any]]:
    """Corpus meta.yaml by constraint kind, to name and describe known policies."""
    from tools.corpus.load import POLICIES_DIR

    metas: dict[str, dict[str, Any]] = {}
    for path in sorted(POLICIES_DIR.glob("*/*/meta.yaml")):
        try:
            meta = load_yaml_file(path) or {}
        except InputError:
            continue  # a policy still being written; it simply gets no corpus name
        if isinstance(meta, dict) and meta.get("kind"):
            metas.setdefault(str(meta["kind"]), meta)
    return metas


def default_policy_root() -> Path:
    """The exemplar corpus folder."""
    from tools.corpus.load import POLICIES_DIR

    return POLICIES_DIR


def _template_kind(template: dict[str, Any]) -> str:
    names = (((template.get("spec") or {}).get("crd") or {}).get("spec") or {}).get("names") or {}
    return str(names.get("kind") or "")


def _bundle_meta(source: str) -> dict[str, Any]:
    meta_path = Path(source).parent / "meta.yaml"
    if not meta_path.is_file() and Path(source).parent.parent.name == "samples":
        meta_path = Path(source).parents[2] / "meta.yaml"
    try:
        meta = load_yaml_file(meta_path) if meta_path.is_file() else {}
    except InputError:
        meta = {}
    return meta if isinstance(meta, dict) else {}


def _ref(constraint: dict[str, Any], template: dict[str, Any], source: str) -> PolicyRef:
    kind = str(constraint.get("kind"))
    meta = _bundle_meta(source) or _corpus_meta().get(kind, {})
    if meta.get("kind") not in (None, kind):
        meta = _corpus_meta().get(kind, {})
    annotations = (template.get("metadata") or {}).get("annotations") or {}
    spec = constraint.get("spec") or {}
    description = meta.get("description") or annotations.get("description")
    return PolicyRef(
        constraint_kind=kind,
        constraint_name=str((constraint.get("metadata") or {}).get("name", "")),
        template_name=str((template.get("metadata") or {}).get("name", "")),
        enforcement_action=str(spec.get("enforcementAction") or "deny"),
        policy_id=meta.get("id"),
        title=meta.get("title") or annotations.get("metadata.gatekeeper.sh/title"),
        description=" ".join(str(description).split()) if description else None,
        severity=meta.get("severity"),
        source=source,
    )


def load_policies(roots: PathArg | None = None) -> PolicySet:
    """Reads ConstraintTemplates and Constraints from `roots` (default: the corpus).

    Raises InputError when a constraint has no template, or when nothing applicable is found.
    """
    paths = [Path(r) for r in as_path_list(roots)] or [default_policy_root()]
    files = [str(f) for root in paths for f in policy_files(root)]
    where = ", ".join(str(p) for p in paths)
    if not files:
        raise InputError(f"no policy files in {where}", hint="pass ConstraintTemplate and Constraint YAML")
    loaded = load_manifests(files)
    policy_set = PolicySet(
        notes=[n for n in loaded.notes if n.level != "info"], sources=[str(p) for p in paths]
    )
    templates: dict[str, dict[str, Any]] = {}
    constraints: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for item in loaded.objects:
        group = api_group(item.obj)
        if group == TEMPLATE_GROUP and item.kind == "ConstraintTemplate":
            templates.setdefault(_template_kind(item.obj), item.obj)
        elif group == CONSTRAINT_GROUP:
            constraints.setdefault((item.kind, item.name), (item.obj, item.file))
        elif group == EXPANSION_GROUP:
            policy_set.extras.append(item.obj)  # gator expands workloads; it reports on the parent
    unreadable = [n for n in loaded.notes if n.level == "error"]
    if not constraints and unreadable:  # say why, rather than "no Constraints" about a file never read
        raise InputError(
            f"cannot read the policies: {unreadable[0].location()}: {unreadable[0].message}",
            hint="pass ConstraintTemplate and Constraint YAML",
        )
    if not constraints:
        raise InputError(
            f"no Constraints in {where}",
            hint="a ConstraintTemplate applies to nothing until a Constraint of its kind exists",
        )
    for (kind, name), (constraint, source) in constraints.items():
        template = templates.get(kind)
        if template is None:
            raise InputError(
                f"{source}: constraint {name!r} is of kind {kind}, but no ConstraintTemplate defines that kind",
                hint="add the template to the policy folder",
            )
        policy_set.constraints.append(constraint)
        policy_set.refs.append(_ref(constraint, template, source))
    used = {kind for kind, _ in constraints}
    policy_set.templates = [t for kind, t in templates.items() if kind in used]
    return policy_set
