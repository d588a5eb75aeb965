"""One request per catalog exemplar, worded unlike its phrasings: draft -> write_bundle -> verify_bundle is
green, and the fixtures show what the request asked for (its registries, ports, labels, limits, ...)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tools.bundle import package_for, rego_package
from tools.bundle_writer import write_bundle
from tools.corpus.load import load_corpus
from tools.draft import draft_offline
from tools.draft.models import Fixture, PolicyDraft
from tools.kube import validation_error
from tools.verify import verify_bundle

CORPUS = {e.id: e for e in load_corpus()}
POD_KINDS = {
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
    "ReplicationController",
}


def spec_of(obj: dict[str, Any]) -> dict[str, Any]:
    spec = obj.get("spec", {})
    if obj["kind"] == "Pod":
        return spec
    if obj["kind"] == "CronJob":
        return spec["jobTemplate"]["spec"]["template"]["spec"]
    return spec.get("template", {}).get("spec", {})


def containers(f: Fixture) -> list[dict[str, Any]]:
    spec = spec_of(f.manifest)
    return [
        c for key in ("containers", "initContainers", "ephemeralContainers") for c in spec.get(key, []) or []
    ]


def sc_values(f: Fixture, key: str) -> list[Any]:
    """securityContext[key] of the pod and of every container."""
    items = [spec_of(f.manifest), *containers(f)]
    return [i.get("securityContext", {}).get(key) for i in items if key in i.get("securityContext", {})]


def denied(d: PolicyDraft) -> list[Fixture]:
    return [f for f in d.fixtures if f.expected == "deny"]


def allowed(d: PolicyDraft) -> list[Fixture]:
    return [f for f in d.fixtures if f.expected == "allow"]


def namespace(f: Fixture) -> str | None:
    return f.manifest.get("metadata", {}).get("namespace")


def added_caps(f: Fixture) -> set[str]:
    return {a.upper().removeprefix("CAP_") for c in containers(f) for a in
            c.get("securityContext", {}).get("capabilities", {}).get("add", [])}  # fmt: skip


def limits(f: Fixture, name: str) -> list[str]:
    return [c.get("resources", {}).get("limits", {}).get(name) for c in containers(f)]


def host_ports(f: Fixture) -> set[int]:
    return {p["hostPort"] for c in containers(f) for p in c.get("ports", []) if "hostPort" in p}


def host_paths(f: Fixture) -> list[str]:
    return [v["hostPath"]["path"] for v in spec_of(f.manifest).get("volumes", []) if "hostPath" in v]


def selinux_types(f: Fixture) -> set[str | None]:
    return {o.get("type") for o in sc_values(f, "seLinuxOptions")}


def sysctl_names(f: Fixture) -> set[str]:
    return {s["name"] for s in spec_of(f.manifest).get("securityContext", {}).get("sysctls", [])}


def volume_kinds(f: Fixture) -> set[str]:
    return {k for v in spec_of(f.manifest).get("volumes", []) for k in v if k != "name"}


def memory_pairs(f: Fixture) -> list[tuple[str, str]]:
    """(limit, request) of memory for each container that sets both."""
    return [
        (c["resources"]["limits"]["memory"], c["resources"]["requests"]["memory"])
        for c in containers(f)
        if "memory" in c.get("resources", {}).get("requests", {})
    ]


def env_labels(fixtures: list[Fixture]) -> set[str | None]:
    return {f.manifest["metadata"].get("labels", {}).get("env") for f in fixtures}


def subjects(f: Fixture) -> list[str]:
    return [s["name"] for s in f.manifest.get("subjects", [])]


def check_privileged(d: PolicyDraft) -> None:
    assert d.match["excludedNamespaces"] == ["kube-system", "istio-system"]
    assert any(namespace(f) == "kube-system" and True in sc_values(f, "privileged") for f in allowed(d))
    assert any(True in sc_values(f, "privileged") for f in denied(d))


def check_host_namespaces(d: PolicyDraft) -> None:
    assert any(spec_of(f.manifest).get("hostNetwork") for f in denied(d))
    assert any(spec_of(f.manifest).get("hostPID") for f in denied(d))


def check_host_ports(d: PolicyDraft) -> None:
    assert d.parameters["allowedPorts"] == [80, 443]
    assert {80, 443} <= set().union(*(host_ports(f) for f in allowed(d)))
    assert any(host_ports(f) - {80, 443} for f in denied(d))


def check_host_path(d: PolicyDraft) -> None:
    assert d.parameters["allowedPathPrefixes"] == ["/var/log"]
    assert any(p.startswith("/var/log/") for f in allowed(d) for p in host_paths(f))
    assert any(not p.startswith("/var/log") for f in denied(d) for p in host_paths(f))


def check_caps_allowed(d: PolicyDraft) -> None:
    assert d.parameters["allowedCapabilities"] == ["CHOWN", "SETUID"]
    assert any("CHOWN" in added_caps(f) for f in allowed(d))
    assert any(added_caps(f) - {"CHOWN", "SETUID"} for f in denied(d))


def check_caps_disallowed(d: PolicyDraft) -> None:
    assert d.parameters["disallowedCapabilities"] == ["SYS_ADMIN", "NET_RAW"]
    assert {"SYS_ADMIN", "NET_RAW"} <= set().union(*(added_caps(f) for f in denied(d)))


def check_drop_all(d: PolicyDraft) -> None:
    assert d.parameters["allowedCapabilities"] == ["NET_BIND_SERVICE"]
    assert any("NET_BIND_SERVICE" in added_caps(f) for f in allowed(d))
    assert any(any("ALL" not in (c.get("securityContext", {}).get("capabilities", {}).get("drop") or [])
                   for c in containers(f)) for f in denied(d))  # fmt: skip


def check_selinux(d: PolicyDraft) -> None:
    assert d.parameters["allowedTypes"] == ["container_t", "container_init_t"]
    assert any("container_t" in selinux_types(f) for f in allowed(d))
    assert any(selinux_types(f) - {"container_t", "container_init_t", None} for f in denied(d))


def check_seccomp_restricted(d: PolicyDraft) -> None:
    assert d.parameters["allowedProfiles"] == ["RuntimeDefault"]
    assert any(not sc_values(f, "seccompProfile") for f in denied(d))
    assert any({"type": "Localhost", "localhostProfile": "profiles/app.json"} in sc_values(f, "seccompProfile")
               for f in denied(d))  # fmt: skip


def check_sysctls(d: PolicyDraft) -> None:
    assert "net.core.somaxconn" in d.parameters["allowedSysctls"]
    assert any("net.core.somaxconn" in sysctl_names(f) for f in allowed(d))
    assert any(sysctl_names(f) - set(d.parameters["allowedSysctls"]) for f in denied(d))


def check_read_only(d: PolicyDraft) -> None:
    assert d.parameters["exemptImages"] == ["quay.io/jenkins/"]
    assert any(c["image"].startswith("quay.io/jenkins/") and not c.get("securityContext", {}).get("readOnlyRootFilesystem")
               for f in allowed(d) for c in containers(f))  # fmt: skip


def check_volume_types(d: PolicyDraft) -> None:
    assert d.parameters["allowedTypes"] == ["configMap", "secret", "emptyDir", "persistentVolumeClaim"]
    assert any("configMap" in volume_kinds(f) for f in allowed(d))
    assert any(volume_kinds(f) - set(d.parameters["allowedTypes"]) for f in denied(d))


def check_probes(d: PolicyDraft) -> None:
    assert d.parameters["probes"] == ["readinessProbe"]
    assert all(any("readinessProbe" not in c for c in spec_of(f.manifest)["containers"]) for f in denied(d)
               if f.manifest["kind"] in POD_KINDS)  # fmt: skip


def check_replicas(d: PolicyDraft) -> None:
    assert (d.parameters["minReplicas"], d.parameters["maxReplicas"]) == (2, 5)
    assert {2, 5} <= {f.manifest["spec"].get("replicas") for f in allowed(d)}
    assert {1, 6} <= {f.manifest["spec"].get("replicas") for f in denied(d)}


def check_latest(d: PolicyDraft) -> None:
    assert d.enforcement_action == "warn"
    images = [c["image"] for f in denied(d) for c in containers(f)]
    assert any(i.endswith(":latest") for i in images)
    assert any(":" not in i.rsplit("/", 1)[-1] and "@" not in i for i in images)


def check_digests(d: PolicyDraft) -> None:
    assert d.match["namespaces"] == ["prod"]
    assert all(namespace(f) == "prod" for f in denied(d))
    assert any(
        namespace(f) != "prod" and any("@" not in c["image"] for c in containers(f)) for f in allowed(d)
    )


def check_pull_policy(d: PolicyDraft) -> None:
    assert d.parameters["allowedPolicies"] == ["Always", "IfNotPresent"]
    assert any(c.get("imagePullPolicy") == "Never" for f in denied(d) for c in containers(f))


def check_registries(d: PolicyDraft) -> None:
    assert d.parameters["registries"] == ["ghcr.io/acme/", "registry.local:5000"]
    images = [c["image"] for f in allowed(d) for c in containers(f)]
    assert any(i.startswith("ghcr.io/acme/") for i in images)
    assert any(i.startswith("registry.local:5000/") for i in images)
    assert any(c["image"].startswith("docker.io/") for f in denied(d) for c in containers(f))


def check_repositories(d: PolicyDraft) -> None:
    images = [c["image"] for f in denied(d) for c in containers(f)]
    assert any(i.startswith("docker.io/bitnami/") for i in images)
    assert any(i.startswith("quay.io/untrusted/") for i in images)


def check_limits(d: PolicyDraft) -> None:
    assert d.parameters["resources"] == ["memory"]
    assert any(None in limits(f, "memory") for f in denied(d))


def check_max_limits(d: PolicyDraft) -> None:
    assert (d.parameters["cpu"], d.parameters["memory"]) == ("2", "4Gi")
    assert any("5Gi" in limits(f, "memory") for f in denied(d))
    assert any("2100m" in limits(f, "cpu") for f in denied(d))
    assert {"3Gi", "4Gi"} <= {m for f in allowed(d) for m in limits(f, "memory")}


def check_ratio(d: PolicyDraft) -> None:
    assert (d.parameters["maxRatio"], d.parameters["resources"]) == (3, ["memory"])
    assert ("512Mi", "128Mi") in [p for f in denied(d) for p in memory_pairs(f)]
    assert ("384Mi", "128Mi") in [p for f in allowed(d) for p in memory_pairs(f)]


def check_labels(d: PolicyDraft) -> None:
    assert d.parameters["labels"] == [{"key": "env", "allowedRegex": "^(dev|staging|prod)$"}]
    assert {"dev", "staging", "prod"} <= env_labels(allowed(d))
    assert None in env_labels(denied(d)) and env_labels(denied(d)) - {None, "dev", "staging", "prod"}


def check_annotations(d: PolicyDraft) -> None:
    assert d.parameters["annotations"] == [{"key": "owner"}]
    assert [g["kinds"] for g in d.match["kinds"]] == [["Service"]]
    assert any(f.manifest["kind"] == "Service" and "owner" not in f.manifest["metadata"].get("annotations", {})
               for f in denied(d))  # fmt: skip


def check_service_types(d: PolicyDraft) -> None:
    assert d.parameters["disallowedTypes"] == ["LoadBalancer"]
    assert any(
        f.manifest["spec"].get("type") == "LoadBalancer" and namespace(f) == "ingress-nginx"
        for f in allowed(d)
    )
    assert any(f.manifest["spec"].get("type") == "LoadBalancer" for f in denied(d))


def check_external_ips(d: PolicyDraft) -> None:
    assert d.parameters["allowedIPs"] == ["203.0.113.10"]
    assert any(f.manifest["spec"].get("externalIPs") == ["203.0.113.10"] for f in allowed(d))


def check_cluster_admin(d: PolicyDraft) -> None:
    assert d.parameters["allowedSubjects"] == ["Group:platform-admins"]
    assert any(
        "platform-admins" in subjects(f) and f.manifest["roleRef"]["name"] == "cluster-admin"
        for f in allowed(d)
    )


def no_check(d: PolicyDraft) -> None:
    """Exemplars without parameters: the generic checks below are the point."""


CASES: list[tuple[str, str, Callable[[PolicyDraft], None]]] = [
    ("privileged-containers", "Make sure no pod can run in privileged mode, except the ones in kube-system and istio-system", check_privileged),
    ("host-namespaces", "pods must not use the node's network or PID namespace", check_host_namespaces),
    ("host-ports", "only allow host ports 80 and 443", check_host_ports),
    ("host-path-volumes", "hostPath volumes are only allowed under /var/log", check_host_path),
    ("capabilities-allowed", "containers may only add the CHOWN and SETUID capabilities", check_caps_allowed),
    ("capabilities-disallowed", "nobody may add cap_sys_admin or NET_RAW", check_caps_disallowed),
    ("capabilities-drop-all", "every container must drop all Linux capabilities and may add back only NET_BIND_SERVICE", check_drop_all),
    ("apparmor", "pods must not run with an unconfined AppArmor profile", no_check),
    ("selinux", "only the container_t and container_init_t SELinux types are allowed", check_selinux),
    ("proc-mount", "no container may unmask /proc", no_check),
    ("seccomp-baseline", "block pods that explicitly set seccomp to Unconfined", no_check),
    ("seccomp-restricted", "every workload needs a RuntimeDefault seccomp profile", check_seccomp_restricted),
    ("sysctls", "allow the safe sysctls and net.core.somaxconn", check_sysctls),
    ("windows-hostprocess", "Windows pods must not run as HostProcess containers", no_check),
    ("privilege-escalation", "containers must not be allowed to escalate privileges", no_check),
    ("run-as-non-root", "all containers have to run as a non-root user", no_check),
    ("disallow-root-user", "reject anything with runAsUser: 0", no_check),
    ("read-only-root-filesystem", "root filesystems must be read-only, except images from quay.io/jenkins", check_read_only),
    ("volume-types", "pods may only use configMap, secret, emptyDir and persistentVolumeClaim volumes", check_volume_types),
    ("probes-required", "every deployment needs a readiness probe", check_probes),
    ("replica-bounds", "deployments need between 2 and 5 replicas", check_replicas),
    ("automount-service-account-token", "don't automatically mount service account tokens into pods", no_check),
    ("pdb-allows-disruption", "pod disruption budgets must allow at least one pod to be evicted", no_check),
    ("latest-tag", "images must have an explicit tag other than latest, just warn", check_latest),
    ("image-digests", "all images have to be pinned by digest in the prod namespace", check_digests),
    ("image-pull-policy", "imagePullPolicy must be Always or IfNotPresent", check_pull_policy),
    ("allowed-registries", "only allow images from ghcr.io/acme and registry.local:5000", check_registries),
    ("disallowed-repositories", "block images from docker.io/bitnami and quay.io/untrusted", check_repositories),
    ("limits-required", "every container must declare a memory limit", check_limits),
    ("requests-required", "containers need cpu requests", no_check),
    ("max-limits", "no container may have more than 2 CPUs or a memory limit above 4Gi", check_max_limits),
    ("limit-request-ratio", "memory limits can be at most 3x the requests", check_ratio),
    ("ephemeral-storage-limits", "containers must set an ephemeral-storage limit of at most 2Gi", no_check),
    ("required-labels", "the env label must be dev, staging or prod", check_labels),
    ("required-annotations", "services need an owner annotation", check_annotations),
    ("disallow-default-namespace", "nothing may be deployed into the default namespace", no_check),
    ("service-types", "forbid LoadBalancer services outside the ingress-nginx namespace", check_service_types),
    ("ingress-tls", "ingresses must use TLS", no_check),
    ("ingress-host-wildcards", "ingress rules may not use wildcard hosts", no_check),
    ("service-external-ips", "services may only use the external IP 203.0.113.10", check_external_ips),
    ("rbac-wildcards", "roles and cluster roles must not grant * verbs", no_check),
    ("cluster-admin-bindings", "only the platform-admins group may be bound to cluster-admin", check_cluster_admin),
]  # fmt: skip


def test_every_catalog_exemplar_has_a_case(repo: Path) -> None:
    catalog = re.findall(
        r"^\| ([a-z0-9-]+) \| [a-z-]+ \| K8s", (repo / "docs" / "catalog.md").read_text(), re.MULTILINE
    )
    assert len(catalog) >= 40
    assert {c[0] for c in CASES} == set(catalog)


def check_draft_shape(draft: PolicyDraft, exemplar_id: str) -> None:
    """What every draft must be: valid ids and names, valid fixtures, both verdicts, init and controller cases."""
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", draft.policy_id)
    assert draft.kind.startswith("K8s") and draft.kind not in {e.kind for e in CORPUS.values()}
    assert rego_package(draft.src_rego) == rego_package(draft.src_test_rego) == package_for(draft.policy_id)
    assert draft.exemplar_ids == [exemplar_id]
    assert {f.expected for f in draft.fixtures} == {"allow", "deny"}
    for fixture in draft.fixtures:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", fixture.name), fixture.name
        assert validation_error(fixture.manifest) is None, fixture.name
    if "data.lib.pods" in CORPUS[exemplar_id].source:  # the exemplar inspects pod specs
        assert any(f.manifest["kind"] != "Pod" and f.manifest["kind"] in POD_KINDS for f in denied(draft))
        assert any(spec_of(f.manifest).get("initContainers") for f in denied(draft))


@pytest.mark.slow
@pytest.mark.parametrize(("exemplar_id", "request_text", "check"), CASES, ids=[c[0] for c in CASES])
def test_draft_verifies_and_reflects_the_request(
    exemplar_id: str, request_text: str, check: Callable[[PolicyDraft], None], tmp_path: Path
) -> None:
    if exemplar_id not in CORPUS:
        pytest.skip(f"{exemplar_id} has not landed in the corpus yet")
    outcome = draft_offline(request_text)
    assert outcome.status == "drafted", outcome.reason
    assert outcome.draft is not None and outcome.confidence >= 0.5
    draft = outcome.draft
    check_draft_shape(draft, exemplar_id)
    check(draft)
    report = verify_bundle(write_bundle(draft, tmp_path / draft.policy_id))
    assert report.ok, report.failure_text()


@pytest.mark.slow
@pytest.mark.parametrize("target", ["gatekeeper", "conftest"])
def test_target_comes_from_the_caller(target: str, tmp_path: Path) -> None:
    outcome = draft_offline("containers need cpu requests", target=target)  # type: ignore[arg-type]
    assert outcome.draft is not None and outcome.draft.target == target
    bundle = write_bundle(outcome.draft, tmp_path / "b")
    assert (bundle / "conftest").is_dir() == (target == "conftest")
    report = verify_bundle(bundle)
    assert report.ok, report.failure_text()
