"""Cassettes: recorded transcripts of a real model that replay offline through the mock provider.

    model = RecordingModel(get_model("openai"), Path("evals/cassettes/privileged.json"))
    ...run the agent...          # every request and reply is appended to the file
    replay = MockModel.from_file("evals/cassettes/privileged.json")

The file is rewritten atomically after each call, so an interrupted run leaves a valid
cassette. What is recorded is what the model saw: prompts are redacted by the agent
before they are sent, and no API key ever appears in a request.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from copilot.llm.base import ChatModel, ChatRequest, ChatResponse, TextCallback

CASSETTE_VERSION = 1


class RecordingModel(ChatModel):
    """Wraps a model and records every (request, response) pair to a cassette file."""

    def __init__(self, inner: ChatModel, path: Path) -> None:
        super().__init__(inner.model_id)
        self.inner = inner
        self.path = Path(path)
        self.provider = inner.provider  # type: ignore[misc]
        self.can_repair = inner.can_repair
        self.reads_context = inner.reads_context
        self.interactions: list[dict[str, Any]] = []

    def describe(self) -> str:
        return f"{self.inner.describe()} (recording to {self.path})"

    def execute(self, request: ChatRequest, on_text: TextCallback | None) -> ChatResponse:
        response = self.inner.chat(request.messages, tools=request.tools, on_text=on_text, turn=request.turn)
        self.interactions.append(
            {
                "request": request.model_dump(mode="json", exclude_none=True),
                "response": response.model_dump(mode="json", exclude_none=True),
            }
        )
        self._save()
        return response

    def _save(self) -> None:
        data = {
            "cassette": CASSETTE_VERSION,
            "provider": self.inner.provider,
            "model": self.inner.model_id,
            "interactions": self.interactions,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh, indent=1)
            fh.write("\n")
        os.replace(tmp, self.path)
