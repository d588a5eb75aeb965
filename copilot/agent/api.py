"""run_request / arun_request: one request through the agent graph, as the CLI, the TUI and evals use it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

from copilot.agent.configuration import RUNTIME_KEY, AgentConfig, Cancelled, Runtime, Target
from copilot.agent.context import load_manifest_files, new_nonce, paths_in_request
from copilot.agent.output import check_out_dir, write_result
from copilot.agent.state import AgentEvent, AgentResult, AgentState
from copilot.llm.base import ChatModel
from tools.draft.models import PolicyDraft
from tools.errors import InputError
from tools.verify.models import VerificationReport

CHECKPOINT_FILE = "conversations.sqlite"


def new_thread_id() -> str:
    return "t-" + secrets.token_hex(4)


def _model(provider: str | ChatModel | None, model: str | None, mock_script: str | None) -> ChatModel:
    if isinstance(provider, ChatModel):
        return provider
    from copilot.llm.registry import get_model

    if mock_script and not provider:
        provider = "mock"
    return get_model(provider, model=model, mock_script=mock_script)


@contextlib.asynccontextmanager
async def _checkpointer(where: str | Path | None) -> AsyncIterator[Any]:
    """The SQLite checkpointer in the state dir (or `where`); "memory" keeps threads in this process only."""
    if where == "memory":
        from langgraph.checkpoint.memory import InMemorySaver

        yield InMemorySaver()
        return
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    from tools.paths import state_dir

    path = Path(where) if where else state_dir() / CHECKPOINT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    async with AsyncSqliteSaver.from_conn_string(str(path)) as saver:
        yield saver


def _turn_input(request: str, target: str, manifests: list[dict[str, Any]]) -> AgentState:
    """Resets every per-turn field; conversation fields come from the thread's checkpoint."""
    return {
        "request": request,
        "target": target,
        "manifests": manifests,
        "nonce": new_nonce(),
        "intent": "new",
        "exemplars": [],
        "messages": [],
        "phase": "draft",
        "model_turns": 0,
        "model_calls": 0,
        "prompt_tokens": 0,
        "completion_tokens": 0,
        "tool_errors": [],
        "next_step": "",
        "draft": None,
        "fixture_check": None,
        "report": None,
        "report_for": "",
        "rounds": 0,
        "best": None,
        "status": "",
        "reason": "",
        "answer": "",
    }


def result_from_state(state: dict[str, Any], **extra: Any) -> AgentResult:
    """The AgentResult of a finished graph run."""
    status: Any = state.get("status") or "not_verified"
    draft = report = None
    best_attempt = False
    if status == "verified":
        draft, report = state.get("draft"), state.get("report")
    elif state.get("best"):
        draft, report, best_attempt = state["best"]["draft"], state["best"]["report"], True
    tokens = None
    if state.get("prompt_tokens") or state.get("completion_tokens"):
        tokens = {"prompt": state.get("prompt_tokens", 0), "completion": state.get("completion_tokens", 0)}
    return AgentResult(
        status=status,
        request=state.get("request", ""),
        intent=state.get("intent", "new"),
        policy_id=(draft or {}).get("policy_id"),
        draft=PolicyDraft.model_validate(draft) if draft else None,
        report=VerificationReport.model_validate(report) if report else None,
        best_attempt=best_attempt,
        rounds=state.get("rounds", 0),
        model_calls=state.get("model_calls", 0),
        tokens=tokens,
        exemplars=state.get("exemplars") or [],
        reason=state.get("reason", ""),
        explanation=state.get("answer", ""),
        **extra,
    )


async def arun_request(
    request: str,
    *,
    provider: str | ChatModel | None = None,
    model: str | None = None,
    target: Target = "both",
    thread_id: str | None = None,
    max_rounds: int | None = None,
    on_event: Callable[[AgentEvent], None] | None = None,
    cancel: threading.Event | None = None,
    manifests: Sequence[str | Path] = (),
    out_dir: str | Path | None = None,
    overwrite: bool = False,
    retrieval: str | None = None,
    mock_script: str | None = None,
    checkpoint: str | Path | None = None,
    record: str | Path | None = None,
    rego_version: str = "v1",
) -> AgentResult:
    """The async form of run_request (same arguments, same result)."""
    started = time.perf_counter()
    if not request.strip():
        raise InputError(
            "the request is empty", hint='describe the policy, e.g. "deny privileged containers"'
        )
    config = AgentConfig(target=target, retrieval=retrieval or os.environ.get("KPC_RETRIEVAL") or "auto")
    if rego_version not in ("v1", "v0"):
        raise InputError(f"rego version must be v1 or v0, not {rego_version!r}")
    config.rego_version = rego_version
    if max_rounds is not None:
        if max_rounds < 0:
            raise InputError(f"max rounds must be 0 or more, not {max_rounds}")
        config.max_rounds = max_rounds
    if out_dir is not None:
        check_out_dir(Path(out_dir), overwrite=overwrite)
    chat_model = _model(provider, model, mock_script)
    if record:
        from copilot.llm.cassette import RecordingModel

        chat_model = RecordingModel(chat_model, Path(record))
    named: list[str | Path] = list(manifests) or list(paths_in_request(request))
    loaded = load_manifest_files(named)
    thread = thread_id or new_thread_id()
    extra: dict[str, Any] = {
        "thread_id": thread,
        "provider": chat_model.provider,
        "model": chat_model.model_id,
    }
    with tempfile.TemporaryDirectory(prefix="kpc-agent-") as work:
        runtime = Runtime(
            model=chat_model, config=config, workdir=Path(work), on_event=on_event, cancel=cancel
        )
        run_config = {
            "configurable": {"thread_id": thread, RUNTIME_KEY: runtime},
            "recursion_limit": 40 + (config.max_rounds + 1) * (2 * config.max_model_turns + 6),
        }
        from copilot.agent.graph import build_graph

        try:
            async with _checkpointer(checkpoint) as saver:
                if thread_id and await saver.aget_tuple({"configurable": {"thread_id": thread}}) is None:
                    # A mistyped id would otherwise read a follow-up as a whole new request, silently.
                    runtime.emit("note", f"thread {thread} has no earlier turns; starting a new conversation")
                final = await build_graph(saver).ainvoke(_turn_input(request, target, loaded), run_config)
        except Cancelled:
            runtime.emit("cancelled", "cancelled")
            return AgentResult(
                status="cancelled", request=request, seconds=round(time.perf_counter() - started, 3), **extra
            )
    result = result_from_state(final, seconds=round(time.perf_counter() - started, 3), **extra)
    if out_dir is not None:
        result = write_result(result, Path(out_dir), overwrite=overwrite)
    return result


def run_request(request: str, **options: Any) -> AgentResult:
    """Runs one request to its end (see the package docstring for the arguments and the result).

    Safe to call from a thread that already runs an event loop (the TUI): the agent then
    runs on its own loop in a worker thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(arun_request(request, **options))
    box: dict[str, Any] = {}

    def worker() -> None:
        try:
            box["result"] = asyncio.run(arun_request(request, **options))
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=worker, name="kpc-agent")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    result: AgentResult = box["result"]
    return result
