"""Comparing a run with a baseline report: regressions (the exit status says so) and improvements."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from copilot.evals.models import REPORT_KIND, SCHEMA_VERSION, CaseResult, Comparison, EvalReport, Regression
from tools.errors import InputError


def load_report(path: str | Path) -> EvalReport:
    """A report written by `kpc eval --report` (InputError when it is not one)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except OSError as exc:
        raise InputError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            f"baseline {path} is not a kpc eval report (not UTF-8 text)",
            hint="pass a file written by --report",
        ) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"baseline {path} is not JSON: {exc.msg} at line {exc.lineno}") from exc
    if not isinstance(data, dict) or data.get("kind") != REPORT_KIND:
        raise InputError(f"baseline {path} is not a kpc eval report", hint="pass a file written by --report")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise InputError(
            f"baseline {path} has report schema version {data.get('schema_version')}, this kpc writes {SCHEMA_VERSION}",
            hint="re-run the baseline with this version",
        )
    try:
        return EvalReport.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(
            f"baseline {path}: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
        ) from exc


def _ran(results: Sequence[CaseResult]) -> dict[str, CaseResult]:
    return {r.ref: r for r in results if r.status not in ("skipped", "cancelled")}


def _accuracy(results: Sequence[CaseResult]) -> float | None:
    total = sum(r.verdicts_total for r in results if r.scored)
    right = sum(r.verdicts_correct for r in results if r.scored)
    return round(right / total, 4) if total else None


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _case_regression(ref: str, before: CaseResult, after: CaseResult) -> Regression | None:
    if before.correct and not after.correct:
        now = f"{after.verdicts_correct}/{after.verdicts_total} verdicts" if after.scored else after.status
        return Regression(case=ref, what="no-longer-correct", before="fully correct", after=now)
    if before.met and not after.met:
        return Regression(
            case=ref, what="no-longer-met", before="met", after="; ".join(after.problems) or after.status
        )
    if before.accuracy is not None and after.accuracy is not None and after.accuracy < before.accuracy:
        return Regression(
            case=ref, what="accuracy-drop", before=_pct(before.accuracy), after=_pct(after.accuracy)
        )
    return None


def compare(results: Sequence[CaseResult], baseline: EvalReport, baseline_path: str) -> Comparison:
    """Regressions and improvements of `results` against `baseline`, over the cases both ran.

    A regression is a case that was fully correct (or met its expectation) and no longer
    is, a case whose verdict accuracy dropped, or a drop of the accuracy over the common
    cases. Cases only one side ran are listed, never counted as regressions, so running
    a subset against a full baseline stays meaningful.
    """
    now, then = _ran(results), _ran(baseline.cases)
    common = sorted(set(now) & set(then))
    regressions: list[Regression] = []
    improvements: list[str] = []
    for ref in common:
        regression = _case_regression(ref, then[ref], now[ref])
        if regression is not None:
            regressions.append(regression)
        elif (now[ref].correct and not then[ref].correct) or (now[ref].met and not then[ref].met):
            improvements.append(ref)
    before = _accuracy([then[r] for r in common])
    after = _accuracy([now[r] for r in common])
    if before is not None and (after is None or after < before):
        regressions.append(Regression(case="*", what="accuracy-drop", before=_pct(before), after=_pct(after)))
    return Comparison(
        baseline=baseline_path,
        baseline_started_at=baseline.started_at,
        regressions=regressions,
        improvements=improvements,
        accuracy_before=before,
        accuracy_after=after,
        fully_correct_before=sum(1 for r in common if then[r].correct),
        fully_correct_after=sum(1 for r in common if now[r].correct),
        met_before=sum(1 for r in common if then[r].met),
        met_after=sum(1 for r in common if now[r].met),
        new_cases=sorted(set(now) - set(then)),
        missing_cases=sorted(set(then) - set(now)),
    )
