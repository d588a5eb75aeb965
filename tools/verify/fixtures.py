"""Plain manifests with an expected verdict, turned into a bundle's samples and unit tests.

A policy folder need not follow the gatekeeper-library layout: src.rego plus manifests
that must be denied or admitted is enough. They come from fixtures/deny/ and
fixtures/allow/ in the folder, or from files and folders passed as --deny/--allow.
verify_bundle writes them into the scratch copy as samples/fixtures/example_*.yaml with
a constraint (the folder's constraint.yaml when it has one, else one matching the
fixtures' kinds), so gator verifies them; when the folder has no src_test.rego, it also
generates one that embeds each fixture as a Rego term, so opa test and coverage run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tools.bundle import load_yaml_file
from tools.draft.rego import literal
from tools.errors import InputError
from tools.extract.load import load_manifests
from tools.verify.models import Verdict

SAMPLE_NAME = "fixtures"
# Folder names inside fixtures/ for each verdict (both spellings people use).
_FOLDERS: dict[Verdict, tuple[str, ...]] = {"deny": ("deny", "denied"), "allow": ("allow", "allowed")}


@dataclass
class ManifestFixture:
    """One Kubernetes object that the policy must deny or admit."""

    obj: dict[str, Any]
    expected: Verdict
    origin: str  # file:line, for messages

    @property
    def label(self) -> str:
        meta = self.obj.get("metadata") or {}
        name = str(meta.get("name") or meta.get("generateName") or "unnamed")
        return re.sub(r"[^a-z0-9]+", "_", f"{self.obj.get('kind', 'object')}_{name}".lower()).strip("_")


def conventional_paths(bundle: Path) -> dict[Verdict, list[Path]]:
    """fixtures/deny and fixtures/allow (or denied/allowed) inside the bundle, where present."""
    found: dict[Verdict, list[Path]] = {"deny": [], "allow": []}
    for verdict, names in _FOLDERS.items():
        found[verdict] = [bundle / "fixtures" / n for n in names if (bundle / "fixtures" / n).is_dir()]
    return found


def collect(allow: list[Path], deny: list[Path]) -> list[ManifestFixture]:
    """Every Kubernetes object in the given paths, denied ones first; bad input is an InputError."""
    fixtures: list[ManifestFixture] = []
    for expected, paths in (("deny", deny), ("allow", allow)):
        if not paths:
            continue
        loaded = load_manifests([str(p) for p in paths])
        if loaded.errors:
            first = loaded.errors[0]
            raise InputError(f"{first.location()}: {first.message}", hint="fix or remove that fixture")
        for item in loaded.objects:
            verdict: Verdict = "deny" if expected == "deny" else "allow"
            fixtures.append(ManifestFixture(item.obj, verdict, f"{item.file}:{item.line}"))
        if not loaded.objects:
            where = ", ".join(str(p) for p in paths)
            raise InputError(f"no Kubernetes objects in the {expected} fixtures ({where})")
    return fixtures


def _group_version(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


def default_constraint(kind: str, name: str, fixtures: list[ManifestFixture]) -> dict[str, Any]:
    """A constraint of the template's kind that matches every kind among the fixtures."""
    groups: dict[str, set[str]] = {}
    for fixture in fixtures:
        group, _ = _group_version(str(fixture.obj.get("apiVersion", "")))
        groups.setdefault(group, set()).add(str(fixture.obj.get("kind", "")))
    return {
        "apiVersion": "constraints.gatekeeper.sh/v1beta1",
        "kind": kind,
        "metadata": {"name": name},
        "spec": {
            "match": {"kinds": [{"apiGroups": [g], "kinds": sorted(k)} for g, k in sorted(groups.items())]}
        },
    }


def write_samples(
    work: Path, kind: str, name: str, fixtures: list[ManifestFixture]
) -> tuple[dict[str, Any], dict[str, str]]:
    """samples/fixtures/ in the scratch copy; returns the constraint used and each sample's origin."""
    own = work / "constraint.yaml"
    constraint = load_yaml_file(own) if own.is_file() else default_constraint(kind, name, fixtures)
    if not isinstance(constraint, dict):
        raise InputError(f"{own}: not a constraint (expected a YAML mapping)")
    folder = work / "samples" / SAMPLE_NAME
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "constraint.yaml").write_text(yaml.safe_dump(constraint, sort_keys=False))
    origins: dict[str, str] = {}
    for i, fixture in enumerate(fixtures, start=1):
        prefix = "example_disallowed" if fixture.expected == "deny" else "example_allowed"
        target = folder / f"{prefix}_{i:02d}_{fixture.label}.yaml"
        target.write_text(yaml.safe_dump(fixture.obj, sort_keys=False))
        origins[str(target.relative_to(work))] = fixture.origin
    return constraint, origins


def _review(obj: dict[str, Any]) -> dict[str, Any]:
    """input.review as Gatekeeper builds it for an admission request creating `obj`."""
    group, version = _group_version(str(obj.get("apiVersion", "")))
    meta = obj.get("metadata") or {}
    review: dict[str, Any] = {
        "kind": {"group": group, "version": version, "kind": obj.get("kind", "")},
        "name": meta.get("name", ""),
        "operation": "CREATE",
        "object": obj,
    }
    if meta.get("namespace"):
        review["namespace"] = meta["namespace"]
    return review


def unit_test_module(package: str, constraint: dict[str, Any], fixtures: list[ManifestFixture]) -> str:
    """A src_test.rego with one test per fixture, each fixture embedded as a Rego term (never pasted text)."""
    parameters = (constraint.get("spec") or {}).get("parameters") or {}
    lines = [
        f"package {package}",
        "",
        "# Generated by kpc verify from the fixtures given with the policy: each deny fixture",
        "# must raise a violation and each allow fixture none, under the constraint's parameters.",
        "",
        f"parameters := {literal(parameters)}",
    ]
    taken: set[str] = set()
    for i, fixture in enumerate(fixtures, start=1):
        name = f"test_{fixture.label}_{'denied' if fixture.expected == 'deny' else 'allowed'}"
        if name in taken:
            name = f"{name}_{i}"
        taken.add(name)
        verdict = "count(violation) > 0" if fixture.expected == "deny" else "count(violation) == 0"
        lines += [
            "",
            f"# {fixture.origin}",
            f"{name} if {{",
            f"\treview := {literal(_review(fixture.obj), 1)}",
            f'\t{verdict} with input as {{"review": review, "parameters": parameters}}',
            "}",
        ]
    return "\n".join(lines) + "\n"
