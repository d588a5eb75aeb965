"""Commands that run tools on the current policy: /save, /scan, /explain.

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
from copilot.tui.versions import PolicyVersion
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
        version = self.session.current
        assert version is not None
        path = Path(folder).expanduser()
        if path.exists() and not path.is_dir():
            raise InputError(f"{path} is a file", hint="choose a folder name")
        if path.is_dir() and any(path.iterdir()):

            def answered(yes: bool | None) -> None:
                if yes:
                    self.save_bundle(version, path, overwrite=True)
                else:
                    self.notify(f"not saved: {path} left as it was")

            self.push_screen(ConfirmScreen(f"{path} exists and is not empty.\nOverwrite it?"), answered)
            return
        self.save_bundle(version, path, overwrite=False)

    @work(thread=True, group="save", exit_on_error=False)
    def save_bundle(self, version: PolicyVersion, path: Path, *, overwrite: bool) -> None:
        """Writes `version` (the one current when /save was typed) with its verification report."""
        from tools.bundle_writer import write_bundle

        def job() -> None:
            write_bundle(version.draft, path, overwrite=overwrite, report=version.report)
            state = "verified" if version.verified else "NOT verified"
            self.call_from_thread(self.say, f"saved {version.draft.policy_id} ({state}) to {path}/")
            self.call_from_thread(self.notify, f"saved to {path}/")

        self._guarded("save", job)

    # /scan PATH -----------------------------------------------------------------------
    def scan(self, target: str) -> None:
        draft = self.session.current_draft()
        assert self.session.current is not None
        self.notify(f"scanning {target} with {draft.policy_id} …")
        self.scan_path(self.session.current, target)

    @work(thread=True, exclusive=True, group="scan", exit_on_error=False)
    def scan_path(self, version: PolicyVersion, target: str) -> None:
        """gator over the manifests under `target` with the policy of `version` as the only policy."""
        from tools.scan import scan

        def job() -> None:
            with tempfile.TemporaryDirectory(prefix="kpc-chat-scan-") as tmp:
                report = scan([target], policies=[_policy_bundle(version.draft, tmp)])
            self.call_from_thread(self._show_scan, report, target, version)

        self._guarded("scan", job)

    @ui_update
    def _show_scan(self, report: Any, target: str, version: PolicyVersion) -> None:
        self.impact_of = version
        self.pane.show_impact(impact_rows(report))
        name = f"{version.draft.policy_id} v{version.number}"
        self.chat.add_note(f"impact of {name}: {impact_summary(report, target)}")

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
