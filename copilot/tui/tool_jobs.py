"""Commands that run tools on the current policy: /save, /scan, /explain, /eval.

Each runs in a thread worker (engines are blocking); its outcome comes back through
call_from_thread, and any KpcError becomes an error notification. The conversation goes on.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import work

from copilot.tui.answer import explain_markdown
from copilot.tui.base import CopilotBase, ui_update
from copilot.tui.rows import impact_rows, impact_summary
from copilot.tui.screens.confirm import ConfirmScreen
from tools.draft.models import PolicyDraft
from tools.errors import InputError, KpcError


def _policy_bundle(draft: PolicyDraft, tmp: str) -> Path:
    from tools.bundle_writer import write_bundle

    return write_bundle(draft, Path(tmp) / draft.policy_id)


class ToolJobs(CopilotBase):
    """Command handlers that need the engines."""

    def _fail(self, what: str, exc: BaseException) -> None:
        text = str(exc) if isinstance(exc, KpcError) else f"{type(exc).__name__}: {exc}"
        self.call_from_thread(self.notify, text, title=f"{what} failed", severity="error", timeout=8)

    def _guarded(self, what: str, job: Callable[[], None]) -> None:
        """Runs `job`; whatever it raises is shown, never raised into the app."""
        try:
            job()
        except Exception as exc:
            self._fail(what, exc)

    # /save DIR ------------------------------------------------------------------------
    def save(self, folder: str) -> None:
        """Writes the current policy; a non-empty existing folder is overwritten only after a yes."""
        self.session.current_draft()
        path = Path(folder).expanduser()
        if path.exists() and not path.is_dir():
            raise InputError(f"{path} is a file", hint="choose a folder name")
        if path.is_dir() and any(path.iterdir()):

            def answered(yes: bool | None) -> None:
                if yes:
                    self.save_bundle(path, overwrite=True)
                else:
                    self.notify(f"not saved: {path} left as it was")

            self.push_screen(ConfirmScreen(f"{path} exists and is not empty.\nOverwrite it?"), answered)
            return
        self.save_bundle(path, overwrite=False)

    @work(thread=True, group="save", exit_on_error=False)
    def save_bundle(self, path: Path, *, overwrite: bool) -> None:
        from tools.bundle_writer import write_bundle

        version = self.session.current
        assert version is not None

        def job() -> None:
            write_bundle(version.draft, path, overwrite=overwrite, report=version.report)
            state = "verified" if version.verified else "NOT verified"
            self.call_from_thread(self.say, f"saved {version.draft.policy_id} ({state}) to {path}/")
            self.call_from_thread(self.notify, f"saved to {path}/")

        self._guarded("save", job)

    # /scan PATH -----------------------------------------------------------------------
    def scan(self, target: str) -> None:
        draft = self.session.current_draft()
        self.notify(f"scanning {target} with {draft.policy_id} …")
        self.scan_path(draft, target)

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def scan_path(self, draft: PolicyDraft, target: str) -> None:
        from tools.scan import scan

        def job() -> None:
            with tempfile.TemporaryDirectory(prefix="kpc-chat-scan-") as tmp:
                report = scan([target], policies=[_policy_bundle(draft, tmp)])
            self.call_from_thread(self._show_scan, report, target)

        self._guarded("scan", job)

    @ui_update
    def _show_scan(self, report: Any, target: str) -> None:
        self.impact_of = self.session.current
        self.pane.show_impact(impact_rows(report))
        self.chat.add_note(
            f"impact of {self.session.current_draft().policy_id}: {impact_summary(report, target)}"
        )

    # /explain FILE --------------------------------------------------------------------
    def explain(self, target: str) -> None:
        draft = self.session.current_draft()
        if not Path(target).is_file():
            raise InputError(f"{target}: no such file", hint="/explain takes one manifest file")
        self.explain_file(draft, target)

    @work(thread=True, exclusive=True, group="explain", exit_on_error=False)
    def explain_file(self, draft: PolicyDraft, target: str) -> None:
        from tools.explain import explain

        def job() -> None:
            with tempfile.TemporaryDirectory(prefix="kpc-chat-explain-") as tmp:
                explanation = explain(target, policies=[_policy_bundle(draft, tmp)])
            self.call_from_thread(self.answer, explain_markdown(explanation, draft.policy_id))

        self._guarded("explain", job)
