"""The line under the conversation that says what the agent is doing right now."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class ActivityLine(Static):
    """Idle: a hint. Busy: a spinner, the current step and how to cancel."""

    step: reactive[str] = reactive("")
    busy: reactive[bool] = reactive(False)
    _frame: reactive[int] = reactive(0)

    IDLE = "ready · enter sends · /help lists commands"

    def on_mount(self) -> None:
        # The spinner only ticks while busy, so an idle screen (and its snapshot) is still.
        self._timer = self.set_interval(0.12, self._tick, pause=True)
        self._show()

    def _tick(self) -> None:
        self._frame = (self._frame + 1) % len(SPINNER)

    def watch_busy(self, busy: bool) -> None:
        self.set_class(busy, "-busy")
        if not hasattr(self, "_timer"):
            return
        if busy:
            self._timer.resume()
        else:
            self._timer.pause()
            self.step = ""
        self._show()

    def watch_step(self) -> None:
        self._show()

    def watch__frame(self) -> None:
        self._show()

    def _show(self) -> None:
        if self.busy:
            self.update(f"{SPINNER[self._frame]} {self.step or 'working'} · esc cancels")
        else:
            self.update(self.IDLE)
