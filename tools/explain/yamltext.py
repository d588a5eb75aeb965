"""Rendering values as YAML text the way a person would write them in a manifest."""

from __future__ import annotations

from typing import Any

import yaml

_WIDE = 1 << 16  # never fold long strings: a folded image reference is hard to read


class _IndentedDumper(yaml.SafeDumper):
    """Indents block sequences under their key ("  - name: x"), as kubectl docs and most repos do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def dump_block(value: Any, *, indent_sequences: bool = False) -> str:
    """Block-style YAML of `value` without a trailing newline or document end marker."""
    dumper = _IndentedDumper if indent_sequences else yaml.SafeDumper
    text = yaml.dump(
        value,
        Dumper=dumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=_WIDE,
    )
    return _strip_end(text)


def dump_flow(value: Any) -> str:
    """One-line YAML of `value`: a plain or quoted scalar, or a flow [list] / {mapping}."""
    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, allow_unicode=True, width=_WIDE)
    return _strip_end(text)


def _strip_end(text: str) -> str:
    text = text.rstrip("\n")
    if text.endswith("\n..."):
        text = text[: -len("\n...")]
    elif text == "...":
        text = ""
    return text.rstrip("\n")


def dump_entry(key: str, value: Any, *, indent_sequences: bool = False) -> list[str]:
    """`key: value` as lines (a nested value on the lines below, indented two spaces)."""
    if isinstance(value, dict | list) and value:
        return dump_block({key: value}, indent_sequences=indent_sequences).splitlines()
    return [f"{dump_flow(key)}: {dump_flow(value)}"]


def dump_item(value: Any, *, indent_sequences: bool = False) -> list[str]:
    """`- value` as lines, for one list element."""
    if isinstance(value, dict | list) and value:
        return dump_block([value], indent_sequences=indent_sequences).splitlines()
    return [f"- {dump_flow(value)}"]
