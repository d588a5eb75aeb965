"""The exemplar index (Chroma) and hybrid retrieval over it.

Importing this package is cheap: chromadb and the embedding model load inside the
functions that need them.
"""

from tools.retrieve.build import build_index
from tools.retrieve.location import resolve_location
from tools.retrieve.manifest import ManifestSignals, manifest_signals, retrieve_for_manifest
from tools.retrieve.models import BuildReport, IndexLocation, IndexStatus, RetrievalHit, RetrievalResult
from tools.retrieve.query import retrieve, search
from tools.retrieve.status import index_status

__all__ = [
    "BuildReport",
    "IndexLocation",
    "IndexStatus",
    "ManifestSignals",
    "RetrievalHit",
    "RetrievalResult",
    "build_index",
    "index_status",
    "manifest_signals",
    "resolve_location",
    "retrieve",
    "retrieve_for_manifest",
    "search",
]
