"""The agent's typed state, its progress events and its structured result.

State values are plain JSON data (drafts and reports as dicts) so the SQLite
checkpointer can store a conversation and a later `kpc ask --thread ID` can continue it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal, TypedDict

from pydantic import BaseModel, Field

from tools.draft.models import PolicyDraft
from tools.verify.models import VerificationReport

Status = Literal["verified", "not_verified", "declined", "answered", "cancelled"]


class AgentState(TypedDict, total=False):
    """Graph state. Conversation fields survive across turns of a thread; the rest is per turn."""

    # conversation (kept by the checkpointer between turns)
    history: list[dict[str, Any]]
    last_verified: dict[str, Any] | None
    last_attempt: dict[str, Any] | None
    # this turn's input
    request: str
    target: str
    manifests: list[dict[str, Any]]
    nonce: str
    # this turn's work
    intent: str
    exemplars: list[dict[str, Any]]
    messages: list[dict[str, Any]]
    phase: str
    model_turns: int
    model_calls: int
    prompt_tokens: int
    completion_tokens: int
    tool_errors: list[str]
    next_step: str
    draft: dict[str, Any] | None
    fixture_check: dict[str, Any] | None
    report: dict[str, Any] | None
    report_for: str
    rounds: int
    best: dict[str, Any] | None
    status: str
    reason: str
    answer: str


def draft_digest(draft: dict[str, Any] | None) -> str:
    """A stable fingerprint of a draft: the gate checks a report belongs to the draft it would answer with."""
    if not draft:
        return ""
    return hashlib.sha256(json.dumps(draft, sort_keys=True, default=str).encode()).hexdigest()


def gate_open(state: AgentState) -> bool:
    """THE GATE: true only when the latest report is green and verifies exactly the current draft."""
    report = state.get("report") or {}
    draft = state.get("draft")
    return bool(draft) and report.get("ok") is True and state.get("report_for") == draft_digest(draft)


class AgentEvent(BaseModel):
    """A progress event for `on_event`: kind is a stable machine-readable name, message is for people.

    Kinds: intent, retrieving, retrieved, drafting, text (streamed model text, `data.delta`),
    tool (a tool the model called), submitted, verifying, check (one engine step),
    verify_round, repairing, verified, not_verified, declined, answered, cancelled.
    """

    kind: str
    message: str = ""
    data: dict[str, Any] = Field(default_factory=dict)


class AgentResult(BaseModel):
    """The outcome of one request. `draft` is the verified policy, or the best attempt when not verified."""

    status: Status
    request: str
    intent: str = "new"
    thread_id: str = ""
    provider: str = ""
    model: str = ""
    policy_id: str | None = None
    draft: PolicyDraft | None = None
    report: VerificationReport | None = None
    best_attempt: bool = Field(default=False, description="draft/report are a failed attempt, not a policy")
    bundle_dir: str | None = None
    unverified_dir: str | None = None
    rounds: int = 0
    model_calls: int = 0
    tokens: dict[str, int] | None = None
    seconds: float = 0.0
    exemplars: list[dict[str, Any]] = Field(default_factory=list)
    reason: str = ""
    explanation: str = ""

    @property
    def verified(self) -> bool:
        """True only for a policy whose report is green (the same gate the graph enforces)."""
        return self.status == "verified" and self.report is not None and self.report.ok
