"""Conversations: follow-up turns refine the last policy, kept by the SQLite checkpointer in the state dir."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent_support import REQUEST, good_draft, pod, submit

from copilot.agent import run_request
from copilot.agent.api import CHECKPOINT_FILE
from copilot.llm.mock import MockModel

FOLLOW_UP = "also exempt the monitoring namespace"


def monitoring_draft() -> dict[str, Any]:
    draft = good_draft()
    draft["match"]["excludedNamespaces"] = ["kube-system", "monitoring"]
    draft["fixtures"].append(
        {
            "name": "monitoring",
            "expected": "allow",
            "manifest": pod("node-exporter", privileged=True, namespace="monitoring"),
        }
    )
    return draft


def ask(model: MockModel, request: str, thread: str) -> Any:
    return run_request(request, provider=model, thread_id=thread, retrieval="keyword")


def test_a_follow_up_refines_the_last_policy_of_the_thread(_isolated_state: Path) -> None:
    first = ask(MockModel([submit(good_draft())]), REQUEST, "t1")
    assert first.status == "verified" and first.thread_id == "t1"
    assert (_isolated_state / CHECKPOINT_FILE).is_file()

    # A fresh model object: everything the follow-up knows comes from the stored thread.
    model = MockModel([submit(monitoring_draft())])
    second = ask(model, FOLLOW_UP, "t1")

    assert second.intent == "refine"
    assert second.status == "verified"
    assert second.draft is not None and second.draft.match["excludedNamespaces"] == [
        "kube-system",
        "monitoring",
    ]
    prompt = model.history[0]
    user = prompt.messages[1].content
    assert "refines the previous policy" in user
    assert "<<<DATA previous policy" in user and "package k8sprivilegedcontainers" in user
    assert f"Earlier requests: {REQUEST}" in user
    assert prompt.turn is not None and prompt.turn.previous is not None
    assert prompt.turn.previous["policy_id"] == "privileged-containers"


def test_another_thread_starts_fresh() -> None:
    ask(MockModel([submit(good_draft())]), REQUEST, "t1")
    model = MockModel([submit(monitoring_draft())])
    other = ask(model, FOLLOW_UP, "t2")

    assert other.intent == "new"
    assert "previous policy" not in model.history[0].messages[1].content
    assert model.history[0].turn is not None and model.history[0].turn.previous is None


def test_a_failed_turn_does_not_replace_the_verified_policy() -> None:
    ask(MockModel([submit(good_draft())]), REQUEST, "t3")
    broken = good_draft()
    broken["src_rego"] = broken["src_rego"].replace("privileged == true", "privileged == = true")
    failed = run_request(
        "make it a warning",
        provider=MockModel([submit(broken)]),
        thread_id="t3",
        retrieval="keyword",
        max_rounds=0,
    )
    assert failed.status == "not_verified"

    model = MockModel([submit(monitoring_draft())])
    ask(model, FOLLOW_UP, "t3")
    turn = model.history[0].turn
    assert turn is not None and turn.previous is not None
    assert "== = true" not in turn.previous["src_rego"]
    assert "make it a warning" in model.history[0].messages[1].content  # the history still mentions it
