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


def corpus_root(metadata: dict[str, object], root: Path | None = None) -> Path:
    """The corpus to compare an index with: `root`, else the one it was built from, else policies/."""
    if root is not None:
        return root
    recorded = str(metadata.get("corpus_root") or "")
    return Path(recorded) if recorded and Path(recorded).is_dir() else POLICIES_DIR


def corpus_hashes(root: Path = POLICIES_DIR) -> dict[str, str]:
    """exemplar id -> content hash for the corpus on disk (no embedding involved)."""
    return {entry.id: entry.hash for entry in entries_for(load_corpus(root))}


def index_status(
    *,
    index_dir: str | Path | None = None,
    chroma_url: str | None = None,
    collection: str | None = None,
    location: IndexLocation | None = None,
    root: Path | None = None,
) -> IndexStatus:
    """Where the exemplar index is, how many exemplars and documents it holds, and whether it is stale.

    Reads the collection and the corpus hashes only; an unreachable server is reported
    in the status (reachable=False) rather than raised.
    """
    where = location or resolve_location(index_dir, chroma_url, collection)
    status = IndexStatus(location=where, backend=where.backend)
    try:
        col = open_collection(where, create=False)
        meta = collection_metadata(col) if col is not None else {}
        documents = read_documents(col, with_text=False) if col is not None else []
    except KpcError as exc:
        status.reachable = False
        status.error = exc.message
        status.corpus_exemplars = len(corpus_hashes(corpus_root({}, root)))
        return status
    current = corpus_hashes(corpus_root(meta, root))
    status.corpus_exemplars = len(current)
    if col is None:
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
