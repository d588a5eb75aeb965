"""Requests the offline drafter must decline: it never hands back a policy that does something else."""

from __future__ import annotations

import pytest

from tools.draft import draft_offline

HINT = "configure an LLM provider (OPENAI_API_KEY / OPENAI_BASE_URL) for this request"


@pytest.mark.parametrize(
    ("request_text", "names"),
    [
        ("deny privileged containers only on weekends", "time-based"),
        ("deny pods on Fridays after 5pm", "time-based"),
        ("deny privileged containers unless the team label is payments", "unless the team label is payments"),
        ("deny privileged containers unless they run as root", "unless they run as root"),
        ("deny pods unless they have a PodDisruptionBudget", "condition"),
        ("allowed registries", "which registries"),
        ("only allow images from ECR", "ECR"),
        ("mandatory labels policy", "label keys"),
        ("block images with critical CVEs", "outside the object"),
        ("require signed images", "outside the object"),
        ("ingress hostnames must be unique across the cluster", "other objects"),
        ("add a default cpu limit of 500m to every container", "mutation"),
        ("prevent deleting namespaces", "operations other than creating"),
        ("only allow deployments created by the CI service account", "who makes the request"),
        ("make me a sandwich", "sandwich"),
        ("restrict network egress to the internet", "network egress"),
        ("allow privileged containers", "only allows privileged containers"),
        ("No container should be allowed to request more than 4 cores", "requests"),
        (
            "deny privileged containers only in the prod namespace, except in prod",
            "both exempted and required",
        ),
        ("deployments need at least 5 and at most 3 replicas", "above the maximum"),
        ("deny privileged containers except the node-exporter image", "node-exporter"),
        (
            "no latest tags, no privileged containers, no host networking and no hostPath volumes",
            "more than 3",
        ),
    ],
)
def test_declines_name_what_they_cannot_express(request_text: str, names: str) -> None:
    outcome = draft_offline(request_text)
    assert outcome.status == "declined"
    assert outcome.draft is None
    assert outcome.reason.startswith("offline mode can't express ")
    assert outcome.reason.endswith(HINT)
    assert names.lower() in outcome.reason.lower()
    assert outcome.confidence < 0.5


@pytest.mark.parametrize(
    "request_text",
    [
        "cpu limits on deployments, memory limits on statefulsets",
        "liveness probes on deployments and readiness probes on statefulsets",
        "deployments need cpu limits and statefulsets need memory limits",
        "require the owner label on deployments and the team label on namespaces",
    ],
)
def test_one_rule_with_values_per_kind_declines_and_says_how_to_split(request_text: str) -> None:
    # One policy holds each exemplar once: both values would land on both kinds.
    outcome = draft_offline(request_text)
    assert outcome.status == "declined" and outcome.draft is None
    assert "different values for different kinds" in outcome.reason
    assert "two requests, one per kind" in outcome.reason
    assert outcome.reason.endswith(HINT)


def test_one_rule_with_values_per_namespace_declines_too() -> None:
    # One constraint has one namespace match: cpu and memory would be required in both namespaces.
    outcome = draft_offline("cpu limits in the prod namespace, memory limits in the staging namespace")
    assert outcome.status == "declined"
    assert "different values for different namespaces" in outcome.reason
    assert "two requests, one per namespace" in outcome.reason


@pytest.mark.parametrize(
    ("request_text", "params"),
    [
        ("require cpu limits on deployments and cpu limits on statefulsets", {"resources": ["cpu"]}),
        ("cpu limits and memory limits on deployments", {"resources": ["cpu", "memory"]}),
        ("require cpu and memory limits on deployments and statefulsets", {"resources": ["cpu", "memory"]}),
    ],
)
def test_one_rule_with_the_same_values_everywhere_still_drafts(
    request_text: str, params: dict[str, list[str]]
) -> None:
    outcome = draft_offline(request_text)
    assert outcome.draft is not None, outcome.reason
    assert outcome.draft.parameters == params


def test_confident_drafts_say_so() -> None:
    outcome = draft_offline("deny privileged containers except in kube-system")
    assert outcome.status == "drafted"
    assert outcome.confidence >= 0.9


def test_drafting_is_deterministic() -> None:
    first = draft_offline("only allow images from ghcr.io/acme, warn only")
    second = draft_offline("only allow images from ghcr.io/acme, warn only")
    assert first.draft is not None and second.draft is not None
    assert first.draft.model_dump() == second.draft.model_dump()
