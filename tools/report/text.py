"""Terminal report of a scan: violations grouped by file, one line each, then a summary."""

from __future__ import annotations

from tools.models import Finding
from tools.scan.models import ObjectResult, ScanReport, ScanSummary, Violation

_MARK = {"deny": "", "warn": " [warn]", "allow": " [dryrun]"}


def violation_line(result: ObjectResult, violation: Violation) -> str:
    """`file:line  Kind/name  policy  message` ([warn] / [dryrun] after the policy when not deny)."""
    policy = violation.policy_label + _MARK[violation.verdict]
    message = " ".join(violation.message.split())
    return f"{result.location()}  {result.kind}/{result.name}  {policy}  {message}"


def plural(count: int, word: str) -> str:
    """'1 policy', '2 policies', '3 objects'."""
    if count == 1:
        return f"1 {word}"
    return f"{count} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


def summary_line(summary: ScanSummary) -> str:
    """'12 objects in 5 files, 38 policies: 3 denied, 1 warned, 8 allowed (7 violations, 1.2s)'."""
    return (
        f"{plural(summary.objects, 'object')} in {plural(summary.files, 'file')}, "
        f"{plural(summary.policies, 'policy')}: "
        f"{summary.denied} denied, {summary.warned} warned, {summary.allowed} allowed "
        f"({plural(summary.violations, 'violation')}, {summary.seconds:.1f}s)"
    )


def render_notes(notes: list[Finding]) -> str:
    """One line per note: `file:line: level: message`."""
    return "\n".join(f"{n.location()}: {n.level}: {n.message}" for n in notes)


def render_text(report: ScanReport, *, verbose: bool = False, notes: bool = True) -> str:
    """The scan as plain text. Files appear in scan order; `verbose` also lists allowed objects."""
    lines: list[str] = []
    current = None
    for result in report.results:
        if not result.violations and not verbose:
            continue
        if result.file != current:
            if current is not None:
                lines.append("")
            lines.append(result.file)
            current = result.file
        if not result.violations:
            lines.append(f"  {result.location()}  {result.kind}/{result.name}  allow")
        lines += [f"  {violation_line(result, v)}" for v in result.violations]
        lines += [f"  {result.location()}  {result.kind}/{result.name}  note: {n}" for n in result.notes]
    if lines:
        lines.append("")
    if notes and report.notes:
        lines.append("notes:")
        lines += [f"  {line}" for line in render_notes(report.notes).splitlines()]
        lines.append("")
    lines.append(summary_line(report.summary))
    return "\n".join(lines)
