"""The end nodes: answer (the gate), fail (an honest failure), declined, and inform (explain / scan).

`answer` is the only node that yields status "verified", and it re-checks the gate itself:
even if routing were wrong, a red or stale report cannot become a verified answer.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig

from copilot.agent import prompts
from copilot.agent.configuration import runtime_of
from copilot.agent.context import paths_in_request
from copilot.agent.state import AgentState, gate_open
from copilot.llm.base import Message
from tools.verify.models import VerificationReport

HISTORY_LIMIT = 20


def _history(state: AgentState, status: str, policy_id: str | None) -> list[dict[str, Any]]:
    entry = {"request": state["request"], "intent": state.get("intent", "new"), "status": status}
    if policy_id:
        entry["policy_id"] = policy_id
    return [*(state.get("history") or []), entry][-HISTORY_LIMIT:]


def _verified_details(draft: dict[str, Any], report: VerificationReport) -> str:
    lines = []
    mutation = next((c for c in report.checks if c.name == "mutation"), None)
    if mutation is not None:
        lines.append(f"Fixture contrast: {mutation.summary}.")
    match = draft.get("match") or {}
    if match.get("excludedNamespaces"):
        lines.append(f"Exempt namespaces: {', '.join(match['excludedNamespaces'])}.")
    if draft.get("enforcement_action", "deny") != "deny":
        lines.append(f"Enforcement action: {draft['enforcement_action']}.")
    if draft.get("exemplar_ids"):
        lines.append(f"Built from exemplar(s): {', '.join(draft['exemplar_ids'])}.")
    lines += [f"Note: {note}" for note in draft.get("notes", [])[:8]]
    return "\n".join(lines)


async def answer(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
    rt = runtime_of(config)
    if not gate_open(state):
        # Unreachable through routing; kept so the guarantee does not rest on routing alone.
        reason = "the verification gate refused: the latest report is not green for this exact draft"
        rt.emit("not_verified", reason)
        return {"status": "not_verified", "reason": reason, "answer": f"NOT verified: {reason}."}
    draft = state["draft"] or {}
    report = VerificationReport.model_validate(state["report"])
    text = prompts.ANSWER_VERIFIED.format(
        policy_id=draft["policy_id"],
        kind=draft["kind"],
        title=draft.get("title", ""),
        summary=report.summary(),
        details=_verified_details(draft, report),
    ).strip()
    rt.emit("verified", report.summary(), policy_id=draft["policy_id"])
    return {
        "status": "verified",
        "answer": text,
        "last_verified": draft,
        "last_attempt": draft,
        "history": _history(state, "verified", draft["policy_id"]),
    }


def _why_failed(state: AgentState, max_rounds: int, max_turns: int) -> str:
    messages = state.get("messages") or []
    last = Message.model_validate(messages[-1]) if messages else None
    if state.get("next_step") == "declined":
        return f"The model gave up: {state.get('reason', '')}"
    if state.get("rounds", 0) > max_rounds and state.get("next_step") == "verify":
        return f"The repair bound was reached ({max_rounds} repair round(s) after the first draft)."
    if state.get("model_turns", 0) >= max_turns:
        return f"The model made {max_turns} calls in a round without submitting a policy."
    if last is not None and last.role == "assistant" and not last.tool_calls and last.content.strip():
        return f"The model stopped: {' '.join(last.content.split())[:400]}"
    return "The model stopped without submitting a policy."


async def fail(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
    rt = runtime_of(config)
    why = _why_failed(state, rt.config.max_rounds, rt.config.max_model_turns)
    best = state.get("best")
    if not best:
        text = prompts.ANSWER_NO_DRAFT.format(why=why)
        rt.emit("not_verified", text)
        return {
            "status": "not_verified",
            "reason": why,
            "answer": text,
            "history": _history(state, "not_verified", None),
        }
    report = VerificationReport.model_validate(best["report"])
    text = prompts.ANSWER_NOT_VERIFIED.format(
        rounds=state.get("rounds", 0),
        why=why,
        best_summary=f"round {best['round']}: {report.summary()}",
        failures=report.failure_text(limit=10) or "(no failure detail)",
    )
    rt.emit("not_verified", f"not verified after {state.get('rounds', 0)} round(s): {report.summary()}")
    return {
        "status": "not_verified",
        "reason": why,
        "answer": text,
        "last_attempt": best["draft"],
        "history": _history(state, "not_verified", best["draft"].get("policy_id")),
    }


async def declined(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
    rt = runtime_of(config)
    reason = state.get("reason") or "no reason given"
    rt.emit("declined", reason)
    return {
        "status": "declined",
        "answer": prompts.ANSWER_DECLINED.format(reason=reason),
        "history": _history(state, "declined", None),
    }


def _scan_text(state: AgentState) -> str:
    """Verdicts for the manifests the request names, against the conversation's policy or the corpus."""
    from tools.bundle_writer import write_bundle
    from tools.draft.models import PolicyDraft
    from tools.scan import scan

    paths = [m["path"] for m in state.get("manifests") or []] or paths_in_request(state["request"])
    if not paths:
        return ""
    with tempfile.TemporaryDirectory(prefix="kpc-inform-") as tmp:
        policies = None
        if state.get("last_verified"):
            draft = PolicyDraft.model_validate(state["last_verified"])
            policies = [write_bundle(draft, Path(tmp) / draft.policy_id)]
        report = scan(sorted(set(paths)), policies=policies)
    lines = [f"\n\nScan of {', '.join(sorted(set(paths)))}:"]
    for result in report.results:
        lines.append(f"- {result.ref} ({result.location()}): {result.verdict}")
        lines += [f"    {v.policy_label}: {v.message}" for v in result.violations[:25]]
    return "\n".join(lines)


async def inform(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
    rt = runtime_of(config)
    rt.check_cancel()
    try:
        detail = await asyncio.to_thread(_scan_text, state)
    except Exception as exc:  # the pointer to the right command is the answer; a scan is a bonus
        detail = f"\n\n(could not scan: {exc})"
    template = prompts.ANSWER_EXPLAIN if state.get("intent") == "explain" else prompts.ANSWER_SCAN
    text = template.format(detail=detail)
    rt.emit("answered", text.splitlines()[0])
    return {"status": "answered", "answer": text, "history": _history(state, "answered", None)}
