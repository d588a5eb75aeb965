"""Retrieval quality: held-out phrasings must find their own exemplar (recall@3 >= 0.95)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.corpus.load import load_corpus
from tools.retrieve.quality import evaluate_holdout, holdout_split

CORPUS = load_corpus()
MIN_EXEMPLARS = 5
RECALL_AT_3 = 0.95


def test_holdout_split_keeps_one_phrasing_and_queries_the_rest() -> None:
    kept, queries = holdout_split(CORPUS, holdout=2)
    assert len(kept) == len(CORPUS)
    for ex, original in zip(kept, CORPUS, strict=True):
        phrasings = original.meta.get("phrasings") or []
        assert ex.meta["phrasings"] == phrasings[: max(1, len(phrasings) - 2)]
        asked = [q for key, q in queries if key == ex.id]
        assert asked == phrasings[len(ex.meta["phrasings"]) :]
        assert not set(asked) & set(ex.meta["phrasings"])
    assert original.meta is not kept[-1].meta  # the corpus itself is untouched


@pytest.mark.skipif(len(CORPUS) < MIN_EXEMPLARS, reason=f"fewer than {MIN_EXEMPLARS} exemplars in the corpus")
def test_held_out_phrasings_find_their_exemplar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = evaluate_holdout(CORPUS, tmp_path / "quality-index", holdout=2)
    with capsys.disabled():
        print(f"\nretrieval quality: {report.summary()}")
        for miss in report.misses:
            if not miss.rank or miss.rank > 3:
                print(f"  rank {miss.rank}: {miss.exemplar}: {miss.query!r} -> {', '.join(miss.top)}")
    assert report.queries > 0 and report.exemplars == len(CORPUS)
    assert 0 < report.mrr <= 1 and report.recall_at_1 <= report.recall_at_3
    assert report.recall_at_3 >= RECALL_AT_3, report.summary()
