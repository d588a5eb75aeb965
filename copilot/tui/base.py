"""What the app's parts share: the session, the widgets they update, and showing a policy version."""

from __future__ import annotations

from textual import on, work
from textual.app import App
from textual.message import Message

from copilot.tui.bundle_view import view_files
from copilot.tui.rows import report_rows
from copilot.tui.session import Session
from copilot.tui.versions import PolicyVersion
from copilot.tui.widgets.chat.activity import ActivityLine
from copilot.tui.widgets.chat.log import ChatLog
from copilot.tui.widgets.header import StatusHeader
from copilot.tui.widgets.policy.pane import PolicyPane


class FilesRendered(Message):
    """The tab texts of a version are ready (they are rendered off the UI thread)."""

    def __init__(self, version: PolicyVersion, files: dict[str, str]) -> None:
        super().__init__()
        self.version = version
        self.files = files


class CopilotBase(App[None]):
    """The app minus its handlers: the agent and command handlers build on this."""

    session: Session

    @property
    def chat(self) -> ChatLog:
        return self.query_one(ChatLog)

    @property
    def activity(self) -> ActivityLine:
        return self.query_one(ActivityLine)

    @property
    def pane(self) -> PolicyPane:
        return self.query_one(PolicyPane)

    @property
    def header(self) -> StatusHeader:
        return self.query_one(StatusHeader)

    def version_title(self, version: PolicyVersion) -> str:
        draft = version.draft
        state = "not verified yet" if version.report is None else version.report.summary()
        return f"{draft.policy_id} · v{version.number} ({version.label}) · {state}"

    def show_version(self, version: PolicyVersion, bundle_dir: str | None = None) -> None:
        """Puts `version` in the policy pane: title, checks and diff now, the file tabs when rendered."""
        self.pane.show_title(self.version_title(version))
        self.pane.show_checks(report_rows(version.report) if version.report else [])
        self.pane.show_diff(self.session.history.diff() if version is self.session.current else "")
        self.header.policy = version.draft.policy_id
        self.render_files(version, bundle_dir)

    @work(thread=True, exclusive=True, group="render", exit_on_error=False)
    def render_files(self, version: PolicyVersion, bundle_dir: str | None = None) -> None:
        """Writes the draft to a temporary bundle (opa fmt runs) and reads the tab texts back."""
        self.post_message(FilesRendered(version, view_files(version.draft, bundle_dir)))

    @on(FilesRendered)
    def _files_rendered(self, message: FilesRendered) -> None:
        # A slower render of an older version must not replace a newer one.
        if message.version is self.session.current:
            self.pane.show_files(message.files)
