"""Syntax colouring for the policy pane: Rego, YAML and unified diffs, as rich Text.

Pygments has no Rego lexer, and a handful of regular expressions cover what a reader
needs to scan a policy: keywords, rule heads, strings, comments, numbers, builtins.
Styles are concrete colours (not theme names) so screenshots look the same everywhere.
"""

from __future__ import annotations

import re

from rich.text import Text

REGO_KEYWORDS = ("package import if contains some in every default not else with as true false null").split()

# One scanner per language: alternatives are tried left to right at each position and
# the match consumes its text, so a keyword inside a string or comment stays a string.
REGO_TOKENS: tuple[tuple[str, str, str], ...] = (
    ("comment", r"#.*$", "italic #7f848e"),
    ("string", r'"(?:[^"\\]|\\.)*"|`[^`]*`', "#98c379"),
    ("head", r"^[a-z_][A-Za-z0-9_]*(?=\(|\s+(?:contains|if|:=|=)\b|\s*\{)", "bold #61afef"),
    ("keyword", r"\b(?:" + "|".join(REGO_KEYWORDS) + r")\b", "bold #c678dd"),
    ("call", r"\b(?:[a-z_][A-Za-z0-9_]*\.)*[a-z_][A-Za-z0-9_]*(?=\()", "#56b6c2"),
    ("ref", r"\b(?:input|data)\b(?:\.[A-Za-z_][A-Za-z0-9_]*)*", "#e5c07b"),
    ("number", r"\b\d+(?:\.\d+)?\b", "#d19a66"),
)

YAML_TOKENS: tuple[tuple[str, str, str], ...] = (
    ("comment", r"(?:^|(?<=\s))#.*$", "italic #7f848e"),
    ("separator", r"^---.*$", "bold #7f848e"),
    ("key", r"[A-Za-z0-9_.\-/]+(?=:(?:\s|$))", "#61afef"),
    ("string", r"\"(?:[^\"\\]|\\.)*\"|'[^']*'", "#98c379"),
    ("constant", r"\b(?:true|false|null)\b", "#c678dd"),
    ("number", r"(?<![\w.-])\d+(?:\.\d+)?(?![\w.-])", "#d19a66"),
)


def _scanner(tokens: tuple[tuple[str, str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    pattern = "|".join(f"(?P<{name}>{regex})" for name, regex, _ in tokens)
    return re.compile(pattern, re.MULTILINE), {name: style for name, _, style in tokens}


_REGO = _scanner(REGO_TOKENS)
_YAML = _scanner(YAML_TOKENS)


def _colour(source: str, scanner: tuple[re.Pattern[str], dict[str, str]]) -> Text:
    # Rego is tab-indented; a terminal cell grid shows 4 spaces the same everywhere.
    source = source.expandtabs(4)
    pattern, styles = scanner
    text = Text(source, no_wrap=True, end="")
    for match in pattern.finditer(source):
        if match.lastgroup:
            text.stylize(styles[match.lastgroup], match.start(), match.end())
    return text


def rego(source: str) -> Text:
    """Rego source, coloured."""
    return _colour(source, _REGO)


def yaml_text(source: str) -> Text:
    """YAML, coloured."""
    return _colour(source, _YAML)


def for_file(name: str, content: str) -> Text:
    """Colouring chosen by file name; plain text for anything else."""
    if name.endswith(".rego"):
        return rego(content)
    if name.endswith((".yaml", ".yml")):
        return yaml_text(content)
    return Text(content, no_wrap=True, end="")


def diff(unified: str) -> Text:
    """A unified diff with added lines green, removed red and hunk headers dim."""
    out = Text(no_wrap=True, end="")
    for line in unified.expandtabs(4).splitlines():
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("@@"):
            style = "#56b6c2"
        elif line.startswith("+"):
            style = "#98c379"
        elif line.startswith("-"):
            style = "#e06c75"
        else:
            style = ""
        out.append(line + "\n", style=style)
    out.rstrip()
    return out
