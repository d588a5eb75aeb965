"""A read-only, scrollable view of one file with syntax colours (or a hint while it is empty)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import ScrollableContainer
from textual.reactive import reactive
from textual.widgets import Static

from copilot.tui import highlight


class CodeView(ScrollableContainer):
    """Shows `content` coloured by `filename`'s type; long lines scroll sideways instead of wrapping."""

    content: reactive[str] = reactive("")

    def __init__(self, filename: str, empty: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.filename = filename
        self.empty = empty

    def compose(self) -> ComposeResult:
        yield Static(classes="code")

    def watch_content(self, content: str) -> None:
        body = self.query_one(".code", Static)
        # The empty hint wraps to the pane; code keeps its lines and scrolls sideways.
        self.set_class(not content, "-empty")
        if not content:
            body.update(Text(self.empty, style="italic"))
        elif self.filename.endswith(".diff"):
            body.update(highlight.diff(content))
        else:
            body.update(highlight.for_file(self.filename, content))
        self.scroll_home(animate=False)

    def on_mount(self) -> None:
        self.watch_content(self.content)
