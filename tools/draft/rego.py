"""Rego for drafts: renamed exemplar packages, composed sources, and tests generated from fixtures.

Everything written here is already in `opa fmt` layout (tabs, one key per line, trailing
commas), so the bundle passes the formatter check without running it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tools.draft.models import Fixture

_PACKAGE = re.compile(r"^package\s+[\w.]+", re.MULTILINE)
_HEADER_COMMENT = re.compile(r"\A(?:#[^\n]*\n)+")


def rename_package(source: str, package: str) -> str:
    """The module with its package line replaced."""
    return _PACKAGE.sub(f"package {package}", source, count=1)


def lib_name(exemplar_id: str) -> str:
    """The library module name of an exemplar inside a composed draft: 'host-namespaces' -> 'host_namespaces'."""
    return exemplar_id.replace("-", "_")


def kind_guard(kinds: list[str]) -> str:
    """A Rego condition (inside a rule body) that the reviewed object is of one of `kinds`."""
    if len(kinds) == 1:
        return f'input.review.object.kind == "{kinds[0]}"'
    items = "".join(f'\t\t"{k}",\n' for k in sorted(kinds))
    return "input.review.object.kind in {\n" + items + "\t}"


def kinds_from_source(source: str, lib: str) -> list[str]:
    """The kinds a composed src.rego keeps one library to (the inverse of kind_guard; [] when none)."""
    match = re.search(
        r'input\.review\.object\.kind (?:== "(\w+)"|in \{([^}]*)\})\n\tsome found in '
        + re.escape(lib)
        + r"\.violation\b",
        source,
    )
    if not match:
        return []
    return [match.group(1)] if match.group(1) else re.findall(r'"(\w+)"', match.group(2))


def compose_source(
    package: str,
    exemplar_ids: list[str],
    filters: dict[str, str] | None = None,
    guards: dict[str, str] | None = None,
) -> str:
    """src.rego of a composed draft: the union of each exemplar library's violations.

    `guards` (exemplar id -> condition on the object) keeps a library to its own kinds when the
    constraint matches more; `filters` (exemplar id -> condition on `found`) keeps only some checks.
    """
    names = [lib_name(i) for i in exemplar_ids]
    conditions = {lib_name(i): c for i, c in (filters or {}).items()}
    before = {lib_name(i): c for i, c in (guards or {}).items()}
    lines = [
        f"package {package}",
        "",
        *[f"import data.lib.{name}" for name in sorted(names)],
        "",
    ]
    if len(names) > 1:
        lines += [
            "# One constraint, several rules: each rule set is a library module shipped with",
            "# the bundle, and a violation of any of them is a violation of this policy.",
        ]
    else:
        lines += [
            "# The exemplar's rules are a library module shipped with the bundle; only the",
            "# checks the request named count as violations of this policy.",
        ]
    for name in names:
        lines += ["", "violation contains found if {"]
        lines += [f"\t{before[name]}"] if name in before else []
        lines += [f"\tsome found in {name}.violation"]
        lines += [f"\t{conditions[name]}"] if name in conditions else []
        lines += ["}"]
    return "\n".join(lines) + "\n"


def literal(value: Any, depth: int = 0) -> str:
    """A JSON value as a Rego term in opa fmt's multi-line layout."""
    pad, inner = "\t" * depth, "\t" * (depth + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(str(k))}: {literal(v, depth + 1)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + "\n".join(f"{inner}{literal(v, depth + 1)}," for v in value) + f"\n{pad}]"
    return json.dumps(value, ensure_ascii=False)


def _rule_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:50].strip("_") or "case"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


# Regal's limits on the test module: whole file, and one line (a tab counts as one character).
MAX_TEST_LINES = 490
MAX_LINE = 119


def _pick(fixtures: list[Fixture], budget: int, groups: dict[str, str]) -> list[tuple[Fixture, list[str]]]:
    """Fixtures to test in Rego within `budget` lines: one denied fixture of every group (each
    exemplar of a composed draft, so each library's rule is exercised), then smallest first,
    alternating verdicts. gator and conftest check every fixture anyway.
    """
    sized = []
    for fixture in fixtures:
        body = literal(fixture.manifest).split("\n")
        if max(len(line) for line in body) <= MAX_LINE:
            sized.append((fixture, body))
    sized.sort(key=lambda s: len(s[1]))
    chosen: list[tuple[Fixture, list[str]]] = []
    used = 0

    def take(item: tuple[Fixture, list[str]]) -> None:
        nonlocal used
        if item not in chosen and used + len(item[1]) + 6 <= budget:
            chosen.append(item)
            used += len(item[1]) + 6

    for group in dict.fromkeys(groups.values()):
        first = next((s for s in sized if s[0].expected == "deny" and groups.get(s[0].name) == group), None)
        if first:
            take(first)
    queues = {v: [s for s in sized if s[0].expected == v] for v in ("deny", "allow")}
    while queues["deny"] or queues["allow"]:
        for verdict in ("deny", "allow"):
            if queues[verdict]:
                take(queues[verdict].pop(0))
    order = {id(f): i for i, f in enumerate(fixtures)}
    return sorted(chosen, key=lambda c: order[id(c[0])])


def fixture_tests(
    fixtures: list[Fixture],
    parameters: dict[str, Any],
    budget: int = MAX_TEST_LINES,
    groups: dict[str, str] | None = None,
) -> str:
    """Test rules for fixtures whose verdict comes from the rule itself (not from the constraint's match).

    Denied fixtures must violate, admitted ones must not. Only as many as fit in `budget` lines.
    """
    lines = [
        "# Generated from the draft's fixtures: each object as the constraint's parameters see it.",
        f"_draft_parameters := {literal(parameters)}",
        "",
        "_draft_input(obj) := {",
        '\t"parameters": _draft_parameters,',
        '\t"review": {',
        '\t\t"kind": {"kind": obj.kind},',
        '\t\t"name": object.get(obj, ["metadata", "name"], ""),',
        '\t\t"namespace": object.get(obj, ["metadata", "namespace"], ""),',
        '\t\t"object": obj,',
        '\t\t"operation": "CREATE",',
        "\t},",
        "}",
    ]
    taken: set[str] = set()
    for fixture, body in _pick(
        fixtures, budget - len(lines) - len(literal(parameters).split("\n")), groups or {}
    ):
        name = _rule_name(fixture.name, taken)
        check = "count(violation) > 0" if fixture.expected == "deny" else "count(violation) == 0"
        verdict = "denied" if fixture.expected == "deny" else "allowed"
        lines += [
            "",
            f"_fx_{name} := " + "\n".join(body),
            "",
            f"test_fixture_{name}_{verdict} if {{",
            f"\t{check} with input as _draft_input(_fx_{name})",
            "}",
        ]
    return "\n".join(lines) + "\n"


def test_module(package: str, exemplar_tests: str | None, generated: str) -> str:
    """src_test.rego: the exemplar's own tests (package renamed) followed by the generated ones."""
    head = f"package {package}\n"
    if exemplar_tests:
        body = _PACKAGE.split(exemplar_tests, maxsplit=1)[-1].strip("\n")
        return f"{head}\n{body}\n\n{generated}"
    return f"{head}\n{generated}"
