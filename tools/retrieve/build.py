"""Building the exemplar index incrementally: only new or changed exemplars are embedded."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from tools.corpus.load import POLICIES_DIR, Exemplar, load_corpus
from tools.errors import InputError
from tools.retrieve.documents import INDEX_SCHEMA, ExemplarEntry, IndexDocument, exemplar_entry
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
    corpus (e.g. an evaluation set); `rebuild` starts from an empty collection. The
    location defaults to $KPC_CHROMA_URL, $KPC_INDEX_DIR or the state folder.
    """
    started = time.perf_counter()
    where = location or resolve_location(index_dir, chroma_url, collection)
    notify = progress or (lambda stage, done, total: None)
    source = "custom" if exemplars is not None else "corpus"
    notify("scanning", 0, 0)
    entries = entries_for(load_corpus(root) if exemplars is None else exemplars)

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

    todo: list[IndexDocument] = [
        doc for key in [*report.added, *report.updated] for doc in wanted[key].documents
    ]
    notify("embedding", 0, len(todo))
    for start in range(0, len(todo), BATCH_SIZE):
        batch = todo[start : start + BATCH_SIZE]
        col.upsert(
            ids=[doc.id for doc in batch],
            documents=[doc.text for doc in batch],
            metadatas=[doc.metadata for doc in batch],
            embeddings=embed([doc.text for doc in batch]),
        )
        notify("embedding", start + len(batch), len(todo))

    hashes = {entry.id: entry.hash for entry in entries}
    col.modify(
        metadata={
            "schema": INDEX_SCHEMA,
            "embedding_model": MODEL_NAME,
            "source": source,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "revision": revision(hashes),
        }
    )
    report.documents = col.count()
    report.embedded = len(todo)
    report.seconds = round(time.perf_counter() - started, 3)
    notify("done", len(todo), len(todo))
    return report
