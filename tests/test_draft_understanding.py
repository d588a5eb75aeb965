"""Reading requests (no engines): which exemplars, which parameters, which scope, and what is left unread."""

from __future__ import annotations

from typing import Any

import pytest

from tools.corpus.load import load_corpus
from tools.draft.plan import Plan
from tools.draft.quantity import Quantity, just_over, just_under, parse
from tools.draft.understand import understand

METAS = {e.id: e.meta for e in load_corpus()}


def plan_for(request: str) -> Plan:
    understood = understand(request, METAS)
    assert understood.plan is not None, understood.decline
    return understood.plan


def params_of(plan: Plan, exemplar_id: str) -> dict[str, Any]:
    return next(p.params for p in plan.parts if p.exemplar_id == exemplar_id)


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("containers must not run as root", ["run-as-non-root"]),
        ("no container may run with UID 0", ["disallow-root-user"]),
        ("pods must not use the host network", ["host-namespaces"]),
        ("nobody gets to share the node's PID namespace", ["host-namespaces"]),
        ("untagged images are not allowed", ["latest-tag"]),
        ("only pull images from trusted registries like ghcr.io/acme", ["allowed-registries"]),
        ("no LoadBalancer services please", ["service-types"]),
        ("block NodePorts", ["service-types"]),
        ("every container needs a read-only root filesystem", ["read-only-root-filesystem"]),
        ("stop containers from escalating privileges", ["privilege-escalation"]),
        ("require liveness and readiness health checks", ["probes-required"]),
        ("pin every image to a sha256 digest", ["image-digests"]),
        ("drop ALL capabilities in every container", ["capabilities-drop-all"]),
        ("don't let anyone add SYS_ADMIN", ["capabilities-disallowed"]),
        ("only allow NET_BIND_SERVICE to be added as a capability", ["capabilities-allowed"]),
        ("containers must not turn off seccomp by setting it to unconfined", ["seccomp-baseline"]),
        ("require a seccomp profile of RuntimeDefault or Localhost", ["seccomp-restricted"]),
        ("never mount the docker socket or any other hostPath", ["host-path-volumes"]),
        ("limit memory to 1Gi per container", ["max-limits"]),
        ("limits can't exceed twice the requests", ["limit-request-ratio"]),
        ("wildcard permissions in cluster roles are forbidden", ["rbac-wildcards"]),
        ("refuse objects in the default namespace", ["disallow-default-namespace"]),
        ("every ingress must have TLS configured", ["ingress-tls"]),
        ("ingress hosts must not be wildcards", ["ingress-host-wildcards"]),
        ("no externalIPs on services", ["service-external-ips"]),
        ("no one but the group sre-admins may be cluster-admin", ["cluster-admin-bindings"]),
        ("PodDisruptionBudgets must not block node drains", ["pdb-allows-disruption"]),
        ("don't automount service account tokens", ["automount-service-account-token"]),
        ("containers may only use the Always pull policy", ["image-pull-policy"]),
        ("deny pods that set an unsafe sysctl", ["sysctls"]),
        ("no privileged containers and no host networking", ["privileged-containers", "host-namespaces"]),
        ("require cpu and memory limits and forbid latest tags", ["limits-required", "latest-tag"]),
        ("no latest tags, no privileged containers and no host PID",
         ["latest-tag", "privileged-containers", "host-namespaces"]),
    ],
)  # fmt: skip
def test_request_maps_to_exemplars(request_text: str, expected: list[str]) -> None:
    plan = plan_for(request_text)
    assert plan.exemplar_ids == [e for e in expected if e in METAS]
    assert plan.confidence >= 0.5


@pytest.mark.parametrize(
    ("request_text", "excluded", "included"),
    [
        ("deny privileged containers except in kube-system", ["kube-system"], []),
        ("no privileged pods, but not in monitoring or logging", ["monitoring", "logging"], []),
        ("block privileged mode outside kube-*", ["kube-*"], []),
        ("privileged containers are only allowed in kube-system", ["kube-system"], []),
        ("deny privileged containers except system namespaces", ["kube-*"], []),
        ("no privileged containers in namespaces starting with team-", [], ["team-*"]),
        ("deny privileged containers only in prod", [], ["prod"]),
        ("in the payments and billing namespaces, block privileged containers", [], ["payments", "billing"]),
        ("deny host networking, kube-system excluded", ["kube-system"], []),
    ],
)
def test_namespace_scope(request_text: str, excluded: list[str], included: list[str]) -> None:
    plan = plan_for(request_text)
    assert plan.excluded_namespaces == excluded
    assert plan.namespaces == included


@pytest.mark.parametrize(
    ("request_text", "action"),
    [
        ("no latest tags, just warn", "warn"),
        ("warn only about privileged containers", "warn"),
        ("audit privileged containers, don't block anything", "dryrun"),
        ("dry run: no host networking", "dryrun"),
        ("deny privileged containers", "deny"),
    ],
)
def test_enforcement(request_text: str, action: str) -> None:
    assert plan_for(request_text).enforcement == action


def test_kinds_narrow_only_when_asked() -> None:
    assert plan_for("deny privileged pods and deployments").kinds == []
    assert plan_for("deny privileged containers, for Deployments only").kinds == ["Deployment"]
    assert plan_for("every namespace must have an owner label").kinds == ["Namespace"]


@pytest.mark.parametrize(
    ("request_text", "exemplar_id", "params"),
    [
        ("only allow images from ghcr.io/acme, registry.local:5000 and Docker Hub", "allowed-registries",
         {"registries": ["ghcr.io/acme/", "registry.local:5000", "docker.io"]}),
        ("deny privileged containers except images from registry.example.com/tools", "privileged-containers",
         {"exemptImages": ["registry.example.com/tools/"]}),
        ("forbid CAP_NET_ADMIN, sys_ptrace and net raw", "capabilities-disallowed",
         {"disallowedCapabilities": ["NET_ADMIN", "SYS_PTRACE", "NET_RAW"]}),
        ("must have an owner label", "required-labels", {"labels": [{"key": "owner"}]}),
        ("the env label must be dev, staging or prod", "required-labels",
         {"labels": [{"key": "env", "allowedRegex": "^(dev|staging|prod)$"}]}),
        ("the team label must match ^[a-z]+$", "required-labels", {"labels": [{"key": "team", "allowedRegex": "^[a-z]+$"}]}),
        ("require annotations example.com/owner and example.com/runbook", "required-annotations",
         {"annotations": [{"key": "example.com/owner"}, {"key": "example.com/runbook"}]}),
        ("deny containers with more than 2 CPUs or memory above 4Gi", "max-limits", {"cpu": "2", "memory": "4Gi"}),
        ("cap cpu limits at 500m", "max-limits", {"cpu": "500m"}),
        ("at least 2 replicas and no more than 10", "replica-bounds", {"minReplicas": 2, "maxReplicas": 10}),
        ("only allow host ports 80 and 443", "host-ports", {"allowedPorts": [80, 443]}),
        ("only ClusterIP services are allowed", "service-types",
         {"disallowedTypes": ["NodePort", "LoadBalancer", "ExternalName"]}),
        ("require readiness and startup probes", "probes-required", {"probes": ["readinessProbe", "startupProbe"]}),
        ("imagePullPolicy must not be Never", "image-pull-policy", {"allowedPolicies": ["Always", "IfNotPresent"]}),
        ("allow the safe sysctls plus kernel.msgmax", "sysctls", None),
        ("block external IPs except 203.0.113.10 and 198.51.100.0/24", "service-external-ips",
         {"allowedIPs": ["203.0.113.10", "198.51.100.0/24"]}),
        ("only the group platform-admins and the service account argocd/argocd-server may be cluster-admin",
         "cluster-admin-bindings", {"allowedSubjects": ["Group:platform-admins", "ServiceAccount:argocd:argocd-server"]}),
    ],
)  # fmt: skip
def test_parameters(request_text: str, exemplar_id: str, params: dict[str, Any] | None) -> None:
    filled = params_of(plan_for(request_text), exemplar_id)
    if params is None:  # the safe set plus the named sysctl
        assert (
            "kernel.msgmax" in filled["allowedSysctls"]
            and "net.ipv4.tcp_syncookies" in filled["allowedSysctls"]
        )
    else:
        assert filled == params


def test_composed_request_keeps_exemptions_with_their_clause() -> None:
    plan = plan_for(
        "no privileged containers except images from registry.example.com/agents, and no latest tags"
    )
    assert params_of(plan, "privileged-containers") == {"exemptImages": ["registry.example.com/agents/"]}
    assert params_of(plan, "latest-tag") == {}


def test_memory_units_keep_the_request_spelling() -> None:
    assert params_of(plan_for("memory limits above 4 GiB are denied"), "max-limits") == {"memory": "4Gi"}
    plan = plan_for("memory limits above 4GB are denied")
    assert params_of(plan, "max-limits") == {"memory": "4G"}
    assert any("decimal" in n for n in plan.notes)


@pytest.mark.parametrize(
    ("quantity", "resource", "under", "over"),
    [("4Gi", "memory", "3Gi", "5Gi"), ("1Gi", "memory", "1023Mi", "2Gi"), ("2", "cpu", "1900m", "2100m"),
     ("500m", "cpu", "400m", "600m"), ("512Mi", "memory", "511Mi", "513Mi")],
)  # fmt: skip
def test_quantities_just_under_and_over(quantity: str, resource: str, under: str, over: str) -> None:
    q = Quantity(quantity, parse(quantity), resource)
    assert (just_under(q), just_over(q)) == (under, over)
    assert parse(under) < parse(quantity) < parse(over)


def test_notes_explain_assumptions() -> None:
    plan = plan_for("drop all capabilities")
    assert any("NET_BIND_SERVICE" in n for n in plan.notes)


@pytest.mark.parametrize(
    ("request_text", "exemplar_id", "params"),
    [
        ("each workload must declare a seccomp profile of type RuntimeDefault or Localhost, and Unconfined is not acceptable",
         "seccomp-restricted", {"allowedProfiles": ["RuntimeDefault", "Localhost"]}),
        ("containers must define a readinessProbe; liveness probes are up to each team", "probes-required",
         {"probes": ["readinessProbe"]}),
        ("memory requests are compulsory for every container; CPU requests are optional", "requests-required",
         {"resources": ["memory"]}),
        ("Namespaces must be labeled environment=prod, staging or dev.", "required-labels",
         {"labels": [{"key": "environment", "allowedRegex": "^(prod|staging|dev)$"}]}),
        ("pods must have a team label, and the value must be one of alpha, beta or gamma", "required-labels",
         {"labels": [{"key": "team", "allowedRegex": "^(alpha|beta|gamma)$"}]}),
        ("only system:masters may be bound to cluster-admin", "cluster-admin-bindings",
         {"allowedSubjects": ["Group:system:masters"]}),
        ("only service account argocd/argocd-server can hold cluster-admin", "cluster-admin-bindings",
         {"allowedSubjects": ["ServiceAccount:argocd:argocd-server"]}),
        ("limit request ratio for cpu must be at most 4", "limit-request-ratio", {"maxRatio": 4, "resources": ["cpu"]}),
        ("Force imagePullPolicy Always so nodes re-check registry credentials", "image-pull-policy",
         {"allowedPolicies": ["Always"]}),
        ("Nobody should run the docker.io/bitnami images or anything from quay.io/sketchy/", "disallowed-repositories",
         {"repositories": ["docker.io/bitnami", "quay.io/sketchy/"]}),
        ("Pull only from gcr.io/acme-prod/ please", "allowed-registries", {"registries": ["gcr.io/acme-prod/"]}),
        ("Make an ephemeral-storage limit mandatory for every container and never above 4Gi",
         "ephemeral-storage-limits", {"maxLimit": "4Gi"}),
    ],
)  # fmt: skip
def test_parameters_in_longer_wording(request_text: str, exemplar_id: str, params: dict[str, Any]) -> None:
    plan = plan_for(request_text)
    assert plan.exemplar_ids == [exemplar_id]
    assert params_of(plan, exemplar_id) == params


def test_a_request_naming_some_checks_keeps_only_those() -> None:
    pid_ipc = plan_for("Stop workloads from joining the node's PID or IPC namespaces.")
    assert pid_ipc.parts[0].facets == ["hostPID", "hostIPC"]
    assert plan_for("no host networking").parts[0].facets == ["hostNetwork"]
    assert plan_for("disallow hostNetwork, hostPID and hostIPC").parts[0].facets == []
    assert plan_for("no cluster role may have wildcard verbs").parts[0].facets == ["verbs"]


def test_scope_reads_namespaces_not_kinds_or_system_words() -> None:
    plan = plan_for("Forbid privileged: true anywhere except the kube-system namespace.")
    assert plan.excluded_namespaces == ["kube-system"]
    plan = plan_for("Disallow NodePort services except in the ingress namespace.")
    assert plan.excluded_namespaces == ["ingress"]
    plan = plan_for("rejects any Service of type LoadBalancer unless it lives in the ingress-nginx namespace")
    assert (plan.excluded_namespaces, plan.namespaces) == (["ingress-nginx"], [])
    plan = plan_for("no latest tags in prod")
    assert plan.namespaces == ["prod"] and any("read as the namespace prod" in n for n in plan.notes)


def test_kinds_named_for_kind_specific_exemplars() -> None:
    assert plan_for("Deployments should run with at least 2 and at most 10 replicas.").kinds == ["Deployment"]
    assert plan_for("no privileged deployments").kinds == []
    pods = plan_for("pods must have an app label").kinds
    assert "Pod" in pods and "Deployment" in pods and "Namespace" not in pods


def test_reasons_and_examples_are_not_conditions() -> None:
    plan = plan_for("For our CI pipeline, reject images tagged latest because rollbacks need pinned versions")
    assert plan.exemplar_ids == ["latest-tag"] and plan.confidence >= 0.8
    assert plan_for("No ingress may use a wildcard host like *.example.com").exemplar_ids == [
        "ingress-host-wildcards"
    ]


def test_corpus_phrasings_map_to_their_own_exemplar() -> None:
    """Every exemplar's own phrasings: read as that exemplar, or declined - never drafted as another."""
    corpus = load_corpus()
    total, understood, wrong = 0, 0, []
    for exemplar in corpus:
        for phrasing in exemplar.meta.get("phrasings") or []:
            total += 1
            result = understand(str(phrasing), METAS)
            if result.plan is None:
                continue
            understood += 1
            if exemplar.id not in result.plan.exemplar_ids:
                wrong.append(f"{exemplar.id}: {phrasing!r} -> {result.plan.exemplar_ids}")
    assert wrong == []
    assert understood >= 0.75 * total, f"{understood}/{total}"
