"""After the fix rounds: each violation's status, each object's verdict, and the re-verified patch."""

from __future__ import annotations

import copy
from typing import Any

from tools.explain import diff as changes_of
from tools.explain.models import ExplainedViolation, FieldChange, Reverification
from tools.explain.rounds import Work, blocking, locus
from tools.extract.models import SourcedObject
from tools.scan import PolicySet, evaluate
from tools.scan.models import Violation


def settle(work: Work) -> Reverification:
    """Marks each explained violation resolved / unresolved / manual and sums the object up."""
    remaining = {locus(v) for v in work.current}
    for entry_locus, entry in work.by_locus.items():
        if entry_locus not in remaining:
            entry.status = "resolved"
        else:
            entry.status = "manual" if entry.fix.kind == "manual" else "unresolved"
    lines = [f"{_label(v.policy_id, v.id)}: {' '.join(v.message.split())}" for v in work.current]
    resolved = sum(e.status == "resolved" for e in work.explained)
    placeholders = any(e.fix.kind == "placeholder" and e.status == "resolved" for e in work.explained)
    if not work.current:
        summary = "fixed: now admitted by all policies"
        if placeholders:
            summary += " (once the placeholders are replaced with real values)"
        return Reverification(status="fixed", admitted=True, rounds=work.rounds, summary=summary)
    denied = sorted({_label(v.policy_id, v.id) for v in work.current if v.verdict == "deny"})
    warned = sorted({_label(v.policy_id, v.id) for v in work.current if v.verdict != "deny"})
    parts = []
    if denied:
        parts.append(f"still denied by {', '.join(denied)}")
    if warned:
        parts.append(f"still warned by {', '.join(warned)}")
    if any(any(n.startswith("not applied") for n in e.fix.notes) for e in work.explained):
        parts.append("the fix rounds ran out before every fix was tried (allow more rounds)")
    return Reverification(
        status="partly-fixed" if resolved else "not-fixed",
        admitted=not denied,
        rounds=work.rounds,
        summary="; ".join(parts),
        remaining=lines,
    )


def _label(policy_id: str | None, constraint: str) -> str:
    return policy_id or constraint


def accepted_fixes(work: Work) -> list[ExplainedViolation]:
    """Fixes that re-verified: applied, and their violation gone after the rounds."""
    entries = [e for e in work.explained if e.status == "resolved" and e.fix.changes and e.fix.round > 0]
    return sorted(entries, key=lambda e: e.fix.round)


def candidate(work: Work) -> dict[str, Any] | None:
    """The original object with only the accepted fixes applied (None when they do not apply alone)."""
    obj: Any = copy.deepcopy(work.source.obj)
    try:
        for entry in accepted_fixes(work):
            obj = changes_of.apply(obj, entry.fix.changes)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None


def _judge(
    work: Work, target: dict[str, Any], violations: list[Violation]
) -> tuple[list[FieldChange], str | None]:
    """The patch for `target`, or a note when it would trip a policy the original object passed."""
    original = {key for key, e in work.by_locus.items() if not e.introduced_by_fix}
    new = sorted({v.policy_id or v.id for v in violations if locus(v) not in original})
    if new:
        return (
            [],
            f"not patched: the fixes that worked still trip {', '.join(new)}, which the original passed",
        )
    return changes_of.diff(work.source.obj, target), None


def plan_patches(
    works: list[Work], policy_set: PolicySet, context: list[SourcedObject]
) -> tuple[dict[int, list[FieldChange]], dict[int, str], int]:
    """The changes to write for each work (by position), notes for those left out, and gator runs used.

    When the accepted fixes alone equal the last verified copy, that verification stands;
    otherwise the accepted-only copies are verified in one more batch. A patch never makes
    an object trip a policy the original passed (a fix whose follow-up the rounds did not
    reach): such an object is left out, with a note.
    """
    verdicts: dict[int, tuple[dict[str, Any], list[Violation]]] = {}
    notes: dict[int, str] = {}
    pending: list[tuple[int, dict[str, Any]]] = []
    for i, work in enumerate(works):
        target = candidate(work)
        if target is None:
            notes[i] = "not patched: the fixes that worked depend on ones that did not"
        elif target == work.obj:
            verdicts[i] = (target, work.current)
        elif target != work.source.obj:
            pending.append((i, target))
    runs = 0
    if pending:
        copies = [works[i].source.model_copy(update={"obj": target}) for i, target in pending]
        results, _notes, runs = evaluate(copies + context, policy_set)
        for (i, target), result in zip(pending, results, strict=False):
            verdicts[i] = (target, blocking(result.violations))
    patches: dict[int, list[FieldChange]] = {}
    for i, (target, violations) in verdicts.items():
        if target == works[i].source.obj:
            continue
        changes, note = _judge(works[i], target, violations)
        if note:
            notes[i] = note
        else:
            patches[i] = changes
    return patches, notes, runs
