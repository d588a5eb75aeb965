"""The `kpc chat` app: layout, key bindings and the routing of what is typed.

    app = make_app(provider="offline", target="both")
    app.run()

The request flow lives in agent_jobs.py, the tool commands in tool_jobs.py, /eval in
eval_jobs.py, the layout in screens/chat.py; this file wires them to what is typed.
"""

from __future__ import annotations

from pathlib import Path

from textual import events, on
from textual.binding import Binding
from textual.widgets import Input

from copilot.llm import ChatModel, get_model
from copilot.tui.agent_jobs import AgentJobs
from copilot.tui.commands import Command, parse_command
from copilot.tui.eval_jobs import EvalJobs
from copilot.tui.screens.ask_path import AskPathScreen
from copilot.tui.screens.help import HelpScreen
from copilot.tui.session import Session
from copilot.tui.status import provider_label
from copilot.tui.tool_jobs import ToolJobs
from copilot.tui.widgets.chat.prompt import PromptInput
from tools.errors import KpcError

WELCOME = (
    "Describe the admission policy you want in plain English. The copilot drafts Rego, "
    "writes fixtures, runs opa, regal, gator and conftest, repairs, and answers only "
    "with a verified policy. Follow-ups refine it. /help lists commands."
)


class CopilotApp(AgentJobs, ToolJobs, EvalJobs):
    """The terminal copilot. Build it with make_app()."""

    TITLE = "Kube PAC Copilot"
    welcome = WELCOME
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+s", "save", "save", priority=True),
        Binding("ctrl+n", "new", "new", priority=True),
        Binding("escape", "cancel", "cancel"),
        Binding("f1", "help", "help"),
        Binding("ctrl+q", "quit", "quit", priority=True),
    ]

    def __init__(self, session: Session, *, mock_script: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.mock_script = mock_script

    def on_mount(self) -> None:
        status = self.main_screen.status
        if not status.engines_ok:
            self.notify(
                f"policy engines {status.engines}: run `make setup`, then `kpc doctor`", severity="error"
            )

    def on_key(self, event: events.Key) -> None:
        """Typing while the policy pane has the focus goes to the chat input, as one expects."""
        typed = event.is_printable and event.character
        if typed and self.screen is self.main_screen and not isinstance(self.focused, Input):
            self.prompt.focus()
            self.prompt.insert_text_at_cursor(event.character or "")
            event.stop()

    @on(PromptInput.Sent)
    def _sent(self, message: PromptInput.Sent) -> None:
        try:
            command = parse_command(message.text)
            if command is None:
                self.ask(message.text)
            else:
                self.run_command(command)
        except KpcError as exc:
            self.notify(str(exc), severity="error")

    def run_command(self, command: Command) -> None:
        """Dispatches a parsed command; KpcError goes back to the caller as a notification."""
        handlers = {
            "save": self.save,
            "target": self.set_target,
            "provider": self.set_provider,
            "scan": self.scan,
            "explain": self.explain,
            "eval": self.evaluate,
        }
        if command.name in handlers:
            handlers[command.name](command.argument)
        elif command.name == "new":
            self.action_new()
        elif command.name == "help":
            self.action_help()

    def set_target(self, target: str) -> None:
        self.session.set_target(target)
        self.header.target = target
        self.chat.add_note(f"target: {target} (applies to the next request)")

    def set_provider(self, name: str) -> None:
        if self.busy:
            raise KpcError("a request or eval is running", hint="wait for it or press esc, then switch")
        model: ChatModel = get_model(name, mock_script=self.mock_script if name == "mock" else None)
        self.session.model = model
        self.header.provider = provider_label(model)
        self.chat.add_note(f"provider: {provider_label(model)} (applies to the next request)")

    def action_new(self) -> None:
        if self.busy:
            self.notify("A request or eval is running: press esc to cancel it first.", severity="warning")
            return
        self.session.new_thread()
        self.chat.clear_entries()
        self.pane.clear()
        self.header.policy = ""
        self.chat.add_note("new conversation")

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_save(self) -> None:
        """ctrl+s: asks where, proposing out/<policy-id>."""
        if self.session.current is None:
            self.notify("There is no policy to save yet.", severity="warning")
            return
        default = f"out/{self.session.current.draft.policy_id}"

        def chosen(folder: str | None) -> None:
            if folder:
                try:
                    self.save(folder)
                except KpcError as exc:
                    self.notify(str(exc), severity="error")

        self.push_screen(AskPathScreen("Save the policy bundle to:", default), chosen)

    async def action_quit(self) -> None:
        if self._cancel is not None:
            self._cancel.set()  # let the agent thread stop instead of running on unseen
        self.exit()


def make_app(
    *,
    provider: str = "offline",
    target: str = "both",
    mock_script: str | Path | None = None,
    model: ChatModel | None = None,
    max_rounds: int | None = None,
    retrieval: str = "auto",
) -> CopilotApp:
    """The app as `kpc chat` and the tests build it. `model` (e.g. a scripted MockModel) beats `provider`."""
    script = str(mock_script) if mock_script else None
    chat_model = model or get_model(provider, mock_script=script)
    session = Session(model=chat_model, target=target, max_rounds=max_rounds, retrieval=retrieval)
    return CopilotApp(session, mock_script=script)
