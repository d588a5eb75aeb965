"""Shared result models. One Finding schema serves check, lint, test and scan results."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Level = Literal["error", "warning", "info"]


class Finding(BaseModel):
    """One problem found by an engine or by our own rules, located in a file."""

    id: str = Field(
        description="Stable rule or check id, e.g. 'opa-check/rego_type_error' or 'kpc/initcontainers'."
    )
    level: Level = "error"
    message: str
    file: str | None = None
    row: int | None = None
    col: int | None = None
    snippet: str | None = None
    tool: str | None = Field(default=None, description="Which engine or component produced it.")

    def location(self) -> str:
        """`file:row:col` as far as known, for one-line reports."""
        parts = [self.file or "-"]
        if self.row:
            parts.append(str(self.row))
            if self.col:
                parts.append(str(self.col))
        return ":".join(parts)


class ObjectSite(BaseModel):
    """A Kubernetes object and the document it came from (shared by scan and explain results)."""

    kind: str
    api_version: str
    name: str
    namespace: str | None = None
    file: str
    line: int
    doc_index: int = 0
    item_index: int | None = None

    @property
    def ref(self) -> str:
        """'Deployment prod/web' (no namespace part for cluster-scoped or namespace-less objects)."""
        return f"{self.kind} {self.namespace + '/' if self.namespace else ''}{self.name}"

    def location(self) -> str:
        """`file:line` of the object."""
        return f"{self.file}:{self.line}"
