"""Generates docs/cli.md from the real `--help` of every command (CI fails when it is stale).

python -m copilot.cli.docs           # write docs/cli.md
python -m copilot.cli.docs --check   # exit 1 when docs/cli.md differs
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import click

from copilot.cli import COMMANDS, cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def _help(command: click.Command, path: list[str]) -> str:
    with click.Context(command, info_name=" ".join(path), terminal_width=100, max_content_width=100) as ctx:
        return command.get_help(ctx)


def _sections(command: click.Command, path: list[str]) -> list[str]:
    out = [f"{'#' * min(len(path) + 1, 4)} `{' '.join(path)}`", "", "```", _help(command, path), "```", ""]
    if isinstance(command, click.Group):
        ctx = click.Context(command, info_name=path[-1])
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                out += _sections(sub, [*path, name])
    return out


def render() -> str:
    """The whole CLI reference as markdown."""
    lines = [
        "# CLI reference",
        "",
        "Generated from `--help` by `python -m copilot.cli.docs`; do not edit by hand.",
        "",
    ]
    lines += _sections(cli, ["kpc"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    assert COMMANDS  # every registered command must import for the reference to be complete
    text = render()
    if args.check:
        if not DOC.is_file() or DOC.read_text() != text:
            print("docs/cli.md is stale: run `python -m copilot.cli.docs`", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
