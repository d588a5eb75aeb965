"""The fixture gate, before any engine runs: fixtures only count once they are real Kubernetes objects.

Each drafted fixture is validated strictly against the pinned Kubernetes schemas
(tools.kube.validation_error: unknown fields rejected), plus the API server rules the
schemas leave out and that decide whether an object could be admitted at all: a name
(or generateName), containers with a name and an image in every pod spec, a selector on
Deployments, StatefulSets, DaemonSets and ReplicaSets, a schedule on CronJobs (so
`{apiVersion: v1, kind: Pod}` is not a fixture). Invalid fixtures are dropped from
the bundle, with the reason kept for the model. The check passes when at least one valid
deny fixture and one valid allow fixture remain; the mutation check (copilot.agent.mutation)
then tests, with the engine, that the pairs contrast for the right reason.
"""

from __future__ import annotations

from typing import Any

from tools.draft.models import Fixture, PolicyDraft
from tools.kube import validation_error
from tools.models import Finding
from tools.verify.models import CheckOutcome

POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
SELECTOR_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"})


def _dig(obj: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj


def api_problem(obj: dict[str, Any]) -> str | None:
    """What the API server would reject that the OpenAPI schema accepts, or None."""
    metadata = obj.get("metadata") or {}
    if not metadata.get("name") and not metadata.get("generateName"):
        return "metadata.name is required"
    kind = str(obj.get("kind", ""))
    if kind in POD_SPEC_PATHS:
        where = ".".join(POD_SPEC_PATHS[kind])
        containers = _dig(obj, (*POD_SPEC_PATHS[kind], "containers"))
        if not isinstance(containers, list) or not containers:
            return f"{where}.containers must list at least one container"
        for i, container in enumerate(containers):
            if not isinstance(container, dict) or not container.get("name") or not container.get("image"):
                return f"{where}.containers[{i}] needs a name and an image"
    if kind in SELECTOR_KINDS and not _dig(obj, ("spec", "selector")):
        return "spec.selector is required"
    if kind == "CronJob" and not _dig(obj, ("spec", "schedule")):
        return "spec.schedule is required"
    return None


def review_fixtures(draft: PolicyDraft) -> tuple[list[Fixture], CheckOutcome]:
    """The valid fixtures of `draft` and the `fixtures` check outcome that describes them."""
    valid: list[Fixture] = []
    findings: list[Finding] = []
    for fixture in draft.fixtures:
        problem = validation_error(fixture.manifest) or api_problem(fixture.manifest)
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
