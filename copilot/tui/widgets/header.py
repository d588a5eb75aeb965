"""The top line: the app's name, the provider, the target and whether the policy engines are usable."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


class StatusHeader(Static):
    """Reactive fields; any change redraws the one line."""

    provider: reactive[str] = reactive("")
    target: reactive[str] = reactive("both")
    engines: reactive[str] = reactive("checking engines")
    engines_ok: reactive[bool] = reactive(True)
    policy: reactive[str] = reactive("")

    def __init__(self, *, provider: str, target: str, engines: str, engines_ok: bool) -> None:
        super().__init__()
        # Initial values without firing watchers: the first frame already shows them.
        self.set_reactive(StatusHeader.provider, provider)
        self.set_reactive(StatusHeader.target, target)
        self.set_reactive(StatusHeader.engines, engines)
        self.set_reactive(StatusHeader.engines_ok, engines_ok)

    def render(self) -> Text:
        line = Text.assemble(("Kube PAC Copilot", "bold"), "  ")
        line.append(" provider ", style="reverse")
        line.append(f" {self.provider}  ")
        line.append(" target ", style="reverse")
        line.append(f" {self.target}  ")
        line.append(f" {self.engines} ", style="bold #98c379" if self.engines_ok else "bold white on #be3b3b")
        if self.policy:
            line.append(f"  {self.policy}", style="italic")
        return line
