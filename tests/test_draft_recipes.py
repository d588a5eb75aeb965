"""Fixture recipes without engines: every recipe yields valid objects of both verdicts, and the recipe
table in tools/draft/recipes.py stays in step with the registry; generated Rego is already opa-fmt clean."""

from __future__ import annotations

import re

import pytest

from tools.corpus.load import load_corpus
from tools.draft import recipes
from tools.draft.build import match_kinds
from tools.draft.fixtures import build_fixtures
from tools.draft.plan import Part, Plan
from tools.draft.rego import compose_source, fixture_tests, kind_guard, literal
from tools.engine.opa import opa_format
from tools.kube import validation_error

CORPUS = {e.id: e for e in load_corpus()}
# Exemplars whose defaults deny nothing get the parameters a request would name.
PARAMS = {
    "allowed-registries": {"registries": ["ghcr.io/acme/"]},
    "disallowed-repositories": {"repositories": ["quay.io/untrusted/"]},
    "max-limits": {"cpu": "2", "memory": "4Gi"},
    "required-labels": {"labels": [{"key": "owner"}]},
    "required-annotations": {"annotations": [{"key": "example.com/owner", "allowedRegex": "^[a-z]+$"}]},
}


def test_docstring_table_lists_every_recipe() -> None:
    table = re.findall(r"^\| ([a-z0-9-]+) \|", recipes.__doc__ or "", re.MULTILINE)
    assert sorted(t for t in table if t != "exemplar") == recipes.recipe_ids()


@pytest.mark.parametrize("exemplar_id", sorted(CORPUS))
def test_recipe_fixtures_are_valid_and_show_both_verdicts(exemplar_id: str) -> None:
    assert exemplar_id in recipes.recipe_ids()
    meta = CORPUS[exemplar_id].meta
    defaults = {
        k: v["default"] for k, v in (meta["parameters"].get("properties") or {}).items() if "default" in v
    }
    defaults.update(PARAMS.get(exemplar_id, {}))
    plan = Plan(parts=[Part(exemplar_id=exemplar_id, params=defaults)], excluded_namespaces=["kube-system"])
    fixtures, problems, origins = build_fixtures(plan, CORPUS, match_kinds(plan, CORPUS))
    assert set(origins.values()) == {exemplar_id}
    assert problems == []
    assert {f.expected for f in fixtures} == {"allow", "deny"}
    for fixture in fixtures:
        assert validation_error(fixture.manifest) is None, fixture.name
    assert len({f.name for f in fixtures}) == len(fixtures)


def test_generated_rego_needs_no_formatting() -> None:
    value = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": {}},
             "spec": {"containers": [{"name": "a", "image": "x:1", "args": ["--a", "é"]}], "volumes": []}}  # fmt: skip
    module = f"package k8sx\n\nvalue := {literal(value)}\n"
    assert opa_format(module) == module
    source = compose_source("k8sx", ["privileged-containers", "host-namespaces"])
    assert opa_format(source) == source
    guarded = compose_source(
        "k8sx",
        ["service-types", "latest-tag"],
        filters={"latest-tag": 'found.details.field == "x"'},
        guards={
            "service-types": kind_guard(["Service"]),
            "latest-tag": kind_guard(["Pod", "Deployment", "Job"]),
        },
    )
    assert opa_format(guarded) == guarded
    tests = "package k8sx\n\n" + fixture_tests([], {"exemptImages": ["a/"]})
    assert opa_format(tests) == tests
