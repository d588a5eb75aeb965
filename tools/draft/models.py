"""PolicyDraft: what a drafter (an LLM through the submit_policy tool, or the offline drafter) produces.

A draft is turned into a bundle folder by tools.bundle_writer.write_bundle and then
verified; it never counts as a policy before verification is green.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Fixture(BaseModel):
    """One test manifest with the verdict the policy must give it."""

    name: str = Field(description="short kebab-case name, e.g. 'privileged-initcontainer'")
    expected: Literal["deny", "allow"]
    manifest: dict[str, Any] = Field(
        description="a complete Kubernetes object (apiVersion, kind, metadata, spec)"
    )


class PolicyDraft(BaseModel):
    """A complete policy proposal: Rego, tests, constraint, fixtures."""

    policy_id: str = Field(description="kebab-case id, e.g. 'deny-privileged-containers'")
    title: str
    description: str = ""
    kind: str = Field(description="Constraint kind in CamelCase starting with K8s, e.g. 'K8sDenyPrivileged'")
    src_rego: str = Field(
        description="OPA v1 Rego: package k8s<id without dashes>; violation contains {...} if {...}"
    )
    src_test_rego: str = Field(description="Rego unit tests in the same package (test_ rules)")
    parameters_schema: dict[str, Any] = Field(
        default_factory=lambda: {"type": "object"}, description="openAPIV3Schema of the constraint parameters"
    )
    parameters: dict[str, Any] = Field(default_factory=dict, description="the constraint's parameters")
    match: dict[str, Any] = Field(
        default_factory=dict,
        description="the constraint's spec.match: kinds [{apiGroups, kinds}], excludedNamespaces, namespaces, ...",
    )
    fixtures: list[Fixture] = Field(default_factory=list)
    target: Literal["gatekeeper", "conftest", "both"] = "both"
    enforcement_action: Literal["deny", "warn", "dryrun"] = "deny"
    rego_version: Literal["v1", "v0"] = Field(
        default="v1",
        description="v0 emits the legacy template fields for Gatekeeper releases without Rego v1",
    )
    exemplar_ids: list[str] = Field(
        default_factory=list, description="corpus exemplars the draft was built from"
    )
    extra_libs: dict[str, str] = Field(
        default_factory=dict,
        description="Rego library modules shipped in the bundle's lib/: name -> source of package lib.<name>",
    )
    notes: list[str] = Field(
        default_factory=list, description="assumptions the drafter made, shown to the user"
    )


class DraftOutcome(BaseModel):
    """The offline drafter's answer: a draft, or a clear decline with the reason."""

    status: Literal["drafted", "declined"]
    draft: PolicyDraft | None = None
    reason: str = ""
    confidence: float = 0.0
