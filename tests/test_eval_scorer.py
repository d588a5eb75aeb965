"""The scorer with the real engines: a correct policy passes its case, a deliberately wrong one fails it."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot.evals.case import judge, verdict_stats
from copilot.evals.models import CaseResult, ManifestVerdict
from copilot.evals.scorer import engine_for, score_bundle
from copilot.evals.spec import Case
from copilot.evals.suite import load_suite
from copilot.llm.script import bundle_as_draft
from tools.bundle_writer import write_bundle
from tools.draft.models import PolicyDraft

REPO = Path(__file__).resolve().parents[1]
EXEMPLAR = REPO / "policies" / "pod-security" / "privileged-containers"

SUITE = """
suite: scorer
cases:
  - id: privileged
    request: no privileged containers outside kube-system
    expect: {exempt_namespaces: [kube-system]}
    manifests:
      - name: privileged-pod
        verdict: deny
        object:
          apiVersion: v1
          kind: Pod
          metadata: {name: shell, namespace: team-a}
          spec:
            containers:
              - {name: shell, image: "ghcr.io/acme/toolbox:1.2.0", securityContext: {privileged: true}}
      - name: privileged-init
        verdict: deny
        object:
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: tuner, namespace: team-b}
          spec:
            selector: {matchLabels: {app: tuner}}
            template:
              metadata: {labels: {app: tuner}}
              spec:
                initContainers:
                  - {name: tune, image: "ghcr.io/acme/busybox:1.36", securityContext: {privileged: true}}
                containers:
                  - {name: app, image: "ghcr.io/acme/app:1.0.0"}
      - name: same-name-other-namespace
        verdict: allow
        object:
          apiVersion: v1
          kind: Pod
          metadata: {name: shell, namespace: team-b}
          spec:
            containers:
              - {name: shell, image: "ghcr.io/acme/toolbox:1.2.0", securityContext: {privileged: false}}
      - verdict: allow
        file: {hardened}
"""


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    path = tmp_path_factory.mktemp("suite") / "scorer.yaml"
    path.write_text(SUITE.replace("{hardened}", str(REPO / "evals" / "manifests" / "hardened-pod.yaml")))
    (only,) = load_suite(path)
    return only


def _draft(**changes: object) -> PolicyDraft:
    draft = PolicyDraft.model_validate(bundle_as_draft(EXEMPLAR))
    return draft.model_copy(update=changes)


def _bundle(tmp_path: Path, draft: PolicyDraft) -> Path:
    return write_bundle(draft, tmp_path / "bundle")


def _judged(case: Case, verdicts: list[ManifestVerdict]) -> CaseResult:
    stats = verdict_stats(verdicts)
    result = CaseResult(
        suite=case.suite,
        case=case.id,
        request=case.spec.request,
        target=case.spec.target,
        expected_status=["verified"],
        status="verified",
        met=None,
        scored=True,
        correct=stats["verdicts_correct"] == stats["verdicts_total"],
        verdicts=verdicts,
        **stats,
    )
    result.problems = judge(case, result)
    result.met = not result.problems
    return result


@pytest.mark.parametrize("engine", ["gator", "conftest"])
def test_correct_policy_passes_its_case(tmp_path: Path, case: Case, engine: str) -> None:
    verdicts = score_bundle(_bundle(tmp_path, _draft()), case.checks, engine)  # type: ignore[arg-type]
    assert [v.name for v in verdicts] == [c.name for c in case.checks]
    assert all(v.engine == engine for v in verdicts)
    assert [v.actual for v in verdicts] == [c.expected for c in case.checks]
    denied = [v for v in verdicts if v.actual == "deny"]
    assert denied and all("privileged" in v.message for v in denied)
    result = _judged(case, verdicts)
    assert result.met and result.correct and result.accuracy == 1.0


def test_one_flipped_verdict_fails_the_case(tmp_path: Path, case: Case) -> None:
    # Wrongly exempting the toolbox image lets exactly one deny manifest through.
    wrong = _draft(parameters={"exemptImages": ["ghcr.io/acme/toolbox"]})
    verdicts = score_bundle(_bundle(tmp_path, wrong), case.checks)
    flipped = [v for v in verdicts if not v.ok]
    assert [(v.name, v.expected, v.actual) for v in flipped] == [("privileged-pod", "deny", "allow")]
    result = _judged(case, verdicts)
    assert result.met is False and result.correct is False
    assert (result.false_allows, result.false_denies) == (1, 0)
    assert result.accuracy == pytest.approx((len(verdicts) - 1) / len(verdicts), abs=1e-4)
    assert "1 of" in result.problems[0] and "1 false allows" in result.problems[0]


def test_missing_exemption_is_a_false_deny(tmp_path: Path, case: Case) -> None:
    no_exemption = _draft(match={**_draft().match, "excludedNamespaces": []})
    verdicts = score_bundle(_bundle(tmp_path, no_exemption), case.checks)
    wrong = [v for v in verdicts if not v.ok]
    assert wrong and all(v.derived and v.namespace == "kube-system" and v.false_deny for v in wrong)
    assert _judged(case, verdicts).false_denies == len(wrong)


def test_warn_instead_of_deny_is_a_wrong_action(tmp_path: Path, case: Case) -> None:
    verdicts = score_bundle(_bundle(tmp_path, _draft(enforcement_action="warn")), case.checks)
    caught = [v for v in verdicts if v.expected == "deny"]
    assert caught and all(v.actual == "warn" for v in caught)
    result = _judged(case, verdicts)
    assert result.wrong_action == len(caught) and result.false_allows == 0 and not result.met


def test_a_template_gator_rejects_makes_every_verdict_an_error(tmp_path: Path, case: Case) -> None:
    bundle = _bundle(tmp_path, _draft())
    template = bundle / "template.yaml"
    template.write_text(template.read_text().replace("violation contains", "violation contains contains", 1))
    verdicts = score_bundle(bundle, case.checks)
    assert {v.actual for v in verdicts} == {"error"} and verdicts[0].message
    result = _judged(case, verdicts)
    assert result.errors == len(verdicts) and "engine errors" in result.problems[0]


def test_conftest_without_a_conftest_policy_is_an_error(tmp_path: Path, case: Case) -> None:
    bundle = _bundle(tmp_path, _draft(target="gatekeeper"))
    assert not (bundle / "conftest").exists()
    verdicts = score_bundle(bundle, case.checks, engine_for("conftest"))
    assert {v.actual for v in verdicts} == {"error"} and "conftest" in verdicts[0].message


def test_corpus_layout_uses_the_sample_constraint(case: Case) -> None:
    verdicts = score_bundle(EXEMPLAR, case.checks)
    assert all(v.ok for v in verdicts)


def test_engine_for_target() -> None:
    assert [engine_for(t) for t in ("gatekeeper", "both", "conftest")] == ["gator", "gator", "conftest"]
