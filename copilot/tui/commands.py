"""Slash commands typed in the chat input: parsing and help text (no UI here, so it is tested alone)."""

from __future__ import annotations

from dataclasses import dataclass

from tools.errors import InputError

TARGETS = ("gatekeeper", "conftest", "both")


@dataclass(frozen=True)
class CommandSpec:
    """One command: its name, the argument it takes (if any) and a one-line description."""

    name: str
    argument: str
    help: str

    @property
    def usage(self) -> str:
        return f"/{self.name} {self.argument}".rstrip()


COMMANDS: dict[str, CommandSpec] = {
    spec.name: spec
    for spec in (
        CommandSpec("save", "DIR", "write the current policy bundle to DIR (asks before overwriting)"),
        CommandSpec("target", "gatekeeper|conftest|both", "what the next request drafts"),
        CommandSpec("provider", "NAME", "switch the model provider (offline, openai, mock, ...)"),
        CommandSpec("scan", "PATH", "impact preview: what the current policy would deny under PATH"),
        CommandSpec("explain", "FILE", "why the current policy denies the manifest in FILE"),
        CommandSpec("eval", "SUITE", "run an eval suite with the current provider"),
        CommandSpec("new", "", "start a new conversation (forget the current policy)"),
        CommandSpec("help", "", "show commands and key bindings"),
    )
}

# Key bindings as shown in the help screen; the footer shows the same ones from the app's BINDINGS.
KEYS: tuple[tuple[str, str], ...] = (
    ("enter", "send the request or command"),
    ("esc", "cancel the running request"),
    ("ctrl+s", "save the current policy (asks for a folder)"),
    ("ctrl+n", "new conversation"),
    ("up / down", "previous / next input from history"),
    ("tab", "move between the input, the policy tabs and the tables (arrows switch tabs and rows)"),
    ("f1", "help"),
    ("ctrl+q", "quit"),
)


@dataclass(frozen=True)
class Command:
    """A parsed command line: the command name and its argument ('' when none)."""

    name: str
    argument: str = ""


def parse_command(text: str) -> Command | None:
    """The command in `text`, or None when it is a plain request for the agent.

    Raises InputError for an unknown command or a missing or invalid argument, with
    the usage in the hint, so the UI can show it as one notification.
    """
    text = text.strip()
    if not text.startswith("/"):
        return None
    name, _, argument = text[1:].partition(" ")
    name, argument = name.lower(), argument.strip()
    spec = COMMANDS.get(name)
    if spec is None:
        raise InputError(f"unknown command /{name}", hint="type /help for the list")
    if spec.argument and not argument:
        raise InputError(f"/{name} needs {spec.argument}", hint=f"usage: {spec.usage}")
    if not spec.argument and argument:
        raise InputError(f"/{name} takes no argument", hint=f"usage: {spec.usage}")
    if name == "target" and argument.lower() not in TARGETS:
        raise InputError(f"unknown target {argument!r}", hint=f"choose one of: {', '.join(TARGETS)}")
    if name == "target":
        argument = argument.lower()
    return Command(name, argument)


def help_markdown() -> str:
    """The help screen's text: commands, then keys."""
    lines = ["## Commands", ""]
    lines += [f"- `{spec.usage}` — {spec.help}" for spec in COMMANDS.values()]
    lines += ["", "Anything else you type is a request: the first one drafts a policy,"]
    lines += ["the next ones refine it in the same conversation.", ""]
    lines += ["## Keys", ""]
    lines += [f"- `{key}` — {action}" for key, action in KEYS]
    lines += ["", "esc, q or f1 closes this help."]
    return "\n".join(lines)
