"""The main screen: the header, the chat pane beside the policy pane, and the footer of key bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer

from copilot.tui.widgets.chat.activity import ActivityLine
from copilot.tui.widgets.chat.log import ChatLog
from copilot.tui.widgets.chat.prompt import PromptInput
from copilot.tui.widgets.header import StatusHeader
from copilot.tui.widgets.policy.pane import PolicyPane


class ChatScreen(Screen[None]):
    """Only layout: the app's handlers update these widgets, whichever screen is on top."""

    def compose(self) -> ComposeResult:
        yield StatusHeader()
        with Horizontal(id="main"):
            with Vertical(id="chat-pane"):
                yield ChatLog(id="chat")
                yield ActivityLine(id="activity")
                yield PromptInput(id="prompt")
            yield PolicyPane(id="policy-pane")
        yield Footer()
