"""The eval report as a pull-request comment: headline, summary table, per-case table, failures in <details>."""

from __future__ import annotations

import html

from copilot.evals.models import CaseResult, EvalReport, ManifestVerdict
from copilot.evals.text import case_outcome, pct, plural

# GitHub rejects comments over 65,536 characters; big runs are cut well before that.
MAX_CASE_ROWS = 200
MAX_FAILURES = 40
MAX_VERDICT_ROWS = 30


def _cell(text: str) -> str:
    """Text that cannot break a table row or inject HTML."""
    return html.escape(" ".join(str(text).split()), quote=False).replace("|", "\\|")


def _mark(result: CaseResult) -> str:
    if result.met is None:
        return ":fast_forward:"
    return ":white_check_mark:" if result.met else ":x:"


def _headline(report: EvalReport) -> str:
    t = report.totals
    regressed = report.comparison is not None and report.comparison.regressed
    icon = ":x:" if (t.unmet or regressed) else (":warning:" if report.partial else ":white_check_mark:")
    text = f"### {icon} kpc eval: {t.met}/{t.cases} cases met their expectation"
    if regressed and report.comparison is not None:
        text += f", {len(report.comparison.regressions)} regressions"
    if report.partial:
        text += " (partial run: interrupted)"
    return text


def _summary(report: EvalReport) -> list[str]:
    t = report.totals
    tokens = (
        "not reported" if t.tokens is None else f"{t.tokens.prompt} prompt / {t.tokens.completion} completion"
    )
    rows = [
        ("provider", f"`{report.provider}` ({_cell(report.model)})"),
        ("cases run", f"{t.cases} of {t.planned}" + (f" ({t.skipped} skipped)" if t.skipped else "")),
        ("met expectation", f"{t.met} :white_check_mark: / {t.unmet} :x:"),
        ("answered (verified)", str(t.answered)),
        ("fully correct", f"{t.fully_correct} of {t.scored} scored"),
        ("declined", f"{t.declined} ({t.declined_expected} expected)"),
        ("not verified / errors", f"{t.not_verified} / {t.errors}"),
        ("verdict accuracy", f"{pct(t.accuracy)} ({t.verdicts_correct}/{t.verdicts})"),
        ("false denies / false allows", f"{t.false_denies} / {t.false_allows}"),
        ("first-round passes / repair rounds", f"{t.first_round} / {t.repair_rounds}"),
        ("model calls / tokens", f"{t.model_calls} / {tokens}"),
        ("time", f"{t.wall_seconds:.1f}s wall ({report.jobs} jobs), {t.agent_seconds:.1f}s in the agent"),
    ]
    return ["| | |", "|---|---|", *[f"| {k} | {v} |" for k, v in rows]]


def _comparison(report: EvalReport) -> list[str]:
    c = report.comparison
    if c is None:
        return []
    lines = [
        "",
        f"**Against the baseline** (`{_cell(c.baseline)}`, {_cell(c.baseline_started_at)}): "
        f"accuracy {pct(c.accuracy_before)} → {pct(c.accuracy_after)}, "
        f"fully correct {c.fully_correct_before} → {c.fully_correct_after}, met {c.met_before} → {c.met_after}",
    ]
    if c.regressions:
        lines += ["", "| Regression | case | before | after |", "|---|---|---|---|"]
        lines += [
            f"| :x: {r.what} | `{_cell(r.case)}` | {_cell(r.before)} | {_cell(r.after)} |"
            for r in c.regressions
        ]
    if c.improvements:
        lines += ["", "Improved: " + ", ".join(f"`{_cell(ref)}`" for ref in c.improvements)]
    return lines


def _cases(report: EvalReport) -> list[str]:
    lines = [
        "",
        "| | case | outcome | false denies | false allows | rounds | model calls | time |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in report.cases[:MAX_CASE_ROWS]:
        lines.append(
            f"| {_mark(r)} | `{_cell(r.ref)}` | {_cell(case_outcome(r))} | {r.false_denies} | {r.false_allows} "
            f"| {r.rounds} | {r.model_calls} | {r.seconds:.1f}s |"
        )
    if len(report.cases) > MAX_CASE_ROWS:
        lines.append(f"\n_{len(report.cases) - MAX_CASE_ROWS} more cases are in the JSON report._")
    return lines


def _verdict_row(v: ManifestVerdict) -> str:
    where = f"{v.namespace}/" if v.namespace else ""
    return (
        f"| `{_cell(v.name)}` | {_cell(v.kind)} `{_cell(where + v.object_name)}` | {v.expected} | **{v.actual}** "
        f"| {_cell(v.message[:300])} |"
    )


def _failure(r: CaseResult) -> list[str]:
    lines = [
        "<details>",
        f"<summary>:x: <code>{_cell(r.ref)}</code>: {_cell('; '.join(r.problems))}</summary>",
        "",
        f"> {_cell(r.request)}",
        "",
        f"status **{r.status}**"
        + (f", policy `{_cell(r.policy_id)}` ({_cell(r.policy_kind or '')})" if r.policy_id else "")
        + f", {plural(r.rounds, 'round')}, {plural(r.model_calls, 'model call')}",
    ]
    if r.reason:
        lines += ["", f"reason: {_cell(r.reason)}"]
    if r.error:
        lines += ["", f"error: {_cell(r.error)}"]
    if r.round_log:
        lines += ["", *[f"- {_cell(line)}" for line in r.round_log]]
    wrong = [v for v in r.verdicts if not v.ok]
    if wrong:
        lines += ["", "| manifest | object | expected | got | engine message |", "|---|---|---|---|---|"]
        lines += [_verdict_row(v) for v in wrong[:MAX_VERDICT_ROWS]]
    return [*lines, "", "</details>"]


def render_markdown(report: EvalReport) -> str:
    """The report as markdown for a pull request."""
    lines = [_headline(report), "", *_summary(report), *_comparison(report), *_cases(report)]
    failures = [r for r in report.cases if r.met is False]
    if failures:
        lines += ["", f"#### Failures ({len(failures)})", ""]
        for r in failures[:MAX_FAILURES]:
            lines += _failure(r)
        if len(failures) > MAX_FAILURES:
            lines.append(f"\n_{len(failures) - MAX_FAILURES} more failures are in the JSON report._")
    return "\n".join(lines) + "\n"
