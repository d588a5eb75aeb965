"""Two rules in one request: each exemplar reads its parameters from its own words.

"require cpu requests and memory limits" must require a cpu request and a memory limit,
not both resources for both rules. The plans are checked first, then the drafted policies
are run under gator on pods that carry exactly what was asked.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from draft_support import verdicts

from copilot.cli import main
from copilot.evals.scorer import score_bundle
from copilot.evals.suite import load_suite
from tools.bundle_writer import write_bundle
from tools.draft import draft_offline
from tools.draft.drafter import corpus
from tools.draft.plan import Plan
from tools.draft.understand import understand

REPO = Path(__file__).resolve().parents[1]
SUITE = REPO / "evals" / "suites" / "compound-clauses.yaml"


def plan_of(request: str) -> Plan:
    understood = understand(request, {i: e.meta for i, e in corpus().items()})
    assert understood.plan is not None, understood.decline
    return understood.plan


def params_by_rule(request: str) -> dict[str, dict[str, Any]]:
    return {p.exemplar_id: p.params for p in plan_of(request).parts}


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("require cpu requests and memory limits on containers",
         {"requests-required": ["cpu"], "limits-required": ["memory"]}),
        ("memory requests and cpu limits for deployments",
         {"requests-required": ["memory"], "limits-required": ["cpu"]}),
        # One list written once for both rules is both rules' list.
        ("require cpu and memory requests and limits",
         {"requests-required": ["cpu", "memory"], "limits-required": ["cpu", "memory"]}),
        ("require requests and limits for cpu", {"requests-required": ["cpu"], "limits-required": ["cpu"]}),
        # Values both rules could read go to the one whose phrase they run into.
        ("require cpu requests and memory and cpu limits",
         {"requests-required": ["cpu"], "limits-required": ["memory", "cpu"]}),
        # A rule named twice around another keeps what each of its mentions names.
        ("require cpu requests, memory limits and memory requests",
         {"requests-required": ["cpu", "memory"], "limits-required": ["memory"]}),
        # A list of values in front of a rule word is that rule's, ephemeral-storage included.
        ("require cpu requests and memory and ephemeral-storage limits",
         {"requests-required": ["cpu"], "limits-required": ["memory", "ephemeral-storage"]}),
        ("containers need memory and ephemeral-storage limits and cpu requests",
         {"requests-required": ["cpu"], "limits-required": ["memory", "ephemeral-storage"]}),
        ("require cpu and memory requests and ephemeral-storage limits", {"requests-required": ["cpu", "memory"]}),
        ("require ephemeral-storage requests", {"requests-required": ["ephemeral-storage"]}),
        ("require cpu, memory and ephemeral-storage requests and limits",
         {"requests-required": ["cpu", "memory", "ephemeral-storage"],
          "limits-required": ["cpu", "memory", "ephemeral-storage"]}),
    ],
)  # fmt: skip
def test_resources_stay_with_their_rule(request_text: str, expected: dict[str, list[str]]) -> None:
    params = params_by_rule(request_text)
    assert {rule: params[rule]["resources"] for rule in expected} == expected


def test_values_of_two_rules_never_leak() -> None:
    params = params_by_rule("images must come from registry.corp.io and must not use the latest tag")
    assert params["allowed-registries"] == {"registries": ["registry.corp.io"]}
    assert params["latest-tag"] == {}
    # A list that runs past the next rule's words ("... and quay.io and no latest tags") stays whole.
    params = params_by_rule("only allow images from registry.corp.io and quay.io and no latest tags")
    assert params["allowed-registries"]["registries"] == ["registry.corp.io", "quay.io"]
    params = params_by_rule("require liveness probes and cpu limits")
    assert params == {
        "probes-required": {"probes": ["livenessProbe"]},
        "limits-required": {"resources": ["cpu"]},
    }


def test_a_shared_verb_still_forbids_the_whole_list() -> None:
    # "deny" before hostPath also denies nfs and iscsi for the volume-types rule.
    allowed = params_by_rule("deny hostPath, nfs, iscsi and other direct volume sources in pod specs")[
        "volume-types"
    ]["allowedTypes"]
    assert {"configMap", "secret", "emptyDir"} <= set(allowed)
    assert not {"hostPath", "nfs", "iscsi"} & set(allowed)


def test_each_rule_keeps_the_kinds_named_next_to_it() -> None:
    plan = plan_of("require the label owner on deployments and the annotation team on namespaces")
    parts = {p.exemplar_id: p for p in plan.parts}
    assert parts["required-labels"].params == {"labels": [{"key": "owner"}]}
    assert parts["required-annotations"].params == {"annotations": [{"key": "team"}]}
    assert (parts["required-labels"].kinds, parts["required-annotations"].kinds) == (
        ["Deployment"],
        ["Namespace"],
    )
    assert set(plan.kinds) == {"Deployment", "Namespace"}
    # Kinds named once after both rules are both rules'.
    plan = plan_of("require an owner label and a team annotation on namespaces")
    assert plan.kinds == ["Namespace"] and all(not p.kinds for p in plan.parts)


def test_image_exemption_inside_a_clause_is_its_rule_only() -> None:
    inside = params_by_rule(
        "forbid latest tags except registry.corp.io/tools/ images and privileged containers"
    )
    assert inside["latest-tag"]["exemptImages"] == ["registry.corp.io/tools/"]
    assert "exemptImages" not in inside["privileged-containers"]
    trailing = params_by_rule(
        "forbid latest tags and privileged containers except registry.corp.io/tools/ images"
    )
    assert all(p["exemptImages"] == ["registry.corp.io/tools/"] for p in trailing.values())


def test_namespace_exemption_of_one_clause_is_noted() -> None:
    plan = plan_of("deny privileged containers except in kube-system, and require runAsNonRoot")
    # One constraint has one namespace match: the exemption covers both rules, and the plan says so.
    assert plan.excluded_namespaces == ["kube-system"]
    assert any("kube-system is exempt from every rule" in n for n in plan.notes)
    trailing = plan_of("deny privileged containers and require runAsNonRoot, except in kube-system")
    assert trailing.excluded_namespaces == ["kube-system"]
    assert not any("every rule" in n for n in trailing.notes)


def test_ephemeral_storage_limits_stay_out_of_the_requests() -> None:
    plan = plan_of("require cpu and memory requests and ephemeral-storage limits")
    assert plan.exemplar_ids == ["requests-required", "ephemeral-storage-limits"]
    assert plan.parts[1].params == {}


@pytest.mark.parametrize(
    "request_text",
    [
        # Which resources does the ratio cap, the requests' cpu or the limits' memory?
        "require cpu requests and memory limits, and limits at most 2x the requests",
    ],
)
def test_values_that_could_be_either_rules_decline(request_text: str) -> None:
    outcome = draft_offline(request_text)
    assert outcome.status == "declined"
    assert "more than one rule" in outcome.reason and "LLM provider" in outcome.reason


def pod(name: str, resources: dict[str, Any], **extra: Any) -> dict[str, Any]:
    container = {"name": "app", "image": "ghcr.io/acme/app:1.0.0", "resources": resources, **extra}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "team-a"},
        "spec": {"containers": [container]},
    }


@pytest.mark.slow
def test_cpu_requests_and_memory_limits_under_gator(tmp_path: Path) -> None:
    outcome = draft_offline("require cpu requests and memory limits on containers")
    assert outcome.draft is not None, outcome.reason
    assert outcome.draft.parameters == {"resources": ["cpu"], "limitsRequiredResources": ["memory"]}
    objects = [
        pod("asked-for", {"requests": {"cpu": "100m"}, "limits": {"memory": "256Mi"}}),
        pod("no-cpu-request", {"requests": {"memory": "128Mi"}, "limits": {"cpu": "1", "memory": "256Mi"}}),
        pod("no-memory-limit", {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "1"}}),
    ]
    assert verdicts(outcome.draft, tmp_path, objects) == {
        "asked-for": "allow",
        "no-cpu-request": "deny",
        "no-memory-limit": "deny",
    }


@pytest.mark.slow
def test_cpu_requests_and_memory_and_ephemeral_storage_limits_under_gator(tmp_path: Path) -> None:
    outcome = draft_offline("require cpu requests and memory and ephemeral-storage limits")
    assert outcome.draft is not None, outcome.reason
    asked = {"requests": {"cpu": "100m"}, "limits": {"memory": "256Mi", "ephemeral-storage": "1Gi"}}
    objects = [
        pod("asked-for", asked),
        pod("no-ephemeral-storage-limit", {"requests": {"cpu": "100m"}, "limits": {"memory": "256Mi"}}),
        pod("no-memory-limit", {"requests": {"cpu": "100m", "memory": "128Mi"},
                                "limits": {"ephemeral-storage": "1Gi"}}),
        pod("no-cpu-request", {"limits": {"memory": "256Mi", "ephemeral-storage": "1Gi"}}),
    ]  # fmt: skip
    assert verdicts(outcome.draft, tmp_path, objects) == {
        "asked-for": "allow",
        "no-ephemeral-storage-limit": "deny",
        "no-memory-limit": "deny",
        "no-cpu-request": "deny",
    }


@pytest.mark.slow
def test_label_and_annotation_kinds_under_gator(tmp_path: Path) -> None:
    outcome = draft_offline("require the label owner on deployments and the annotation team on namespaces")
    assert outcome.draft is not None, outcome.reason

    def deployment(name: str, metadata: dict[str, Any]) -> dict[str, Any]:
        template = {
            "metadata": {"labels": {"app": name}},
            "spec": {"containers": [{"name": "a", "image": "x:1"}]},
        }
        return {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": name, "namespace": "team-a", **metadata},
            "spec": {"selector": {"matchLabels": {"app": name}}, "template": template},
        }

    def namespace(name: str, metadata: dict[str, Any]) -> dict[str, Any]:
        return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, **metadata}}

    objects = [
        deployment("owned", {"labels": {"owner": "payments"}}),
        deployment("annotated-only", {"annotations": {"team": "payments"}}),
        namespace("annotated", {"annotations": {"team": "payments"}}),
        namespace("labelled-only", {"labels": {"owner": "payments"}}),
    ]
    assert verdicts(outcome.draft, tmp_path, objects) == {
        "owned": "allow",
        "annotated-only": "deny",
        "annotated": "allow",
        "labelled-only": "deny",
    }
    # A follow-up keeps each rule on its own kind.
    warned = draft_offline("make it a warning", previous=outcome.draft)
    assert warned.draft is not None, warned.reason
    assert warned.draft.enforcement_action == "warn"
    assert verdicts(warned.draft, tmp_path / "warned", objects) == {
        "owned": "allow",
        "annotated-only": "warn",
        "annotated": "allow",
        "labelled-only": "warn",
    }


@pytest.mark.slow
@pytest.mark.parametrize("case", load_suite(SUITE), ids=lambda c: c.spec.id)
def test_compound_eval_cases_are_fully_correct(case: Any, tmp_path: Path) -> None:
    outcome = draft_offline(case.spec.request)
    assert outcome.draft is not None, outcome.reason
    bundle = write_bundle(outcome.draft, tmp_path / outcome.draft.policy_id)
    wrong = [(v.name, v.expected, v.actual) for v in score_bundle(bundle, case.checks) if not v.ok]
    assert wrong == []


@pytest.mark.slow
def test_kpc_ask_offline_writes_per_rule_parameters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KPC_RETRIEVAL", "keyword")
    out = tmp_path / "cm"
    with pytest.raises(SystemExit) as exited:
        main(["ask", "require cpu requests and memory limits on containers", "--provider", "offline",
              "--out", str(out), "--format", "json"])  # fmt: skip
    assert exited.value.code == 0
    assert json.loads(capsys.readouterr().out)["status"] == "verified"
    constraint = (out / "constraint.yaml").read_text()
    assert "resources:\n    - cpu\n" in constraint
    assert "limitsRequiredResources:\n    - memory\n" in constraint
