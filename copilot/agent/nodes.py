"""The working nodes of the graph: classify, retrieve, draft, tools, fixtures, verify, repair.

Every node is `async def node(state, config)`, checks the cancel flag first, and runs
blocking work (model calls, engines) in a worker thread so progress events keep flowing.
"""

from __future__ import annotations

import asyncio
from typing import Any

from langchain_core.runnables import RunnableConfig

from copilot.agent.configuration import runtime_of
from copilot.agent.context import first_messages, manifest_features, repair_text
from copilot.agent.exemplars import search_exemplars
from copilot.agent.fixtures import review_fixtures
from copilot.agent.intent import classify as classify_intent
from copilot.agent.prompts import NUDGE
from copilot.agent.redact import redact_text
from copilot.agent.state import AgentState, draft_digest
from copilot.agent.tools import call_from_text, run_tool_call, tool_specs
from copilot.agent.verification import score, verify_draft
from copilot.llm.base import Message, Turn
from tools.draft.models import PolicyDraft
from tools.verify.models import CheckOutcome, VerificationReport


def base_policy(state: AgentState) -> dict[str, Any] | None:
    """The policy a refinement builds on: the last verified one, else the last attempt."""
    return state.get("last_verified") or state.get("last_attempt")


async def classify(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
    rt = runtime_of(config)
    rt.check_cancel()
    intent = classify_intent(state["request"], has_previous=base_policy(state) is not None)
    rt.emit("intent", f"intent: {intent}", intent=intent)
    return {"intent": intent}


async def retrieve(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
    rt = runtime_of(config)
    rt.check_cancel()
    previous = base_policy(state) if state.get("intent") == "refine" else None
    query = state["request"] if previous is None else f"{previous.get('title', '')}: {state['request']}"
    rt.emit("retrieving", "retrieving exemplars")
    manifests = state.get("manifests") or []
    features = manifest_features(manifests)
    mode = rt.config.retrieval
    if mode == "auto" and not rt.model.reads_context:
        mode = "keyword"  # the offline drafter picks its own exemplar; the list is only shown
    hits = await asyncio.to_thread(
        search_exemplars, query, k=rt.config.k, mode=mode, manifest_features=features
    )
    rt.emit("retrieved", "exemplars: " + (", ".join(h["id"] for h in hits) or "none"), exemplars=hits)
    messages = first_messages(
        request=state["request"],
        target=state.get("target", "both"),
        exemplars=hits,
        manifests=manifests,
        previous=previous,
        history=state.get("history") or [],
        nonce=state["nonce"],
    )
    return {
        "exemplars": hits,
        "messages": [m.model_dump(mode="json") for m in messages],
        "phase": "draft",
        "model_turns": 0,
    }


async def draft(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
    rt = runtime_of(config)
    rt.check_cancel()
    phase = state.get("phase", "draft")
    messages = [Message.model_validate(m) for m in state.get("messages", [])]
    report = state.get("report") or {}
    previous = base_policy(state) if state.get("intent") == "refine" else None
    turn = Turn(
        phase="repair" if phase == "repair" else "draft",
        request=redact_text(state["request"]),
        target=state.get("target", "both"),  # type: ignore[arg-type]
        previous=previous,
        failures=VerificationReport.model_validate(report).failure_text() if report else "",
    )
    rt.emit("drafting", f"{'repairing' if phase == 'repair' else 'drafting'} with {rt.model.describe()}")
    on_text = (lambda delta: rt.emit("text", "", delta=delta)) if rt.on_event else None
    response = await asyncio.to_thread(
        rt.model.chat, messages, tools=tool_specs(), on_text=on_text, turn=turn
    )
    reply = response.message
    if not reply.tool_calls:
        recovered = call_from_text(reply.content)
        if recovered is not None:
            reply.tool_calls = [recovered]
    added = [reply.model_dump(mode="json")]
    turns = state.get("model_turns", 0) + 1
    # A model that cannot revise (the offline drafter) has said its last word; others get a nudge.
    if not reply.tool_calls and rt.model.can_repair and turns < rt.config.max_model_turns:
        added.append(Message(role="user", content=NUDGE).model_dump(mode="json"))
    usage = response.usage
    return {
        "messages": [*state.get("messages", []), *added],
        "model_turns": turns,
        "model_calls": state.get("model_calls", 0) + 1,
        "prompt_tokens": state.get("prompt_tokens", 0) + (usage.prompt_tokens if usage else 0),
        "completion_tokens": state.get("completion_tokens", 0) + (usage.completion_tokens if usage else 0),
    }


async def tools(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
    rt = runtime_of(config)
    rt.check_cancel()
    reply = Message.model_validate(state["messages"][-1])
    added: list[dict[str, Any]] = []
    errors = list(state.get("tool_errors") or [])
    submitted: PolicyDraft | None = None
    declined: str | None = None
    for call in reply.tool_calls:
        if submitted is not None or declined is not None:
            content, ok = "ignored: one answer per turn, and one was already given", False
        else:
            outcome = await asyncio.to_thread(
                run_tool_call, call, retrieval=rt.config.retrieval, nonce=state["nonce"]
            )
            content, ok = outcome.content, outcome.ok
            submitted, declined = outcome.draft, outcome.declined
        rt.emit("tool", f"tool {call.name}" + ("" if ok else " (error)"), name=call.name, ok=ok)
        if not ok:
            errors.append(f"{call.name}: {content[:300]}")
        added.append(Message(role="tool", content=content, tool_call_id=call.id).model_dump(mode="json"))
    update: dict[str, Any] = {"messages": [*state["messages"], *added], "tool_errors": errors}
    if submitted is not None:
        chosen = submitted.model_copy(
            update={"target": state.get("target", "both"), "rego_version": rt.config.rego_version}
        )
        rt.emit("submitted", f"draft submitted: {chosen.policy_id}", policy_id=chosen.policy_id)
        update.update(draft=chosen.model_dump(mode="json"), report=None, report_for="", next_step="verify")
    elif declined is not None:
        update.update(reason=declined, next_step="declined")
    else:
        update["next_step"] = "continue"
    return update


async def fixtures(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
    rt = runtime_of(config)
    rt.check_cancel()
    submitted = PolicyDraft.model_validate(state["draft"])
    valid, check = await asyncio.to_thread(review_fixtures, submitted)
    dropped = [f.message for f in check.findings if f.id == "fixtures/invalid-object"]
    kept = submitted.model_copy(update={"fixtures": valid, "notes": [*submitted.notes, *dropped]})
    rt.emit("check", f"fixtures: {check.summary}", ok=check.ok)
    return {"draft": kept.model_dump(mode="json"), "fixture_check": check.model_dump(mode="json")}


async def verify(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
    rt = runtime_of(config)
    rt.check_cancel()
    round_no = state.get("rounds", 0) + 1
    current = state["draft"]
    candidate = PolicyDraft.model_validate(current)
    check = CheckOutcome.model_validate(state["fixture_check"])
    rt.emit("verifying", f"verify round {round_no}", round=round_no)
    report = await asyncio.to_thread(
        verify_draft,
        candidate,
        check,
        rt.workdir / f"round-{round_no}",
        coverage_threshold=rt.config.coverage_threshold,
        progress=lambda step: rt.emit("check", step),
    )
    right = sum(1 for f in report.fixtures if f.ok)
    ran = [c for c in report.checks if not c.skipped]
    message = (
        f"verify round {round_no}: {right}/{len(report.fixtures)} fixtures pass, "
        f"{sum(1 for c in ran if c.ok)}/{len(ran)} checks" + (" — green" if report.ok else "")
    )
    dumped = report.model_dump(mode="json")
    # The draft and report ride along so a UI can show each round as a version with its evidence.
    rt.emit(
        "verify_round",
        message,
        round=round_no,
        ok=report.ok,
        fixtures_ok=right,
        fixtures=len(report.fixtures),
        draft=current,
        report=dumped,
    )
    best = state.get("best")
    if best is None or list(score(report)) > list(best["score"]):
        best = {"draft": current, "report": dumped, "score": list(score(report)), "round": round_no}
    return {"report": dumped, "report_for": draft_digest(current), "rounds": round_no, "best": best}


async def repair(state: AgentState, config: RunnableConfig) -> dict[str, Any]:
    rt = runtime_of(config)
    rt.check_cancel()
    report = VerificationReport.model_validate(state["report"])
    round_no = state.get("rounds", 0)
    rt.emit(
        "repairing",
        f"repairing: round {round_no + 1} of at most {rt.config.max_rounds + 1}",
        round=round_no + 1,
        failures=report.failure_text(limit=5),
    )
    text = repair_text(report, state["nonce"], round_no)
    return {
        "messages": [*state["messages"], Message(role="user", content=text).model_dump(mode="json")],
        "phase": "repair",
        "model_turns": 0,
    }
