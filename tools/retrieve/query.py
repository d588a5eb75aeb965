"""Hybrid retrieval: vector similarity + BM25 keywords + manifest features + resource kinds."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tools.corpus.load import POLICIES_DIR
from tools.errors import InputError, RetrievalError
from tools.retrieve import weights
from tools.retrieve.bm25 import BM25
from tools.retrieve.build import Progress, build_index
from tools.retrieve.embed import embed
from tools.retrieve.location import resolve_location
from tools.retrieve.models import IndexLocation, RetrievalHit, RetrievalResult
from tools.retrieve.scoring import combine, feature_match, kind_match, severity_score
from tools.retrieve.status import corpus_hashes, corpus_root, stale_reasons
from tools.retrieve.store import (
    collection_metadata,
    incompatible_reason,
    indexed_hashes,
    open_collection,
    read_documents,
)

Note = Callable[[str], None]
_LOG = logging.getLogger("kpc.retrieve")


class _Corpus:
    """What ranking needs from the collection besides vectors: exemplar metadata and a BM25."""

    def __init__(self, collection: Any) -> None:
        self.exemplars: dict[str, dict[str, Any]] = {}
        documents = read_documents(collection)
        self.hashes = indexed_hashes(documents)
        keywords: dict[str, str] = {}
        for doc in documents:
            key = str(doc.metadata.get("exemplar_id", ""))
            if not key:
                continue
            if key not in self.exemplars or doc.metadata.get("doc_type") == "card":
                self.exemplars[key] = doc.metadata
            if doc.metadata.get("keywords"):
                keywords[key] = str(doc.metadata["keywords"])
        self.bm25 = BM25({key: keywords.get(key, "") for key in self.exemplars})


# (location, revision) -> _Corpus: a long-lived agent queries the same index many times.
_CACHE: dict[tuple[str, str], _Corpus] = {}


def _corpus(location: IndexLocation, collection: Any) -> _Corpus:
    rev = str(collection_metadata(collection).get("revision", ""))
    key = (location.model_dump_json(), rev)
    if not rev or key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = _Corpus(collection)
    return _CACHE[key]


def _json_list(value: Any) -> list[str]:
    try:
        data = json.loads(value) if isinstance(value, str) else value
    except json.JSONDecodeError:
        return []
    return [str(v) for v in data] if isinstance(data, list) else []


def _vector_scores(collection: Any, text: str) -> dict[str, tuple[float, str]]:
    """exemplar id -> (vector score, the document text closest to the query).

    The score mixes the best single document (weighted by its type) with the exemplar's
    centroid: BEST_DOCUMENT_SHARE of the first, the rest from the second.
    """
    count = collection.count()
    if not count:
        return {}
    found = collection.query(
        query_embeddings=embed([text]),
        n_results=min(count, weights.VECTOR_CANDIDATES),
        include=["distances", "metadatas", "documents"],
    )
    best: dict[str, tuple[float, str]] = {}
    centroid: dict[str, float] = {}
    rows = zip(found["distances"][0], found["metadatas"][0], found["documents"][0], strict=False)
    for distance, meta, doc in rows:
        key = str((meta or {}).get("exemplar_id", ""))
        doc_type = str((meta or {}).get("doc_type"))
        similarity = 1.0 - float(distance)
        if not key:
            continue
        if doc_type == "centroid":
            centroid[key] = similarity
            continue
        similarity *= weights.DOC_TYPE_FACTOR.get(doc_type, 1.0)
        if similarity > best.get(key, (-1.0, ""))[0]:
            best[key] = (similarity, doc or "")
    share = weights.BEST_DOCUMENT_SHARE
    return {
        key: (share * value + (1 - share) * centroid.get(key, value), doc)
        for key, (value, doc) in best.items()
    }


def _open_or_build(
    where: IndexLocation, auto_build: bool, root: Path | None, progress: Progress | None, notes: list[str]
) -> Any:
    col = open_collection(where, create=False)
    if col is not None and col.count() > 0 and not incompatible_reason(col):
        return col
    if not auto_build:
        raise RetrievalError(f"no usable exemplar index at {where.describe()}", hint="run `kpc index build`")
    reason = incompatible_reason(col) if col is not None else None
    notes.append(
        f"the exemplar index at {where.describe()} {reason or 'is missing'}; building it now (first use)"
    )
    report = build_index(location=where, root=root or POLICIES_DIR, progress=progress, rebuild=bool(reason))
    notes.append(report.summary())
    return open_collection(where, create=False)


def search(
    query: str | None = None,
    *,
    manifest_features: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
    k: int = 5,
    category: str | None = None,
    index_dir: str | Path | None = None,
    chroma_url: str | None = None,
    collection: str | None = None,
    location: IndexLocation | None = None,
    auto_build: bool = True,
    check_stale: bool = True,
    progress: Progress | None = None,
    root: Path | None = None,
) -> RetrievalResult:
    """Like `retrieve`, but also returns notes about the index (built on first use, stale)."""
    text = (query or "").strip()
    features = [f.strip() for f in manifest_features or [] if f and f.strip()]
    wanted_kinds = [kd.strip() for kd in kinds or [] if kd and kd.strip()]
    if not text and not features and not wanted_kinds:
        raise InputError("nothing to search for", hint="give a request text, manifest features or kinds")
    if k < 1:
        raise InputError(f"k must be at least 1, not {k}")
    where = location or resolve_location(index_dir, chroma_url, collection)
    notes: list[str] = []
    col = _open_or_build(where, auto_build, root, progress, notes)
    corpus = _corpus(where, col)
    if check_stale and not notes and collection_metadata(col).get("source") != "custom":
        reasons = stale_reasons(corpus.hashes, corpus_hashes(corpus_root(collection_metadata(col), root)))
        if reasons:
            notes.append(f"the exemplar index is stale ({'; '.join(reasons)}); run `kpc index build`")

    vectors = _vector_scores(col, text) if text else {}
    keyword = corpus.bm25.normalised(text) if text else {}
    active = [
        *(["vector", "bm25"] if text else []),
        *(["feature", "severity"] if features else []),
        *(["kind"] if wanted_kinds else []),
    ]
    hits = []
    for key, meta in corpus.exemplars.items():
        if category and str(meta.get("category", "")) != category:
            continue
        feature, matched = feature_match(features, _json_list(meta.get("features")))
        components = {
            "vector": max(0.0, vectors.get(key, (0.0, ""))[0]),
            "bm25": keyword.get(key, 0.0),
            "feature": feature,
            "kind": kind_match(wanted_kinds, _json_list(meta.get("kinds")), str(meta.get("kind", ""))),
            "severity": severity_score(str(meta.get("severity", ""))),
        }
        hits.append(
            RetrievalHit(
                id=key,
                title=str(meta.get("title", key)),
                category=str(meta.get("category", "")),
                kind=str(meta.get("kind", "")),
                path=str(meta.get("path", "")),
                score=round(combine(components, active), 4),
                vector=round(components["vector"], 4),
                bm25=round(components["bm25"], 4),
                feature=round(feature, 4),
                kind_match=components["kind"] if wanted_kinds else 0.0,
                matched_features=matched,
                matched_text=vectors.get(key, (0.0, None))[1] or None,
            )
        )
    hits.sort(key=lambda h: (-h.score, -h.vector, h.id))
    return RetrievalResult(hits=hits[:k], notes=notes, location=where)


def retrieve(
    query: str | None = None,
    *,
    manifest_features: list[str] | None = None,
    kinds: list[str] | None = None,
    k: int = 5,
    category: str | None = None,
    index_dir: str | Path | None = None,
    chroma_url: str | None = None,
    on_note: Note | None = None,
) -> list[RetrievalHit]:
    """Finds the exemplar policies closest to a request and/or a manifest, best first.

    `query` is the engineer's request in plain words; `manifest_features` are the
    "key=value" features of a manifest (tools.extract); `kinds` are resource kinds such
    as Deployment. Ranking mixes vector similarity, BM25 keywords, feature overlap and
    kind match (weights in tools/retrieve/weights.py). A missing index is built on first
    use; notes about that or about a stale index go to `on_note`.
    """
    result = search(
        query,
        manifest_features=manifest_features,
        kinds=kinds,
        k=k,
        category=category,
        index_dir=index_dir,
        chroma_url=chroma_url,
    )
    for note in result.notes:
        (on_note or _LOG.warning)(note)
    return result.hits
