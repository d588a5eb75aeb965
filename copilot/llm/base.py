"""The ChatModel interface: messages and JSON-schema tools in, one assistant message out.

Every provider (offline, openai, mock, or a third-party one) subclasses ChatModel and
implements one method, `execute`. The agent only ever calls `chat`, which records the
call and normalises what the provider returned.
"""

from __future__ import annotations

import json
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

Role = Literal["system", "user", "assistant", "tool"]
TextCallback = Callable[[str], None]


class ToolSpec(BaseModel):
    """A tool the model may call: a name, a one-line description and a JSON schema for its arguments."""

    name: str
    description: str
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})

    def to_openai(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }


class ToolCall(BaseModel):
    """One tool call as the model produced it. `arguments` is the raw JSON text, unvalidated."""

    id: str = Field(default_factory=lambda: f"call_{uuid.uuid4().hex[:12]}")
    name: str
    arguments: str = "{}"

    def parsed_arguments(self) -> dict[str, Any]:
        """The arguments as an object; ValueError when they are not a JSON object."""
        text = self.arguments.strip() or "{}"
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError("tool arguments must be a JSON object")
        return value


class Message(BaseModel):
    """One chat message in the OpenAI shape (the lingua franca of chat APIs)."""

    role: Role
    content: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    tool_call_id: str | None = None

    def to_openai(self) -> dict[str, Any]:
        out: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.tool_calls:
            out["tool_calls"] = [
                {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                for c in self.tool_calls
            ]
        if self.tool_call_id is not None:
            out["tool_call_id"] = self.tool_call_id
        return out


class Usage(BaseModel):
    """Token counts, when the provider reports them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class Turn(BaseModel):
    """What the agent is asking for in this call, in structured form.

    Language models read the same information from the messages; the offline drafter,
    which does not read prose, uses this instead.
    """

    phase: Literal["draft", "repair"] = "draft"
    request: str = ""
    target: Literal["gatekeeper", "conftest", "both"] = "both"
    previous: dict[str, Any] | None = None
    failures: str = ""


class ChatRequest(BaseModel):
    """Everything one model call receives (kept whole in the mock's history)."""

    messages: list[Message]
    tools: list[ToolSpec] = Field(default_factory=list)
    turn: Turn | None = None


class ChatResponse(BaseModel):
    """The assistant's message (text and/or tool calls) plus what the provider reported."""

    message: Message
    usage: Usage | None = None
    finish_reason: str | None = None
    model: str | None = None


class ChatModel(ABC):
    """A chat model with tool calling. Subclasses implement `execute` only."""

    provider: ClassVar[str] = "base"
    # Whether the model can revise a policy from verification failures; the offline
    # drafter cannot, and the agent stops instead of asking it again.
    can_repair: bool = True
    # Whether the model reads the prompt's context (exemplars, manifests); the offline
    # drafter does not, so the agent skips the costly semantic retrieval for it.
    reads_context: bool = True

    def __init__(self, model_id: str | None = None) -> None:
        self.model_id = model_id or self.provider

    def chat(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolSpec] = (),
        on_text: TextCallback | None = None,
        turn: Turn | None = None,
    ) -> ChatResponse:
        """One assistant turn. `on_text` receives text deltas as they stream (when the provider streams)."""
        request = ChatRequest(messages=list(messages), tools=list(tools), turn=turn)
        response = self.execute(request, on_text)
        response.message.role = "assistant"
        return response

    @abstractmethod
    def execute(self, request: ChatRequest, on_text: TextCallback | None) -> ChatResponse:
        """Produce the assistant's reply to `request`; raise ProviderError on provider failure."""

    def describe(self) -> str:
        """A one-line, key-free description for progress lines and `kpc doctor`."""
        return f"{self.provider}:{self.model_id}"


def text_reply(content: str, *, model: str | None = None) -> ChatResponse:
    """An assistant reply with text only."""
    return ChatResponse(message=Message(role="assistant", content=content), finish_reason="stop", model=model)


def tool_reply(name: str, arguments: dict[str, Any] | str, *, content: str = "") -> ChatResponse:
    """An assistant reply with one tool call."""
    raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
    call = ToolCall(name=name, arguments=raw)
    return ChatResponse(
        message=Message(role="assistant", content=content, tool_calls=[call]), finish_reason="tool_calls"
    )
