"""A scan as a pull-request comment: a summary line, a table of violations, collapsible details."""

from __future__ import annotations

import html

from tools.report.text import plural
from tools.scan.models import ObjectResult, PolicyRef, ScanReport, Violation

# GitHub rejects comments over 65,536 characters; long scans are cut well before.
MAX_TABLE_ROWS = 100
MAX_DETAIL_ROWS = 300
_ICON = {"deny": ":x: deny", "warn": ":warning: warn", "allow": ":information_source: dryrun"}


def _cell(text: str) -> str:
    """Text that cannot break a table row or inject HTML."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def _code(text: str) -> str:
    """Inline code that survives backticks and pipes in the text."""
    return "<code>" + _cell(text) + "</code>"


def _headline(report: ScanReport) -> str:
    s = report.summary
    if s.denied:
        return f"### :x: kpc scan: {s.denied} of {s.objects} objects denied"
    if s.warned:
        return f"### :warning: kpc scan: no object denied, {s.warned} with warnings"
    if report.input_errors:
        return "### :warning: kpc scan: no violations, but some inputs could not be read"
    return f"### :white_check_mark: kpc scan: all {s.objects} objects pass"


def _rows(report: ScanReport) -> list[tuple[ObjectResult, Violation]]:
    return [(r, v) for r in report.results for v in r.violations]


def _by_verdict(rows: list[tuple[ObjectResult, Violation]]) -> list[tuple[ObjectResult, Violation]]:
    """Denials first, then warnings, then dry-run findings; scan order within each."""
    order = {"deny": 0, "warn": 1, "allow": 2}
    return sorted(rows, key=lambda row: order[row[1].verdict])


def _table(report: ScanReport) -> list[str]:
    rows = _by_verdict(_rows(report))
    if not rows:
        return []
    lines = ["| Verdict | Object | Location | Policy | Message |", "|---|---|---|---|---|"]
    for result, violation in rows[:MAX_TABLE_ROWS]:
        lines.append(
            f"| {_ICON[violation.verdict]} | {_code(result.ref)} | {_code(result.location())} "
            f"| {_cell(violation.policy_label)} | {_cell(violation.message)} |"
        )
    if len(rows) > MAX_TABLE_ROWS:
        lines.append(f"\n_{len(rows) - MAX_TABLE_ROWS} more violations are in the details below._")
    return lines


def _policy_heading(ref: PolicyRef | None, key: str) -> str:
    if ref is None:
        return f"**{_cell(key)}**"
    title = f" — {_cell(ref.title)}" if ref.title else ""
    facts = [_code(ref.key)] if ref.label != ref.key else []
    facts += [f"severity {ref.severity}"] if ref.severity else []
    facts += [ref.enforcement_action] if ref.enforcement_action != "deny" else []
    return f"**{_cell(ref.label)}**{title}" + (f" ({' · '.join(facts)})" if facts else "")


def _details(report: ScanReport) -> list[str]:
    by_policy: dict[str, list[tuple[ObjectResult, Violation]]] = {}
    for result, violation in _rows(report):
        by_policy.setdefault(violation.id, []).append((result, violation))
    if not by_policy:
        return []
    lines = ["<details>", f"<summary>Violations by policy ({plural(len(by_policy), 'policy')})</summary>", ""]
    shown = 0
    for key in sorted(by_policy, key=lambda k: (-len(by_policy[k]), k)):
        ref = report.policy(key)
        lines.append(f"{_policy_heading(ref, key)}: {plural(len(by_policy[key]), 'violation')}")
        if ref and ref.description:
            lines.append(f"> {_cell(ref.description)}")
        lines.append("")
        for result, violation in by_policy[key]:
            if shown >= MAX_DETAIL_ROWS:
                break
            lines.append(f"- {_code(result.location())} {_code(result.ref)}: {_cell(violation.message)}")
            shown += 1
        lines.append("")
    if shown >= MAX_DETAIL_ROWS:
        lines.append(f"_Showing the first {MAX_DETAIL_ROWS} violations; run `kpc scan` locally for all._")
        lines.append("")
    lines.append("</details>")
    return lines


def _notes(report: ScanReport) -> list[str]:
    if not report.notes:
        return []
    lines = ["<details>", f"<summary>Notes on the inputs ({len(report.notes)})</summary>", ""]
    for note in report.notes[:MAX_DETAIL_ROWS]:
        lines.append(f"- {note.level}: {_code(note.location())} {_cell(note.message)}")
    lines += ["", "</details>"]
    return lines


def render_markdown(report: ScanReport) -> str:
    """GitHub-flavoured markdown for a PR comment."""
    s = report.summary
    counts = (
        f"**{plural(s.objects, 'object')}** in {plural(s.files, 'file')} · **{s.denied} denied** · "
        f"{s.warned} warned · {s.allowed} allowed · {plural(s.policies, 'policy')} · {s.seconds:.1f}s"
    )
    parts = [_headline(report), "", counts, ""]
    table = _table(report)
    if table:
        parts += [*table, ""]
    for block in (_details(report), _notes(report)):
        if block:
            parts += [*block, ""]
    parts.append("<sub>kpc scan · verdicts by gator (Gatekeeper semantics)</sub>")
    return "\n".join(parts) + "\n"
