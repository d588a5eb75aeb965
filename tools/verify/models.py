"""VerificationReport: the evidence a policy carries (report.json in every bundle)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from tools.models import Finding

Verdict = Literal["deny", "allow"]


class CheckOutcome(BaseModel):
    """One engine check of a bundle."""

    name: str
    ok: bool
    skipped: bool = False
    summary: str = ""
    seconds: float = 0.0
    findings: list[Finding] = []


class FixtureVerdict(BaseModel):
    """What the engine decided for one fixture versus what was expected."""

    file: str
    expected: Verdict
    actual: Verdict | Literal["error"]
    engine: Literal["gator", "conftest"] = "gator"
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


class VerificationReport(BaseModel):
    """Every check and fixture verdict of one verification run; `ok` is the verify gate."""

    bundle: str
    ok: bool
    checks: list[CheckOutcome] = []
    fixtures: list[FixtureVerdict] = []
    coverage: float | None = None
    seconds: float = 0.0

    @property
    def findings(self) -> list[Finding]:
        return [f for c in self.checks for f in c.findings]

    def failed_checks(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.ok and not c.skipped]

    def summary(self) -> str:
        """One line, e.g. 'verified: 6/6 checks, 5/5 fixtures, coverage 100%'."""
        ran = [c for c in self.checks if not c.skipped]
        passed = sum(1 for c in ran if c.ok)
        fixtures_ok = sum(1 for f in self.fixtures if f.ok)
        cov = f", coverage {self.coverage:.0f}%" if self.coverage is not None else ""
        head = "verified" if self.ok else "NOT verified"
        return f"{head}: {passed}/{len(ran)} checks, {fixtures_ok}/{len(self.fixtures)} fixtures{cov}"

    def failure_text(self, limit: int = 20) -> str:
        """The failures as plain lines, for a repair prompt or a terminal."""
        lines = []
        for check in self.failed_checks():
            lines.append(f"[{check.name}] {check.summary}")
            lines += [f"  {f.location()}: {f.message}" for f in check.findings[:limit]]
        for fixture in self.fixtures:
            if not fixture.ok:
                lines.append(
                    f"[fixture] {fixture.file}: expected {fixture.expected}, got {fixture.actual} {fixture.message}".rstrip()
                )
        return "\n".join(lines)
