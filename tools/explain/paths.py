"""Field paths as policies print them ("spec.containers[0].securityContext", `metadata.labels["a/b"]`).

A path is a list of tokens: str for mapping keys, int for list indices. Policies quote
keys that hold dots or slashes the way Go's %q does, so the parser reads those too.
"""

from __future__ import annotations

import json
import re
from typing import Any

Token = str | int
Path = list[Token]

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_MISSING = object()


def parse(path: str) -> Path:
    """'spec.containers[0].securityContext' -> ['spec', 'containers', 0, 'securityContext'].

    Raises ValueError on a path it cannot read (an unbalanced bracket, a bad quote).
    """
    tokens: Path = []
    i, n = 0, len(path)
    while i < n:
        char = path[i]
        if char == ".":
            i += 1
        elif char == "[":
            end = _bracket_end(path, i)
            inner = path[i + 1 : end]
            if inner.startswith('"'):
                tokens.append(json.loads(inner))
            elif inner.lstrip("-").isdigit():
                tokens.append(int(inner))
            else:
                tokens.append(inner)
            i = end + 1
        else:
            end = i
            while end < n and path[end] not in ".[":
                end += 1
            tokens.append(path[i:end])
            i = end
    return tokens


def _bracket_end(path: str, start: int) -> int:
    if path.startswith('["', start):
        i = start + 2
        while i < len(path):
            if path[i] == "\\":
                i += 2
                continue
            if path[i] == '"':
                if path.startswith("]", i + 1):
                    return i + 1
                break
            i += 1
        raise ValueError(f"unbalanced quote in path {path!r}")
    end = path.find("]", start)
    if end < 0:
        raise ValueError(f"unbalanced bracket in path {path!r}")
    return end


def format_path(tokens: Path) -> str:
    """The inverse of parse: keys with dots, slashes or spaces are written ["like/this"]."""
    out = ""
    for token in tokens:
        if isinstance(token, int):
            out += f"[{token}]"
        elif _PLAIN_KEY.match(token):
            out += f".{token}" if out else token
        else:
            out += f"[{json.dumps(token, ensure_ascii=False)}]"
    return out


def get(data: Any, tokens: Path, default: Any = None) -> Any:
    """The value at `tokens`, or `default` when any step is missing or of the wrong type."""
    current = data
    for token in tokens:
        if isinstance(token, int):
            if not isinstance(current, list) or not -len(current) <= token < len(current):
                return default
            current = current[token]
        else:
            if not isinstance(current, dict) or token not in current:
                return default
            current = current[token]
    return current


def has(data: Any, tokens: Path) -> bool:
    """True when every step of `tokens` exists (the value may be null)."""
    return get(data, tokens, _MISSING) is not _MISSING


def mapping(data: Any, tokens: Path) -> dict[str, Any] | None:
    """The mapping at `tokens`, creating missing (or null) mappings on the way.

    Returns None when something that is not a mapping (a list, a string) is in the way:
    the object is not shaped as the policy expects, and a strategy should not guess.
    """
    current = data
    for token in tokens:
        if isinstance(token, int):
            if not isinstance(current, list) or not 0 <= token < len(current):
                return None
            current = current[token]
            continue
        if not isinstance(current, dict):
            return None
        if current.get(token) is None:
            current[token] = {}
        current = current[token]
    return current if isinstance(current, dict) else None


def set_value(data: Any, tokens: Path, value: Any) -> bool:
    """Sets the key at `tokens` (creating parent mappings); False when the shape does not allow it."""
    if not tokens or not isinstance(tokens[-1], str):
        return False
    parent = mapping(data, tokens[:-1])
    if parent is None:
        return False
    parent[tokens[-1]] = value
    return True


def remove(data: Any, tokens: Path, *, prune: bool = True) -> bool:
    """Deletes the key (or list item) at `tokens`; with `prune`, mappings left empty go too.

    An empty securityContext or capabilities block means the same as none to Kubernetes,
    and leaving `securityContext: {}` behind would only add noise to the diff.
    """
    if not tokens:
        return False
    parent = get(data, tokens[:-1])
    last = tokens[-1]
    if isinstance(last, int):
        if not isinstance(parent, list) or not 0 <= last < len(parent):
            return False
        del parent[last]
    else:
        if not isinstance(parent, dict) or last not in parent:
            return False
        del parent[last]
    if prune and len(tokens) > 1 and isinstance(parent, dict | list) and not parent:
        remove(data, tokens[:-1], prune=True)
    return True
