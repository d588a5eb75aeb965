"""The help screen: every command and key binding."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from copilot.tui.commands import help_markdown


class HelpScreen(ModalScreen[None]):
    """Closes with esc, q or f1."""

    BINDINGS = [Binding("escape,q,f1", "close", "close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Markdown(help_markdown())

    def action_close(self) -> None:
        self.dismiss(None)
