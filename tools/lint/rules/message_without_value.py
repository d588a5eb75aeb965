"""kpc/message-without-value: a violation message that is a constant string."""

from __future__ import annotations

import re

from tools.lint.context import RuleContext
from tools.lint.models import RuleInfo
from tools.lint.rego_ast import Node, aliases, operator_name, rule_name, rules, string_value
from tools.models import Finding

RULE = RuleInfo(
    id="kpc/message-without-value",
    level="warning",
    title="Violation message without the offending value",
    description=(
        "The message of a violation (Gatekeeper) or deny/warn (conftest) rule is a constant string: "
        "it does not say which object, container or value failed. Build it with sprintf."
    ),
)

_ENTRYPOINT_RE = re.compile(r"^(violation|deny|warn)(_\w+)?$")
_LITERALS = frozenset({"string", "number", "boolean", "null"})


def _message_term(rule: Node) -> Node | None:
    """The term that becomes the message: the `msg` of an object key, or the key/value itself."""
    head = rule.get("head") or {}
    term = head.get("key") or head.get("value")
    if term and term.get("type") == "object":
        for key, value in term["value"]:
            if string_value(key) == "msg":
                return dict(value)
        return None
    return term


def _constant(term: Node, bound: dict[str, Node], depth: int = 0) -> bool:
    """True when the message can only ever be one fixed text."""
    if depth > 8:
        return False
    kind = term.get("type")
    if kind == "string":
        return True
    if kind == "var":
        name = str(term["value"])
        return name in bound and _constant(bound[name], bound, depth + 1)
    if kind == "call":
        operator = operator_name(term["value"][0])
        args = term["value"][1:]
        if operator in ("sprintf", "concat") and len(args) == 2:
            values = args[1]
            if values.get("type") in ("array", "set"):
                return all(v.get("type") in _LITERALS for v in values["value"])
    return False


def check(ctx: RuleContext) -> list[Finding]:
    """A finding per entrypoint rule whose message is constant."""
    found = []
    for rule in rules(ctx.ast):
        if not _ENTRYPOINT_RE.match(rule_name(rule)) or (rule.get("head") or {}).get("args"):
            continue
        term = _message_term(rule)
        if term is None:
            continue
        bound = aliases(rule)
        if _constant(term, bound):
            name = str(term["value"]) if term.get("type") == "var" else None
            node = bound.get(name, term) if name else term
            found.append(
                ctx.finding(
                    RULE,
                    f"the {rule_name(rule)} message is a constant text: name the object and the value that "
                    'failed, e.g. sprintf("%s %s: container %q ...", [obj.kind, obj.metadata.name, c.name])',
                    node if node.get("location") else rule,
                )
            )
    return found
