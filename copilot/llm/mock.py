"""The `mock` provider: a scripted model for tests and evals.

    model = MockModel()
    model.enqueue([broken_draft_reply, fixture_failing_reply, good_reply])
    ...run the agent...
    model.history[0].messages   # every prompt it received, with the tools offered

Replies are ChatResponse objects or the script forms of copilot.llm.script (strings,
`{"tool": ..., "arguments": ...}`, `{"error": ...}`). From the command line the same
scripts load from a file: `kpc ask --provider mock --mock-script FILE` or KPC_MOCK_SCRIPT.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from copilot.llm.base import ChatModel, ChatRequest, ChatResponse, TextCallback, ToolCall
from copilot.llm.config import ProviderSettings
from copilot.llm.script import load_script, parse_reply
from tools.errors import ProviderError


class MockModel(ChatModel):
    """Answers with enqueued replies, in order, and records every request in `history`."""

    provider = "mock"

    def __init__(
        self,
        responses: Iterable[Any] = (),
        *,
        repeat_last: bool = False,
        model_id: str = "mock",
        can_repair: bool = True,
        base_dir: Path | None = None,
    ) -> None:
        super().__init__(model_id)
        self.history: list[ChatRequest] = []
        self.repeat_last = repeat_last
        self.can_repair = can_repair
        self._base = base_dir
        self._queue: deque[Any] = deque()
        self._last: Any = None
        self.enqueue(responses)

    @classmethod
    def from_file(cls, path: str | Path) -> MockModel:
        """A MockModel playing a script or cassette file."""
        script = load_script(path)
        return cls(
            script["responses"],
            repeat_last=script["repeat_last"],
            model_id=script["model"] or f"mock:{Path(path).name}",
            base_dir=script["base"],
        )

    def enqueue(self, responses: Iterable[Any]) -> None:
        """Adds replies to the end of the queue (parsed now, so a bad script fails early)."""
        for spec in responses:
            parse_reply(spec, self._base)
            self._queue.append(spec)

    @property
    def remaining(self) -> int:
        return len(self._queue)

    def execute(self, request: ChatRequest, on_text: TextCallback | None) -> ChatResponse:
        self.history.append(request.model_copy(deep=True))
        if self._queue:
            spec = self._queue.popleft()
            self._last = spec
        elif self.repeat_last and self._last is not None:
            spec = self._last
        else:
            raise ProviderError(
                f"the mock model has no scripted reply left for call {len(self.history)}",
                hint="enqueue replies, set repeat_last, or give a script with --mock-script / KPC_MOCK_SCRIPT",
            )
        reply = parse_reply(spec, self._base)
        if isinstance(reply, ProviderError):
            raise reply
        # Fresh ids each time, so a repeated reply does not reuse a tool-call id.
        reply.message.tool_calls = [
            ToolCall(name=c.name, arguments=c.arguments) for c in reply.message.tool_calls
        ]
        if on_text is not None and reply.message.content:
            for piece in re.findall(r"\S+\s*|\s+", reply.message.content):
                on_text(piece)
        reply.model = reply.model or self.model_id
        return reply


def _factory(settings: ProviderSettings) -> MockModel:
    if settings.mock_script:
        return MockModel.from_file(settings.mock_script)
    return MockModel(model_id=settings.model or "mock")


def register_providers(register: Any) -> None:
    """Built-in registration, the same hook a plugin module provides."""
    register("mock", _factory, description="scripted replies for tests and evals (--mock-script FILE)")
