"""The Chroma collection that holds the exemplar documents, and what it says about itself."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from tools.errors import RetrievalError
from tools.retrieve.documents import INDEX_SCHEMA
from tools.retrieve.embed import MODEL_NAME, embedding_function
from tools.retrieve.location import open_client
from tools.retrieve.models import IndexLocation

# Chroma's get() pages large collections; this page size keeps each request small.
_PAGE = 1000


class StoredDocument(BaseModel):
    """A document as read back from the collection (without its vector)."""

    id: str
    text: str
    metadata: dict[str, Any]


def open_collection(location: IndexLocation, *, create: bool) -> Any:
    """The collection at `location`; None when it does not exist and `create` is False."""
    client = open_client(location, create=create)
    if client is None:
        return None
    try:
        if create:
            return client.get_or_create_collection(
                location.collection,
                embedding_function=embedding_function(),
                configuration={"hnsw": {"space": "cosine"}},
                metadata=_fresh_metadata(),
            )
        names = {getattr(c, "name", c) for c in client.list_collections()}
        if location.collection not in names:
            return None
        return client.get_collection(location.collection, embedding_function=embedding_function())
    except RetrievalError:
        raise
    except Exception as exc:  # chromadb has no common base error across backends
        raise RetrievalError(
            f"cannot open collection {location.collection!r} at {location.describe()}: {exc}",
            hint="run `kpc index build --rebuild`",
        ) from exc


def drop_collection(location: IndexLocation) -> None:
    """Deletes the collection (a full rebuild starts from nothing)."""
    client = open_client(location, create=True)
    names = {getattr(c, "name", c) for c in client.list_collections()}
    if location.collection in names:
        client.delete_collection(location.collection)


def _fresh_metadata() -> dict[str, Any]:
    return {"schema": INDEX_SCHEMA, "embedding_model": MODEL_NAME, "source": "corpus", "built_at": ""}


def collection_metadata(collection: Any) -> dict[str, Any]:
    """The collection's own metadata (schema, model, source, build time)."""
    return dict(collection.metadata or {})


def incompatible_reason(collection: Any) -> str | None:
    """Why the stored vectors cannot be mixed with ours (other model or schema), or None."""
    meta = collection_metadata(collection)
    model = meta.get("embedding_model")
    if model and model != MODEL_NAME:
        return f"built with embedding model {model}, not {MODEL_NAME}"
    schema = meta.get("schema")
    if schema is not None and schema != INDEX_SCHEMA:
        return f"built with index schema {schema}, not {INDEX_SCHEMA}"
    return None


def read_documents(collection: Any, *, with_text: bool = True) -> list[StoredDocument]:
    """Every document of the collection, paged."""
    include = ["metadatas", "documents"] if with_text else ["metadatas"]
    out: list[StoredDocument] = []
    offset = 0
    while True:
        page = collection.get(include=include, limit=_PAGE, offset=offset)
        ids = page.get("ids") or []
        metadatas = page.get("metadatas") or [None] * len(ids)
        texts = page.get("documents") or [None] * len(ids)
        for doc_id, meta, text in zip(ids, metadatas, texts, strict=False):
            out.append(StoredDocument(id=doc_id, text=text or "", metadata=dict(meta or {})))
        if len(ids) < _PAGE:
            return out
        offset += _PAGE


def indexed_hashes(documents: list[StoredDocument]) -> dict[str, str]:
    """exemplar id -> content hash, as the collection holds them."""
    hashes: dict[str, str] = {}
    for doc in documents:
        exemplar = doc.metadata.get("exemplar_id")
        if not exemplar:
            continue
        value = str(doc.metadata.get("hash", ""))
        # Documents of one exemplar that disagree (an interrupted build) force an update.
        hashes[str(exemplar)] = value if hashes.get(str(exemplar), value) == value else ""
    return hashes
