"""Requests that ask for two or three rules: one draft, both rule sets, fixtures for each, verified."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tools.bundle_writer import bundle_files, write_bundle
from tools.corpus.load import load_corpus
from tools.draft import draft_offline
from tools.draft.models import Fixture, PolicyDraft
from tools.verify import verify_bundle

CORPUS = {e.id for e in load_corpus()}


def spec_of(obj: dict[str, Any]) -> dict[str, Any]:
    if obj["kind"] == "Pod":
        return obj["spec"]
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return obj.get("spec", {}).get("template", {}).get("spec", {})


def containers(f: Fixture) -> list[dict[str, Any]]:
    spec = spec_of(f.manifest)
    return [c for key in ("containers", "initContainers") for c in spec.get(key, []) or []]


def drafted(request: str, ids: list[str]) -> PolicyDraft:
    missing = set(ids) - CORPUS
    if missing:
        pytest.skip(f"{sorted(missing)} not in the corpus yet")
    outcome = draft_offline(request)
    assert outcome.status == "drafted", outcome.reason
    assert outcome.draft is not None
    assert outcome.draft.exemplar_ids == ids
    return outcome.draft


def verified(draft: PolicyDraft, tmp_path: Path) -> None:
    report = verify_bundle(write_bundle(draft, tmp_path / draft.policy_id))
    assert report.ok, report.failure_text()


@pytest.mark.slow
def test_privileged_and_host_network(tmp_path: Path) -> None:
    draft = drafted(
        "no privileged containers and no host networking", ["privileged-containers", "host-namespaces"]
    )
    # Each rule set is a library module; src.rego unions their violations.
    assert set(draft.extra_libs) == {"privileged_containers", "host_namespaces"}
    assert (
        "privileged_containers.violation" in draft.src_rego and "host_namespaces.violation" in draft.src_rego
    )
    files = bundle_files(draft)
    assert {"lib/privileged_containers.rego", "lib/host_namespaces.rego", "lib/pods.rego"} <= set(files)
    denied = [f for f in draft.fixtures if f.expected == "deny"]
    assert any(c.get("securityContext", {}).get("privileged") for f in denied for c in containers(f))
    assert any(spec_of(f.manifest).get("hostNetwork") for f in denied)
    for f in draft.fixtures:
        if f.expected == "allow":
            assert not spec_of(f.manifest).get("hostNetwork")
            assert not any(c.get("securityContext", {}).get("privileged") for c in containers(f))
    verified(draft, tmp_path)


@pytest.mark.slow
def test_limits_and_latest_tag(tmp_path: Path) -> None:
    draft = drafted("require cpu and memory limits and forbid latest tags", ["limits-required", "latest-tag"])
    assert draft.parameters["resources"] == ["cpu", "memory"]
    for f in draft.fixtures:
        if f.expected == "allow" and f.manifest["kind"] != "Service":
            # Admitted objects satisfy both rules: limits set, images pinned to a version.
            assert all(
                {"cpu", "memory"} <= set(c.get("resources", {}).get("limits", {})) for c in containers(f)
            )
            assert all(not c["image"].endswith(":latest") for c in containers(f))
    images = [c["image"] for f in draft.fixtures if f.expected == "deny" for c in containers(f)]
    assert any(i.endswith(":latest") for i in images)
    verified(draft, tmp_path)


@pytest.mark.slow
def test_three_rules(tmp_path: Path) -> None:
    draft = drafted(
        "require a read-only root filesystem, disallow privilege escalation and run as non-root",
        ["read-only-root-filesystem", "privilege-escalation", "run-as-non-root"],
    )
    assert len(draft.extra_libs) == 3
    verified(draft, tmp_path)


@pytest.mark.slow
def test_exemption_stays_with_its_rule(tmp_path: Path) -> None:
    draft = drafted(
        "no privileged containers except images from registry.example.com/agents, and no latest tags",
        ["privileged-containers", "latest-tag"],
    )
    # Both exemplars read exemptImages; only the privileged rule exempts the agents, so the
    # latest-tag library reads its own, renamed parameter.
    assert draft.parameters["exemptImages"] == ["registry.example.com/agents/"]
    assert draft.parameters["latestTagExemptImages"] == []
    assert '"latestTagExemptImages"' in draft.extra_libs["latest_tag"]
    assert any(
        f.expected == "allow"
        and any(c["image"].startswith("registry.example.com/agents/") for c in containers(f))
        for f in draft.fixtures
    )
    verified(draft, tmp_path)


@pytest.mark.slow
def test_pod_rule_and_service_rule_with_scope(tmp_path: Path) -> None:
    draft = drafted(
        "no LoadBalancer services and no privileged containers, except in kube-system, warn only",
        ["service-types", "privileged-containers"],
    )
    kinds = {k for group in draft.match["kinds"] for k in group["kinds"]}
    assert {"Service", "Pod", "Deployment"} <= kinds
    assert draft.match["excludedNamespaces"] == ["kube-system"]
    assert draft.enforcement_action == "warn"
    verified(draft, tmp_path)


@pytest.mark.slow
def test_registries_and_labels(tmp_path: Path) -> None:
    draft = drafted(
        "only allow images from ghcr.io/acme and require an owner label",
        ["allowed-registries", "required-labels"],
    )
    allowed = [f for f in draft.fixtures if f.expected == "allow"]
    assert all("owner" in f.manifest["metadata"].get("labels", {}) for f in allowed)
    assert all(c["image"].startswith("ghcr.io/acme/") for f in allowed for c in containers(f))
    verified(draft, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("request_text", "ids"),
    [
        ("ingress rules may not use wildcard hosts; ingresses must use TLS", ["ingress-host-wildcards", "ingress-tls"]),
        ("services need an owner annotation; nothing may be deployed into the default namespace",
         ["required-annotations", "disallow-default-namespace"]),
        ("services may only use the external IP 203.0.113.10; the env label must be dev, staging or prod",
         ["service-external-ips", "required-labels"]),
        ("all images have to be pinned by digest in the prod namespace; Windows pods must not run as HostProcess containers",
         ["image-digests", "windows-hostprocess"]),
        ("only the platform-admins group may be bound to cluster-admin; services need an owner annotation",
         ["cluster-admin-bindings", "required-annotations"]),
        ("cap memory limits at 4Gi, memory limits can be at most 2x the requests, and require memory limits",
         ["max-limits", "limit-request-ratio", "limits-required"]),
    ],
)  # fmt: skip
def test_rules_over_different_kinds_stay_with_their_kinds(
    request_text: str, ids: list[str], tmp_path: Path
) -> None:
    draft = drafted(request_text, ids)
    # Each library only judges the kinds of its own exemplar, even though one constraint matches them all.
    verified(draft, tmp_path)
