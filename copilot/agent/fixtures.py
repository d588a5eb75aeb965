"""The fixture gate, before any engine runs: fixtures only count once they are real Kubernetes objects.

Each drafted fixture is validated strictly against the pinned Kubernetes schemas
(tools.kube.validation_error: unknown fields rejected). Invalid fixtures are dropped from
the bundle, with the reason kept for the model. The check passes when at least one valid
deny fixture and one valid allow fixture remain; the mutation check (copilot.agent.mutation)
then tests, with the engine, that the pairs contrast for the right reason.
"""

from __future__ import annotations

from tools.draft.models import Fixture, PolicyDraft
from tools.kube import validation_error
from tools.models import Finding
from tools.verify.models import CheckOutcome


def review_fixtures(draft: PolicyDraft) -> tuple[list[Fixture], CheckOutcome]:
    """The valid fixtures of `draft` and the `fixtures` check outcome that describes them."""
    valid: list[Fixture] = []
    findings: list[Finding] = []
    for fixture in draft.fixtures:
        problem = validation_error(fixture.manifest)
        if problem is None:
            valid.append(fixture)
            continue
        findings.append(
            Finding(
                id="fixtures/invalid-object",
                level="warning",
                message=f"fixture {fixture.name!r} ({fixture.expected}) is not a valid Kubernetes object "
                f"and was dropped: {problem}",
                tool="kubernetes-validate",
            )
        )
    denies = sum(1 for f in valid if f.expected == "deny")
    allows = len(valid) - denies
    missing = [name for name, count in (("deny", denies), ("allow", allows)) if count == 0]
    for verdict in missing:
        findings.append(
            Finding(
                id="fixtures/missing-verdict",
                message=f"no valid {verdict} fixture: add a complete, valid object the policy must {verdict}",
                tool="kpc",
            )
        )
    ok = not missing
    for finding in findings:
        # Dropped fixtures only matter to the verdict when too few remain.
        finding.level = "warning" if ok else "error"
    dropped = len(draft.fixtures) - len(valid)
    summary = f"{len(valid)} valid fixture(s): {denies} deny, {allows} allow"
    if dropped:
        summary += f"; {dropped} invalid dropped"
    return valid, CheckOutcome(name="fixtures", ok=ok, summary=summary, findings=findings)
