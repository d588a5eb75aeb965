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
