"""Building a PolicyDraft from a Plan: Rego, tests, constraint match, parameters and fixtures."""

from __future__ import annotations

import copy
import fnmatch
from typing import Any

from tools.bundle import package_for
from tools.bundle_writer import match_for_kinds
from tools.corpus.load import Exemplar
from tools.draft import naming
from tools.draft.compose import compose
from tools.draft.facets import facet_filter
from tools.draft.fixtures import build_fixtures
from tools.draft.models import Fixture, PolicyDraft
from tools.draft.names import POD_SPEC_KINDS
from tools.draft.plan import Part, Plan
from tools.draft.rego import (
    MAX_TEST_LINES,
    compose_source,
    fixture_tests,
    kind_guard,
    rename_package,
    test_module,
)


def match_kinds(plan: Plan, exemplars: dict[str, Exemplar]) -> list[str]:
    """The kinds the constraint matches: the narrowed ones, else every exemplar's kinds."""
    if plan.kinds:
        return list(plan.kinds)
    kinds: list[str] = []
    for part in plan.parts:
        kinds += [k for k in exemplars[part.exemplar_id].meta.get("kinds") or [] if k not in kinds]
    order = {k: i for i, k in enumerate(POD_SPEC_KINDS)}
    return sorted(kinds, key=lambda k: (order.get(k, len(order)), kinds.index(k)))


def part_kinds(part: Part, meta: dict[str, Any], kinds: list[str]) -> list[str]:
    """The matched kinds one rule judges: the ones the request gave it, else all its exemplar covers."""
    own = part.kinds or meta.get("kinds") or []
    return [k for k in kinds if k in own]


def _match(plan: Plan, kinds: list[str]) -> dict[str, Any]:
    match: dict[str, Any] = {"kinds": match_for_kinds(kinds)}
    if plan.excluded_namespaces:
        match["excludedNamespaces"] = list(plan.excluded_namespaces)
    if plan.namespaces:
        match["namespaces"] = list(plan.namespaces)
    return match


def _decided_by_rule(fixture: Fixture, plan: Plan, kinds: list[str]) -> bool:
    """False when the constraint's match (namespace, kind) rather than the rule admits the fixture."""
    if fixture.manifest.get("kind") not in kinds:
        return False
    namespace = (fixture.manifest.get("metadata") or {}).get("namespace") or ""
    if any(fnmatch.fnmatchcase(namespace, p) for p in plan.excluded_namespaces):
        return False
    return not plan.namespaces or any(fnmatch.fnmatchcase(namespace, p) for p in plan.namespaces)


def build_draft(
    plan: Plan, exemplars: dict[str, Exemplar], corpus_kinds: set[str], policy_id: str | None = None
) -> tuple[PolicyDraft | None, list[str]]:
    """(draft, problems): the draft of a plan, or what kept it from being built."""
    metas = {i: e.meta for i, e in exemplars.items()}
    pid = policy_id or naming.policy_id(plan)
    package = package_for(pid)
    kinds = match_kinds(plan, exemplars)
    fixtures, problems, origins = build_fixtures(plan, exemplars, kinds)
    if problems:
        return None, problems
    extra_libs: dict[str, str] = {}
    filters = {p.exemplar_id: f for p in plan.parts if (f := facet_filter(p.exemplar_id, p.facets))}
    if len(plan.parts) == 1 and not filters:
        exemplar = exemplars[plan.parts[0].exemplar_id]
        parameters = copy.deepcopy(plan.parts[0].params)
        schema = copy.deepcopy(exemplar.meta.get("parameters") or {"type": "object"})
        src = rename_package(exemplar.source, package)
        test_file = exemplar.path / "src_test.rego"
        own_tests = test_file.read_text() if test_file.is_file() else None
    else:
        composition = compose(
            [
                (p.exemplar_id, p.params, metas[p.exemplar_id], exemplars[p.exemplar_id].source)
                for p in plan.parts
            ]
        )
        if composition.problems:
            return None, composition.problems
        parameters, schema, extra_libs = composition.parameters, composition.schema, composition.libs
        guards = {}
        for part in plan.parts:
            own = part_kinds(part, metas[part.exemplar_id], kinds)
            if not own:
                return None, [f"the {part.exemplar_id} rule on none of the kinds {', '.join(kinds)}"]
            if set(own) != set(kinds):
                # One constraint matches every part's kinds; each rule keeps to its own.
                guards[part.exemplar_id] = kind_guard(own)
        src = compose_source(package, plan.exemplar_ids, filters, guards)
        own_tests = None
        for (exemplar_id, key), new in composition.renamed.items():
            plan.notes.append(f"{exemplar_id} reads its own {key} as the parameter {new}")
    own_lines = len(own_tests.splitlines()) if own_tests else 0
    by_rule = [f for f in fixtures if _decided_by_rule(f, plan, kinds)]
    generated = fixture_tests(by_rule, parameters, MAX_TEST_LINES - own_lines, origins)
    draft = PolicyDraft(
        policy_id=pid,
        title=naming.title(plan, metas),
        description=naming.description(plan, metas),
        kind=naming.kind_for(pid, corpus_kinds),
        src_rego=src,
        src_test_rego=test_module(package, own_tests, generated),
        parameters_schema=schema,
        parameters=parameters,
        match=_match(plan, kinds),
        fixtures=fixtures,
        target=plan.target,
        enforcement_action=plan.enforcement,
        exemplar_ids=plan.exemplar_ids,
        extra_libs=extra_libs,
        notes=list(dict.fromkeys(plan.notes)),
    )
    return draft, []
