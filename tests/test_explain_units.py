"""Pure helpers of kpc explain: field paths, quantities, regex-derived values, object diffs."""

from __future__ import annotations

import copy
import re
from fractions import Fraction
from typing import Any

import pytest

from tools.corpus.load import load_corpus
from tools.explain import diff, paths, quantity
from tools.explain.fixes import regex_values
from tools.explain.fixes.base import REGISTRY


@pytest.mark.parametrize(
    "text",
    [
        "spec.template.spec.initContainers[0].securityContext.privileged",
        'metadata.annotations["example.com/contact"]',
        'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/a.b"]',
        "spec.securityContext.sysctls[2]",
        "rules[1].verbs",
    ],
)
def test_paths_round_trip(text: str) -> None:
    tokens = paths.parse(text)
    assert paths.format_path(tokens) == text
    assert all(isinstance(t, str | int) for t in tokens)


def test_paths_quoted_keys_keep_dots_and_slashes() -> None:
    tokens = paths.parse('metadata.labels["app.kubernetes.io/name"]')
    assert tokens[-1] == "app.kubernetes.io/name"


def test_paths_reject_unbalanced_brackets() -> None:
    with pytest.raises(ValueError):
        paths.parse("spec.containers[0")
    with pytest.raises(ValueError):
        paths.parse('metadata.labels["open')


def test_paths_set_creates_parents_and_refuses_wrong_shapes() -> None:
    obj: dict = {"spec": {"containers": [{"name": "a"}]}}
    assert paths.set_value(obj, ["spec", "containers", 0, "securityContext", "privileged"], False)
    assert obj["spec"]["containers"][0]["securityContext"] == {"privileged": False}
    # A string where a mapping should be: the helper declines instead of overwriting it.
    obj["spec"]["template"] = "not a mapping"
    assert not paths.set_value(obj, ["spec", "template", "spec"], {})
    assert obj["spec"]["template"] == "not a mapping"


def test_paths_remove_prunes_emptied_mappings() -> None:
    obj = {"spec": {"securityContext": {"procMount": "Unmasked"}, "x": 1}}
    assert paths.remove(obj, ["spec", "securityContext", "procMount"])
    assert "securityContext" not in obj["spec"] and obj["spec"]["x"] == 1


@pytest.mark.parametrize(
    ("text", "resource"),
    [
        ("500m", "cpu"),
        ("2", "cpu"),
        ("1.5", "cpu"),
        ("4Gi", "memory"),
        ("768Mi", "memory"),
        ("1e3", "memory"),
    ],
)
def test_quantity_format_round_trips_the_value(text: str, resource: str) -> None:
    value = quantity.parse(text)
    assert value is not None
    assert quantity.parse(quantity.format_for(resource, value)) == value


def test_quantity_rounding_direction() -> None:
    third = Fraction(1, 3)
    down = quantity.parse(quantity.format_cpu(third, down=True))
    up = quantity.parse(quantity.format_cpu(third))
    assert down is not None and up is not None and down <= third <= up


@pytest.mark.parametrize("bad", ["abc", "", "1.2.3", None, True, "5 Gi"])
def test_quantity_rejects_non_quantities(bad: object) -> None:
    assert quantity.parse(bad) is None


@pytest.mark.parametrize(
    "pattern",
    [
        "[a-z0-9]([-a-z0-9]*[a-z0-9])?",
        "prod|staging|dev",
        "[a-z0-9._-]+@example\\.com",
        "https://\\S+",
        "^[A-Z]{3}-[0-9]+$",
        "team-[a-z]+",
    ],
)
def test_placeholders_match_the_pattern_they_were_made_for(pattern: str) -> None:
    for label in (True, False):
        value = regex_values.placeholder(pattern, label=label)
        if value is not None:
            assert re.fullmatch(f"(?:{pattern})", value)
            if label:
                assert regex_values.valid_label_value(value)


def test_literal_and_choices_are_read_from_the_pattern() -> None:
    assert regex_values.literal("team-a") == "team-a"
    assert regex_values.literal("team-.*") is None
    assert regex_values.choices("(prod|staging)") == ["prod", "staging"]
    assert regex_values.choices("prod|.*") == []
    assert regex_values.compiled("[") is None


def test_diff_then_apply_reproduces_the_target() -> None:
    before: dict[str, Any] = {
        "metadata": {"name": "a", "labels": {"x": "1"}},
        "spec": {"containers": [{"name": "c", "securityContext": {"privileged": True}}], "hostPID": True},
    }
    after = copy.deepcopy(before)
    after["metadata"]["labels"]["owner"] = "me"
    after["spec"]["containers"][0]["securityContext"]["privileged"] = False
    del after["spec"]["hostPID"]
    changes = diff.diff(before, after)
    assert {c.op for c in changes} == {"add", "replace", "remove"}
    assert diff.apply(before, changes) == after
    rendered = diff.render(before, changes)
    assert "- name: c" in rendered and "+ " in rendered and "- " in rendered


def test_every_corpus_policy_has_a_strategy() -> None:
    corpus = {exemplar.id for exemplar in load_corpus()}
    assert corpus <= set(REGISTRY), sorted(corpus - set(REGISTRY))
