"""The main screen: the header, the chat pane beside the policy pane, and the footer of key bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from copilot.tui.widgets.chat.activity import ActivityLine
from copilot.tui.widgets.chat.log import ChatLog
from copilot.tui.widgets.chat.prompt import PromptInput
from copilot.tui.widgets.header import StatusHeader
from copilot.tui.widgets.policy.pane import PolicyPane


class ChatScreen(Screen[None]):
    """Only layout: the app's handlers update these widgets, whichever screen is on top.

    The first values (header fields, the welcome note) are given at construction, so the
    very first frame is complete: nothing pops in a moment later.
    """

    AUTO_FOCUS = "#prompt"

    def __init__(self, *, welcome: str, provider: str, target: str, engines: str, engines_ok: bool) -> None:
        super().__init__()
        self.welcome = welcome
        self.status = StatusHeader(provider=provider, target=target, engines=engines, engines_ok=engines_ok)

    def compose(self) -> ComposeResult:
        yield self.status
        with Horizontal(id="main"):
            with Vertical(id="chat-pane"):
                with ChatLog(id="chat"):
                    yield Static(self.welcome, classes="note", markup=False)
                yield ActivityLine(id="activity")
                yield PromptInput(id="prompt")
            yield PolicyPane(id="policy-pane")
        yield Footer()
