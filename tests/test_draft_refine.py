"""Follow-ups on the previous draft: the policy id stays, the change lands, fixtures follow, still verified."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.bundle_writer import write_bundle
from tools.draft import draft_offline
from tools.draft.models import PolicyDraft
from tools.verify import verify_bundle


def step(request: str, previous: PolicyDraft | None = None) -> PolicyDraft:
    outcome = draft_offline(request, previous=previous)
    assert outcome.status == "drafted", outcome.reason
    assert outcome.draft is not None
    if previous is not None:
        assert outcome.draft.policy_id == previous.policy_id
    return outcome.draft


def namespaces_of_allowed(draft: PolicyDraft) -> set[str]:
    return {f.manifest["metadata"].get("namespace", "") for f in draft.fixtures if f.expected == "allow"}


@pytest.mark.slow
def test_namespace_enforcement_and_kind_follow_ups(tmp_path: Path) -> None:
    first = step("deny privileged containers except in kube-system")
    second = step("also exempt the monitoring namespace", first)
    assert second.match["excludedNamespaces"] == ["kube-system", "monitoring"]
    assert "monitoring" in namespaces_of_allowed(second)
    third = step("make it a warning", second)
    assert third.enforcement_action == "warn"
    assert step("enforce it", third).enforcement_action == "deny"
    fourth = step("only for Deployments", third)
    assert [g["kinds"] for g in fourth.match["kinds"]] == [["Deployment"]]
    # A Pod that would be denied is admitted now that only Deployments are matched.
    assert any(f.expected == "allow" and f.manifest["kind"] != "Deployment" for f in fourth.fixtures)
    report = verify_bundle(write_bundle(fourth, tmp_path / "b"))
    assert report.ok, report.failure_text()


@pytest.mark.slow
def test_registry_follow_ups(tmp_path: Path) -> None:
    first = step("only allow images from ghcr.io/acme")
    second = step("also allow quay.io", first)
    assert second.parameters["registries"] == ["ghcr.io/acme/", "quay.io"]
    assert any(
        c["image"].startswith("quay.io/")
        for f in second.fixtures
        if f.expected == "allow"
        for c in f.manifest["spec"].get("containers", [])
    )
    third = step("add the kube-system namespace", second)
    assert third.match["excludedNamespaces"] == ["kube-system"]
    fourth = step("stop exempting kube-system", third)
    assert "excludedNamespaces" not in fourth.match
    report = verify_bundle(write_bundle(second, tmp_path / "b"))
    assert report.ok, report.failure_text()


@pytest.mark.slow
def test_raise_a_limit(tmp_path: Path) -> None:
    first = step("cap memory limits at 4Gi")
    second = step("raise the limit to 8Gi", first)
    assert second.parameters == {"memory": "8Gi"}
    limits = {
        c.get("resources", {}).get("limits", {}).get("memory")
        for f in second.fixtures
        for c in f.manifest["spec"].get("containers", [])
    }
    assert {"9Gi", "8Gi", "7Gi"} <= limits
    report = verify_bundle(write_bundle(second, tmp_path / "b"))
    assert report.ok, report.failure_text()


@pytest.mark.slow
def test_compose_in_a_follow_up(tmp_path: Path) -> None:
    first = step("deny privileged containers")
    second = step("also forbid host networking", first)
    assert second.exemplar_ids == ["privileged-containers", "host-namespaces"]
    assert any(
        f.expected == "deny" and f.manifest["spec"].get("hostNetwork")
        for f in second.fixtures
        if f.manifest["kind"] == "Pod"
    )
    report = verify_bundle(write_bundle(second, tmp_path / "b"))
    assert report.ok, report.failure_text()
    back = step("drop the host networking rule", second)
    assert back.exemplar_ids == ["privileged-containers"]


def test_parameter_follow_ups_without_engines() -> None:
    labels = step("require an owner label")
    labels = step("also require a team label", labels)
    labels = step("the env label must be dev or prod", labels)
    assert labels.parameters["labels"] == [
        {"key": "owner"},
        {"key": "team"},
        {"key": "env", "allowedRegex": "^(dev|prod)$"},
    ]
    probes = step("require liveness and readiness probes")
    assert step("drop the readiness probe", probes).parameters["probes"] == ["livenessProbe"]
    replicas = step("deployments must have at least 2 replicas")
    assert step("no more than 10", replicas).parameters == {"minReplicas": 2, "maxReplicas": 10}
    tags = step("no latest tags")
    tags = step("also exempt images from registry.example.com/sandbox", tags)
    assert tags.parameters["exemptImages"] == ["registry.example.com/sandbox/"]
    assert step("dry run", tags).enforcement_action == "dryrun"


def test_follow_up_that_changes_nothing_is_declined() -> None:
    first = step("deny privileged containers")
    outcome = draft_offline("make it purple", previous=first)
    assert outcome.status == "declined"
    assert "configure an LLM provider" in outcome.reason


def test_follow_up_on_a_foreign_draft_is_declined() -> None:
    foreign = step("deny privileged containers").model_copy(update={"exemplar_ids": []})
    outcome = draft_offline("also exempt monitoring", previous=foreign)
    assert outcome.status == "declined"
    assert "not built from corpus exemplars" in outcome.reason


def test_new_rule_in_a_follow_up_takes_its_own_parameters() -> None:
    registries = step("only allow images from ghcr.io/acme")
    both = step("also block images from docker.io/bitnami", registries)
    assert both.exemplar_ids == ["allowed-registries", "disallowed-repositories"]
    assert both.parameters == {"registries": ["ghcr.io/acme/"], "repositories": ["docker.io/bitnami"]}
    replaced = step("make it about host networking instead", step("deny privileged containers"))
    assert replaced.exemplar_ids == ["host-namespaces"]


def test_facets_follow_up() -> None:
    pid_ipc = step("Stop workloads from joining the node's PID or IPC namespaces.")
    assert 'found.details.field in {"hostIPC", "hostPID"}' in pid_ipc.src_rego
    everything = step("also forbid host networking", pid_ipc)
    assert "found.details" not in everything.src_rego
    assert any(f.expected == "deny" and f.manifest["spec"].get("hostNetwork") for f in everything.fixtures)
