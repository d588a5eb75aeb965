"""The fixture gate and the mutation (contrast) check, with the real engines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agent_support import REQUEST, good_draft, pod, submit

from copilot.agent import run_request
from copilot.agent.fixtures import review_fixtures
from copilot.agent.mutation import contrast_pairs, differing_fields, field_name, mutation_check, patched
from copilot.llm.mock import MockModel
from tools.draft.models import Fixture, PolicyDraft

NAME_KEYED_REGO = """package k8snamekeyed

violation contains {"msg": msg, "details": {"name": name}} if {
	name := input.review.object.metadata.name
	name == "root-shell"
	msg := sprintf("%s %s is not allowed", [input.review.object.kind, name])
}
"""
NAME_KEYED_TESTS = """package k8snamekeyed

test_root_shell_denied if {
	count(violation) == 1 with input as {"review": {"object": {"kind": "Pod", "metadata": {"name": "root-shell"}}}}
}

test_other_names_allowed if {
	count(violation) == 0 with input as {"review": {"object": {"kind": "Pod", "metadata": {"name": "web"}}}}
}
"""


def name_keyed_draft() -> dict[str, Any]:
    """Passes every engine check, but decides by the object's name, not by privileged."""
    return {
        "policy_id": "name-keyed",
        "title": "Privileged containers (by name)",
        "kind": "K8sNameKeyed",
        "src_rego": NAME_KEYED_REGO,
        "src_test_rego": NAME_KEYED_TESTS,
        "match": {"kinds": [{"apiGroups": [""], "kinds": ["Pod"]}]},
        "fixtures": [
            {"name": "privileged", "expected": "deny", "manifest": pod("root-shell", privileged=True)},
            {"name": "unprivileged", "expected": "allow", "manifest": pod("web", privileged=False)},
        ],
    }


def run(model: MockModel, **options: Any) -> Any:
    return run_request(REQUEST, provider=model, retrieval="keyword", checkpoint="memory", **options)


def test_invalid_fixtures_are_dropped_and_only_valid_ones_count() -> None:
    draft = PolicyDraft.model_validate(good_draft())
    broken = pod("typo", privileged=True)
    broken["spec"]["containers"][0]["securityContex"] = {}
    draft.fixtures.append(Fixture(name="typo", expected="deny", manifest=broken))
    draft.fixtures.append(Fixture(name="not-k8s", expected="allow", manifest={"hello": "world"}))

    valid, check = review_fixtures(draft)

    assert check.ok and len(valid) == len(draft.fixtures) - 2
    messages = [f.message for f in check.findings]
    assert any("'typo'" in m and "securityContex" in m for m in messages)
    assert any("'not-k8s'" in m and "apiVersion and kind are required" in m for m in messages)
    assert {f.level for f in check.findings} == {"warning"}


def test_fixtures_need_both_verdicts() -> None:
    draft = PolicyDraft.model_validate(good_draft())
    draft.fixtures = [f for f in draft.fixtures if f.expected == "deny"]
    _, check = review_fixtures(draft)
    assert not check.ok
    assert any(
        f.id == "fixtures/missing-verdict" and "no valid allow fixture" in f.message for f in check.findings
    )


def test_dropped_fixture_is_not_written_and_is_noted() -> None:
    draft = good_draft()
    draft["fixtures"].append(
        {"name": "bogus", "expected": "deny", "manifest": {"apiVersion": "v1", "kind": "Pod"}}
    )
    result = run(MockModel([submit(draft)]))

    assert result.status == "verified"
    assert result.draft is not None
    assert "bogus" not in [f.name for f in result.draft.fixtures]
    assert any("'bogus'" in note for note in result.draft.notes)


def test_differing_fields_and_patching() -> None:
    deny = pod("a", privileged=True)
    allow = pod("b", privileged=False, namespace="kube-system")
    allow["spec"]["containers"][0]["ports"] = [{"containerPort": 80}]
    fields = differing_fields(deny, allow)

    assert [field_name(f) for f in fields] == [
        "metadata.namespace",
        "spec.containers[0].ports",
        "spec.containers[0].securityContext.privileged",
    ]
    repaired = patched(deny, allow, fields)
    assert repaired["metadata"]["name"] == "a"  # identity is kept
    assert {k: v for k, v in repaired.items() if k != "metadata"} == {
        k: v for k, v in allow.items() if k != "metadata"
    }
    back = patched(allow, deny, fields)
    assert "ports" not in back["spec"]["containers"][0]


def test_pairs_use_the_nearest_allow_fixture_of_the_same_kind() -> None:
    draft = PolicyDraft.model_validate(good_draft())
    pairs = {
        p.deny.name: (p.allow.name, [field_name(f) for f in p.fields]) for p in contrast_pairs(draft.fixtures)
    }

    # The Deployment deny fixture has no Deployment allow fixture to contrast with.
    assert "deployment" not in pairs
    assert all(allow in {"base", "kube-system", "exempt-image"} for allow, _ in pairs.values())
    assert set(pairs) == {"base", "initcontainer"}


def test_mutation_check_names_the_decisive_field(tmp_path: Path) -> None:
    draft = PolicyDraft.model_validate(good_draft())
    outcome = mutation_check(draft, tmp_path / "m")

    assert outcome.ok, outcome.findings
    decisive = " ".join(f.message for f in outcome.findings if f.id == "mutation/decisive")
    assert "securityContext.privileged" in decisive


def test_a_policy_keyed_on_the_name_fails_the_mutation_check() -> None:
    result = run(MockModel([submit(name_keyed_draft())]), max_rounds=0)

    assert result.status == "not_verified"
    assert result.report is not None
    checks = {c.name: c for c in result.report.checks}
    engine_checks = ("opa-check", "opa-test", "regal", "gator-verify", "conftest-verify")
    assert all(checks[name].ok for name in engine_checks), result.report.failure_text()
    assert not checks["mutation"].ok
    assert "is still denied" in result.report.failure_text()


def test_pairs_differing_only_by_name_fail() -> None:
    draft = name_keyed_draft()
    draft["fixtures"][1]["manifest"] = pod("web", privileged=True)
    result = run(MockModel([submit(draft)]), max_rounds=0)

    assert result.status == "not_verified"
    assert result.report is not None
    assert "differ only in their names" in result.report.failure_text()
