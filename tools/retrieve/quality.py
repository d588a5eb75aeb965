"""Retrieval quality on held-out phrasings: recall@k and MRR over the exemplar corpus.

Each exemplar is indexed without its last `holdout` phrasings; each held-out phrasing
is then asked as a request, and the rank of its own exemplar is recorded. Shared by
tests/test_retrieve_quality.py and bench/retrieval_quality.py.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from tools.corpus.load import Exemplar
from tools.retrieve.build import Progress, build_index
from tools.retrieve.models import IndexLocation
from tools.retrieve.query import search

QUALITY_COLLECTION = "kpc-quality"


class QueryOutcome(BaseModel):
    """One held-out phrasing and where its exemplar ranked (None: not in the results)."""

    exemplar: str
    query: str
    rank: int | None
    top: list[str]


class QualityReport(BaseModel):
    """Recall@1, recall@3 and MRR over every held-out phrasing."""

    exemplars: int
    queries: int
    recall_at_1: float
    recall_at_3: float
    mrr: float
    misses: list[QueryOutcome] = []
    outcomes: list[QueryOutcome] = []

    def summary(self) -> str:
        """`recall@1 0.91, recall@3 0.98, MRR 0.95 over 80 queries (40 exemplars)`."""
        return (
            f"recall@1 {self.recall_at_1:.3f}, recall@3 {self.recall_at_3:.3f}, MRR {self.mrr:.3f} "
            f"over {self.queries} queries ({self.exemplars} exemplars)"
        )


def holdout_split(
    exemplars: Sequence[Exemplar], holdout: int = 2
) -> tuple[list[Exemplar], list[tuple[str, str]]]:
    """Copies of the exemplars without their last `holdout` phrasings, and (exemplar id, phrasing) queries.

    An exemplar keeps at least one phrasing of its own, so one with few phrasings gives
    fewer queries rather than none of its words in the index.
    """
    kept: list[Exemplar] = []
    queries: list[tuple[str, str]] = []
    for exemplar in exemplars:
        phrasings = [str(p) for p in exemplar.meta.get("phrasings") or []]
        cut = max(1, len(phrasings) - holdout)
        meta = copy.deepcopy(exemplar.meta)
        meta["phrasings"] = phrasings[:cut]
        kept.append(Exemplar(path=exemplar.path, meta=meta, source=exemplar.source))
        queries += [(exemplar.id, p) for p in phrasings[cut:]]
    return kept, queries


def evaluate_holdout(
    exemplars: Sequence[Exemplar],
    index_dir: str | Path,
    *,
    holdout: int = 2,
    progress: Progress | None = None,
) -> QualityReport:
    """Builds a held-out index in `index_dir` and measures how well held-out phrasings find their exemplar."""
    kept, queries = holdout_split(exemplars, holdout)
    location = IndexLocation(
        backend="local", path=str(Path(index_dir).resolve()), collection=QUALITY_COLLECTION
    )
    build_index(kept, location=location, progress=progress)
    outcomes = []
    for exemplar_id, text in queries:
        hits = search(text, k=len(kept), location=location, auto_build=False, check_stale=False).hits
        ids = [h.id for h in hits]
        rank = ids.index(exemplar_id) + 1 if exemplar_id in ids else None
        outcomes.append(QueryOutcome(exemplar=exemplar_id, query=text, rank=rank, top=ids[:3]))
    n = len(outcomes) or 1
    return QualityReport(
        exemplars=len(kept),
        queries=len(outcomes),
        recall_at_1=round(sum(1 for o in outcomes if o.rank == 1) / n, 4),
        recall_at_3=round(sum(1 for o in outcomes if o.rank and o.rank <= 3) / n, 4),
        mrr=round(sum(1 / o.rank for o in outcomes if o.rank) / n, 4),
        misses=[o for o in outcomes if not o.rank or o.rank > 1],
        outcomes=outcomes,
    )
