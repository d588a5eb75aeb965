"""Object changes: computing them (before -> after), applying them, and showing them as a YAML diff."""

from __future__ import annotations

import copy
from typing import Any

from tools.explain import paths
from tools.explain.models import FieldChange
from tools.explain.yamltext import dump_entry, dump_flow, dump_item


def _change(op: str, tokens: paths.Path, before: Any = None, after: Any = None) -> FieldChange:
    return FieldChange(
        op=op,  # type: ignore[arg-type]
        path=paths.format_path(tokens),
        tokens=list(tokens),
        before=copy.deepcopy(before),
        after=copy.deepcopy(after),
    )


def diff(before: Any, after: Any, prefix: paths.Path | None = None) -> list[FieldChange]:
    """The smallest list of changes turning `before` into `after`, in document order.

    Mappings are compared key by key; lists of equal length element by element; a list
    that grew or shrank is replaced whole (removing items by index would shift the rest).
    """
    tokens: paths.Path = list(prefix or [])
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[FieldChange] = []
        for key, old in before.items():
            if key not in after:
                changes.append(_change("remove", [*tokens, key], before=old))
            elif old != after[key] or type(old) is not type(after[key]):
                changes += diff(old, after[key], [*tokens, key])
        for key, new in after.items():
            if key not in before:
                changes.append(_change("add", [*tokens, key], after=new))
        return changes
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after) and tokens:
        changes = []
        for i, (old, new) in enumerate(zip(before, after, strict=True)):
            if old != new or type(old) is not type(new):
                changes += diff(old, new, [*tokens, i])
        return changes
    if before == after and type(before) is type(after):
        return []
    return [_change("replace", tokens, before=before, after=after)]


def apply(data: Any, changes: list[FieldChange], prefix: paths.Path | None = None) -> Any:
    """A copy of `data` with `changes` applied (their paths relative to `prefix` inside data)."""
    result = copy.deepcopy(data)
    base: paths.Path = list(prefix or [])
    for change in changes:
        tokens = [*base, *change.tokens]
        if change.op == "remove":
            paths.remove(result, tokens, prune=False)
            continue
        parent = paths.get(result, tokens[:-1])
        last = tokens[-1]
        if isinstance(last, int) and isinstance(parent, list) and 0 <= last < len(parent):
            parent[last] = copy.deepcopy(change.after)
            continue
        if isinstance(last, str) and isinstance(parent, dict):
            parent[last] = copy.deepcopy(change.after)
            continue
        raise ValueError(f"cannot apply a change at {change.path}: the object has another shape there")
    return result


def _context_line(obj: Any, tokens: paths.Path, depth: int) -> tuple[str, int]:
    """The context line for tokens[depth] (a key, or a list item named by its `name`) and the child indent."""
    token = tokens[depth]
    if isinstance(token, int):
        item = paths.get(obj, tokens[: depth + 1])
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            return f"- name: {dump_flow(item['name'])}", 2
        return f"- # [{token}]", 2
    return f"{dump_flow(token)}:", 2


def _lines(leaf: paths.Token, value: Any) -> list[str]:
    if isinstance(leaf, int):
        return dump_item(value, indent_sequences=True)
    return dump_entry(leaf, value, indent_sequences=True)


def render(obj: Any, changes: list[FieldChange]) -> str:
    """The changes as a YAML diff against `obj`: shared context once, '-' old lines, '+' new lines.

    List items on the way are named by their `name` (containers, volumes), so a reader
    sees which container a change is in without counting indices.
    """
    lines: list[str] = []
    printed: set[tuple[paths.Token, ...]] = set()
    for change in changes:
        tokens = change.tokens
        indent = 0
        for depth in range(len(tokens) - 1):
            text, step = _context_line(obj, tokens, depth)
            key = tuple(tokens[: depth + 1])
            if key not in printed:
                printed.add(key)
                lines.append("  " + " " * indent + text)
            # A named list item's first line already shows its name; its keys go under it.
            indent += step
        leaf = tokens[-1] if tokens else ""
        pad = " " * indent
        if change.op != "add":
            old = _lines(leaf, change.before)
            lines += [f"- {pad}{line}" for line in old]
        if change.op != "remove":
            new = _lines(leaf, change.after)
            lines += [f"+ {pad}{line}" for line in new]
    return "\n".join(lines)
