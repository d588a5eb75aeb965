"""Building the exemplar index incrementally: only new or changed exemplars are embedded."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from tools.corpus.load import POLICIES_DIR, Exemplar, load_corpus
from tools.errors import InputError
from tools.retrieve.documents import CENTROID_OF, INDEX_SCHEMA, ExemplarEntry, IndexDocument, exemplar_entry
from tools.retrieve.embed import BATCH_SIZE, MODEL_NAME, embed
from tools.retrieve.location import resolve_location
from tools.retrieve.models import BuildReport, IndexLocation
from tools.retrieve.store import (
    drop_collection,
    incompatible_reason,
    indexed_hashes,
    open_collection,
    read_documents,
)

# progress(stage, done, total): stages are "scanning", "embedding" and "done".
Progress = Callable[[str, int, int], None]
_UPSERT_BATCH = 256


def _relpath(path: Path) -> str:
    """Corpus folders are shown relative to the repository; anything else stays absolute."""
    resolved = path.resolve()
    try:
        return str(resolved.relative_to(POLICIES_DIR.parent))
    except ValueError:
        return str(resolved)


def entries_for(exemplars: Sequence[Exemplar]) -> list[ExemplarEntry]:
    """The index entries of `exemplars`; InputError on a duplicate id."""
    entries: list[ExemplarEntry] = []
    seen: set[str] = set()
    for exemplar in exemplars:
        if exemplar.id in seen:
            raise InputError(f"exemplar id {exemplar.id!r} appears twice", hint="ids must be unique")
        seen.add(exemplar.id)
        entries.append(exemplar_entry(exemplar, _relpath(exemplar.path)))
    return entries


def _embed_sorted(docs: list[IndexDocument], notify: Progress) -> list[list[float]]:
    """Vectors for `docs` in order, embedded shortest first.

    A batch is padded to its longest text: grouping phrasings with phrasings and Rego
    with Rego keeps short documents from paying for long ones.
    """
    order = sorted(range(len(docs)), key=lambda i: len(docs[i].text))
    vectors: list[list[float]] = [[] for _ in docs]
    notify("embedding", 0, len(docs))
    for start in range(0, len(order), BATCH_SIZE):
        batch = order[start : start + BATCH_SIZE]
        for i, vector in zip(batch, embed([docs[i].text for i in batch]), strict=True):
            vectors[i] = vector
        notify("embedding", start + len(batch), len(docs))
    return vectors


def _with_centroids(docs: list[IndexDocument], vectors: list[list[float]]) -> list[list[float]]:
    """Vectors for `docs` in order: embedded ones as given, each centroid as its exemplar's mean."""
    it = iter(vectors)
    own = {doc.id: next(it) for doc in docs if doc.metadata["doc_type"] != "centroid"}
    # Grouped once: a centroid averages its own exemplar's card and phrasings.
    members_of: dict[str, list[list[float]]] = {}
    for doc in docs:
        if doc.metadata["doc_type"] in CENTROID_OF:
            members_of.setdefault(doc.metadata["exemplar_id"], []).append(own[doc.id])
    out = []
    for doc in docs:
        if doc.metadata["doc_type"] != "centroid":
            out.append(own[doc.id])
            continue
        members = [
            own[d.id]
            for d in docs
            if d.metadata["exemplar_id"] == doc.metadata["exemplar_id"]
            and d.metadata["doc_type"] in CENTROID_OF
        ]
        mean = [sum(col) / len(members) for col in zip(*members, strict=True)]
        norm = math.sqrt(sum(x * x for x in mean)) or 1.0
        out.append([x / norm for x in mean])
    return out


def revision(hashes: dict[str, str]) -> str:
    """One hash over every exemplar hash: equal revisions hold the same documents."""
    text = "\n".join(f"{key}={hashes[key]}" for key in sorted(hashes))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def build_index(
    exemplars: Sequence[Exemplar] | None = None,
    *,
    index_dir: str | Path | None = None,
    chroma_url: str | None = None,
    collection: str | None = None,
    location: IndexLocation | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
    root: Path = POLICIES_DIR,
) -> BuildReport:
    """Builds or updates the exemplar index (Chroma) from the policy corpus.

    Incremental by content hash: unchanged exemplars are not re-embedded, changed ones
    are replaced, ones no longer in the corpus are deleted. `exemplars` overrides the
    corpus (e.g. an evaluation set) and `root` indexes another corpus folder laid out
    like policies/<category>/<id>/; `rebuild` starts from an empty collection. The
    location defaults to $KPC_CHROMA_URL, $KPC_INDEX_DIR or the state folder.
    """
    started = time.perf_counter()
    where = location or resolve_location(index_dir, chroma_url, collection)
    notify = progress or (lambda stage, done, total: None)
    source = "custom" if exemplars is not None else "corpus"
    notify("scanning", 0, 0)
    entries = entries_for(load_corpus(root) if exemplars is None else exemplars)
    if exemplars is None and not entries:
        # An update deletes what the corpus no longer holds: a mistyped --policies folder
        # would otherwise empty the whole index.
        raise InputError(
            f"no exemplars in {root}; the index was left as it was",
            hint="a corpus folder holds <category>/<id>/meta.yaml + src.rego",
        )

    if rebuild:
        drop_collection(where)
    col = open_collection(where, create=True)
    rebuilt = rebuild
    if incompatible_reason(col):
        drop_collection(where)
        col = open_collection(where, create=True)
        rebuilt = True

    stored = read_documents(col, with_text=False)
    old_hashes = indexed_hashes(stored)
    wanted = {entry.id: entry for entry in entries}
    report = BuildReport(location=where, rebuilt=rebuilt)
    for entry in entries:
        if entry.id not in old_hashes:
            report.added.append(entry.id)
        elif old_hashes[entry.id] != entry.hash:
            report.updated.append(entry.id)
        else:
            report.unchanged.append(entry.id)
    report.removed = sorted(set(old_hashes) - set(wanted))

    # Replaced exemplars lose all their old documents first: a changed exemplar may
    # have fewer phrasings than before, and stale ids must not linger.
    replaced = set(report.updated) | set(report.removed)
    keep_ids = {doc.id for entry in entries for doc in entry.documents}
    obsolete = [
        doc.id for doc in stored if doc.metadata.get("exemplar_id") in replaced or doc.id not in keep_ids
    ]
    if obsolete:
        col.delete(ids=obsolete)

    todo = [wanted[key] for key in [*report.added, *report.updated]]
    docs = [doc for entry in todo for doc in entry.documents]
    vectors = _with_centroids(
        docs, _embed_sorted([d for d in docs if d.metadata["doc_type"] != "centroid"], notify)
    )
    for start in range(0, len(docs), _UPSERT_BATCH):
        col.upsert(
            ids=[doc.id for doc in docs[start : start + _UPSERT_BATCH]],
            documents=[doc.text for doc in docs[start : start + _UPSERT_BATCH]],
            metadatas=[doc.metadata for doc in docs[start : start + _UPSERT_BATCH]],
            embeddings=vectors[start : start + _UPSERT_BATCH],
        )
    total = len(docs)

    hashes = {entry.id: entry.hash for entry in entries}
    col.modify(
        metadata={
            "schema": INDEX_SCHEMA,
            "embedding_model": MODEL_NAME,
            "source": source,
            # Staleness is judged against the corpus the index was built from.
            "corpus_root": str(Path(root).resolve()) if exemplars is None else "",
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "revision": revision(hashes),
        }
    )
    report.documents = col.count()
    report.embedded = total
    report.seconds = round(time.perf_counter() - started, 3)
    notify("done", total, total)
    return report
