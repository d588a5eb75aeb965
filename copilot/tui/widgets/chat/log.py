"""The conversation: the user's lines, the agent's progress as it happens, and the answers."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Markdown, Static


class ProgressBlock(Static):
    """The progress lines of one request, as they arrive; once it ends only the milestones stay."""

    def __init__(self) -> None:
        super().__init__("", classes="progress", markup=False)
        self.lines: list[tuple[str, bool]] = []

    def add(self, line: str, *, milestone: bool = True) -> None:
        self.lines.append((line, milestone))
        self.display = True
        self._show()

    def settle(self) -> None:
        """Drops the transient steps (retrieving, drafting, ...): the answer below tells the rest."""
        self.lines = [(line, keep) for line, keep in self.lines if keep]
        self._show()
        self.display = bool(self.lines)

    def _show(self) -> None:
        self.update("\n".join(line for line, _ in self.lines))


class Answer(Markdown):
    """An answer of the copilot; keeps its Markdown source (the widget parses it asynchronously)."""

    def __init__(self, text: str, *, ok: bool) -> None:
        super().__init__(text, classes="answer" if ok else "answer -failed")
        self.text = text


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
        self._add(Answer(markdown, ok=ok))

    def add_note(self, text: str) -> None:
        """A short line from a command (saved, scanned, switched provider)."""
        self._add(Static(text, classes="note", markup=False))

    def clear_entries(self) -> None:
        self.remove_children()

    def _add(self, widget: Widget) -> None:
        self.mount(widget)
        self.call_after_refresh(self.scroll_end, animate=False)
