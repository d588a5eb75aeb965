"""Fix rounds: apply every strategy to private copies, then re-verify all copies in ONE gator batch.

A fix for one policy can trip another (runAsNonRoot with a root uid, a lowered limit
under a request); violations that appear after a round are fixed in the next one, up
to a bounded number of rounds. A violation is tracked across rounds by its locus: the
constraint plus the identifying details (container path, field, key), never the message
text, which changes as values change.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tools.explain import diff as changes_of
from tools.explain.fixes import FixContext, propose
from tools.explain.fixes.base import generic_field
from tools.explain.models import ExplainedViolation, Fix
from tools.extract.models import SourcedObject
from tools.scan import PolicySet, evaluate
from tools.scan.models import PolicyRef, Violation

Progress = Callable[[str], None]
# Details that say WHERE a violation is; values (what is wrong there) are left out.
_LOCATING = (
    "path",
    "field",
    "key",
    "probe",
    "rule",
    "host",
    "externalIP",
    "sysctl",
    "volume",
    "subject",
    "parameter",
)


def locus(violation: Violation) -> str:
    """What a violation is about, stable while its message changes: constraint + locating details."""
    details = violation.details or {}
    where = {k: details[k] for k in _LOCATING if isinstance(details.get(k), str | int)}
    shape = sorted(details)
    return json.dumps([violation.id, where, shape], sort_keys=True, default=str)


def blocking(violations: list[Violation]) -> list[Violation]:
    """The violations that keep an object out or warn about it (dryrun ones do neither)."""
    return [v for v in violations if v.verdict != "allow"]


@dataclass
class Work:
    """One denied (or warned) object going through the fix rounds."""

    source: SourcedObject
    obj: dict[str, Any]
    current: list[Violation]
    explained: list[ExplainedViolation] = field(default_factory=list)
    by_locus: dict[str, ExplainedViolation] = field(default_factory=dict)
    attempted: set[str] = field(default_factory=set)
    rounds: int = 0

    def record(self, violation: Violation, ref: PolicyRef | None, found_in: int) -> ExplainedViolation:
        """The explanation entry for `violation`, created the first time its locus is seen."""
        key = locus(violation)
        if key not in self.by_locus:
            entry = ExplainedViolation(
                id=violation.id,
                level=violation.level,
                file=self.source.file,
                row=self.source.line,
                tool="gator",
                policy_id=violation.policy_id or (ref.policy_id if ref else None),
                title=ref.title if ref else None,
                severity=ref.severity if ref else None,
                constraint_kind=violation.constraint_kind,
                constraint_name=violation.constraint_name,
                verdict=violation.verdict,
                message=violation.message,
                field=generic_field(violation.details),
                details=violation.details,
                fix=Fix(kind="manual", summary="not attempted"),
                introduced_by_fix=found_in > 0,
                found_in_round=found_in,
            )
            self.by_locus[key] = entry
            self.explained.append(entry)
        return self.by_locus[key]


def parameters_by_constraint(policy_set: PolicySet) -> dict[str, dict[str, Any]]:
    """'Kind/name' -> the constraint's spec.parameters, for strategies that read them."""
    found: dict[str, dict[str, Any]] = {}
    for constraint in policy_set.constraints:
        key = f"{constraint.get('kind')}/{(constraint.get('metadata') or {}).get('name', '')}"
        params = (constraint.get("spec") or {}).get("parameters")
        found[key] = params if isinstance(params, dict) else {}
    return found


def _fix_one(
    work: Work, violation: Violation, entry: ExplainedViolation, params: dict[str, Any], rnd: int
) -> None:
    before = copy.deepcopy(work.obj)
    ctx = FixContext(
        obj=work.obj,
        details=dict(violation.details or {}),
        message=violation.message,
        parameters=params,
        policy_id=entry.policy_id,
    )
    proposal = propose(ctx)
    found = changes_of.diff(before, work.obj)
    notes = list(proposal.notes)
    if proposal.kind != "manual" and not found:
        notes.append("already in place (an earlier fix made this change)")
    entry.field = proposal.field or entry.field
    entry.fix = Fix(
        kind=proposal.kind,
        summary=proposal.summary,
        changes=found,
        notes=notes,
        expected=proposal.expected,
        diff=changes_of.render(before, found),
        round=rnd if found else 0,
    )


def preview(work: Work, violation: Violation, entry: ExplainedViolation, params: dict[str, Any]) -> None:
    """Shows the fix a violation would get, without applying it (the round limit was reached)."""
    scratch = Work(source=work.source, obj=copy.deepcopy(work.obj), current=[])
    _fix_one(scratch, violation, entry, params, 0)
    entry.fix.round = 0
    if entry.fix.kind != "manual":
        entry.fix.notes.append("not applied or re-verified: the fix rounds ran out")


def run_rounds(
    works: list[Work],
    policy_set: PolicySet,
    context: list[SourcedObject],
    *,
    max_rounds: int,
    progress: Progress | None = None,
) -> int:
    """Fixes and re-verifies `works` in place; returns the number of gator runs it took."""
    say = progress or (lambda _msg: None)
    refs = {ref.key: ref for ref in policy_set.refs}
    params = parameters_by_constraint(policy_set)
    runs = 0
    for rnd in range(1, max_rounds + 1):
        changed = []
        for work in works:
            start = copy.deepcopy(work.obj)
            for violation in work.current:
                key = locus(violation)
                if key in work.attempted:
                    continue
                work.attempted.add(key)
                entry = work.record(violation, refs.get(violation.id), rnd - 1)
                _fix_one(work, violation, entry, params.get(violation.id, {}), rnd)
            if work.obj != start:
                changed.append(work)
        if not changed:
            break
        say(
            f"round {rnd}: re-verifying {len(changed)} fixed object{'s' if len(changed) > 1 else ''} with gator"
        )
        copies = [item.source.model_copy(update={"obj": item.obj}) for item in changed]
        results, _notes, count = evaluate(copies + context, policy_set)
        runs += count
        for work, result in zip(changed, results, strict=False):
            work.current = blocking(result.violations)
            work.rounds = rnd
            for violation in work.current:
                work.record(violation, refs.get(violation.id), rnd)
    for work in works:
        for violation in work.current:
            entry = work.record(violation, refs.get(violation.id), work.rounds)
            if locus(violation) not in work.attempted:
                preview(work, violation, entry, params.get(violation.id, {}))
    return runs
