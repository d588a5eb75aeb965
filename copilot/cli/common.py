"""Shared CLI pieces: the --format option, JSON output, reading paths."""

from __future__ import annotations

import json
from typing import Any

import click
from pydantic import BaseModel


def format_option(*choices: str, default: str = "text") -> Any:
    """`--format` with the given choices (text and json at least)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices) or ["text", "json"]),
        default=default,
        show_default=True,
        help="Output format.",
    )


def to_jsonable(value: Any) -> Any:
    """pydantic models and lists of them as plain JSON-able data."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    return value


def echo_json(value: Any) -> None:
    """Prints one JSON document on stdout (for scripting: nothing else goes to stdout)."""
    click.echo(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False))


# `--policies` for the commands that evaluate manifests (scan, explain): one definition, one wording.
policies_option = click.option(
    "--policies",
    "-p",
    "policy_paths",
    multiple=True,
    metavar="DIR",
    help="ConstraintTemplates + Constraints (folders or files, repeatable); a bundle "
    "folder from `kpc ask` works too. Default: the exemplar corpus.",
)
