"""The chat input: sends a line (request or /command) and keeps a history browsable with up/down."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class PromptInput(Input):
    """Where requests and commands are typed. Enter posts `PromptInput.Sent` and clears the line."""

    BINDINGS = [
        Binding("up", "history(-1)", "previous input", show=False),
        Binding("down", "history(1)", "next input", show=False),
    ]

    class Sent(Message):
        """A non-empty line was entered."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        # No select-all on focus: a key typed elsewhere lands here and must not be replaced by the next one.
        super().__init__(placeholder="Ask for a policy, or /help", select_on_focus=False, id=id)
        self.history: list[str] = []
        # Position in history while browsing; len(history) means "the line being typed".
        self._cursor = 0
        self._draft = ""

    async def action_submit(self) -> None:
        text = self.value.strip()
        if not text:
            return
        if not self.history or self.history[-1] != text:
            self.history.append(text)
        self._cursor = len(self.history)
        self._draft = ""
        self.value = ""
        self.post_message(self.Sent(text))

    def action_history(self, step: int) -> None:
        """Moves through earlier inputs; past the newest one the unsent line comes back."""
        if not self.history:
            return
        if self._cursor == len(self.history):
            self._draft = self.value
        self._cursor = max(0, min(len(self.history), self._cursor + step))
        self.value = self._draft if self._cursor == len(self.history) else self.history[self._cursor]
        self.cursor_position = len(self.value)
