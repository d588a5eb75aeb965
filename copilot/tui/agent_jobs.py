"""Asking the agent: the run in a thread worker, its progress on screen, its answer in the chat.

The agent is blocking code (engines, model calls), so it runs in a thread; its events
come back as messages (post_message is thread-safe) and are handled on the UI thread.
Esc sets the run's cancel event; the agent stops at its next step.
"""

from __future__ import annotations

import threading
from typing import Any

from textual import on, work
from textual.message import Message

from copilot.tui.answer import answer_markdown
from copilot.tui.base import CopilotBase, ui_update
from copilot.tui.progress import ProgressFormatter, event_draft, event_report
from tools.errors import KpcError


class AgentProgress(Message):
    """One progress event of the running request."""

    def __init__(self, event: Any) -> None:
        super().__init__()
        self.event = event


class AgentFinished(Message):
    """The request ended with `result` (an AgentResult), or with `error` text when the run failed."""

    def __init__(self, result: Any = None, error: str = "") -> None:
        super().__init__()
        self.result = result
        self.error = error


class AgentJobs(CopilotBase):
    """The request flow: ask → progress → answer, one request at a time."""

    _formatter: ProgressFormatter | None = None

    def ask(self, request: str) -> None:
        """Sends `request` to the agent on the session's thread (a follow-up refines the last policy)."""
        if self.busy:
            self.notify(
                "A request or eval is still running: wait for it, or press esc to cancel it.",
                severity="warning",
            )
            return
        self.session.turns += 1
        self.chat.add_user(request)
        self._formatter = ProgressFormatter()
        self.run_agent(request, self.start_job("starting"))

    @work(thread=True, exclusive=True, group="agent", exit_on_error=False)
    def run_agent(self, request: str, cancel: threading.Event) -> None:
        """Runs the agent to the end; nothing it raises reaches Textual (it becomes a message)."""
        session = self.session
        try:
            from copilot.agent import run_request

            result = run_request(
                request,
                provider=session.model,
                target=session.target,
                thread_id=session.thread_id,
                max_rounds=session.max_rounds,
                retrieval=session.retrieval,
                on_event=lambda event: self.post_message(AgentProgress(event)),
                cancel=cancel,
            )
        except KpcError as exc:
            self.post_message(AgentFinished(error=str(exc)))
        except Exception as exc:  # a bug must not take the session down with it
            self.post_message(AgentFinished(error=f"{type(exc).__name__}: {exc}"))
        else:
            self.post_message(AgentFinished(result))

    @on(AgentProgress)
    @ui_update
    def _progress(self, message: AgentProgress) -> None:
        if self._formatter is None or self._block is None:
            return  # a late event of a run that already ended
        update = self._formatter.update(message.event)
        if update.line:
            self._block.add(update.line, milestone=update.milestone)
            self.chat.scroll_end(animate=False)
        self.activity.step = update.activity
        draft, report = event_draft(message.event), event_report(message.event)
        if draft is not None:
            # Rounds that carry their draft become versions, so each repair shows its diff.
            round_no = (message.event.data or {}).get("round", 0)
            label = f"turn {self.session.turns}" + (f", round {round_no}" if round_no else "")
            self.show_version(self.session.history.record(draft, label, report))

    @on(AgentFinished)
    @ui_update
    def _finished(self, message: AgentFinished) -> None:
        self._formatter = None
        block = self.end_job()
        if message.error:
            if block is not None:
                block.add(f"✘ failed: {message.error}")
            self.notify(message.error, title="request failed", severity="error", timeout=8)
            return
        result = message.result
        if result.draft is not None and result.status in ("verified", "not_verified"):
            label = "verified" if result.verified else "best attempt"
            version = self.session.history.record(
                result.draft, f"turn {self.session.turns} {label}", result.report
            )
            self.show_version(version, result.bundle_dir)
        self.chat.add_answer(answer_markdown(result), ok=result.verified or result.status == "answered")
        if result.status == "not_verified":
            self.notify("The policy did not pass verification; see the Checks tab.", severity="warning")
