"""The `offline` provider (the default): the deterministic exemplar drafter behind the ChatModel interface.

It answers a drafting turn with a `submit_policy` tool call carrying the PolicyDraft of
tools.draft.draft_offline, or a `decline` call with the drafter's reason. It does not
read prose and cannot revise a policy from verification failures, so on a repair turn
it says so, and the agent stops with an honest failure instead of asking again.
"""

from __future__ import annotations

import importlib
from typing import Any

from copilot.llm.base import ChatModel, ChatRequest, ChatResponse, TextCallback, Turn, text_reply, tool_reply
from copilot.llm.config import ProviderSettings

CANNOT_REPAIR = (
    "The offline drafter cannot repair a policy that failed verification: it only "
    "instantiates exemplar policies. Use an LLM provider (--provider openai) to repair it, "
    "or rephrase the request."
)


def _turn_from_messages(request: ChatRequest) -> Turn:
    """Without a structured turn, the last user message is the request."""
    users = [m.content for m in request.messages if m.role == "user"]
    return Turn(phase="draft", request=users[-1] if users else "")


class OfflineModel(ChatModel):
    """Drafts from the exemplar corpus; no network, no randomness."""

    provider = "offline"
    can_repair = False
    reads_context = False

    def __init__(self, settings: ProviderSettings | None = None) -> None:
        super().__init__("exemplar-drafter")

    def execute(self, request: ChatRequest, on_text: TextCallback | None) -> ChatResponse:
        from tools.draft.models import PolicyDraft

        # Imported on use: the drafter loads the corpus.
        draft_offline = importlib.import_module("tools.draft").draft_offline

        turn = request.turn or _turn_from_messages(request)
        answered = any(m.role == "tool" for m in request.messages)
        if turn.phase == "repair" or answered:
            # Its one answer per turn has been given; anything further would be a repair.
            return text_reply(CANNOT_REPAIR, model=self.model_id)
        previous = PolicyDraft.model_validate(turn.previous) if turn.previous else None
        outcome = draft_offline(turn.request, target=turn.target, previous=previous)
        if outcome.status == "drafted" and outcome.draft is not None:
            reply = tool_reply("submit_policy", outcome.draft.model_dump(mode="json"))
        else:
            reply = tool_reply("decline", {"reason": outcome.reason or "no exemplar fits this request"})
        reply.model = self.model_id
        return reply


def register_providers(register: Any) -> None:
    """Built-in registration, the same hook a plugin module provides."""
    register("offline", OfflineModel, description="the exemplar drafter: no LLM, no network (default)")
