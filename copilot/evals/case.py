"""One eval case: the request through the real agent, the answer scored, the expectation judged."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copilot.evals.models import CaseResult, ManifestVerdict, Tokens
from copilot.evals.scorer import engine_for, score_bundle
from copilot.evals.spec import Case
from copilot.evals.suite import schema_problems
from copilot.llm.base import ChatModel
from tools.errors import KpcError


@dataclass
class CaseSettings:
    """How cases run: the provider (a name, or a scripted model per case), retrieval, where bundles go."""

    provider: str = "offline"
    model: str | None = None
    retrieval: str = "keyword"
    bundles_dir: Path | None = None


def _chat_model(settings: CaseSettings) -> ChatModel:
    """A fresh model per case. Evals show no live text, and without streaming every provider reports
    its token usage (a stream carries it only when the server is asked to)."""
    from copilot.llm.registry import get_model

    return get_model(settings.provider, model=settings.model, stream=False)


def _one_line(text: str, limit: int = 400) -> str:
    return " ".join(str(text).split())[:limit]


def verdict_stats(verdicts: list[ManifestVerdict]) -> dict[str, Any]:
    """Counts and accuracy of a list of verdicts (accuracy None when there are none)."""
    right = sum(1 for v in verdicts if v.ok)
    return {
        "verdicts_total": len(verdicts),
        "verdicts_correct": right,
        "accuracy": round(right / len(verdicts), 4) if verdicts else None,
        "false_denies": sum(1 for v in verdicts if v.false_deny),
        "false_allows": sum(1 for v in verdicts if v.false_allow),
        "wrong_action": sum(
            1 for v in verdicts if not v.ok and v.actual != "error" and not v.false_deny and not v.false_allow
        ),
        "errors": sum(1 for v in verdicts if v.actual == "error"),
    }


def judge(case: Case, result: CaseResult) -> list[str]:
    """Why `result` does not meet the case's expectation (empty when it does)."""
    expect = case.spec.expect
    problems = []
    if result.error:
        problems.append(f"error: {result.error}")
    elif result.status not in result.expected_status:
        why = f": {_one_line(result.reason, 200)}" if result.reason else ""
        problems.append(f"expected {' or '.join(result.expected_status)}, got {result.status}{why}")
    if result.scored and not result.correct:
        wrong = result.verdicts_total - result.verdicts_correct
        problems.append(
            f"{wrong} of {result.verdicts_total} verdicts wrong "
            f"({result.false_denies} false denies, {result.false_allows} false allows"
            + (f", {result.wrong_action} wrong actions" if result.wrong_action else "")
            + (f", {result.errors} engine errors" if result.errors else "")
            + ")"
        )
    pinned = (
        ("rounds", expect.rounds),
        ("model_calls", expect.model_calls),
        ("first_round", expect.first_round),
    )
    for name, wanted in pinned:
        got = getattr(result, name)
        if wanted is not None and got != wanted:
            problems.append(f"expected {name} {wanted}, got {got}")
    return problems


def _base_result(case: Case, provider: str) -> dict[str, Any]:
    return {
        "suite": case.suite,
        "case": case.id,
        "request": case.spec.request,
        "target": case.spec.target,
        "tags": case.spec.tags,
        "expected_status": case.spec.expect.statuses(provider),
    }


def skipped_result(case: Case, provider: str, reason: str) -> CaseResult:
    """A case that does not run under this provider."""
    return CaseResult(**_base_result(case, provider), status="skipped", met=None, reason=reason)


def run_case(
    case: Case,
    settings: CaseSettings,
    *,
    scripted: ChatModel | None = None,
    cancel: threading.Event | None = None,
) -> CaseResult:
    """Runs one case to its end. Never raises for a failing case: errors are part of the result."""
    from copilot.agent import run_request

    base = _base_result(case, settings.provider)
    started = time.perf_counter()
    invalid = schema_problems(case)
    if invalid:
        # A broken answer key would score the policy on objects no API server admits.
        return _errored(case, base, f"bad acceptance manifest: {invalid[0]}", started)
    round_log: list[str] = []

    def on_event(event: Any) -> None:
        # Called from the agent's worker thread; the list belongs to this case alone.
        if event.kind == "verify_round":
            round_log.append(event.message)

    with tempfile.TemporaryDirectory(prefix="kpc-eval-case-") as tmp:
        if settings.bundles_dir is not None:
            out_dir = settings.bundles_dir / case.suite / case.id
            # A bundle left by an earlier run would pass for this run's answer.
            for stale in (out_dir, out_dir.with_name(out_dir.name + ".unverified")):
                shutil.rmtree(stale, ignore_errors=True)
        else:
            out_dir = Path(tmp) / case.id
        try:
            agent = run_request(
                case.spec.request,
                provider=scripted or _chat_model(settings),
                target=case.spec.target,
                max_rounds=case.spec.max_rounds,
                cancel=cancel,
                on_event=on_event,
                out_dir=out_dir,
                overwrite=True,
                retrieval=settings.retrieval,
                checkpoint="memory",  # eval runs are not conversations; never touch the user's store
            )
        except KpcError as exc:
            return _errored(case, base, _one_line(str(exc)), started)
        except Exception as exc:  # a crash in one case must not lose the results of the others
            return _errored(case, base, _one_line(f"{type(exc).__name__}: {exc}"), started)
        if agent.status == "cancelled":
            return CaseResult(**base, status="cancelled", met=None, seconds=agent.seconds)
        rounds = agent.rounds
        result = CaseResult(
            **base,
            status=agent.status if agent.status != "answered" else "error",
            met=None,
            reason=_one_line(agent.reason, 1000),
            error=""
            if agent.status != "answered"
            else "the agent answered with an explanation, not a policy",
            policy_id=agent.policy_id if agent.status == "verified" else None,
            policy_kind=agent.draft.kind if agent.draft is not None and agent.status == "verified" else None,
            rounds=rounds,
            repair_rounds=max(rounds - 1, 0),
            first_round=agent.status == "verified" and rounds == 1,
            model_calls=agent.model_calls,
            round_log=round_log,
            tokens=Tokens(**agent.tokens) if agent.tokens else None,
            seconds=agent.seconds,
            bundle_dir=agent.bundle_dir if settings.bundles_dir is not None else None,
        )
        if agent.status == "verified" and case.checks:
            result = _scored(case, result, agent.bundle_dir)
    result.met = not (problems := judge(case, result))
    result.problems = problems
    return result


def _scored(case: Case, result: CaseResult, bundle_dir: str | None) -> CaseResult:
    clock = time.perf_counter()
    if not bundle_dir:
        return result.model_copy(update={"error": "the agent reported a verified policy but wrote no bundle"})
    verdicts = score_bundle(bundle_dir, case.checks, engine_for(case.spec.target))
    stats = verdict_stats(verdicts)
    return result.model_copy(
        update={
            **stats,
            "verdicts": verdicts,
            "scored": True,
            "correct": stats["verdicts_correct"] == stats["verdicts_total"],
            "score_seconds": round(time.perf_counter() - clock, 3),
        }
    )


def crashed_result(case: Case, provider: str, exc: BaseException) -> CaseResult:
    """A case whose run raised outside the agent (a bug, a full disk): recorded, never fatal to the run."""
    return _errored(
        case, _base_result(case, provider), _one_line(f"{type(exc).__name__}: {exc}"), time.perf_counter()
    )


def _errored(case: Case, base: dict[str, Any], message: str, started: float) -> CaseResult:
    result = CaseResult(
        **base, status="error", met=False, error=message, seconds=round(time.perf_counter() - started, 3)
    )
    result.problems = judge(case, result)
    return result
