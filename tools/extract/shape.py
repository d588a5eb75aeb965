"""Typed views of untrusted manifest data: a field of the wrong type reads as empty."""

from __future__ import annotations

from typing import Any


def as_dict(value: Any) -> dict[str, Any]:
    """`value` when it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """`value` when it is a sequence, else an empty one."""
    return value if isinstance(value, list) else []
