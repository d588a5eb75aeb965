"""The drafter's plan: which exemplars, which parameters, where the policy applies.

A Plan is what the request means in exemplar terms; build.py turns it into a PolicyDraft.
Refinement edits a Plan rebuilt from the previous draft.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Part(BaseModel):
    """One exemplar of the draft with its filled parameters."""

    exemplar_id: str
    params: dict[str, Any] = Field(default_factory=dict)
    facets: list[str] = Field(default_factory=list, description="the checks kept (see facets.py); empty: all")
    kinds: list[str] = Field(
        default_factory=list,
        description="the kinds this rule judges when fewer than the constraint matches; empty: all it can",
    )
    score: float = 1.0


class Plan(BaseModel):
    """Everything needed to build a draft, before any Rego or fixture is written."""

    parts: list[Part]
    excluded_namespaces: list[str] = Field(default_factory=list)
    namespaces: list[str] = Field(default_factory=list)
    kinds: list[str] = Field(
        default_factory=list, description="narrowed kinds; empty means the exemplars' kinds"
    )
    enforcement: Literal["deny", "warn", "dryrun"] = "deny"
    target: Literal["gatekeeper", "conftest", "both"] = "both"
    notes: list[str] = Field(default_factory=list)
    confidence: float = 0.0
    policy_id: str | None = None

    @property
    def exemplar_ids(self) -> list[str]:
        return [p.exemplar_id for p in self.parts]


class Understanding(BaseModel):
    """A plan, or why there is none."""

    plan: Plan | None = None
    decline: str = ""
    confidence: float = 0.0
