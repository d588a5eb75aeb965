"""The state of one chat session, apart from any widget: provider, target, thread and policy versions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from copilot.llm.base import ChatModel
from copilot.tui.commands import TARGETS
from copilot.tui.versions import History, PolicyVersion
from tools.draft.models import PolicyDraft
from tools.errors import InputError


def new_thread_id() -> str:
    """A fresh conversation id: the agent keeps each thread's policy between turns."""
    return f"chat-{uuid.uuid4().hex[:12]}"


@dataclass
class Session:
    """What the next request runs with, and what this conversation produced so far."""

    model: ChatModel
    target: str = "both"
    max_rounds: int | None = None
    # "auto" (the exemplar index, else keywords), "index" or "keyword".
    retrieval: str = "auto"
    thread_id: str = field(default_factory=new_thread_id)
    history: History = field(default_factory=History)
    turns: int = 0

    def __post_init__(self) -> None:
        self.set_target(self.target)

    def set_target(self, target: str) -> None:
        if target not in TARGETS:
            raise InputError(f"unknown target {target!r}", hint=f"choose one of: {', '.join(TARGETS)}")
        self.target = target

    def new_thread(self) -> None:
        """Forgets the policy and starts a new agent thread."""
        self.thread_id = new_thread_id()
        self.history.clear()
        self.turns = 0

    @property
    def current(self) -> PolicyVersion | None:
        return self.history.current

    def current_draft(self) -> PolicyDraft:
        """The policy commands act on; InputError when there is none yet."""
        if self.current is None:
            raise InputError(
                "there is no policy yet", hint="ask for one first, e.g. 'require an owner label'"
            )
        return self.current.draft
