"""The terminal rendering of an Explanation: per denied object, each policy, why, field, fix, result."""

from __future__ import annotations

from tools.explain.models import (
    ExplainedViolation,
    ExplainSummary,
    Explanation,
    ObjectExplanation,
    PolicySuggestion,
)

_RESULT = {
    "resolved": "re-verified: no longer violated",
    "unresolved": "re-verified: STILL violated after this fix",
    "manual": "needs you (no automatic fix)",
}


def plural(count: int, word: str) -> str:
    """'1 policy', '2 policies'."""
    return (
        f"{count} {word}"
        if count == 1
        else f"{count} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"
    )


def _indent(text: str, pad: str) -> list[str]:
    return [pad + line for line in text.splitlines()]


def violation_lines(number: int, v: ExplainedViolation) -> list[str]:
    """One violation: policy, why, field, the fix (as a YAML diff) and its re-verification result."""
    title = f"  {v.title}" if v.title else ""
    extra = ", ".join(x for x in (f"{v.constraint_kind}/{v.constraint_name}", v.severity) if x)
    tag = " [warn]" if v.verdict == "warn" else ""
    introduced = "  (appeared after another fix)" if v.introduced_by_fix else ""
    lines = [f"  [{number}] {v.policy_label}{tag}{title}  ({extra}){introduced}"]
    lines.append(f"      why:    {' '.join(v.message.split())}")
    lines.append(f"      field:  {v.field or '(see the message)'}")
    lines.append(f"      fix:    {v.fix.summary}")
    if v.fix.expected:
        lines.append(f"      needs:  {v.fix.expected}")
    lines += [f"      note:   {note}" for note in v.fix.notes]
    if v.fix.diff:
        lines += _indent(v.fix.diff, "        ")
    result = _RESULT[v.status]
    if v.status == "resolved" and v.fix.kind == "placeholder":
        result += " (with a PLACEHOLDER value: replace it)"
    if v.status == "unresolved" and any(note.startswith("not applied") for note in v.fix.notes):
        result = "not re-verified (the fix rounds ran out before this fix)"
    lines.append(f"      result: {result}")
    lines += counterexample_lines(v)
    return lines


def counterexample_lines(v: ExplainedViolation) -> list[str]:
    """Each single mutation and what gator made of it: where the verdict flips, and where it does not."""
    if not v.counterexamples:
        return []
    lines = ["      counterexamples (single mutations, one gator run):"]
    for c in v.counterexamples:
        if c.flips:
            outcome = "FLIPS: deny -> allow"
        elif c.clears:
            outcome = f"clears this violation; still denied by {', '.join(c.still)}"
        else:
            outcome = "no flip: still violated"
        lines.append(f"        - {c.summary}: {outcome}")
    return lines


def object_lines(item: ObjectExplanation) -> list[str]:
    """An object: its location and verdict, every violation, then the re-verification summary."""
    if not item.violations:
        return [f"{item.location()}  {item.ref}  admitted"]
    policies = {v.policy_label for v in item.violations if not v.introduced_by_fix}
    verdict = "denied" if item.verdict == "deny" else "warned"
    lines = [
        f"{item.location()}  {item.ref}  {verdict} by {plural(len(policies), 'policy')} "
        f"({plural(sum(not v.introduced_by_fix for v in item.violations), 'violation')})",
        "",
    ]
    for number, violation in enumerate(item.violations, start=1):
        lines += violation_lines(number, violation)
        lines.append("")
    check = item.reverification
    if check is not None:
        rounds = f"{plural(check.rounds, 'gator round')}" if check.rounds else "no fix to apply"
        lines.append(f"  re-verification ({rounds}): {check.summary}")
    if item.patch:
        lines.append(
            f"  patch: {plural(len(item.patch), 're-verified change')} (--format patch shows them, --write applies them)"
        )
    elif item.patch_note:
        lines.append(f"  patch: {item.patch_note}")
    lines += [f"  note: {note}" for note in item.notes]
    return lines


def summary_line(summary: ExplainSummary) -> str:
    """'2 objects: 1 denied, 1 admitted; 1 fixed ...; fixes: 5 automatic, 1 placeholder, 2 manual; 3 gator runs, 2.1s'."""
    states = [f"{summary.denied} denied"]
    if summary.warned:
        states.append(f"{summary.warned} warned")
    states.append(f"{summary.admitted} admitted")
    flagged = summary.denied + summary.warned
    fixed = f"; {summary.fixed} of {flagged} fixed by the re-verified fixes" if flagged else ""
    fixes = (
        f"; fixes: {summary.automatic} automatic, {summary.placeholder} placeholder, {summary.manual} manual"
        if summary.violations
        else ""
    )
    return (
        f"{plural(summary.objects, 'object')}, {plural(summary.policies, 'policy')}: {', '.join(states)}"
        f"{fixed}{fixes}; {plural(summary.gator_runs, 'gator run')}, {summary.seconds:.1f}s"
    )


def render_text(explanation: Explanation) -> str:
    """The whole explanation as plain text, denied objects first in file order, then the admitted ones."""
    lines: list[str] = []
    flagged = [o for o in explanation.objects if o.violations]
    admitted = [o for o in explanation.objects if not o.violations]
    for item in flagged:
        lines += object_lines(item)
        lines.append("")
    for item in admitted:
        lines += object_lines(item)
    if admitted:
        lines.append("")
    if explanation.policy_side:
        lines.append("policy side (change the constraint instead of the manifest, when that is the intent):")
        for suggestion in explanation.policy_side:
            lines += suggestion_lines(suggestion)
        lines.append("")
    shown = [n for n in explanation.notes if n.level != "info" or n.id.startswith("explain/")]
    if shown:
        lines.append("notes:")
        lines += [f"  {n.location()}: {n.level}: {n.message}" for n in shown]
        lines.append("")
    lines.append(summary_line(explanation.summary))
    return "\n".join(lines)


def suggestion_lines(s: PolicySuggestion) -> list[str]:
    """One constraint change: what it is, whether gator admits the object with it, samples it flips, the diff."""
    lines = [f"  {s.location()}  {s.object}  {s.policy} ({s.constraint}): {s.summary}"]
    if s.admits_object:
        lines.append("      re-verified: this constraint admits the object with the change")
    else:
        lines.append(f"      re-verified: STILL violated: {'; '.join(' '.join(m.split()) for m in s.still)}")
    if not s.samples_checked:
        lines.append("      samples: none next to the constraint, so nothing else was checked")
    elif not s.flipped_samples:
        lines.append(f"      samples: all {s.samples_checked} keep their verdicts")
    for flip in s.flipped_samples:
        lines.append(f"      sample flips: {flip.file}: {flip.object}: {flip.before} -> {flip.after}")
    lines += [f"      warning: {w}" for w in s.warnings]
    lines += (
        _indent(s.diff.rstrip("\n"), "      ")
        if s.diff
        else ["      (the constraint file cannot be edited here: see changes in --format json)"]
    )
    return lines
