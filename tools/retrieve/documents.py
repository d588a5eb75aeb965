"""What the index stores for one exemplar: its documents, their metadata and a content hash.

Each exemplar becomes several documents so a short request can meet the text written
closest to it: a card (title, description, tags), one document per phrasing, and the
Rego source; plus a centroid whose vector is the mean of the card's and phrasings'. All
of them carry the exemplar's metadata, so any single hit identifies it.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from pydantic import BaseModel

from tools.corpus.load import Exemplar

# Bumped whenever the documents built from an exemplar change shape: every exemplar's
# hash changes with it, so the next build re-embeds everything.
INDEX_SCHEMA = 3

DOC_TYPES = ("card", "phrasing", "rego", "centroid")
# The centroid document's vector is the normalised mean of these documents' vectors:
# one point for "what this policy is about", steadier than any single phrasing.
CENTROID_OF = ("card", "phrasing")

# MiniLM reads at most 256 word pieces; the start of a module (package, imports, the
# violation rule) is the part that says what it checks.
_REGO_CHARS = 800
# Keywords take a longer start of the module; its tail is mostly helper rules whose
# generic words (obj, path, exempt) blur the exemplars together.
_KEYWORD_REGO_CHARS = 1200
_COMMENT_RE = re.compile(r"^\s*#.*$", re.MULTILINE)


class IndexDocument(BaseModel):
    """One document of the collection."""

    id: str
    text: str
    metadata: dict[str, Any]


class ExemplarEntry(BaseModel):
    """An exemplar as the index sees it: its documents and the hash that detects changes."""

    id: str
    hash: str
    documents: list[IndexDocument]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v is not None and str(v).strip()]
    return []


def card_text(meta: dict[str, Any]) -> str:
    """Title, description and tags as one paragraph."""
    parts = [str(meta.get("title") or meta.get("id", "")).strip() + "."]
    description = " ".join(str(meta.get("description") or "").split())
    if description:
        parts.append(description)
    tags = _strings(meta.get("tags"))
    if tags:
        parts.append("Tags: " + ", ".join(tags) + ".")
    return " ".join(parts)


def keyword_text(exemplar: Exemplar) -> str:
    """Everything a keyword search should see: id, kind, card, phrasings, features, Rego."""
    meta = exemplar.meta
    words = [
        exemplar.id.replace("-", " "),
        str(meta.get("kind", "")),
        card_text(meta),
        *_strings(meta.get("phrasings")),
        *_strings(meta.get("features")),
        # Field names in the Rego (hostPort, seccompProfile) match requests that name fields.
        rego_text(exemplar.source, limit=_KEYWORD_REGO_CHARS),
    ]
    return "\n".join(w for w in words if w)


def rego_text(source: str, limit: int = _REGO_CHARS) -> str:
    """The start of the Rego source without comment lines (by default, what the model reads)."""
    return _COMMENT_RE.sub("", source).strip()[:limit]


def _base_metadata(exemplar: Exemplar, relpath: str) -> dict[str, Any]:
    meta = exemplar.meta
    # Lists are stored as JSON strings: every Chroma version and server accepts strings.
    return {
        "exemplar_id": exemplar.id,
        "title": str(meta.get("title") or exemplar.id),
        "category": str(meta.get("category") or exemplar.category),
        "kind": str(meta.get("kind", "")),
        "severity": str(meta.get("severity") or ""),
        "path": relpath,
        "kinds": json.dumps(_strings(meta.get("kinds"))),
        "features": json.dumps(_strings(meta.get("features"))),
        "tags": json.dumps(_strings(meta.get("tags"))),
        "keywords": keyword_text(exemplar),
    }


def exemplar_entry(exemplar: Exemplar, relpath: str) -> ExemplarEntry:
    """The documents of one exemplar and their common content hash."""
    base = _base_metadata(exemplar, relpath)
    texts: list[tuple[str, str]] = [("card", card_text(exemplar.meta))]
    texts += [("phrasing", p) for p in _strings(exemplar.meta.get("phrasings"))]
    rego = rego_text(exemplar.source)
    if rego:
        texts.append(("rego", rego))
    digest = hashlib.sha256(
        json.dumps({"schema": INDEX_SCHEMA, "base": base, "texts": texts}, sort_keys=True).encode()
    ).hexdigest()[:16]
    documents = []
    for n, (doc_type, text) in enumerate(texts):
        metadata = {**base, "doc_type": doc_type, "hash": digest}
        if doc_type != "card":
            # The keyword text is needed once per exemplar; the card carries it.
            metadata.pop("keywords")
        documents.append(IndexDocument(id=f"{exemplar.id}#{n}-{doc_type}", text=text, metadata=metadata))
    centroid = {**base, "doc_type": "centroid", "hash": digest}
    centroid.pop("keywords")
    documents.append(IndexDocument(id=f"{exemplar.id}#centroid", text=base["title"], metadata=centroid))
    return ExemplarEntry(id=exemplar.id, hash=digest, documents=documents)
