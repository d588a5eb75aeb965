"""kpc/naive-image-split: an image reference split on ":" as a whole, which breaks on registry ports."""

from __future__ import annotations

import re

from tools.lint.context import RuleContext
from tools.lint.models import RuleInfo
from tools.lint.rego_ast import Node, aliases, calls, resolve, rules, string_value
from tools.models import Finding

RULE = RuleInfo(
    id="kpc/naive-image-split",
    level="warning",
    title="Image tag parsed by splitting the whole reference on ':'",
    description=(
        'split(image, ":"), indexof(image, ":") or contains(image, ":") on a full image '
        "reference also find the ':' of a registry port (registry.example.com:5000/app), so the "
        "tag comes out wrong and untagged images look tagged."
    ),
)

# Builtins that look for ":" in their first argument (regex.split takes the pattern first).
_SUBJECT_FIRST = frozenset({"split", "indexof", "indexof_n", "contains"})
_IMAGE_VAR_RE = re.compile(r"^(image|img|image_?ref(erence)?|image_?name|container_?image)s?$", re.IGNORECASE)


def _is_image(term: Node, bound: dict[str, Node]) -> bool:
    path = resolve(term, bound)
    if not path:
        return False
    if path[-1] == "image":
        return True
    return len(path) == 1 and bool(_IMAGE_VAR_RE.match(path[0]))


def _subject(name: str, args: list[Node]) -> Node | None:
    if name in _SUBJECT_FIRST and len(args) >= 2 and string_value(args[1]) == ":":
        return args[0]
    if name == "regex.split" and len(args) >= 2 and string_value(args[0]) == ":":
        return args[1]
    return None


def check(ctx: RuleContext) -> list[Finding]:
    """A finding per call that looks for ':' in a whole image reference."""
    found = []
    for rule in rules(ctx.ast):
        bound = aliases(rule)
        for name, args, node in calls(rule):
            subject = _subject(name, args)
            if subject is None or not _is_image(subject, bound):
                continue
            found.append(
                ctx.finding(
                    RULE,
                    f"{name}() looks for ':' in the whole image reference: "
                    "'registry.example.com:5000/app' has a ':' in its registry port and no tag; take the "
                    "text after the last '/' first, or use data.lib.images.parse(image).tag",
                    node,
                )
            )
    return found
