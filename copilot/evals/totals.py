"""Adding up case results into the run's Totals."""

from __future__ import annotations

from collections.abc import Sequence

from copilot.evals.models import CaseResult, Tokens, Totals


def compute_totals(results: Sequence[CaseResult], *, planned: int, wall_seconds: float) -> Totals:
    """Totals over the cases that ran; skipped cases are counted but judged nowhere.

    Accuracy is micro-averaged over every verdict of every scored (answered) case, so a
    case with many acceptance manifests weighs more than one with two.
    """
    ran = [r for r in results if r.status not in ("skipped", "cancelled")]
    scored = [r for r in ran if r.scored]
    verdicts = sum(r.verdicts_total for r in scored)
    right = sum(r.verdicts_correct for r in scored)
    with_tokens = [r.tokens for r in ran if r.tokens is not None]
    tokens = (
        Tokens(prompt=sum(t.prompt for t in with_tokens), completion=sum(t.completion for t in with_tokens))
        if with_tokens
        else None
    )
    return Totals(
        planned=planned,
        cases=len(ran),
        skipped=sum(1 for r in results if r.status == "skipped"),
        met=sum(1 for r in ran if r.met),
        unmet=sum(1 for r in ran if not r.met),
        answered=sum(1 for r in ran if r.answered),
        declined=sum(1 for r in ran if r.declined),
        declined_expected=sum(1 for r in ran if r.declined and r.decline_expected),
        declined_unexpected=sum(1 for r in ran if r.declined and not r.decline_expected),
        not_verified=sum(1 for r in ran if r.status == "not_verified"),
        errors=sum(1 for r in ran if r.status == "error"),
        expected_answers=sum(1 for r in ran if "verified" in r.expected_status),
        scored=len(scored),
        fully_correct=sum(1 for r in scored if r.correct),
        verdicts=verdicts,
        verdicts_correct=right,
        accuracy=round(right / verdicts, 4) if verdicts else None,
        false_denies=sum(r.false_denies for r in scored),
        false_allows=sum(r.false_allows for r in scored),
        wrong_action=sum(r.wrong_action for r in scored),
        first_round=sum(1 for r in ran if r.first_round),
        repair_rounds=sum(r.repair_rounds for r in ran),
        model_calls=sum(r.model_calls for r in ran),
        tokens=tokens,
        agent_seconds=round(sum(r.seconds for r in ran), 3),
        wall_seconds=round(wall_seconds, 3),
    )
