"""A scan as a pull-request comment: a summary line, a table of violations, collapsible details."""

from __future__ import annotations

import html

from tools.report.text import plural
from tools.scan.models import ObjectResult, PolicyRef, ScanReport, Violation

# GitHub rejects comments over 65,536 characters. Row caps alone do not keep a comment
# under that (17 objects of the demo repo already make 85,000 characters with long
# messages), so the rows shown shrink until the whole comment fits MAX_CHARS.
MAX_TABLE_ROWS = 100
MAX_DETAIL_ROWS = 300
MAX_CHARS = 60_000
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


def _table(report: ScanReport, max_rows: int, details_complete: bool) -> list[str]:
    rows = _by_verdict(_rows(report))
    where = "in the details below" if details_complete else "not shown; run `kpc scan` locally for all"
    if not rows or max_rows <= 0:
        return [f"_{plural(len(rows), 'violation')} {where}._"] if rows else []
    lines = ["| Verdict | Object | Location | Policy | Message |", "|---|---|---|---|---|"]
    for result, violation in rows[:max_rows]:
        lines.append(
            f"| {_ICON[violation.verdict]} | {_code(result.ref)} | {_code(result.location())} "
            f"| {_cell(violation.policy_label)} | {_cell(violation.message)} |"
        )
    if len(rows) > max_rows:
        lines.append(f"\n_{plural(len(rows) - max_rows, 'more violation')} {where}._")
    return lines


def _policy_heading(ref: PolicyRef | None, key: str) -> str:
    if ref is None:
        return f"**{_cell(key)}**"
    title = f" — {_cell(ref.title)}" if ref.title else ""
    facts = [_code(ref.key)] if ref.label != ref.key else []
    facts += [f"severity {ref.severity}"] if ref.severity else []
    facts += [ref.enforcement_action] if ref.enforcement_action != "deny" else []
    return f"**{_cell(ref.label)}**{title}" + (f" ({' · '.join(facts)})" if facts else "")


def _details(report: ScanReport, max_rows: int) -> list[str]:
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
            if shown >= max_rows:
                break
            lines.append(f"- {_code(result.location())} {_code(result.ref)}: {_cell(violation.message)}")
            shown += 1
        lines.append("")
    if shown < len(_rows(report)):
        lines.append(f"_Showing the first {shown} violations; run `kpc scan` locally for all._")
        lines.append("")
    lines.append("</details>")
    return lines


def _notes(report: ScanReport, max_rows: int) -> list[str]:
    if not report.notes:
        return []
    lines = ["<details>", f"<summary>Notes on the inputs ({len(report.notes)})</summary>", ""]
    for note in report.notes[:max_rows]:
        lines.append(f"- {note.level}: {_code(note.location())} {_cell(note.message)}")
    if len(report.notes) > max_rows:
        lines.append(f"- _{len(report.notes) - max_rows} more; run `kpc scan` locally for all._")
    lines += ["", "</details>"]
    return lines


def render_markdown(report: ScanReport) -> str:
    """GitHub-flavoured markdown for a PR comment, at most MAX_CHARS long."""
    table, details, notes = MAX_TABLE_ROWS, MAX_DETAIL_ROWS, MAX_DETAIL_ROWS
    text = _render(report, table, details, notes)
    # Details go first (the table holds the denials a reviewer reads), then the table.
    while len(text) > MAX_CHARS and (table or details or notes):
        if details:
            details //= 2
        elif notes:
            notes //= 2
        else:
            table //= 2
        text = _render(report, table, details, notes)
    return text


def _render(report: ScanReport, table_rows: int, detail_rows: int, note_rows: int) -> str:
    s = report.summary
    counts = (
        f"**{plural(s.objects, 'object')}** in {plural(s.files, 'file')} · **{s.denied} denied** · "
        f"{s.warned} warned · {s.allowed} allowed · {plural(s.policies, 'policy')} · {s.seconds:.1f}s"
    )
    parts = [_headline(report), "", counts, ""]
    table = _table(report, table_rows, detail_rows >= len(_rows(report)))
    if table:
        parts += [*table, ""]
    for block in (_details(report, detail_rows), _notes(report, note_rows)):
        if block:
            parts += [*block, ""]
    parts.append("<sub>kpc scan · verdicts by gator (Gatekeeper semantics)</sub>")
    return "\n".join(parts) + "\n"
