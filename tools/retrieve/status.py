"""The index's state (`kpc index status`, `kpc doctor`): never loads the embedding model."""

from __future__ import annotations

from pathlib import Path

from tools.corpus.load import POLICIES_DIR, load_corpus
from tools.errors import KpcError
from tools.retrieve.build import entries_for
from tools.retrieve.location import resolve_location
from tools.retrieve.models import IndexLocation, IndexStatus
from tools.retrieve.store import (
    collection_metadata,
    incompatible_reason,
    indexed_hashes,
    open_collection,
    read_documents,
)


def _names(ids: list[str], limit: int = 5) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f", … ({len(ids) - limit} more)" if len(ids) > limit else "")


def stale_reasons(indexed: dict[str, str], current: dict[str, str]) -> list[str]:
    """What differs between the indexed exemplar hashes and the corpus's, one phrase per kind of change."""
    reasons = []
    new = sorted(set(current) - set(indexed))
    gone = sorted(set(indexed) - set(current))
    changed = sorted(k for k in set(current) & set(indexed) if current[k] != indexed[k])
    if new:
        reasons.append(f"{len(new)} new in the corpus ({_names(new)})")
    if changed:
        reasons.append(f"{len(changed)} changed ({_names(changed)})")
    if gone:
        reasons.append(f"{len(gone)} no longer in the corpus ({_names(gone)})")
    return reasons


def corpus_hashes(root: Path = POLICIES_DIR) -> dict[str, str]:
    """exemplar id -> content hash for the corpus on disk (no embedding involved)."""
    return {entry.id: entry.hash for entry in entries_for(load_corpus(root))}


def index_status(
    *,
    index_dir: str | Path | None = None,
    chroma_url: str | None = None,
    collection: str | None = None,
    location: IndexLocation | None = None,
    root: Path = POLICIES_DIR,
) -> IndexStatus:
    """Where the exemplar index is, how many exemplars and documents it holds, and whether it is stale.

    Reads the collection and the corpus hashes only; an unreachable server is reported
    in the status (reachable=False) rather than raised.
    """
    where = location or resolve_location(index_dir, chroma_url, collection)
    status = IndexStatus(location=where, backend=where.backend)
    current = corpus_hashes(root)
    status.corpus_exemplars = len(current)
    try:
        col = open_collection(where, create=False)
        if col is None:
            return status
        meta = collection_metadata(col)
        documents = read_documents(col, with_text=False)
    except KpcError as exc:
        status.reachable = False
        status.error = exc.message
        return status
    indexed = indexed_hashes(documents)
    status.exists = bool(documents) or bool(meta.get("built_at"))
    status.documents = len(documents)
    status.exemplars = len(indexed)
    status.embedding_model = meta.get("embedding_model")
    status.built_at = meta.get("built_at") or None
    status.source = meta.get("source") or None
    reason = incompatible_reason(col)
    if reason:
        status.stale_reasons.append(reason)
    elif status.source != "custom":
        status.stale_reasons += stale_reasons(indexed, current)
    status.stale = bool(status.stale_reasons)
    return status
