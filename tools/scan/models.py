"""ScanReport: every object's verdict under a set of Gatekeeper policies, with file:line."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, computed_field

from tools.models import Finding, ObjectSite

Verdict = Literal["deny", "warn", "allow"]
_RANK: dict[str, int] = {"allow": 0, "warn": 1, "deny": 2}


class PolicyRef(BaseModel):
    """One applied policy: a Constraint, its template, and what the corpus knows about it."""

    constraint_kind: str
    constraint_name: str
    template_name: str = ""
    enforcement_action: str = "deny"
    policy_id: str | None = Field(default=None, description="the corpus (or bundle) policy id, when known")
    title: str | None = None
    description: str | None = None
    severity: str | None = None
    source: str | None = Field(default=None, description="the file the constraint came from")

    @property
    def key(self) -> str:
        """'K8sPrivilegedContainers/privileged-containers': unique within a scan."""
        return f"{self.constraint_kind}/{self.constraint_name}"

    @property
    def label(self) -> str:
        """How reports name the policy: its id when known, else the constraint."""
        return self.policy_id or self.key


class Violation(Finding):
    """A Finding from gator for one object and one constraint (id = 'ConstraintKind/constraint-name')."""

    verdict: Verdict = "deny"
    enforcement_action: str = "deny"
    constraint_kind: str = ""
    constraint_name: str = ""
    policy_id: str | None = None
    object_kind: str = ""
    object_name: str = ""
    object_namespace: str | None = None
    details: dict[str, Any] = {}

    @computed_field  # type: ignore[prop-decorator]
    @property
    def policy(self) -> str:
        """How reports name the policy: the corpus id when known, else 'ConstraintKind/name'."""
        return self.policy_id or self.id

    @property
    def policy_label(self) -> str:
        return self.policy


class ObjectResult(ObjectSite):
    """One scanned object: where it is, its verdict and the violations behind it."""

    verdict: Verdict = "allow"
    violations: list[Violation] = []
    notes: list[str] = Field(default_factory=list, description="e.g. a constraint gator could not match")


class ScanSummary(BaseModel):
    """Counts and timing of one scan."""

    objects: int = 0
    denied: int = 0
    warned: int = 0
    allowed: int = 0
    violations: int = 0
    policies: int = 0
    files: int = 0
    gator_runs: int = 0
    seconds: float = 0.0


class ScanReport(BaseModel):
    """The result of `kpc scan`: per-object verdicts, the policies used, and the loading notes."""

    summary: ScanSummary = ScanSummary()
    results: list[ObjectResult] = []
    policies: list[PolicyRef] = []
    notes: list[Finding] = []

    @property
    def violations(self) -> list[Violation]:
        """Every violation, in the order of the objects (file, line)."""
        return [v for r in self.results for v in r.violations]

    @property
    def input_errors(self) -> list[Finding]:
        """Notes that mean some input could not be scanned."""
        return [n for n in self.notes if n.level == "error"]

    def policy(self, key: str) -> PolicyRef | None:
        """The policy with this 'ConstraintKind/name' key."""
        return next((p for p in self.policies if p.key == key), None)

    def worst(self) -> Verdict:
        """The strongest verdict over all objects."""
        return max((r.verdict for r in self.results), key=_RANK.__getitem__, default="allow")


def strongest(verdicts: list[Verdict]) -> Verdict:
    """deny over warn over allow."""
    return max(verdicts, key=_RANK.__getitem__, default="allow")
