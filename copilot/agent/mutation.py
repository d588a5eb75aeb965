"""The mutation (contrast) check: fixtures must be denied and admitted for the reason they claim.

A green gator run shows each fixture got its expected verdict, but not why: a policy that
keys on an object's name, or a deny fixture that differs from every allow fixture in
twenty ways, passes it too. This check makes the fixtures prove the policy's logic.

1. Pairing. Each deny fixture D is paired with its nearest allow fixture A of the same
   apiVersion and kind: the one with the fewest differing fields. A field is a leaf path
   ("spec.containers[0].securityContext.privileged"); lists of equal length are compared
   item by item, otherwise the whole list is one field; a key present on one side only is
   one field. Identity fields (metadata.name, generateName, uid, resourceVersion,
   creationTimestamp, managedFields) are never counted: a policy must not decide by them.
2. Mutants, evaluated by gator with the draft's own template and constraint:
   - repaired: D with A's values for the differing fields, keeping D's identity. It must be
     admitted: the differing fields are what D was denied for.
   - broken: A with D's values for the differing fields, keeping A's identity. It must be
     denied.
   - single-field: D with one differing field taken from A (when a pair differs in several
     fields; at most four per pair). Not pass/fail: the fields whose change alone admits D
     are reported as the decisive fields, the evidence of what the policy checks.
3. The check fails when no deny fixture has a same-kind allow fixture to contrast with, when
   a pair differs only in identity fields, or when a repaired mutant is still denied or a
   broken one admitted. Mutants that are not valid Kubernetes objects are skipped.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from tools.draft.models import Fixture, PolicyDraft
from tools.models import Finding
from tools.verify.models import CheckOutcome

FieldPath = tuple[str | int, ...]
IDENTITY_FIELDS = frozenset(
    ("metadata", name)
    for name in ("name", "generateName", "uid", "resourceVersion", "creationTimestamp", "managedFields")
)
MAX_PAIRS = 6
MAX_SINGLE_FIELDS = 4
_MISSING = object()


def field_name(path: FieldPath) -> str:
    """("spec", "containers", 0, "image") -> "spec.containers[0].image"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def differing_fields(a: Any, b: Any, path: FieldPath = ()) -> list[FieldPath]:
    """The leaf paths where `a` and `b` differ, identity fields excluded."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[FieldPath] = []
        for key in sorted(set(a) | set(b), key=str):
            sub = (*path, key)
            if sub in IDENTITY_FIELDS:
                continue
            if key not in a or key not in b:
                out.append(sub)
            else:
                out += differing_fields(a[key], b[key], sub)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            p for i, (x, y) in enumerate(zip(a, b, strict=True)) for p in differing_fields(x, y, (*path, i))
        ]
    return [] if a == b else [path]


def _get(obj: Any, path: FieldPath) -> Any:
    for part in path:
        if isinstance(obj, dict):
            if part not in obj:
                return _MISSING
            obj = obj[part]
        elif isinstance(obj, list) and isinstance(part, int) and part < len(obj):
            obj = obj[part]
        else:
            return _MISSING
    return obj


def patched(target: dict[str, Any], source: dict[str, Any], fields: list[FieldPath]) -> dict[str, Any]:
    """A copy of `target` with `source`'s values (or absence) at `fields`."""
    out = copy.deepcopy(target)
    for path in fields:
        parent = _get(out, path[:-1])
        value = _get(source, path)
        key = path[-1]
        if isinstance(parent, dict):
            if value is _MISSING:
                parent.pop(key, None)
            else:
                parent[key] = copy.deepcopy(value)
        elif isinstance(parent, list) and isinstance(key, int) and value is not _MISSING:
            parent[key] = copy.deepcopy(value)
    return out


@dataclass
class Pair:
    deny: Fixture
    allow: Fixture
    fields: list[FieldPath]


@dataclass
class Mutant:
    name: str
    role: Literal["repaired", "broken", "single"]
    pair: Pair
    manifest: dict[str, Any]
    expected: Literal["deny", "allow"] | None
    field: FieldPath | None = None


def _same_type(a: Fixture, b: Fixture) -> bool:
    return (a.manifest.get("apiVersion"), a.manifest.get("kind")) == (
        b.manifest.get("apiVersion"),
        b.manifest.get("kind"),
    )


def contrast_pairs(fixtures: list[Fixture]) -> list[Pair]:
    """Each deny fixture with its nearest same-kind allow fixture (deny fixtures without one are left out)."""
    allows = [f for f in fixtures if f.expected == "allow"]
    pairs = []
    for deny in (f for f in fixtures if f.expected == "deny"):
        options = [(differing_fields(deny.manifest, a.manifest), a) for a in allows if _same_type(deny, a)]
        if options:
            fields, allow = min(options, key=lambda o: len(o[0]))
            pairs.append(Pair(deny=deny, allow=allow, fields=fields))
    return pairs[:MAX_PAIRS]


def build_mutants(pairs: list[Pair]) -> list[Mutant]:
    """The repaired, broken and single-field mutants of every pair that differs in something."""
    mutants: list[Mutant] = []

    def add(role: Any, pair: Pair, manifest: dict[str, Any], expected: Any, field: Any = None) -> None:
        mutants.append(Mutant(f"m{len(mutants)}", role, pair, manifest, expected, field))

    for pair in pairs:
        if not pair.fields:
            continue
        add("repaired", pair, patched(pair.deny.manifest, pair.allow.manifest, pair.fields), "allow")
        add("broken", pair, patched(pair.allow.manifest, pair.deny.manifest, pair.fields), "deny")
        if len(pair.fields) > 1:
            for field in pair.fields[:MAX_SINGLE_FIELDS]:
                add("single", pair, patched(pair.deny.manifest, pair.allow.manifest, [field]), None, field)
    return mutants


def _evaluate(draft: PolicyDraft, mutants: list[Mutant], workdir: Path) -> dict[str, str]:
    """mutant name -> "deny" | "allow", from one gator verify run over a scratch bundle."""
    from tools.bundle_writer import write_bundle
    from tools.engine import gator_verify

    fixtures = [Fixture(name=m.name, expected=m.expected or "allow", manifest=m.manifest) for m in mutants]
    scratch = draft.model_copy(update={"fixtures": fixtures, "target": "gatekeeper"})
    bundle = write_bundle(scratch, workdir, overwrite=True)
    result = gator_verify(bundle / "suite.yaml")
    by_case = {c.case: c.passed for c in result.cases}
    verdicts: dict[str, str] = {}
    for m in mutants:
        expected = m.expected or "allow"
        case = f"example-{'disallowed' if expected == 'deny' else 'allowed'}-{m.name}"
        if case in by_case:
            verdicts[m.name] = expected if by_case[case] else ("allow" if expected == "deny" else "deny")
    return verdicts


def mutation_check(draft: PolicyDraft, workdir: Path) -> CheckOutcome:
    """Runs the contrast check of the module docstring for a draft whose fixtures are already valid."""
    from copilot.agent.fixtures import api_problem
    from tools.kube import validation_error

    pairs = contrast_pairs(draft.fixtures)
    findings: list[Finding] = []

    def fail(message: str) -> None:
        findings.append(Finding(id="mutation/failed", message=message, tool="kpc"))

    if not pairs:
        fail(
            "no deny fixture has an allow fixture of the same apiVersion and kind to contrast with: add an "
            "allow fixture that differs from a deny fixture only in the fields the policy checks"
        )
    for pair in pairs:
        if not pair.fields:
            fail(
                f"deny fixture {pair.deny.name!r} and allow fixture {pair.allow.name!r} differ only in their "
                "names: the policy must not decide by an object's name"
            )
    mutants = [
        m
        for m in build_mutants(pairs)
        if validation_error(m.manifest) is None and api_problem(m.manifest) is None
    ]
    verdicts = _evaluate(draft, mutants, workdir) if mutants else {}
    decisive: dict[str, list[str]] = {}
    for m in mutants:
        actual = verdicts.get(m.name)
        where = f"deny fixture {m.pair.deny.name!r} vs allow fixture {m.pair.allow.name!r}"
        changed = ", ".join(field_name(f) for f in m.pair.fields[:8])
        if actual is None:
            fail(f"gator gave no verdict for a mutant of {where}")
        elif m.role == "repaired" and actual != "allow":
            fail(
                f"{where}: {m.pair.deny.name!r} with {m.pair.allow.name!r}'s values for the differing fields "
                f"({changed}) is still denied; the verdict must follow those fields, not the object's identity"
            )
        elif m.role == "broken" and actual != "deny":
            fail(
                f"{where}: {m.pair.allow.name!r} with {m.pair.deny.name!r}'s values for the differing fields "
                f"({changed}) is still admitted; the verdict must follow those fields, not the object's identity"
            )
        elif m.role == "single" and actual == "allow" and m.field is not None:
            decisive.setdefault(m.pair.deny.name, []).append(field_name(m.field))
    for pair in pairs:
        if len(pair.fields) == 1:
            decisive.setdefault(pair.deny.name, []).append(field_name(pair.fields[0]))
    for deny_name, fields in decisive.items():
        findings.append(
            Finding(
                id="mutation/decisive",
                level="info",
                message=f"{deny_name}: admitted once {', '.join(fields)} takes the allow fixture's value",
                tool="kpc",
            )
        )
    failed = [f for f in findings if f.level == "error"]
    if failed:
        summary = f"{len(failed)} contrast problem(s) in {len(pairs)} pair(s)"
    else:
        fields = sorted({f for names in decisive.values() for f in names})
        summary = f"{len(pairs)} contrast pair(s) flip as expected" + (
            f"; decisive: {', '.join(fields[:4])}" if fields else ""
        )
    return CheckOutcome(name="mutation", ok=not failed, summary=summary, findings=findings)
