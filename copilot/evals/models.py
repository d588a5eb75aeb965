"""The eval report: per-manifest verdicts, per-case results, totals and a baseline comparison.

EvalReport.model_dump(mode="json") is the report file (`kpc eval --report`); its JSON
schema is copilot/evals/report_schema.json, documented in docs/eval-report-schema.md.
Change the three together and bump SCHEMA_VERSION when a field changes meaning.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

SCHEMA_VERSION = 1
REPORT_KIND = "kpc-eval-report"

Verdict = Literal["deny", "warn", "dryrun", "allow"]
Actual = Literal["deny", "warn", "dryrun", "allow", "error"]
Engine = Literal["gator", "conftest"]
CaseStatus = Literal["verified", "not_verified", "declined", "cancelled", "error", "skipped"]


class ManifestVerdict(BaseModel):
    """What the engine decided for one acceptance manifest, against what the case expects."""

    name: str
    kind: str
    namespace: str = ""
    object_name: str
    expected: Verdict
    actual: Actual
    engine: Engine
    derived: bool = Field(default=False, description="an exempt-namespace copy of a deny manifest")
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.expected == self.actual

    @property
    def false_deny(self) -> bool:
        """An object that should be admitted was blocked (or warned about)."""
        return self.expected == "allow" and self.actual in ("deny", "warn", "dryrun")

    @property
    def false_allow(self) -> bool:
        """An object that should be caught got through."""
        return self.expected != "allow" and self.actual == "allow"


class Tokens(BaseModel):
    prompt: int = 0
    completion: int = 0


class CaseResult(BaseModel):
    """One case: what the agent did, how its policy scored, and whether the case met its expectation."""

    suite: str
    case: str
    request: str
    target: str
    tags: list[str] = Field(default_factory=list)
    expected_status: list[str]
    status: CaseStatus
    met: bool | None = Field(description="the case met every expectation; null when skipped")
    problems: list[str] = Field(default_factory=list, description="why the case did not meet its expectation")
    reason: str = Field(default="", description="the agent's decline or failure reason")
    error: str = ""
    policy_id: str | None = None
    policy_kind: str | None = None
    scored: bool = False
    correct: bool | None = Field(default=None, description="every verdict right; null when not scored")
    verdicts_total: int = 0
    verdicts_correct: int = 0
    accuracy: float | None = None
    false_denies: int = 0
    false_allows: int = 0
    wrong_action: int = Field(
        default=0, description="caught, but with another enforcement action than expected"
    )
    errors: int = Field(default=0, description="verdicts the engine could not give")
    verdicts: list[ManifestVerdict] = Field(default_factory=list)
    rounds: int = 0
    repair_rounds: int = 0
    first_round: bool = False
    model_calls: int = 0
    round_log: list[str] = Field(default_factory=list, description="one line per verification round")
    tokens: Tokens | None = None
    seconds: float = 0.0
    score_seconds: float = 0.0
    bundle_dir: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.suite}/{self.case}"

    @property
    def answered(self) -> bool:
        return self.status == "verified"

    @property
    def declined(self) -> bool:
        return self.status == "declined"

    @property
    def decline_expected(self) -> bool:
        return "declined" in self.expected_status


class Totals(BaseModel):
    """The run in numbers. Accuracy is over the verdicts of answered cases."""

    planned: int = 0
    cases: int = Field(default=0, description="cases that ran (not skipped, not interrupted)")
    skipped: int = 0
    met: int = 0
    unmet: int = 0
    answered: int = 0
    declined: int = 0
    declined_expected: int = 0
    declined_unexpected: int = 0
    not_verified: int = 0
    errors: int = 0
    expected_answers: int = Field(default=0, description="cases whose expectation allows a verified answer")
    scored: int = 0
    fully_correct: int = 0
    verdicts: int = 0
    verdicts_correct: int = 0
    accuracy: float | None = None
    false_denies: int = 0
    false_allows: int = 0
    wrong_action: int = 0
    first_round: int = 0
    repair_rounds: int = 0
    model_calls: int = 0
    tokens: Tokens | None = None
    agent_seconds: float = 0.0
    wall_seconds: float = 0.0


class Regression(BaseModel):
    """Something worse than in the baseline."""

    case: str = Field(description="suite/id, or '*' for the whole run")
    what: Literal["no-longer-met", "no-longer-correct", "accuracy-drop"]
    before: str
    after: str


class Comparison(BaseModel):
    """This run against a baseline report."""

    baseline: str
    baseline_started_at: str = ""
    regressions: list[Regression] = Field(default_factory=list)
    improvements: list[str] = Field(default_factory=list)
    accuracy_before: float | None = None
    accuracy_after: float | None = None
    fully_correct_before: int = 0
    fully_correct_after: int = 0
    met_before: int = 0
    met_after: int = 0
    new_cases: list[str] = Field(default_factory=list)
    missing_cases: list[str] = Field(default_factory=list)

    @property
    def regressed(self) -> bool:
        return bool(self.regressions)


class EvalReport(BaseModel):
    """A whole eval run (the --report file)."""

    kind: str = REPORT_KIND
    schema_version: int = SCHEMA_VERSION
    kpc_version: str
    started_at: str
    finished_at: str
    provider: str
    model: str = ""
    suites: list[str]
    jobs: int = 1
    partial: bool = Field(default=False, description="interrupted: only the cases that finished are in it")
    totals: Totals
    cases: list[CaseResult]
    comparison: Comparison | None = None

    @property
    def ok(self) -> bool:
        """Every case that ran met its expectation, nothing regressed, and the run was complete."""
        regressed = self.comparison is not None and self.comparison.regressed
        return not self.partial and self.totals.unmet == 0 and not regressed
