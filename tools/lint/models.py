"""What the linter knows about its rules and what one run found."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from tools.models import Finding, Level

FailOn = Literal["error", "warning", "never"]


class RuleInfo(BaseModel):
    """One of our rules: its id (also its docs anchor and ignore key), default level and summary."""

    id: str = Field(description="e.g. 'kpc/containers-only'")
    level: Level
    title: str
    description: str

    @property
    def name(self) -> str:
        """The id without the `kpc/` prefix, as used in `# kpc ignore:<name>` comments."""
        return self.id.split("/", 1)[-1]

    @property
    def help_uri(self) -> str:
        """Where the rule is documented, relative to the repository."""
        return f"docs/lint-rules.md#{self.id.replace('/', '').replace('_', '-')}"


class LintReport(BaseModel):
    """Regal's findings and ours for every linted Rego module."""

    files: list[str] = Field(default=[], description="the Rego sources linted (templates as their YAML file)")
    findings: list[Finding] = []
    regal: bool = Field(default=True, description="whether Regal ran")

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.level == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.level == "warning")

    @property
    def ok(self) -> bool:
        """No error-level finding."""
        return self.errors == 0

    def exit_code(self, fail_on: FailOn = "error") -> int:
        """0 clean, 2 when a finding at or above `fail_on` exists (warnings pass unless fail_on='warning')."""
        if fail_on == "never":
            return 0
        if self.errors or (fail_on == "warning" and self.warnings):
            return 2
        return 0

    def summary(self) -> str:
        """`3 files linted: 1 error, 2 warnings` (or `no problems`)."""
        files = f"{len(self.files)} file{'s' if len(self.files) != 1 else ''} linted"
        if not self.findings:
            return f"{files}: no problems"
        infos = len(self.findings) - self.errors - self.warnings
        parts = [f"{self.errors} error{'s' if self.errors != 1 else ''}"]
        parts.append(f"{self.warnings} warning{'s' if self.warnings != 1 else ''}")
        if infos:
            parts.append(f"{infos} info")
        return f"{files}: {', '.join(parts)}"
