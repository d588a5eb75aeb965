"""What the app's parts share: the session, the widgets they update, and showing a policy version."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable
from typing import ParamSpec

from textual import on, work
from textual.app import App
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen

from copilot.tui.bundle_view import view_files
from copilot.tui.rows import report_rows
from copilot.tui.screens.chat import ChatScreen
from copilot.tui.session import Session
from copilot.tui.status import provider_label, toolchain
from copilot.tui.versions import PolicyVersion
from copilot.tui.widgets.chat.activity import ActivityLine
from copilot.tui.widgets.chat.log import ChatLog, ProgressBlock
from copilot.tui.widgets.chat.prompt import PromptInput
from copilot.tui.widgets.header import StatusHeader
from copilot.tui.widgets.policy.pane import PolicyPane

P = ParamSpec("P")


class FilesRendered(Message):
    """The tab texts of a version are ready (they are rendered off the UI thread)."""

    def __init__(self, version: PolicyVersion, files: dict[str, str]) -> None:
        super().__init__()
        self.version = version
        self.files = files


def ui_update(handler: Callable[P, None]) -> Callable[P, None]:
    """For handlers of what workers send back: a late message after quitting finds no widgets; drop it."""

    @functools.wraps(handler)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        with contextlib.suppress(NoMatches):
            handler(*args, **kwargs)

    return guarded


class CopilotBase(App[None]):
    """The app minus its handlers: the agent and command handlers build on this."""

    session: Session
    welcome = ""
    # The cancel flag of the long job running now (a request or an eval), None when idle:
    # one long job at a time keeps the two cores for the engines.
    _cancel: threading.Event | None = None
    _block: ProgressBlock | None = None
    # The version the Impact tab's scan was made with.
    impact_of: PolicyVersion | None = None

    @property
    def busy(self) -> bool:
        return self._cancel is not None

    def start_job(self, title: str) -> threading.Event:
        """Marks a long job as running: a progress block in the chat, the spinner, esc to cancel."""
        self._block = self.chat.add_progress()
        self._cancel = threading.Event()
        self.activity.busy = True
        self.activity.step = title
        return self._cancel

    def end_job(self) -> ProgressBlock | None:
        """Back to idle; returns the job's progress block (settled to its milestones)."""
        self._cancel = None
        self.activity.busy = False
        block, self._block = self._block, None
        if block is not None:
            block.settle()
        return block

    def action_cancel(self) -> None:
        """Esc: asks the running job to stop at its next step."""
        if self._cancel is None:
            return
        self._cancel.set()
        self.activity.step = "cancelling (the current step finishes first)"

    def get_default_screen(self) -> Screen[None]:
        engines = toolchain()
        self.main_screen = ChatScreen(
            welcome=self.welcome,
            provider=provider_label(self.session.model),
            target=self.session.target,
            engines=engines.label(),
            engines_ok=engines.ok,
        )
        return self.main_screen

    # The widgets live on the main screen; App.query_one would search the screen on
    # top, which is a modal while help or a confirmation is open.
    @property
    def chat(self) -> ChatLog:
        return self.main_screen.query_one(ChatLog)

    @property
    def activity(self) -> ActivityLine:
        return self.main_screen.query_one(ActivityLine)

    @property
    def pane(self) -> PolicyPane:
        return self.main_screen.query_one(PolicyPane)

    @property
    def header(self) -> StatusHeader:
        return self.main_screen.query_one(StatusHeader)

    @property
    def prompt(self) -> PromptInput:
        return self.main_screen.query_one(PromptInput)

    @ui_update
    def say(self, text: str) -> None:
        """A short note in the chat (safe to hand to call_from_thread)."""
        self.chat.add_note(text)

    @ui_update
    def answer(self, markdown: str) -> None:
        """An assistant answer in the chat (safe to hand to call_from_thread)."""
        self.chat.add_answer(markdown)

    def version_title(self, version: PolicyVersion) -> str:
        """e.g. 'v2 · turn 1, round 2 · verified: 10/10 checks, 6/6 fixtures, coverage 100%'."""
        state = "not verified yet" if version.report is None else version.report.summary()
        return f"v{version.number} · {version.label} · {state}"

    def show_version(self, version: PolicyVersion, bundle_dir: str | None = None) -> None:
        """Puts `version` in the policy pane: title, checks and diff now, the file tabs when rendered."""
        self.pane.show_title(self.version_title(version))
        self.pane.show_checks(report_rows(version.report) if version.report else [])
        self.pane.show_diff(self.session.history.diff() if version is self.session.current else "")
        if self.impact_of is not None and version is not self.impact_of:
            self.impact_of = None
            self.pane.clear_impact()  # a preview of an older version would mislead
        self.header.policy = version.draft.policy_id
        self.render_files(version, bundle_dir)

    @work(thread=True, exclusive=True, group="render", exit_on_error=False)
    def render_files(self, version: PolicyVersion, bundle_dir: str | None = None) -> None:
        """Writes the draft to a temporary bundle (opa fmt runs) and reads the tab texts back."""
        self.post_message(FilesRendered(version, view_files(version.draft, bundle_dir)))

    @on(FilesRendered)
    @ui_update
    def _files_rendered(self, message: FilesRendered) -> None:
        # A slower render of an older version must not replace a newer one.
        if message.version is self.session.current:
            self.pane.show_files(message.files)
