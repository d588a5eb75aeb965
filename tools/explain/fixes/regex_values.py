"""Values for a key the constraint requires to match a regex: literal answers, choices, and placeholders.

Gatekeeper's regexes are Go RE2; the ones constraints use for label values (classes,
alternations, repeats) read the same in Python, and every value proposed here is checked
with a full match before it is used. A pattern Python cannot read yields no value.
"""

from __future__ import annotations

import re
import re._parser as _sre  # the re module's own parser; its old name, sre_parse, warns since 3.11
from typing import Any

# Recognisable as "replace me" in a review, tried in this order.
PLACEHOLDERS = ("change-me", "changeme", "CHANGE-ME", "change_me", "ChangeMe", "todo", "TODO", "unknown")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


def compiled(pattern: str) -> re.Pattern[str] | None:
    """The pattern anchored as the policies anchor it (^(?:...)$), or None if Python cannot read it."""
    try:
        return re.compile(f"^(?:{pattern})$")
    except re.error:
        return None


def valid_label_value(value: str) -> bool:
    """Kubernetes label values: up to 63 characters, alphanumeric at both ends, '-', '_', '.' inside."""
    return len(value) <= 63 and bool(_LABEL_VALUE.match(value))


def matches(pattern: str | None, value: str, *, label: bool) -> bool:
    """True when `value` is acceptable: it fully matches `pattern` (if any) and, for labels, is valid."""
    if label and not valid_label_value(value):
        return False
    if not pattern:
        return True
    regex = compiled(pattern)
    return bool(regex and regex.match(value))


def _parsed(pattern: str) -> Any:
    try:
        return _sre.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None


def _literal(items: Any) -> str | None:
    """The text of a parsed pattern made only of literal characters, else None."""
    chars = []
    for op, arg in items:
        if str(op) == "LITERAL":
            chars.append(chr(arg))
        elif str(op) == "SUBPATTERN":
            inner = _literal(arg[-1])
            if inner is None:
                return None
            chars.append(inner)
        else:
            return None
    return "".join(chars)


def literal(pattern: str) -> str | None:
    """The one value a pattern allows when it is plain text ('team-a', 'prod'), else None."""
    parsed = _parsed(pattern)
    return _literal(parsed) if parsed is not None else None


def choices(pattern: str) -> list[str]:
    """The values of a pattern that is an alternation of plain texts ('prod|staging|dev'), else []."""
    parsed = _parsed(pattern)
    if parsed is None:
        return []
    items = list(parsed)
    while len(items) == 1 and str(items[0][0]) == "SUBPATTERN":
        items = list(items[0][1][-1])
    if len(items) != 1 or str(items[0][0]) != "BRANCH":
        return []
    found = []
    for branch in items[0][1][1]:
        text = _literal(branch)
        if text is None:
            return []
        found.append(text)
    return found


def _example(items: Any, depth: int = 0) -> str:
    """A short string the parsed pattern matches (may be wrong for exotic patterns: callers check)."""
    if depth > 50:
        return ""
    out = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "ANY":
            out.append("x")
        elif name == "IN":
            out.append(_class_member(arg))
        elif name == "SUBPATTERN":
            out.append(_example(arg[-1], depth + 1))
        elif name == "BRANCH":
            out.append(_example(arg[1][0], depth + 1))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, inner = arg
            out.append(_example(inner, depth + 1) * max(int(low), 1))
        elif name == "CATEGORY":
            out.append("0" if "DIGIT" in str(arg) else "a")
    return "".join(out)


def _class_member(members: Any) -> str:
    for op, arg in members:
        name = str(op)
        if name == "NEGATE":
            return "x"
        if name == "LITERAL":
            return chr(arg)
        if name == "RANGE":
            low, high = arg
            for preferred in "az09AZ":
                if low <= ord(preferred) <= high:
                    return preferred
            return chr(low)
        if name == "CATEGORY":
            return "0" if "DIGIT" in str(arg) else "a"
    return "x"


def placeholder(pattern: str | None, *, label: bool) -> str | None:
    """A value that is obviously a placeholder when the pattern allows one, else the shortest example."""
    for candidate in PLACEHOLDERS:
        if matches(pattern, candidate, label=label):
            return candidate
    if not pattern:
        return None
    parsed = _parsed(pattern)
    example = _example(parsed) if parsed is not None else ""
    if not example or not matches(pattern, example, label=label):
        return None
    # Work a recognisable word into the example ("change-me@example.com", "https://change-me").
    for candidate in PLACEHOLDERS:
        for i in range(len(example) + 1):
            for spliced in (
                example[:i] + candidate + example[i + 1 :],
                example[:i] + candidate + example[i:],
            ):
                if matches(pattern, spliced, label=label):
                    return spliced
    return example
