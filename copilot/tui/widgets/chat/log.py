"""The conversation: the user's lines, the agent's progress as it happens, and the answers."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Markdown, Static


class ProgressBlock(Static):
    """The progress lines of one request. Lines arrive one by one from the agent's events."""

    def __init__(self) -> None:
        super().__init__("", classes="progress", markup=False)
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(line)
        self.update("\n".join(self.lines))


class ChatLog(VerticalScroll):
    """Every entry of the conversation, newest at the bottom, kept scrolled to the end."""

    can_focus = False

    def add_user(self, text: str) -> None:
        self._add(Static(f"› {text}", classes="user", markup=False))

    def add_progress(self) -> ProgressBlock:
        """A new progress block for the request just sent."""
        block = ProgressBlock()
        self._add(block)
        return block

    def add_answer(self, markdown: str, *, ok: bool = True) -> None:
        self._add(Markdown(markdown, classes="answer" if ok else "answer -failed"))

    def add_note(self, text: str) -> None:
        """A short line from a command (saved, scanned, switched provider)."""
        self._add(Static(text, classes="note", markup=False))

    def clear_entries(self) -> None:
        self.remove_children()

    def _add(self, widget: Widget) -> None:
        self.mount(widget)
        self.call_after_refresh(self.scroll_end, animate=False)
