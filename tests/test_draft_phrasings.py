"""Corpus phrasings the offline drafter used to miss or answer too broadly (see bench/offline_phrasings.py).

Each request names enough to build its policy: it gets exactly its own exemplar and the
values it names, and no second rule the request never asked for. Requests that name no
value still decline, and the decline says what to add.
"""

from __future__ import annotations

from typing import Any

import pytest

from tools.corpus.load import load_corpus
from tools.draft.understand import understand

METAS = {e.id: e.meta for e in load_corpus()}


def rules(request: str) -> dict[str, dict[str, Any]]:
    understood = understand(request, METAS)
    assert understood.plan is not None, understood.decline
    return {p.exemplar_id: p.params for p in understood.plan.parts}


@pytest.mark.parametrize(
    ("request_text", "exemplar_id", "params"),
    [
        ("block the deprecated k8s.gcr.io registry", "disallowed-repositories", {"repositories": ["k8s.gcr.io"]}),
        ("deny any container image that comes from docker.io/library/busybox or quay.io/untrusted/",
         "disallowed-repositories", {"repositories": ["docker.io/library/busybox", "quay.io/untrusted/"]}),
        ("tags are mutable, enforce digest pinning", "image-digests", {}),
        ("make sure deployments and cronjobs don't use cached images, init containers included",
         "image-pull-policy", {"allowedPolicies": ["Always"]}),
        ("deny Windows workloads that run as processes directly on the Windows node instead of in a container",
         "windows-hostprocess", {}),
        ("reject workloads with the seccomp.security.alpha.kubernetes.io/pod annotation set to unconfined",
         "seccomp-baseline", {}),
        ("reject the container.apparmor.security.beta.kubernetes.io annotation set to unconfined",
         "apparmor", {"allowedProfiles": ["RuntimeDefault", "Localhost"]}),
        ("nobody may turn off AppArmor for a container, whether through the securityContext field or the old annotation",
         "apparmor", {"allowedProfiles": ["RuntimeDefault", "Localhost"]}),
        # The exemplar judges the effective uid: a container's own runAsUser overrides the pod's 0.
        ("forbid runAsUser: 0 unless a container overrides it with a non-root uid", "disallow-root-user", {}),
        ('deny an Ingress whose rule host starts with "*."', "ingress-host-wildcards", {}),
        ("block pods that unmask /proc, even rootless build containers with hostUsers false", "proc-mount", {}),
        ("I keep finding random debug pods and configmaps in the default namespace; I want admission to refuse "
         "anything that lands there so teams use their own namespaces", "disallow-default-namespace", {}),
        # No second rule next to the one asked for:
        ("block containers whose image has no tag or is tagged latest, digests are fine", "latest-tag", {}),
        ("block privileged Windows host process pods except for the node agents in kube-system",
         "windows-hostprocess", {}),
        ("reject resources.limits.cpu greater than 1000m", "max-limits", {"cpu": "1000m"}),
        ("every container must set resources.limits.ephemeral-storage", "ephemeral-storage-limits", {}),
        ("allow only configMap, secret and persistentVolumeClaim volumes, plus emptyDir scratch space",
         "volume-types", {"allowedTypes": ["configMap", "secret", "persistentVolumeClaim", "emptyDir"]}),
        ("pods keep filling up the node's disk with logs and scratch files, so make an ephemeral storage limit "
         "mandatory for all containers and init containers, and never more than 20Gi",
         "ephemeral-storage-limits", {"maxLimit": "20Gi"}),
    ],
)  # fmt: skip
def test_phrasing_gets_its_own_exemplar_only(
    request_text: str, exemplar_id: str, params: dict[str, Any]
) -> None:
    assert rules(request_text) == {exemplar_id: params}


def test_sysctls_not_namespaced_are_the_unsafe_ones() -> None:
    found = rules(
        "block pods that tune kernel parameters which are not namespaced or isolated from other pods"
    )
    assert list(found) == ["sysctls"]
    assert "net.ipv4.ip_local_port_range" in found["sysctls"]["allowedSysctls"]


def test_an_exemption_for_named_agents_is_a_namespace_exemption() -> None:
    understood = understand(
        "block privileged Windows host process pods except for the node agents in kube-system", METAS
    )
    assert understood.plan is not None and understood.plan.excluded_namespaces == ["kube-system"]


def test_what_is_only_acceptable_is_no_rule() -> None:
    understood = understand("no privileged containers, host networking is fine", METAS)
    assert understood.plan is not None and understood.plan.exemplar_ids == ["privileged-containers"]
    alone = understand("digests are fine", METAS)
    assert alone.plan is None and "say what to deny" in alone.decline
    # "only X are allowed" is a rule, not a remark.
    assert understand("only ClusterIP services are allowed", METAS).plan is not None


@pytest.mark.parametrize(
    ("request_text", "says"),
    [
        ("block untrusted registries", "which registries to allow"),
        ("reject pods whose image registry is not on the approved list", "which registries to allow"),
        ("nobody should be able to set externalIPs on a Service and hijack traffic to addresses they do not own, "
         "except for a couple of IPs the network team reserved for us", "which external IPs to allow"),
        ("blacklist specific Linux capabilities in capabilities.add for every container and init container",
         "which capabilities to deny"),
        ("only allow images from our registry", "which registries to allow"),
        ("enforce an upper bound on container cpu and memory limits, kube-system excluded",
         "the maximum cpu or memory limit"),
    ],
)  # fmt: skip
def test_requests_naming_no_value_decline_with_what_to_add(request_text: str, says: str) -> None:
    understood = understand(request_text, METAS)
    assert understood.plan is None
    assert says in understood.decline


@pytest.mark.parametrize(
    ("request_text", "excluded"),
    [
        # "ci" and "logs" are ordinary words too; the word "namespace" makes them names.
        ("block the docker socket except in the ci namespace", ["ci"]),
        ("deny privileged containers except in the ci namespace", ["ci"]),
        ("no privileged pods outside the logs and ci namespaces", ["logs", "ci"]),
    ],
)
def test_namespaces_named_by_ordinary_words_are_exempt(request_text: str, excluded: list[str]) -> None:
    understood = understand(request_text, METAS)
    assert understood.plan is not None, understood.decline
    assert understood.plan.excluded_namespaces == excluded


def test_an_exemption_read_as_an_ordinary_word_declines() -> None:
    # Dropping "except in ci" would deny in ci too: more than was asked.
    understood = understand("deny privileged containers except in ci", METAS)
    assert understood.plan is None
    assert 'the exemption "except in ci"' in understood.decline and "the ci namespace" in understood.decline
