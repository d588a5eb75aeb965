"""Held-out phrasings: exemptions only where a namespace is meant, story words, quantities in words.

Plan-level checks pin what each request is read as; a few run the drafted policy under gator
on objects that follow the plain meaning of the request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from draft_support import verdicts

from tools.draft import draft_offline
from tools.draft.drafter import corpus
from tools.draft.models import PolicyDraft
from tools.draft.plan import Plan, Understanding
from tools.draft.understand import understand


def understood(request: str) -> Understanding:
    return understand(request, {i: e.meta for i, e in corpus().items()})


def plan_of(request: str) -> Plan:
    result = understood(request)
    assert result.plan is not None, result.decline
    return result.plan


def parts_of(request: str) -> dict[str, dict[str, Any]]:
    return {p.exemplar_id: p.params for p in plan_of(request).parts}


def drafted(request: str) -> PolicyDraft:
    outcome = draft_offline(request)
    assert outcome.draft is not None, outcome.reason
    return outcome.draft


def pod(name: str, namespace: str, **container: Any) -> dict[str, Any]:
    spec = {"containers": [{"name": "app", "image": "ghcr.io/acme/app:1.0.0", **container}]}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    }


# --- "and not X" exempts a namespace only when X is plainly one ----------------------------


SECCOMP = (
    "RuntimeDefault seccomp on everything; no Localhost profiles, no Unconfined, and not leaving it unset."
)


def test_and_not_leaving_it_unset_is_no_exemption() -> None:
    plan = plan_of(SECCOMP)
    assert plan.excluded_namespaces == [] and plan.namespaces == []
    assert parts_of(SECCOMP) == {"seccomp-restricted": {"allowedProfiles": ["RuntimeDefault"]}}


@pytest.mark.parametrize(
    ("request_text", "excluded"),
    [
        ("privileged pods are denied but not in kube-system", ["kube-system"]),
        ("deny privileged, but not kube-system namespace", ["kube-system"]),
        ("deny privileged, but not kube-system", ["kube-system"]),
        ("deny privileged but not the kube-system or monitoring namespaces", ["kube-system", "monitoring"]),
        ("no privileged pods; skip team-a and team-b.", ["team-a", "team-b"]),
        ("no privileged pods, leave kube-system and cilium alone", ["kube-system", "cilium"]),
    ],
)
def test_namespace_exemptions_still_read(request_text: str, excluded: list[str]) -> None:
    assert plan_of(request_text).excluded_namespaces == excluded


@pytest.mark.parametrize(
    "request_text",
    ["block privileged containers, ignore the warning", "no privileged pods, and not leaving it to chance"],
)
def test_ordinary_words_after_ignore_or_and_not_are_no_namespace(request_text: str) -> None:
    result = understood(request_text)
    assert result.plan is None or result.plan.excluded_namespaces == []


def test_a_bare_namespace_like_word_after_but_not_is_asked_about() -> None:
    result = understood("deny privileged, but not monitoring")
    assert result.plan is None and "but not monitoring" in result.decline


def test_a_well_known_namespace_left_unread_declines() -> None:
    result = understood("no privileged pods, kube-system whatever")
    assert result.plan is None and "kube-system" in result.decline


@pytest.mark.slow
def test_seccomp_request_denies_everywhere_under_gator(tmp_path: Path) -> None:
    draft = drafted(SECCOMP)
    runtime = {"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}}
    objects = [
        pod("unset-in-leaving", "leaving"),
        pod("runtime-default", "team-a", **runtime),
        pod("unconfined", "team-a", securityContext={"seccompProfile": {"type": "Unconfined"}}),
    ]
    assert verdicts(draft, tmp_path, objects) == {
        "unset-in-leaving": "deny",
        "runtime-default": "allow",
        "unconfined": "deny",
    }


# --- story sentences and asides carry no requirement ---------------------------------------


def test_incident_story_and_back_reference_read_as_exemptions() -> None:
    request = (
        "Last quarter a compromised pod used hostPID to read secrets out of another process's environment "
        "on the node. I'd like admission to stop any pod or controller from sharing the node's network, PID "
        "or IPC namespace. The only places this is legitimately needed are kube-system and cilium, so leave "
        "those two namespaces alone."
    )
    plan = plan_of(request)
    assert plan.exemplar_ids == ["host-namespaces"]
    assert plan.excluded_namespaces == ["kube-system", "cilium"] and plan.kinds == []


def test_greeting_and_pass_for_one_image() -> None:
    request = (
        "Hey, we keep having noisy-neighbour incidents on the shared cluster. Could you make it so every "
        "container, init containers too, declares both requests and limits for CPU and memory? The only thing "
        "that gets a pass is the pause image from registry.k8s.io/pause, which is tiny anyway."
    )
    for params in parts_of(request).values():
        assert params == {"resources": ["cpu", "memory"], "exemptImages": ["registry.k8s.io/pause"]}


def test_a_number_of_namespaces_is_not_a_namespace() -> None:
    result = understood("no host network. leave those two namespaces alone.")
    assert result.plan is None or "two" not in result.plan.excluded_namespaces


# --- quantities and ratios in words; "above N aren't allowed" is a ceiling ------------------


@pytest.mark.parametrize(
    ("request_text", "cpu"),
    [
        ("In the sandbox namespace, no container gets a CPU limit over half a core.", "500m"),
        ("cpu limits above two cores are denied", "2"),
        ("no CPU limit over a quarter of a core", "250m"),
    ],
)
def test_cpu_in_words(request_text: str, cpu: str) -> None:
    assert parts_of(request_text) == {"max-limits": {"cpu": cpu}}


def test_memory_ceiling_with_aren_t_allowed() -> None:
    assert parts_of("Memory limits above 2Gi aren't allowed. CPU is uncapped.") == {
        "max-limits": {"memory": "2Gi"}
    }


def test_four_times_is_a_ratio_and_memory_stays_free() -> None:
    request = "A container's CPU limit may be at most four times its CPU request; memory can burst however it likes."
    assert parts_of(request) == {"limit-request-ratio": {"maxRatio": 4, "resources": ["cpu"]}}


def test_a_free_resource_the_plan_constrains_declines() -> None:
    result = understood("limits at most 2x requests, cpu is uncapped")
    assert result.plan is None and "cpu is uncapped" in result.decline


@pytest.mark.slow
def test_half_a_core_under_gator(tmp_path: Path) -> None:
    draft = drafted("In the sandbox namespace, no container gets a CPU limit over half a core.")
    objects = [
        pod("greedy", "sandbox", resources={"limits": {"cpu": "600m"}}),
        pod("modest", "sandbox", resources={"limits": {"cpu": "500m"}}),
        pod("decimal-half", "sandbox", resources={"limits": {"cpu": "0.5"}}),
        pod("elsewhere", "production", resources={"limits": {"cpu": "4"}}),
    ]
    assert verdicts(draft, tmp_path, objects) == {
        "greedy": "deny",
        "modest": "allow",
        "decimal-half": "allow",
        "elsewhere": "allow",
    }


# --- vocabulary: Docker Hub pulls, whitelists, "are out", stars in roles, "reserved for" ---------


def test_stop_pulling_from_docker_hub() -> None:
    assert parts_of("Stop people pulling images straight from Docker Hub.") == {
        "disallowed-repositories": {"repositories": ["docker.io"]}
    }


def test_keep_pulling_is_no_deny_list() -> None:
    # "can keep pulling from wherever it wants" frees a namespace; it names nothing to deny.
    plan = plan_of("no latest tags. kube-system can keep pulling from wherever it wants.")
    assert plan.exemplar_ids == ["latest-tag"] and plan.excluded_namespaces == ["kube-system"]


def test_whitelist_with_a_free_namespace() -> None:
    request = (
        "whitelist quay.io/platform and gcr.io/acme-prod for images. "
        "kube-system can keep pulling from wherever it wants."
    )
    plan = plan_of(request)
    assert parts_of(request) == {
        "allowed-registries": {"registries": ["quay.io/platform/", "gcr.io/acme-prod/"]}
    }
    assert plan.excluded_namespaces == ["kube-system"]


def test_a_namespace_that_can_do_whatever_it_likes_is_exempt_not_the_scope() -> None:
    request = (
        "Nobody ships :latest to the cluster any more, and leaving the tag off is the same thing as far as "
        "I'm concerned. Folks in the playground namespace can still do whatever they like."
    )
    plan = plan_of(request)
    assert plan.exemplar_ids == ["latest-tag"]
    assert plan.excluded_namespaces == ["playground"] and plan.namespaces == []


def test_registries_listed_as_out_are_not_allowed() -> None:
    request = (
        "We're consolidating on ECR. From now on a container image is only acceptable if it lives in "
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com; Docker Hub, GHCR, Quay and everything else are out."
    )
    assert parts_of(request) == {
        "allowed-registries": {"registries": ["123456789012.dkr.ecr.eu-west-1.amazonaws.com"]}
    }


def test_where_our_gateway_lives_is_an_aside() -> None:
    request = (
        "Platform rule: LoadBalancer and ExternalName Services aren't permitted, except in the "
        "gateway-system namespace where our shared gateway lives."
    )
    plan = plan_of(request)
    assert parts_of(request) == {"service-types": {"disallowedTypes": ["LoadBalancer", "ExternalName"]}}
    assert plan.excluded_namespaces == ["gateway-system"]


def test_no_star_in_role_rules() -> None:
    assert parts_of("no * in role rules") == {"rbac-wildcards": {}}


def test_cluster_admin_reserved_for_a_group_and_an_account() -> None:
    request = (
        "cluster-admin is reserved for the sre-breakglass group and Flux's kustomize-controller service "
        "account in flux-system. Anyone else bound to it gets rejected."
    )
    assert parts_of(request) == {
        "cluster-admin-bindings": {
            "allowedSubjects": ["Group:sre-breakglass", "ServiceAccount:flux-system:kustomize-controller"]
        }
    }


def test_a_port_ending_the_sentence_is_read() -> None:
    assert parts_of("Binding a port on the node is refused unless it's 9100 (node-exporter) or 8443.") == {
        "host-ports": {"allowedPorts": [9100, 8443]}
    }


@pytest.mark.slow
def test_node_ports_under_gator(tmp_path: Path) -> None:
    draft = drafted("Binding a port on the node is refused unless it's 9100 (node-exporter) or 8443.")

    def bound(name: str, port: int) -> dict[str, Any]:
        return pod(name, "team-a", ports=[{"containerPort": port, "hostPort": port}])

    objects = [bound("exporter", 9100), bound("webhook", 8443), bound("web", 80)]
    assert verdicts(draft, tmp_path, objects) == {"exporter": "allow", "webhook": "allow", "web": "deny"}


def test_pinned_with_a_digest_for_batch_kinds_only() -> None:
    request = (
        "For Jobs and CronJobs only, images have to be pinned with an @sha256 digest. "
        "Long-running services can keep using tags for now."
    )
    plan = plan_of(request)
    assert plan.exemplar_ids == ["image-digests"] and plan.kinds == ["Job", "CronJob"]


CSI = (
    "Only our storage driver images under registry.corp.example/csi/ are trusted to run privileged; "
    "every other container gets privileged: false or leaves it out."
)


def test_images_trusted_to_run_privileged_are_the_exemption() -> None:
    assert parts_of(CSI) == {"privileged-containers": {"exemptImages": ["registry.corp.example/csi/"]}}


def test_only_images_allowed_to_run_stays_a_registry_allow_list() -> None:
    assert parts_of("only images from ghcr.io are allowed to run") == {
        "allowed-registries": {"registries": ["ghcr.io"]}
    }


@pytest.mark.slow
def test_csi_driver_images_under_gator(tmp_path: Path) -> None:
    draft = drafted(CSI)
    csi = pod("csi", "kube-system", securityContext={"privileged": True})
    csi["spec"]["containers"][0]["image"] = "registry.corp.example/csi/driver:2.1.0"
    lookalike = pod("lookalike", "team-a", securityContext={"privileged": True})
    lookalike["spec"]["containers"][0]["image"] = "registry.corp.example/csi-evil/driver:2.1.0"
    objects = [
        csi,
        lookalike,
        pod("plain", "team-a", securityContext={"privileged": False}),
        pod("unset", "team-a"),
    ]
    assert verdicts(draft, tmp_path, objects) == {
        "csi": "allow",
        "lookalike": "deny",
        "plain": "allow",
        "unset": "allow",
    }
