"""Result models of the exemplar index: where it lives, what a build did, what a query found."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Backend = Literal["local", "server"]


class IndexLocation(BaseModel):
    """Where the index lives: a folder on this machine or a Chroma server shared by a team."""

    backend: Backend
    path: str | None = Field(default=None, description="the persistent folder (local backend)")
    url: str | None = Field(default=None, description="the Chroma server URL (server backend)")
    collection: str = "kpc-exemplars"

    def describe(self) -> str:
        """One line for messages: `local /path (collection)` or `server http://… (collection)`."""
        where = self.path if self.backend == "local" else self.url
        return f"{self.backend} {where} ({self.collection})"


class BuildReport(BaseModel):
    """What `build_index` did, exemplar by exemplar."""

    location: IndexLocation
    added: list[str] = []
    updated: list[str] = []
    removed: list[str] = []
    unchanged: list[str] = []
    documents: int = Field(default=0, description="documents in the collection after the build")
    embedded: int = Field(default=0, description="documents written by this build (vectors computed)")
    rebuilt: bool = False
    seconds: float = 0.0

    def summary(self) -> str:
        """`index built: 2 added, 1 updated, 0 removed, 37 unchanged (312 documents)`."""
        return (
            f"index {'rebuilt' if self.rebuilt else 'built'}: {len(self.added)} added, "
            f"{len(self.updated)} updated, {len(self.removed)} removed, {len(self.unchanged)} unchanged "
            f"({self.documents} documents, {self.seconds:.1f}s)"
        )


class IndexStatus(BaseModel):
    """The state of the index, read without loading the embedding model."""

    location: IndexLocation
    backend: Backend
    reachable: bool = True
    exists: bool = False
    documents: int = 0
    exemplars: int = 0
    corpus_exemplars: int = Field(default=0, description="exemplars in the policy corpus on disk")
    stale: bool = False
    stale_reasons: list[str] = []
    embedding_model: str | None = None
    built_at: str | None = None
    source: str | None = Field(default=None, description="'corpus' or 'custom' (built from a given list)")
    error: str | None = None

    def summary(self) -> str:
        """One line for `kpc doctor` and `kpc index status`."""
        where = self.location.describe()
        if not self.reachable:
            return f"index {where}: unreachable ({self.error})"
        if not self.exists:
            return f"index {where}: not built yet (run `kpc index build`)"
        state = "stale: " + "; ".join(self.stale_reasons) if self.stale else "up to date"
        return f"index {where}: {self.exemplars} exemplars, {self.documents} documents, {state}"


class RetrievalHit(BaseModel):
    """One exemplar policy found for a request, with the scores that ranked it."""

    id: str
    title: str
    category: str
    kind: str = Field(description="the exemplar's constraint kind, e.g. K8sPrivilegedContainers")
    path: str = Field(description="the exemplar's folder")
    score: float = Field(description="the combined score in [0, 1]; higher is closer")
    vector: float = Field(default=0.0, description="cosine similarity of the best matching document")
    bm25: float = Field(default=0.0, description="keyword score, normalised to the best candidate")
    feature: float = Field(default=0.0, description="overlap of manifest features with the exemplar's")
    kind_match: float = Field(default=0.0, description="1 when the exemplar applies to a requested kind")
    matched_features: list[str] = Field(default=[], description="the exemplar features the manifest has")
    matched_text: str | None = Field(default=None, description="the indexed text closest to the query")


class RetrievalResult(BaseModel):
    """Hits plus what the caller should know about the index (built on first use, stale)."""

    hits: list[RetrievalHit] = []
    notes: list[str] = []
    location: IndexLocation
