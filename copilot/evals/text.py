"""The eval report for a terminal: one line per case, the totals, then what went wrong."""

from __future__ import annotations

from copilot.evals.models import CaseResult, EvalReport, Totals


def plural(count: int, word: str) -> str:
    """'1 round', '3 rounds'."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def pct(value: float | None) -> str:
    """A ratio as a percentage, or n/a."""
    return "n/a" if value is None else f"{value * 100:.1f}%"


def tokens_text(totals: Totals) -> str:
    if totals.tokens is None:
        return "not reported"
    return f"{totals.tokens.prompt + totals.tokens.completion} ({totals.tokens.prompt} prompt, {totals.tokens.completion} completion)"


def case_outcome(result: CaseResult) -> str:
    """A short outcome: 'verified 6/6', 'declined (expected)', 'not_verified', 'skipped'."""
    if result.scored:
        return f"{result.status}, {result.verdicts_correct}/{result.verdicts_total} right"
    if result.declined:
        return "declined (expected)" if result.decline_expected else "declined"
    return result.status


def case_mark(result: CaseResult) -> str:
    if result.met is None:
        return "skip"
    return "ok  " if result.met else "FAIL"


def summary_lines(report: EvalReport) -> list[str]:
    """The totals as aligned lines (shared by the text report and the CLI's closing summary)."""
    t = report.totals
    head = f"kpc eval: {t.met}/{t.cases} cases met their expectation"
    if report.partial:
        head += f" (PARTIAL: interrupted after {t.cases} of {t.planned - t.skipped} cases)"
    lines = [
        head,
        f"  provider           {report.provider} ({report.model})"
        if report.model
        else f"  provider {report.provider}",
        f"  answered           {t.answered} (fully correct {t.fully_correct} of {t.scored} scored)",
        f"  declined           {t.declined} ({t.declined_expected} expected, {t.declined_unexpected} not expected)",
        f"  not verified       {t.not_verified}" + (f", errors {t.errors}" if t.errors else ""),
        f"  verdict accuracy   {pct(t.accuracy)} ({t.verdicts_correct}/{t.verdicts})",
        f"  false denies       {t.false_denies}, false allows {t.false_allows}"
        + (f", wrong actions {t.wrong_action}" if t.wrong_action else ""),
        f"  first-round passes {t.first_round}, repair rounds {t.repair_rounds}",
        f"  model calls        {t.model_calls}, tokens {tokens_text(t)}",
        f"  time               {t.wall_seconds:.1f}s wall, {t.agent_seconds:.1f}s agent, jobs {report.jobs}",
    ]
    if t.skipped:
        lines.append(f"  skipped            {t.skipped}")
    return lines


def comparison_lines(report: EvalReport) -> list[str]:
    c = report.comparison
    if c is None:
        return []
    lines = [
        f"against {c.baseline}: accuracy {pct(c.accuracy_before)} -> {pct(c.accuracy_after)}, "
        f"fully correct {c.fully_correct_before} -> {c.fully_correct_after}, met {c.met_before} -> {c.met_after}"
    ]
    for reg in c.regressions:
        lines.append(f"  REGRESSION {reg.case}: {reg.what} ({reg.before} -> {reg.after})")
    if c.improvements:
        lines.append(f"  improved: {', '.join(c.improvements)}")
    if c.new_cases:
        lines.append(f"  new cases: {len(c.new_cases)}")
    if c.missing_cases:
        lines.append(f"  not run now: {len(c.missing_cases)}")
    return lines


def render_text(report: EvalReport, *, verbose: bool = False) -> str:
    """The whole report for a terminal: cases, totals, failures (wrong verdicts listed)."""
    lines = []
    for r in report.cases:
        if r.met is None and not verbose:
            continue
        lines.append(f"{case_mark(r)} {r.ref:<48} {case_outcome(r):<25} {r.seconds:5.1f}s")
    lines += ["", *summary_lines(report)]
    failures = [r for r in report.cases if r.met is False]
    if failures:
        lines += ["", "failures:"]
        for r in failures:
            lines.append(f"  {r.ref}: {'; '.join(r.problems)}")
            for v in r.verdicts:
                if not v.ok:
                    where = f"{v.namespace}/" if v.namespace else ""
                    lines.append(
                        f"    {v.name} ({v.kind} {where}{v.object_name}): expected {v.expected}, got {v.actual}"
                        + (f" — {v.message[:160]}" if v.message else "")
                    )
    comparison = comparison_lines(report)
    if comparison:
        lines += ["", *comparison]
    return "\n".join(lines) + "\n"
