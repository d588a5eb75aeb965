"""Requests worded apart from the exemplars must never draft a policy that does something else.

Each group checks the plan's parameters on several phrasings of one idea, then runs the drafted
policy under gator on objects that follow the plain meaning of the request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from draft_support import verdicts

from tools.draft import draft_offline
from tools.draft.drafter import corpus
from tools.draft.models import PolicyDraft
from tools.draft.plan import Plan
from tools.draft.understand import understand


def plan_of(request: str) -> Plan:
    understood = understand(request, {i: e.meta for i, e in corpus().items()})
    assert understood.plan is not None, understood.decline
    return understood.plan


def only_params(request: str) -> dict[str, Any]:
    (part,) = plan_of(request).parts
    return part.params


def drafted(request: str) -> PolicyDraft:
    outcome = draft_offline(request)
    assert outcome.draft is not None, outcome.reason
    return outcome.draft


def pod_spec(**spec: Any) -> dict[str, Any]:
    return {"containers": [{"name": "app", "image": "ghcr.io/acme/app:1.0.0"}], **spec}


def workload(kind: str, name: str, spec: dict[str, Any], **top: Any) -> dict[str, Any]:
    meta = {"name": name, "namespace": "team-a"}
    if kind == "Pod":
        return {"apiVersion": "v1", "kind": kind, "metadata": meta, "spec": spec}
    template = {"metadata": {"labels": {"app": name}}, "spec": spec}
    body = {"selector": {"matchLabels": {"app": name}}, "template": template, **top}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": meta, "spec": body}


# --- a negated value of an allow-list forbids that value --------------------------------------


@pytest.mark.parametrize(
    "request_text",
    [
        "imagePullPolicy: Never shouldn't be allowed anywhere.",
        "imagePullPolicy Never is not allowed",
        "imagePullPolicy Never must not be used",
        "no Never pull policy",
        "forbid imagePullPolicy Never",
    ],
)
def test_a_forbidden_pull_policy_leaves_the_others(request_text: str) -> None:
    assert only_params(request_text) == {"allowedPolicies": ["Always", "IfNotPresent"]}


@pytest.mark.parametrize(
    ("request_text", "allowed"),
    [
        ("Always must be used as imagePullPolicy", ["Always"]),
        ("only allow IfNotPresent pull policy", ["IfNotPresent"]),
    ],
)
def test_a_required_pull_policy_stays_the_allow_list(request_text: str, allowed: list[str]) -> None:
    assert only_params(request_text) == {"allowedPolicies": allowed}


@pytest.mark.slow
def test_never_forbidden_under_gator(tmp_path: Path) -> None:
    draft = drafted("imagePullPolicy: Never shouldn't be allowed anywhere.")

    def pulling(name: str, policy: str | None) -> dict[str, Any]:
        container: dict[str, Any] = {"name": "app", "image": "ghcr.io/acme/app:1.0.0"}
        if policy:
            container["imagePullPolicy"] = policy
        return workload("Pod", name, {"containers": [container]})

    objects = [pulling("never", "Never"), pulling("cached", "IfNotPresent"), pulling("always", "Always")]
    objects.append(pulling("defaulted", None))
    assert verdicts(draft, tmp_path, objects) == {
        "never": "deny",
        "cached": "allow",
        "always": "allow",
        "defaulted": "allow",
    }


# --- bounds: "never more than N" is a ceiling, "more than N" a floor ------------------------


@pytest.mark.parametrize(
    ("request_text", "bounds"),
    [
        ("Our StatefulSets run quorum-based databases, so they need at least 3 replicas and never more than 7.",
         (3, 7)),
        ("deployments need no fewer than 3 replicas", (3, 100)),
        ("deployments must not have fewer than 3 replicas", (3, 100)),
        ("deployments need more than 2 replicas and fewer than 10", (3, 9)),
        ("deployments may run up to 5 replicas", (1, 5)),
        ("deployments must not run more than 6 replicas", (1, 6)),
        ("require between 3 and 20 replicas for deployments", (3, 20)),
    ],
)  # fmt: skip
def test_replica_bounds_read_the_direction_asked(request_text: str, bounds: tuple[int, int]) -> None:
    params = only_params(request_text)
    assert (params["minReplicas"], params["maxReplicas"]) == bounds


@pytest.mark.slow
def test_quorum_size_under_gator(tmp_path: Path) -> None:
    draft = drafted(
        "Our StatefulSets run quorum-based databases, so they need at least 3 replicas and never more than 7."
    )
    objects = [
        workload("StatefulSet", f"sts-{n}", pod_spec(), replicas=n, serviceName="db") for n in (2, 3, 7, 9)
    ]
    objects.append(workload("Deployment", "web-1", pod_spec(), replicas=1))
    assert verdicts(draft, tmp_path, objects) == {
        "sts-2": "deny",
        "sts-3": "allow",
        "sts-7": "allow",
        "sts-9": "deny",
        "web-1": "allow",
    }


# --- kinds that open the sentence are the only kinds checked -------------------------------


@pytest.mark.parametrize(
    ("request_text", "kinds"),
    [
        ("DaemonSets run on every node, so their pods mustn't get an API token mounted automatically; "
         "make them say automountServiceAccountToken: false.", ["DaemonSet"]),
        ("DaemonSets must set automountServiceAccountToken: false", ["DaemonSet"]),
        ("Jobs and CronJobs have to set runAsNonRoot: true, on the pod or on each container. "
         "Long-running services are out of scope for now.", ["Job", "CronJob"]),
        # Not the subject: a pod-wide rule keeps every workload kind, and "pods" means workloads.
        ("no privileged containers in deployments", []),
        ("Pods must set runAsNonRoot", []),
    ],
)  # fmt: skip
def test_subject_kinds_narrow_the_match(request_text: str, kinds: list[str]) -> None:
    assert plan_of(request_text).kinds == kinds


@pytest.mark.slow
def test_daemonset_token_rule_under_gator(tmp_path: Path) -> None:
    draft = drafted(
        "DaemonSets run on every node, so their pods mustn't get an API token mounted automatically; "
        "make them say automountServiceAccountToken: false."
    )
    objects = [
        workload("DaemonSet", "agent-unset", pod_spec()),
        workload("DaemonSet", "agent-off", pod_spec(automountServiceAccountToken=False)),
        workload("Deployment", "operator-unset", pod_spec()),
        workload("Pod", "debug-unset", pod_spec()),
    ]
    assert verdicts(draft, tmp_path, objects) == {
        "agent-unset": "deny",
        "agent-off": "allow",
        "operator-unset": "allow",
        "debug-unset": "allow",
    }


# --- label values described in words become a regex, or the request is declined -----------


@pytest.mark.parametrize(
    ("request_text", "labels"),
    [
        ("Each Namespace gets a cost-center label holding a four-digit finance code (e.g. 4711).",
         [{"key": "cost-center", "allowedRegex": "^[0-9]{4}$"}]),
        ("require a build label with a 6-digit number", [{"key": "build", "allowedRegex": "^[0-9]{6}$"}]),
        ("namespaces need a tier label holding one of gold, silver, bronze",
         [{"key": "tier", "allowedRegex": "^(gold|silver|bronze)$"}]),
        ("namespaces need an owner label containing an email address",
         [{"key": "owner", "allowedRegex": "^[^@\\s]+@[^@\\s]+$"}]),
        ("require owner and team labels", [{"key": "owner"}, {"key": "team"}]),
    ],
)  # fmt: skip
def test_label_values_described_in_words(request_text: str, labels: list[dict[str, str]]) -> None:
    assert only_params(request_text) == {"labels": labels}


def test_a_value_rule_that_cannot_be_read_declines() -> None:
    outcome = draft_offline("namespaces need a cost label holding a finance code")
    assert outcome.status == "declined"
    assert "value described for the label cost" in outcome.reason


@pytest.mark.slow
def test_cost_center_code_under_gator(tmp_path: Path) -> None:
    draft = drafted("Each Namespace gets a cost-center label holding a four-digit finance code (e.g. 4711).")

    def namespace(name: str, labels: dict[str, str]) -> dict[str, Any]:
        return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}

    objects = [
        namespace("coded", {"cost-center": "4711"}),
        namespace("leading-zero", {"cost-center": "0042"}),
        namespace("five-digits", {"cost-center": "47110"}),
        namespace("letters", {"cost-center": "finance"}),
        namespace("unlabelled", {}),
    ]
    assert verdicts(draft, tmp_path, objects) == {
        "coded": "allow",
        "leading-zero": "allow",
        "five-digits": "deny",
        "letters": "deny",
        "unlabelled": "deny",
    }


# --- exemptions worded as their own sentence ----------------------------------------------


@pytest.mark.parametrize(
    ("request_text", "exempt"),
    [
        ("Containers need to drop every Linux capability. Images under docker.io/envoyproxy/ keep the "
         "runtime defaults, so don't check those.", ["docker.io/envoyproxy/"]),
        ("containers must drop all capabilities; images from ghcr.io/acme/tools/ are exempt", ["ghcr.io/acme/tools/"]),
        ("Nobody pins runAsUser to 0; the only exception is the quay.io/prometheus/node-exporter image.",
         ["quay.io/prometheus/node-exporter"]),
    ],
)  # fmt: skip
def test_image_exemptions_in_their_own_sentence(request_text: str, exempt: list[str]) -> None:
    assert only_params(request_text)["exemptImages"] == exempt


def test_images_from_a_registry_without_an_exemption_stay_the_allow_list() -> None:
    assert only_params("only allow images from registry.corp.io") == {"registries": ["registry.corp.io"]}


def test_a_namespace_named_as_exempt_is_excluded() -> None:
    plan = plan_of(
        "Every container, sidecars and init containers included, should run with a read-only root "
        "filesystem. The ci namespace is exempt because the build tooling writes all over the image."
    )
    assert plan.excluded_namespaces == ["ci"]


@pytest.mark.slow
def test_exempt_image_sentence_under_gator(tmp_path: Path) -> None:
    draft = drafted(
        "Containers need to drop every Linux capability. Images under docker.io/envoyproxy/ keep the "
        "runtime defaults, so don't check those."
    )

    def container(name: str, image: str, drop: list[str] | None) -> dict[str, Any]:
        spec: dict[str, Any] = {"name": "c", "image": image}
        if drop is not None:
            spec["securityContext"] = {"capabilities": {"drop": drop}}
        return workload("Pod", name, {"containers": [spec]})

    objects = [
        container("envoy-defaults", "docker.io/envoyproxy/envoy:v1.30.1", None),
        container("app-defaults", "ghcr.io/acme/app:1.0.0", None),
        container("app-drops-all", "ghcr.io/acme/app:1.0.0", ["ALL"]),
    ]
    assert verdicts(draft, tmp_path, objects) == {
        "envoy-defaults": "allow",
        "app-defaults": "deny",
        "app-drops-all": "allow",
    }


@pytest.mark.slow
def test_exempt_namespace_sentence_under_gator(tmp_path: Path) -> None:
    draft = drafted(
        "Every container should run with a read-only root filesystem. The ci namespace is exempt "
        "because the build tooling writes all over the image."
    )

    def writable(name: str, namespace: str) -> dict[str, Any]:
        pod = workload("Pod", name, pod_spec())
        pod["metadata"]["namespace"] = namespace
        return pod

    objects = [writable("builder", "ci"), writable("web", "team-a")]
    assert verdicts(draft, tmp_path, objects) == {"builder": "allow", "web": "deny"}


# --- "each team's call" leaves a probe optional ---------------------------------------------


def test_a_probe_left_to_the_teams_is_not_required() -> None:
    params = only_params(
        "Our JVM services are slow to boot, so every long-running container needs a startupProbe plus a "
        "livenessProbe. Readiness probes are each team's call, and batch jobs don't need probes at all."
    )
    assert params == {"probes": ["startupProbe", "livenessProbe"]}


@pytest.mark.slow
def test_probe_left_to_the_teams_under_gator(tmp_path: Path) -> None:
    draft = drafted(
        "every container needs a startupProbe plus a livenessProbe. Readiness probes are each team's call."
    )
    probe = {"httpGet": {"path": "/healthz", "port": 8080}}

    def probed(name: str, **probes: Any) -> dict[str, Any]:
        container = {"name": "app", "image": "ghcr.io/acme/app:1.0.0", **probes}
        return workload("Deployment", name, {"containers": [container]})

    objects = [
        probed("startup-and-liveness", startupProbe=probe, livenessProbe=probe),
        probed("liveness-only", livenessProbe=probe),
    ]
    assert verdicts(draft, tmp_path, objects) == {"startup-and-liveness": "allow", "liveness-only": "deny"}


# --- "nobody may ..." forbids; an "audit" that is a finding is no audit mode -----------------


@pytest.mark.parametrize(
    "request_text",
    [
        "nobody may run with an unconfined AppArmor profile",
        "Unconfined AppArmor profiles should never be allowed",
        "Unconfined AppArmor profiles are not allowed",
    ],
)
def test_a_forbidden_profile_leaves_the_others(request_text: str) -> None:
    assert only_params(request_text) == {"allowedProfiles": ["RuntimeDefault", "Localhost"]}


@pytest.mark.parametrize(
    ("request_text", "action"),
    [
        ("Our security audit flagged privileged pods. Deny privileged containers.", "deny"),
        ("deny privileged containers in audit mode", "dryrun"),
    ],
)
def test_audit_as_a_finding_is_not_audit_mode(request_text: str, action: str) -> None:
    assert drafted(request_text).enforcement_action == action


def test_an_annotation_described_by_its_form_is_no_key() -> None:
    # The form ("the old per-container annotation") names no key: declined, never a made-up key.
    outcome = draft_offline(
        "nobody may run with an unconfined AppArmor profile, whether with the securityContext field or "
        "with the old per-container annotation"
    )
    assert outcome.status == "declined"
    assert "annotation keys" in outcome.reason


@pytest.mark.slow
def test_nobody_unconfined_under_gator(tmp_path: Path) -> None:
    draft = drafted("nobody may run with an unconfined AppArmor profile")

    def profiled(name: str, profile: dict[str, str] | None) -> dict[str, Any]:
        spec = pod_spec(securityContext={"appArmorProfile": profile}) if profile else pod_spec()
        return workload("Pod", name, spec)

    objects = [
        profiled("unconfined", {"type": "Unconfined"}),
        profiled("runtime-default", {"type": "RuntimeDefault"}),
        profiled("node-loaded", {"type": "Localhost", "localhostProfile": "k8s-nginx"}),
        profiled("unset", None),
    ]
    assert verdicts(draft, tmp_path, objects) == {
        "unconfined": "deny",
        "runtime-default": "allow",
        "node-loaded": "allow",
        "unset": "allow",
    }
