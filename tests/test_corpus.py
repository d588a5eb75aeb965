"""Every exemplar meets the corpus bar: verified by the real engines, complete, valid samples."""

from __future__ import annotations

import pytest

from tools.corpus.build import main as build_main
from tools.corpus.check import check_exemplar
from tools.corpus.load import load_corpus

CORPUS = load_corpus()


def test_corpus_has_policies() -> None:
    assert len(CORPUS) >= 1


@pytest.mark.parametrize("exemplar", CORPUS, ids=[ex.id for ex in CORPUS])
def test_exemplar_meets_the_bar(exemplar) -> None:  # type: ignore[no-untyped-def]
    problems = check_exemplar(exemplar)
    assert problems == [], "\n".join(problems)


def test_generated_files_are_fresh() -> None:
    assert build_main(["--check"]) == 0, "run `make generate`"


def test_policy_ids_and_kinds_are_unique() -> None:
    ids = [ex.id for ex in CORPUS]
    kinds = [ex.kind for ex in CORPUS]
    assert len(set(ids)) == len(ids)
    assert len(set(kinds)) == len(kinds)


@pytest.mark.parametrize("exemplar", CORPUS, ids=[ex.id for ex in CORPUS])
def test_violation_messages_name_the_object_and_container(exemplar) -> None:  # type: ignore[no-untyped-def]
    """Every message on a disallowed sample names the object and, when the violation is about one, its container."""
    from tools.bundle import examples, sample_dirs
    from tools.engine import gator_test

    sample = sample_dirs(exemplar.path)[0]
    denied = [p for p in examples(sample) if p.name.startswith("example_disallowed")]
    violations = gator_test([exemplar.path / "template.yaml", sample / "constraint.yaml", *denied])
    assert violations, f"{exemplar.id}: no violation on its disallowed samples"
    for violation in violations:
        assert violation.object_name in violation.msg, violation.msg
        container = violation.details.get("container")
        if isinstance(container, str):
            assert container in violation.msg, violation.msg
