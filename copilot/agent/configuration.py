"""Agent settings and the per-run runtime (model, event sink, cancel flag) that nodes read from config."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from copilot.agent.state import AgentEvent
from copilot.llm.base import ChatModel

Target = Literal["gatekeeper", "conftest", "both"]
DEFAULT_MAX_ROUNDS = 4
RUNTIME_KEY = "kpc_runtime"


@dataclass
class AgentConfig:
    """Knobs of one run.

    max_rounds: repair rounds after the first verification (so at most max_rounds + 1
        verifications); 0 verifies the first draft only.
    max_model_turns: model calls allowed per round before the round counts as failed
        (tool calls such as get_exemplar use them up).
    retrieval: "auto" (the Chroma index, else keywords), "index" or "keyword".
    rego_version: the template form the drafts are verified and written in.
    """

    target: Target = "both"
    max_rounds: int = DEFAULT_MAX_ROUNDS
    max_model_turns: int = 6
    retrieval: str = "auto"
    k: int = 3
    coverage_threshold: float = 90.0
    rego_version: str = "v1"  # "v0": legacy template fields for Gatekeeper releases without Rego v1


class Cancelled(Exception):
    """Raised between steps when the caller's cancel event is set."""


@dataclass
class Runtime:
    """What nodes need besides the state. Lives in config["configurable"], never in a checkpoint."""

    model: ChatModel
    config: AgentConfig
    workdir: Path
    on_event: Callable[[AgentEvent], None] | None = None
    cancel: threading.Event | None = None
    notes: list[str] = field(default_factory=list)

    def emit(self, kind: str, message: str = "", **data: Any) -> None:
        if self.on_event is not None:
            self.on_event(AgentEvent(kind=kind, message=message, data=data))

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled()


def runtime_of(config: Any) -> Runtime:
    """The Runtime passed to the graph run."""
    runtime = ((config or {}).get("configurable") or {}).get(RUNTIME_KEY)
    if not isinstance(runtime, Runtime):
        raise RuntimeError("the agent graph was run without its runtime (use copilot.agent.run_request)")
    return runtime
