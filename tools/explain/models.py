"""Explanation: why each object of a manifest is denied, the smallest fix, and whether it re-verified."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, PrivateAttr

from tools.models import Finding, ObjectSite
from tools.scan.models import PolicyRef, Verdict

FixKind = Literal["automatic", "placeholder", "manual"]
ViolationStatus = Literal["resolved", "unresolved", "manual"]
ObjectStatus = Literal["admitted", "fixed", "partly-fixed", "not-fixed"]


class FieldChange(BaseModel):
    """One edit of an object: set, add or remove the value at `path`."""

    op: Literal["add", "replace", "remove"]
    path: str = Field(description="dotted path, e.g. spec.template.spec.containers[0].securityContext")
    tokens: list[str | int] = Field(description="the path as keys and list indices")
    before: Any = None
    after: Any = None


class Fix(BaseModel):
    """The fix proposed for one violation.

    automatic: a complete change, applied and re-verified. placeholder: applied and
    re-verified, but a value in it must be replaced or confirmed by a person. manual: no
    automatic fix; `expected` says exactly what kind of value the field needs.
    """

    kind: FixKind
    summary: str
    changes: list[FieldChange] = []
    notes: list[str] = Field(default_factory=list, description="assumptions and defaults to review")
    expected: str | None = Field(default=None, description="manual fixes: what a person must choose")
    diff: str = Field(default="", description="the change as a YAML diff (context, '-' old, '+' new)")
    round: int = Field(default=0, description="the fix round that applied it (0: not applied)")


MutationKind = Literal["remove", "flip", "fix-value", "exempt-namespace"]


class Counterexample(BaseModel):
    """One single mutation of a denied object around the decisive field, and gator's verdict on it.

    `clears`: this violation is gone from the mutant. `flips`: the mutant is admitted
    (the object's verdict goes from deny, or warn, to allow).
    """

    mutation: MutationKind
    path: str
    before: Any = None
    after: Any = None
    mutant: str = Field(description="the name the mutant was evaluated under (<name>-kpc-mutant-N)")
    verdict: Verdict = "deny"
    clears: bool = False
    flips: bool = False
    summary: str = ""
    still: list[str] = Field(default_factory=list, description="policies that still deny or warn the mutant")


class ExplainedViolation(Finding):
    """A Finding for one violation of one object (id 'ConstraintKind/name', file:row of the object),
    with the policy, the offending field, the fix and whether the fix re-verified."""

    policy_id: str | None = None
    title: str | None = None
    severity: str | None = None
    constraint_kind: str
    constraint_name: str
    verdict: Verdict = "deny"
    field: str | None = Field(default=None, description="the offending path in the object")
    details: dict[str, Any] = {}
    fix: Fix
    status: ViolationStatus = "unresolved"
    introduced_by_fix: bool = Field(default=False, description="appeared only after another fix")
    found_in_round: int = 0
    counterexamples: list[Counterexample] = Field(
        default_factory=list,
        description="--counterexamples: single mutations and whether they flip the verdict",
    )

    @property
    def policy_label(self) -> str:
        """The policy id when known, else 'Kind/name' of the constraint."""
        return self.policy_id or f"{self.constraint_kind}/{self.constraint_name}"


class Reverification(BaseModel):
    """The fixed copy of an object, evaluated again by the same policies."""

    status: ObjectStatus
    admitted: bool
    rounds: int = 0
    summary: str
    remaining: list[str] = Field(default_factory=list, description="'policy: message' still failing")


class ObjectExplanation(ObjectSite):
    """One object of the manifest, where it is, and why it is (or is not) admitted."""

    verdict: Verdict = "allow"
    violations: list[ExplainedViolation] = []
    reverification: Reverification | None = None
    patch: list[FieldChange] = Field(
        default_factory=list, description="the re-verified changes --format patch and --write apply"
    )
    patch_note: str | None = None
    json_patch: list[dict[str, Any]] = Field(
        default_factory=list, description="the same re-verified changes as RFC 6902 operations"
    )
    notes: list[str] = []
    _source: dict[str, Any] | None = PrivateAttr(default=None)

    def attach_source(self, obj: dict[str, Any]) -> None:
        """Keeps the object as loaded (not serialised), so a patch can check the file is unchanged."""
        self._source = obj

    def source_object(self) -> dict[str, Any] | None:
        """The object as loaded, when this explanation was made in this process."""
        return self._source


class SampleFlip(BaseModel):
    """A sample of the policy whose verdict the policy-side change alters."""

    file: str
    object: str
    before: Verdict
    after: Verdict


class PolicySuggestion(BaseModel):
    """A change to the constraint (not the manifest) that would admit the object, re-verified with gator."""

    object: str = Field(description="'Deployment shop/web'")
    where: str = Field(description="file:line of the object")
    policy: str
    constraint: str = Field(description="'Kind/name' of the constraint to change")
    constraint_file: str | None = None
    kind: Literal["exemption", "parameter"]
    summary: str
    changes: list[FieldChange] = Field(default_factory=list, description="on the constraint object")
    diff: str = Field(default="", description="unified diff of the constraint file")
    admits_object: bool = Field(
        default=False, description="the changed constraint no longer flags the object"
    )
    still: list[str] = Field(default_factory=list, description="what the changed constraint still says")
    samples_checked: int = 0
    flipped_samples: list[SampleFlip] = []
    warnings: list[str] = Field(default_factory=list, description="what else the change admits")

    def location(self) -> str:
        return self.where


class ExplainSummary(BaseModel):
    """Counts and timing of one explanation."""

    objects: int = 0
    denied: int = 0
    warned: int = 0
    admitted: int = 0
    fixed: int = Field(default=0, description="denied or warned objects admitted after the fixes")
    violations: int = 0
    automatic: int = 0
    placeholder: int = 0
    manual: int = 0
    policies: int = 0
    gator_runs: int = 0
    seconds: float = 0.0


class Explanation(BaseModel):
    """The result of explain(): every object of the manifest with its violations and fixes."""

    manifest: str
    summary: ExplainSummary = ExplainSummary()
    objects: list[ObjectExplanation] = []
    policies: list[PolicyRef] = []
    policy_side: list[PolicySuggestion] = Field(
        default_factory=list, description="--policy-side: constraint changes that would admit the objects"
    )
    notes: list[Finding] = []

    @property
    def denied(self) -> bool:
        """True when some object is denied (the exit status is then 2)."""
        return any(o.verdict == "deny" for o in self.objects)
