"""Blocking named host paths: "deny pods that mount the docker socket" denies that socket, not every hostPath.

The plans are checked first (deniedPathPrefixes filled only when the request names what to
block, requests against hostPath as such unchanged), then the fixtures, then the drafted
policy under gator on pods that mount the socket and other host paths.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from copilot.evals.scorer import score_bundle
from copilot.evals.spec import Check
from copilot.evals.suite import load_suite
from tools.bundle_writer import write_bundle
from tools.draft import draft_offline
from tools.draft.drafter import corpus
from tools.draft.models import Fixture, PolicyDraft
from tools.draft.plan import Plan
from tools.draft.understand import understand
from tools.verify import verify_bundle

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO / "evals" / "suites" / "host-paths.yaml"
DOCKER = ["/var/run/docker.sock", "/run/docker.sock"]
CONTAINERD = ["/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock"]
CRIO = ["/var/run/crio/crio.sock", "/run/crio/crio.sock"]


def plan_of(request: str) -> Plan:
    understood = understand(request, {i: e.meta for i, e in corpus().items()})
    assert understood.plan is not None, understood.decline
    return understood.plan


def host_path_params(request: str) -> dict[str, Any]:
    return next(p.params for p in plan_of(request).parts if p.exemplar_id == "host-path-volumes")


@pytest.mark.parametrize(
    ("request_text", "denied"),
    [
        ("deny pods that mount the docker socket", DOCKER),
        ("block the docker socket", DOCKER),
        ("deny mounting /var/run/docker.sock", ["/var/run/docker.sock"]),
        ("no pod may mount the containerd socket or /etc", [*CONTAINERD, "/etc"]),
        ("forbid hostPath mounts of the container runtime socket", DOCKER + CONTAINERD + CRIO),
        ("block the docker and cri-o sockets", DOCKER + CRIO),
        ("deny any workload that mounts /var/run/docker.sock or the containerd socket from the host",
         ["/var/run/docker.sock", *CONTAINERD]),
        ("hostPath volumes are fine except the docker socket", DOCKER),
        ("deny mounting /etc", ["/etc"]),
        ("nobody can mount /etc", ["/etc"]),
        ("allow hostPath but not the docker socket", DOCKER),
    ],
)  # fmt: skip
def test_named_paths_and_sockets_are_a_blocklist(request_text: str, denied: list[str]) -> None:
    params = host_path_params(request_text)
    assert params == {"allowedPathPrefixes": [], "deniedPathPrefixes": denied}


def test_an_exception_after_blocked_paths_is_allowed() -> None:
    params = host_path_params("deny hostPath mounts of /etc and /var/lib/kubelet, except /etc/ssl/certs")
    assert params == {
        "allowedPathPrefixes": ["/etc/ssl/certs"],
        "deniedPathPrefixes": ["/etc", "/var/lib/kubelet"],
    }
    params = host_path_params("deny mounting /var/run, except /var/run/secrets and /var/run/cilium")
    assert params == {
        "allowedPathPrefixes": ["/var/run/secrets", "/var/run/cilium"],
        "deniedPathPrefixes": ["/var/run"],
    }


@pytest.mark.parametrize(
    ("request_text", "allowed"),
    [
        ("disallow hostPath volumes", []),
        ("pods must not mount directories or files from the node's filesystem", []),
        ("only allow hostPath under /var/log", ["/var/log"]),
        ("block hostPath except read access under /var/log for our log shipper", ["/var/log"]),
        # A socket named as an example of hostPath volumes does not narrow the rule to it.
        ("no hostPath volumes, especially not the docker socket", []),
        ("deny pods that mount the docker socket or any other host path", []),
        ("disallow hostPath volumes, /etc included", []),
        ("hostPath: /var/log only", ["/var/log"]),
        ("pods may mount /var/log and /opt/data only", ["/var/log", "/opt/data"]),
    ],
)
def test_requests_against_host_paths_as_such_deny_them_all(request_text: str, allowed: list[str]) -> None:
    assert host_path_params(request_text) == {"allowedPathPrefixes": allowed}


def host_paths(f: Fixture) -> list[str]:
    spec = f.manifest["spec"]
    if f.manifest["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]["template"]["spec"]
    elif f.manifest["kind"] != "Pod":
        spec = spec["template"]["spec"]
    return [v["hostPath"]["path"] for v in spec.get("volumes", []) if "hostPath" in v]


def drafted(request: str) -> PolicyDraft:
    outcome = draft_offline(request)
    assert outcome.draft is not None, outcome.reason
    return outcome.draft


def test_blocklist_fixtures_deny_the_named_paths_and_admit_others() -> None:
    draft = drafted("deny pods that mount the docker socket")
    assert draft.policy_id == "deny-blocked-host-paths"
    denied = {p for f in draft.fixtures if f.expected == "deny" for p in host_paths(f)}
    admitted = {p for f in draft.fixtures if f.expected == "allow" for p in host_paths(f)}
    assert set(DOCKER) <= denied
    assert admitted and not admitted & set(DOCKER)
    # The deny-all draft keeps its old fixtures: /etc and the socket denied, no other host path admitted.
    everything = drafted("disallow hostPath volumes")
    assert everything.parameters == {"allowedPathPrefixes": []}
    assert {"/etc", "/var/run/docker.sock"} <= {
        p for f in everything.fixtures if f.expected == "deny" for p in host_paths(f)
    }
    assert not [p for f in everything.fixtures if f.expected == "allow" for p in host_paths(f)]


def test_a_follow_up_never_turns_deny_all_into_a_blocklist() -> None:
    blocklist = drafted("block the docker socket")
    more = draft_offline("also block /etc", previous=blocklist)
    assert more.draft is not None, more.reason
    assert more.draft.parameters["deniedPathPrefixes"] == [*DOCKER, "/etc"]
    # "disallow hostPath volumes" already denies /etc; reading "also block /etc" as a blocklist would narrow it.
    everything = drafted("disallow hostPath volumes")
    again = draft_offline("also block /etc", previous=everything)
    assert again.status == "declined" and "already denies" in again.reason


def pod(name: str, path: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "team-a"},
        "spec": {
            "containers": [
                {
                    "name": "app",
                    "image": "ghcr.io/acme/app:1.0.0",
                    "volumeMounts": [{"name": "host", "mountPath": "/host"}],
                }
            ],
            "volumes": [{"name": "host", "hostPath": {"path": path}}],
        },
    }


def verdicts(draft: PolicyDraft, bundle: Path, objects: list[dict[str, Any]]) -> dict[str, str]:
    checks = [
        Check(name=o["metadata"]["name"], expected="allow", object=o, kind=o["kind"],
              namespace=o["metadata"]["namespace"], object_name=o["metadata"]["name"])
        for o in objects
    ]  # fmt: skip
    return {v.name: v.actual for v in score_bundle(bundle, checks)}


@pytest.mark.slow
def test_docker_socket_policy_under_gator(tmp_path: Path) -> None:
    draft = drafted("deny pods that mount the docker socket")
    bundle = write_bundle(draft, tmp_path / draft.policy_id)
    report = verify_bundle(bundle)
    assert report.ok, report.failure_text()
    objects = [
        pod("docker-socket", "/var/run/docker.sock"),
        pod("run-docker-socket", "/run/docker.sock"),
        pod("var-log", "/var/log"),
        pod("containerd-socket", "/run/containerd/containerd.sock"),
    ]
    assert verdicts(draft, bundle, objects) == {
        "docker-socket": "deny",
        "run-docker-socket": "deny",
        "var-log": "allow",
        "containerd-socket": "allow",
    }


@pytest.mark.slow
def test_runtime_sockets_and_etc_under_gator(tmp_path: Path) -> None:
    draft = drafted("forbid hostPath mounts of the container runtime socket and of /etc")
    bundle = write_bundle(draft, tmp_path / draft.policy_id)
    assert verify_bundle(bundle).ok
    objects = [pod(f"socket-{i}", p) for i, p in enumerate(DOCKER + CONTAINERD + CRIO)]
    objects += [
        pod("etc-ssl", "/etc/ssl"),
        pod("etcd", "/var/lib/etcd"),
        pod("var-log-pods", "/var/log/pods"),
    ]
    expected = {f"socket-{i}": "deny" for i in range(6)}
    expected.update({"etc-ssl": "deny", "etcd": "allow", "var-log-pods": "allow"})
    assert verdicts(draft, bundle, objects) == expected


@pytest.mark.slow
@pytest.mark.parametrize("case", load_suite(SUITE), ids=lambda c: c.spec.id)
def test_host_path_eval_cases_are_fully_correct(case: Any, tmp_path: Path) -> None:
    draft = drafted(case.spec.request)
    bundle = write_bundle(draft, tmp_path / draft.policy_id)
    wrong = [(v.name, v.expected, v.actual) for v in score_bundle(bundle, case.checks) if not v.ok]
    assert wrong == []
