"""Scoring a policy bundle on acceptance manifests with the real engines.

Gatekeeper bundles are judged by gator (one `gator test` run per case: the bundle's
template.yaml and constraint.yaml plus every manifest), so the verdict is exactly the
one an admission controller would give, including the constraint's match and
enforcementAction. Conftest-only bundles are judged by `conftest test` with the bundle's
conftest policy. The scorer needs nothing but the bundle folder.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

import yaml

from copilot.evals.models import Actual, Engine, ManifestVerdict
from copilot.evals.spec import Check
from tools.errors import InputError, KpcError

# When several violations hit one object, the strongest action is its verdict.
_STRENGTH: dict[str, int] = {"allow": 0, "dryrun": 1, "warn": 2, "deny": 3}


def engine_for(target: str) -> Engine:
    """Gatekeeper (and both) answers are judged by gator; conftest-only answers by conftest."""
    return "conftest" if target == "conftest" else "gator"


def _constraint_file(bundle: Path) -> Path:
    """The constraint to apply: constraint.yaml, or (corpus layout) the first sample's."""
    if (bundle / "constraint.yaml").is_file():
        return bundle / "constraint.yaml"
    from tools.bundle import sample_dirs

    samples = sample_dirs(bundle)
    if not samples:
        raise InputError(f"{bundle} has no constraint.yaml and no samples/<name>/constraint.yaml")
    return samples[0] / "constraint.yaml"


def _write_manifests(checks: Sequence[Check], folder: Path) -> list[Path]:
    paths = []
    for index, check in enumerate(checks):
        slug = re.sub(r"[^a-z0-9]+", "-", check.name.lower()).strip("-") or "object"
        path = folder / f"{index:03d}-{slug}.yaml"
        path.write_text(yaml.safe_dump(check.object, sort_keys=False))
        paths.append(path)
    return paths


def _action(enforcement: str, scoped: Sequence[str]) -> Actual:
    if enforcement == "scoped":
        # A scoped constraint acts per enforcement point; admission is the one that blocks.
        return "deny" if "deny" in scoped else ("warn" if "warn" in scoped else "dryrun")
    if enforcement in ("warn", "dryrun"):
        return enforcement  # type: ignore[return-value]
    return "deny"


def _gator(bundle: Path, checks: Sequence[Check], files: list[Path]) -> list[tuple[Actual, str]]:
    from tools.engine import gator_test

    violations = gator_test([bundle / "template.yaml", _constraint_file(bundle), *files])
    found: dict[tuple[str, str, str], tuple[Actual, list[str]]] = {}
    for v in violations:
        key = (v.object_kind, v.object_namespace, v.object_name)
        action = _action(v.enforcement_action, v.scoped_actions)
        previous, messages = found.get(key, ("allow", []))
        strongest = action if _STRENGTH[action] > _STRENGTH[previous] else previous
        found[key] = (strongest, [*messages, v.msg])
    out: list[tuple[Actual, str]] = []
    for check in checks:
        verdict, messages = found.get(check.key, ("allow", []))
        out.append((verdict, "; ".join(messages)))
    return out


def _conftest(bundle: Path, files: list[Path]) -> list[tuple[Actual, str]]:
    from tools.bundle import conftest_policy_paths
    from tools.engine import conftest_test

    if not (bundle / "conftest" / "policy").is_dir():
        raise InputError(f"{bundle} has no conftest/policy folder", hint="the answer has no conftest variant")
    result = conftest_test(conftest_policy_paths(bundle), files)
    if not result.files and result.findings:
        raise InputError(f"conftest failed: {result.findings[0].message.splitlines()[0]}")
    by_file = {Path(f.filename).name: f for f in result.files}
    out: list[tuple[Actual, str]] = []
    for path in files:
        entry = by_file.get(path.name)
        if entry is None:
            out.append(("error", "conftest reported nothing for this manifest"))
        elif entry.failures:
            out.append(("deny", "; ".join(entry.failures)))
        elif entry.warnings:
            out.append(("warn", "; ".join(entry.warnings)))
        else:
            out.append(("allow", ""))
    return out


def score_bundle(
    bundle: str | Path, checks: Sequence[Check], engine: Engine = "gator"
) -> list[ManifestVerdict]:
    """Every check's verdict under the bundle's policy, in the order given.

    An engine failure (a template gator rejects, a policy conftest cannot load) is not a
    crash: every verdict becomes "error" with the engine's message, and the case fails.
    """
    bundle = Path(bundle)
    if not checks:
        return []
    with tempfile.TemporaryDirectory(prefix="kpc-eval-") as tmp:
        files = _write_manifests(checks, Path(tmp))
        try:
            outcomes = _gator(bundle, checks, files) if engine == "gator" else _conftest(bundle, files)
        except KpcError as exc:
            message = " ".join(str(exc).split())[:500]
            outcomes = [("error", message)] * len(checks)
    return [
        ManifestVerdict(
            name=check.name,
            kind=check.kind,
            namespace=check.namespace,
            object_name=check.object_name,
            expected=check.expected,
            actual=actual,
            engine=engine,
            derived=check.derived,
            message=message,
        )
        for check, (actual, message) in zip(checks, outcomes, strict=True)
    ]
