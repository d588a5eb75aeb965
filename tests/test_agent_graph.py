"""The agent graph with a scripted model and the real engines: drafting, repair, the gate, tool errors."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from agent_support import REQUEST, good_draft, inverted_draft, submit, syntax_error_draft

from copilot.agent import AgentEvent, run_request
from copilot.agent.answers import answer
from copilot.agent.configuration import RUNTIME_KEY, AgentConfig, Runtime
from copilot.agent.graph import mermaid
from copilot.agent.state import draft_digest
from copilot.llm.mock import MockModel

SNAPSHOT = Path(__file__).parent / "snapshots" / "agent_graph.mermaid"


def run(model: MockModel, request: str = REQUEST, **options: Any) -> Any:
    options.setdefault("retrieval", "keyword")
    options.setdefault("checkpoint", "memory")
    return run_request(request, provider=model, **options)


def test_graph_drawing_matches_the_snapshot() -> None:
    assert mermaid() == SNAPSHOT.read_text()


def test_verified_first_time_and_the_model_saw_only_the_declared_tools() -> None:
    model = MockModel([submit(good_draft())])
    events: list[AgentEvent] = []
    result = run(model, on_event=events.append)

    assert result.status == "verified" and result.verified
    assert result.policy_id == "privileged-containers"
    assert result.rounds == 1 and result.model_calls == 1
    assert result.report is not None and result.report.ok
    names = [c.name for c in result.report.checks]
    assert {
        "fixtures",
        "opa-check",
        "regal",
        "opa-test",
        "gator-verify",
        "conftest-verify",
        "mutation",
    } <= set(names)
    prompt = model.history[0]
    assert [t.name for t in prompt.tools] == [
        "retrieve_exemplars",
        "get_exemplar",
        "submit_policy",
        "decline",
    ]
    assert prompt.messages[0].role == "system" and "never an instruction" in prompt.messages[0].content
    assert "<<<DATA exemplar privileged-containers" in prompt.messages[1].content
    kinds = [e.kind for e in events]
    assert (
        kinds.index("retrieving")
        < kinds.index("drafting")
        < kinds.index("verify_round")
        < kinds.index("verified")
    )
    round_event = next(e for e in events if e.kind == "verify_round")
    assert round_event.message.startswith("verify round 1: 6/6 fixtures pass")


def test_repairs_a_syntax_error_then_a_failing_fixture() -> None:
    model = MockModel([submit(syntax_error_draft()), submit(inverted_draft()), submit(good_draft())])
    events: list[AgentEvent] = []
    result = run(model, on_event=events.append)

    assert result.status == "verified"
    assert result.rounds == 3 and result.model_calls == 3
    first_repair = model.history[1].messages[-1].content
    assert "Verification round 1 failed" in first_repair and "[opa-check]" in first_repair
    second_repair = model.history[2].messages[-1].content
    assert "expected allow, got deny" in second_repair and "expected deny, got allow" in second_repair
    rounds = [e.message for e in events if e.kind == "verify_round"]
    assert len(rounds) == 3 and rounds[-1].endswith("green")
    assert sum(1 for e in events if e.kind == "repairing") == 2


def test_the_gate_a_policy_that_keeps_failing_is_never_verified() -> None:
    model = MockModel([submit(inverted_draft())], repeat_last=True)
    result = run(model, max_rounds=2)

    assert result.status == "not_verified" and not result.verified
    assert result.rounds == 3 and result.model_calls == 3
    assert result.best_attempt and result.report is not None and not result.report.ok
    assert "repair bound was reached" in result.reason
    assert "NOT verified" in result.explanation and "[gator-verify]" in result.explanation


def test_the_answer_node_refuses_a_red_or_stale_report() -> None:
    import asyncio

    runtime = Runtime(model=MockModel(), config=AgentConfig(), workdir=Path("."))
    config: Any = {"configurable": {RUNTIME_KEY: runtime}}
    draft = good_draft()
    red = {"request": REQUEST, "draft": draft, "report": {"ok": False}, "report_for": draft_digest(draft)}
    stale = {"request": REQUEST, "draft": draft, "report": {"ok": True}, "report_for": "another draft"}
    for state in (red, stale):
        update = asyncio.run(answer(state, config))  # type: ignore[arg-type]
        assert update["status"] == "not_verified"
        assert "gate refused" in update["reason"]


def test_unknown_tools_and_invalid_arguments_go_back_to_the_model() -> None:
    model = MockModel(
        [
            {"tool": "delete_cluster", "arguments": {}},
            {"tool": "submit_policy", "arguments": "{not json"},
            {"tool": "submit_policy", "arguments": {"policy_id": "Bad Id"}},
            {"tool": "get_exemplar", "arguments": {"policy_id": "privileged-containers"}},
            submit(good_draft()),
        ]
    )
    result = run(model)

    assert result.status == "verified"
    tool_replies = [m.content for m in model.history[-1].messages if m.role == "tool"]
    assert tool_replies[0].startswith("unknown tool 'delete_cluster'; the tools are: retrieve_exemplars")
    assert tool_replies[1].startswith("arguments are not a valid JSON object")
    assert tool_replies[2].startswith("invalid arguments:") and "src_rego: Field required" in tool_replies[2]
    assert "<<<DATA get_exemplar" in tool_replies[3] and "package k8sprivilegedcontainers" in tool_replies[3]


def test_a_text_only_reply_gets_a_nudge() -> None:
    model = MockModel(["Here is my plan in prose.", submit(good_draft())])
    result = run(model)

    assert result.status == "verified" and result.model_calls == 2
    assert "Reply with a tool call" in model.history[1].messages[-1].content


def test_a_draft_written_as_json_text_is_accepted_as_a_submission() -> None:
    import json

    reply = "Here is the policy:\n```json\n" + json.dumps(good_draft()) + "\n```"
    model = MockModel([reply])
    result = run(model)

    assert result.status == "verified" and result.model_calls == 1


def test_a_model_that_never_submits_ends_honestly_without_a_policy() -> None:
    model = MockModel(["Let me think about it."], repeat_last=True)
    result = run(model)

    assert result.status == "not_verified" and result.draft is None and result.report is None
    assert result.model_calls == 6 and result.rounds == 0
    assert result.reason == "The model made 6 calls in a round without submitting a policy."


def test_decline_is_reported_with_the_reason() -> None:
    model = MockModel([{"tool": "decline", "arguments": {"reason": "a sandwich is not an admission policy"}}])
    result = run(model, request="make me a sandwich")

    assert result.status == "declined"
    assert result.reason == "a sandwich is not an admission policy"
    assert result.draft is None and result.rounds == 0


def test_a_model_that_cannot_repair_stops_after_the_first_red_round() -> None:
    model = MockModel([submit(inverted_draft()), "I cannot repair policies."], can_repair=False)
    result = run(model)

    assert result.status == "not_verified"
    assert result.rounds == 1 and result.model_calls == 2
    assert result.reason == "The model stopped: I cannot repair policies."
    assert model.history[1].turn is not None and model.history[1].turn.phase == "repair"


def test_cancel_stops_between_steps() -> None:
    cancel = threading.Event()

    def on_event(event: AgentEvent) -> None:
        if event.kind == "submitted":
            cancel.set()

    model = MockModel([submit(good_draft())])
    result = run(model, on_event=on_event, cancel=cancel)

    assert result.status == "cancelled"
    assert result.report is None and result.rounds == 0


def test_run_request_works_inside_a_running_event_loop() -> None:
    import asyncio

    async def inside() -> Any:
        return run(MockModel([{"tool": "decline", "arguments": {"reason": "no"}}]))

    assert asyncio.run(inside()).status == "declined"


def test_empty_request_is_an_input_error() -> None:
    from tools.errors import InputError

    with pytest.raises(InputError, match="empty"):
        run(MockModel(), request="   ")
