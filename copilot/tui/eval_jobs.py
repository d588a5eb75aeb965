"""/eval SUITE: an eval suite run with the session's provider, case by case in the chat.

It is a long job like a request: one at a time, its progress in the chat, esc stops it
(the cases that finished stay in the report, marked partial).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from textual import on, work
from textual.message import Message

from copilot.tui.base import CopilotBase, ui_update
from tools.errors import KpcError


class EvalCaseDone(Message):
    """One case of the running eval finished."""

    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line


class EvalFinished(Message):
    """The eval ended with `summary` lines, or with `error` text."""

    def __init__(self, summary: list[str] | None = None, error: str = "") -> None:
        super().__init__()
        self.summary = summary or []
        self.error = error


class EvalJobs(CopilotBase):
    """Runs eval suites from the chat."""

    mock_script: str | None

    def evaluate(self, suite: str) -> None:
        if self.busy:
            raise KpcError(
                "a request or eval is still running", hint="wait for it, or press esc to cancel it"
            )
        model = self.session.model
        self.chat.add_user(f"/eval {suite}")
        self.run_suite(suite, model.provider, model.model_id, self.start_job(f"eval {suite}"))

    @work(thread=True, exclusive=True, group="eval", exit_on_error=False)
    def run_suite(self, suite: str, provider: str, model_id: str, cancel: threading.Event) -> None:
        try:
            from copilot.evals.runner import EvalOptions, run_eval
            from copilot.evals.suite import load_suites
            from copilot.evals.text import case_mark, case_outcome, summary_lines

            def finished(result: Any) -> None:
                self.post_message(
                    EvalCaseDone(f"{case_mark(result).strip()} {result.ref}: {case_outcome(result)}")
                )

            options = EvalOptions(
                provider=provider,
                model=model_id if provider == "openai" else None,
                mock_script=Path(self.mock_script) if provider == "mock" and self.mock_script else None,
            )
            run = run_eval(load_suites([suite]), options, cancel=cancel, on_finish=finished)
            self.post_message(EvalFinished(summary_lines(run.report)))
        except KpcError as exc:
            self.post_message(EvalFinished(error=str(exc)))
        except Exception as exc:  # a bug must not take the session down with it
            self.post_message(EvalFinished(error=f"{type(exc).__name__}: {exc}"))

    @on(EvalCaseDone)
    @ui_update
    def _case_done(self, message: EvalCaseDone) -> None:
        if self._block is not None:
            self._block.add(message.line)
            self.activity.step = f"eval: {message.line}"

    @on(EvalFinished)
    @ui_update
    def _eval_finished(self, message: EvalFinished) -> None:
        self.end_job()
        if message.error:
            self.notify(message.error, title="eval failed", severity="error", timeout=8)
            return
        self.chat.add_answer("\n".join(["```text", *message.summary, "```"]))
