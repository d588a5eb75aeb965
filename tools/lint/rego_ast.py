"""Reading the JSON AST of `opa parse`: terms, calls, rules and the paths refs resolve to.

Paths are lists of segments: a field name, or "*" for a dynamic index. Local aliases
are followed, so `obj := input.review.object; some c in obj.spec.containers; c.image`
resolves `c.image` to input.review.object.spec.containers.*.image.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Node = dict[str, Any]
Path = list[str]

TERM_TYPES = frozenset(
    {"null", "boolean", "number", "string", "var", "ref", "call", "array", "object", "set"}
    | {"arraycomprehension", "setcomprehension", "objectcomprehension"}
)
# Operators that bind their first operand: `x := v`, `x = v`.
_ASSIGN_OPS = frozenset({"assign", "eq"})
_MAX_ALIAS_DEPTH = 8


def is_term(node: Any) -> bool:
    """A term has a type and a value."""
    return isinstance(node, dict) and node.get("type") in TERM_TYPES and "value" in node


def walk_terms(node: Any) -> Iterator[Node]:
    """Every term under `node`, depth first (refs, calls, literals, comprehension bodies)."""
    if isinstance(node, dict):
        if is_term(node):
            yield node
        for key, value in node.items():
            if key != "location":
                yield from walk_terms(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk_terms(item)


def walk_exprs(node: Any) -> Iterator[Node]:
    """Every body expression under `node` (they carry `index` and `terms`)."""
    if isinstance(node, dict):
        if "terms" in node and "index" in node:
            yield node
        for key, value in node.items():
            if key != "location":
                yield from walk_exprs(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk_exprs(item)


def operator_name(term: Node) -> str | None:
    """`split` for the operator ref of a call, `object.get` for a dotted builtin."""
    if term.get("type") != "ref":
        return None
    parts = []
    for seg in term["value"]:
        if seg.get("type") in ("var", "string"):
            parts.append(str(seg["value"]))
        else:
            return None
    return ".".join(parts)


def calls(node: Any) -> Iterator[tuple[str, list[Node], Node]]:
    """(builtin or function name, arguments, the call's own node) for every call under `node`.

    Calls appear both as expression terms lists (`split(x, ":")` on its own line) and as
    call terms nested inside other terms.
    """
    for expr in walk_exprs(node):
        terms = expr["terms"]
        if isinstance(terms, list) and terms:
            name = operator_name(terms[0])
            if name:
                yield name, terms[1:], expr
    for term in walk_terms(node):
        if term["type"] == "call" and term["value"]:
            name = operator_name(term["value"][0])
            if name:
                yield name, term["value"][1:], term


def rules(ast: Node) -> list[Node]:
    """The module's rules (functions included)."""
    return list(ast.get("rules") or [])


def rule_name(rule: Node) -> str:
    """The rule's name: `violation`, `deny`, a function's name."""
    head = rule.get("head") or {}
    if head.get("name"):
        return str(head["name"])
    ref = head.get("ref") or []
    return str(ref[0]["value"]) if ref else ""


def location(node: Node | None) -> tuple[int | None, int | None]:
    """(row, col) of a node, when the AST carries locations."""
    loc = (node or {}).get("location") or {}
    return loc.get("row"), loc.get("col")


def string_value(term: Node | None) -> str | None:
    """The value of a string term, else None."""
    if term and term.get("type") == "string":
        return str(term["value"])
    return None


def aliases(rule: Node) -> dict[str, Node]:
    """var -> the term it is bound to, for `x := t`, `x = t`, `some x in coll` and `some k, x in coll`."""
    found: dict[str, Node] = {}
    for name, args, _ in calls(rule):
        if name in _ASSIGN_OPS and len(args) == 2:
            left, right = args
            if left.get("type") == "var" and right.get("type") != "var":
                found.setdefault(str(left["value"]), right)
            elif right.get("type") == "var" and left.get("type") in ("ref", "call"):
                found.setdefault(str(right["value"]), left)
        elif name in ("internal.member_2", "internal.member_3") and args:
            member, collection = args[-2], args[-1]
            if member.get("type") == "var":
                # The element of a collection: its path is the collection's plus a dynamic index.
                found.setdefault(str(member["value"]), {"type": "_element", "value": collection})
    return found


def resolve(term: Node, bound: dict[str, Node], depth: int = 0) -> Path | None:
    """The path a term reads, following aliases and `object.get`; None when it is not a path."""
    if depth > _MAX_ALIAS_DEPTH:
        return None
    kind = term.get("type")
    if kind == "_element":
        base = resolve(term["value"], bound, depth + 1)
        return [*base, "*"] if base is not None else None
    if kind == "var":
        name = str(term["value"])
        if name in bound:
            return resolve(bound[name], bound, depth + 1)
        return [name]
    if kind == "call":
        return _resolve_object_get(term["value"], bound, depth)
    if kind != "ref":
        return None
    segments = term["value"]
    head = resolve(segments[0], bound, depth + 1)
    if head is None:
        return None
    path = list(head)
    for seg in segments[1:]:
        value = string_value(seg)
        path.append(value if value is not None else "*")
    return path


def _resolve_object_get(value: list[Node], bound: dict[str, Node], depth: int) -> Path | None:
    """`object.get(obj, "a", d)` and `object.get(obj, ["a", "b"], d)` read obj.a (obj.a.b)."""
    if not value or operator_name(value[0]) != "object.get" or len(value) < 3:
        return None
    base = resolve(value[1], bound, depth + 1)
    if base is None:
        return None
    key = value[2]
    if key.get("type") == "array":
        keys = [string_value(k) or "*" for k in key["value"]]
        return [*base, *keys]
    return [*base, string_value(key) or "*"]


def rule_paths(rule: Node) -> Iterator[tuple[Path, Node]]:
    """Every path read in a rule, with the term that reads it."""
    bound = aliases(rule)
    for term in walk_terms(rule):
        if term["type"] in ("ref", "call"):
            path = resolve(term, bound)
            if path is not None and len(path) > 1:
                yield path, term


def module_paths(ast: Node) -> Iterator[tuple[Path, Node]]:
    """Every path read anywhere in the module."""
    for rule in rules(ast):
        yield from rule_paths(rule)


def imports(ast: Node) -> list[str]:
    """Imported paths as dotted strings (`data.lib.pods`)."""
    out = []
    for imp in ast.get("imports") or []:
        path = resolve(imp.get("path") or {}, {})
        if path:
            out.append(".".join(path))
    return out


def strings(ast: Node) -> set[str]:
    """Every string literal in the module."""
    return {str(t["value"]) for t in walk_terms(ast.get("rules") or []) if t["type"] == "string"}
