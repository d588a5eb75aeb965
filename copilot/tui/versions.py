"""The versions of the policy in a conversation, and the diff between consecutive ones (no UI).

A new version appears after every draft or repair round and after every refinement
turn; the policy pane shows the latest and its diff against the one before.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

import yaml

from tools.bundle_writer import constraint_for
from tools.draft.models import PolicyDraft
from tools.verify.models import VerificationReport


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, sort_keys=False, width=1000)


def fixture_file(draft: PolicyDraft) -> str:
    """Every fixture as one YAML stream, each headed by a comment with its name and expected verdict."""
    parts = []
    for fixture in draft.fixtures:
        parts.append(f"# {fixture.name}: expected {fixture.expected}\n" + _dump(fixture.manifest))
    return "---\n".join(parts)


def draft_files(draft: PolicyDraft) -> dict[str, str]:
    """The hand-written parts of a draft as named texts: what a reader compares between versions."""
    return {
        "src.rego": draft.src_rego,
        "src_test.rego": draft.src_test_rego,
        "constraint.yaml": _dump(constraint_for(draft)),
        "fixtures.yaml": fixture_file(draft),
    }


def unified_diff(old: PolicyDraft | None, new: PolicyDraft) -> str:
    """A unified diff of every file that changed; '' when nothing did (or there is no old version)."""
    if old is None:
        return ""
    before, after = draft_files(old), draft_files(new)
    chunks: list[str] = []
    for name in after:
        lines = difflib.unified_diff(
            before.get(name, "").splitlines(),
            after[name].splitlines(),
            fromfile=f"a/{name}",
            tofile=f"b/{name}",
            lineterm="",
        )
        chunks.extend(lines)
    return "\n".join(chunks)


@dataclass
class PolicyVersion:
    """One version of the policy: the draft, its verification (when it ran) and where it came from."""

    number: int
    draft: PolicyDraft
    label: str
    report: VerificationReport | None = None

    @property
    def verified(self) -> bool:
        return self.report is not None and self.report.ok


@dataclass
class History:
    """Every version shown in this conversation, oldest first."""

    versions: list[PolicyVersion] = field(default_factory=list)

    @property
    def current(self) -> PolicyVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def previous(self) -> PolicyVersion | None:
        return self.versions[-2] if len(self.versions) > 1 else None

    def record(
        self, draft: PolicyDraft, label: str, report: VerificationReport | None = None
    ) -> PolicyVersion:
        """Adds a version, unless it is the same draft as the current one (then only the report is updated)."""
        current = self.current
        if current is not None and current.draft == draft:
            current.report = report or current.report
            return current
        version = PolicyVersion(len(self.versions) + 1, draft.model_copy(deep=True), label, report)
        self.versions.append(version)
        return version

    def diff(self) -> str:
        """The diff between the previous and the current version ('' with fewer than two)."""
        if self.current is None:
            return ""
        return unified_diff(self.previous.draft if self.previous else None, self.current.draft)

    def clear(self) -> None:
        self.versions.clear()
