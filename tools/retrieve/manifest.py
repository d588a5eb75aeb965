"""Retrieval driven by manifests: their features and kinds, read by tools.extract."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tools.errors import InputError
from tools.retrieve.models import RetrievalHit


class ManifestSignals(BaseModel):
    """What retrieval takes from manifests: every object's features and kinds, and what was skipped."""

    features: list[str] = []
    kinds: list[str] = []
    notes: list[str] = []


def manifest_signals(paths: Sequence[str | Path]) -> ManifestSignals:
    """The union of the features and the resource kinds of every object in `paths`."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise InputError(f"no such file or folder: {', '.join(missing)}")
    # Imported here: the extractor pulls in YAML and schema handling that plain text queries never need.
    from tools.extract import extract_paths

    result: Any = extract_paths([Path(p) for p in paths])
    objects = list(getattr(result, "objects", []) or [])
    if not objects:
        raise InputError(
            f"no Kubernetes objects found in {', '.join(str(p) for p in paths)}",
            hint="give YAML or JSON manifests with apiVersion and kind",
        )
    return ManifestSignals(
        features=sorted({str(f) for obj in objects for f in (getattr(obj, "features", None) or [])}),
        kinds=sorted({str(obj.kind) for obj in objects if getattr(obj, "kind", None)}),
        notes=[str(getattr(n, "message", n)) for n in getattr(result, "notes", None) or []],
    )


def retrieve_for_manifest(
    paths: Sequence[str | Path],
    *,
    query: str | None = None,
    k: int = 5,
    index_dir: str | Path | None = None,
    chroma_url: str | None = None,
) -> list[RetrievalHit]:
    """Finds the exemplar policies that concern what the manifests in `paths` do (optionally with a request text).

    The manifests' features ("securityContext.privileged=true", ...) and kinds drive the
    ranking; a `query` adds text similarity.
    """
    from tools.retrieve.query import retrieve

    signals = manifest_signals(paths)
    return retrieve(
        query,
        manifest_features=signals.features,
        kinds=signals.kinds,
        k=k,
        index_dir=index_dir,
        chroma_url=chroma_url,
    )
