"""Fix rounds with gator: a fix that trips another policy, and a fix that does not work."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tools.explain import explain
from tools.explain import paths as field_paths
from tools.explain.patch import build_patch, read_text
from tools.scan import scan

REPO = Path(__file__).resolve().parents[1]
POLICIES = REPO / "policies"

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.4.2
"""

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: shop
spec:
  containers:
    - name: shell
      image: busybox:1.36
      securityContext:
        privileged: true
"""

# A stricter in-house rule that shares the corpus id "privileged-containers": it denies
# the field being present at all, so the corpus fix (privileged: false) cannot satisfy it.
STRICT_TEMPLATE = """\
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8snoprivilegedfield
spec:
  crd:
    spec:
      names:
        kind: K8sNoPrivilegedField
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: Rego
          source:
            version: v1
            rego: |
              package k8snoprivilegedfield

              violation contains {"msg": msg, "details": {"container": c.name, "path": path}} if {
                some i, c in input.review.object.spec.containers
                _ = c.securityContext.privileged
                path := sprintf("spec.containers[%d]", [i])
                msg := sprintf("container %q (%s) sets securityContext.privileged; remove the field", [c.name, path])
              }
"""
STRICT_CONSTRAINT = """\
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sNoPrivilegedField
metadata:
  name: no-privileged-field
spec:
  match:
    kinds:
      - apiGroups: [""]
        kinds: [Pod]
"""
STRICT_META = "id: privileged-containers\ntitle: No privileged field\nkind: K8sNoPrivilegedField\n"


def _corpus_policy(category: str, policy_id: str, target: Path, parameters: dict | None = None) -> None:
    """Copies a corpus policy's template and sample constraint, optionally with other parameters."""
    source = POLICIES / category / policy_id
    target.mkdir(parents=True)
    shutil.copy(source / "template.yaml", target / "template.yaml")
    constraint = yaml.safe_load(next(source.glob("samples/*/constraint.yaml")).read_text())
    if parameters is not None:
        constraint["spec"]["parameters"] = parameters
    (target / "constraint.yaml").write_text(yaml.safe_dump(constraint))


def test_a_fix_that_trips_another_policy_is_fixed_in_the_next_round(tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    _corpus_policy("resources", "limits-required", policies / "limits")
    caps = {"cpu": "250m", "memory": "256Mi"}  # below the defaults the limits fix would use
    _corpus_policy("resources", "max-limits", policies / "max", caps)
    manifest = tmp_path / "api.yaml"
    manifest.write_text(DEPLOYMENT)

    result = explain(manifest, policies=[policies])
    (item,) = result.objects
    introduced = [v for v in item.violations if v.introduced_by_fix]
    assert introduced and {v.policy_id for v in introduced} == {"max-limits"}
    assert all(v.found_in_round == 1 and v.status == "resolved" for v in introduced)
    assert item.reverification is not None
    assert item.reverification.status == "fixed" and item.reverification.rounds == 2
    # One gator run to evaluate, then one batch per round.
    assert result.summary.gator_runs == 1 + item.reverification.rounds

    text, _ = read_text(str(manifest))
    patched = tmp_path / "patched.yaml"
    patched.write_text(build_patch(result, text).text)
    container = yaml.safe_load(patched.read_text())["spec"]["template"]["spec"]["containers"][0]
    assert container["resources"]["limits"] == caps
    assert scan([patched], policies=[policies]).results[0].verdict == "allow"


def test_when_the_rounds_run_out_the_follow_up_is_shown_and_nothing_is_patched(tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    _corpus_policy("resources", "limits-required", policies / "limits")
    _corpus_policy("resources", "max-limits", policies / "max", {"cpu": "250m", "memory": "256Mi"})
    manifest = tmp_path / "api.yaml"
    manifest.write_text(DEPLOYMENT)

    result = explain(manifest, policies=[policies], max_rounds=1)
    (item,) = result.objects
    follow_ups = [v for v in item.violations if v.introduced_by_fix]
    assert follow_ups and {v.policy_id for v in follow_ups} == {"max-limits"}
    for follow_up in follow_ups:  # shown with the fix it would get, marked as not applied
        assert follow_up.status == "unresolved" and follow_up.fix.round == 0
        assert follow_up.fix.changes and any("not applied" in note for note in follow_up.fix.notes)
    assert item.reverification is not None and not item.reverification.admitted
    # The limits fix worked for its own policy but trips max-limits: a patch must not do that.
    assert item.patch == [] and item.patch_note and "max-limits" in item.patch_note
    assert result.summary.gator_runs == 2


def test_a_fix_that_does_not_work_is_reported_and_left_out_of_the_patch(tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    strict = policies / "strict"
    strict.mkdir(parents=True)
    (strict / "template.yaml").write_text(STRICT_TEMPLATE)
    (strict / "constraint.yaml").write_text(STRICT_CONSTRAINT)
    (strict / "meta.yaml").write_text(STRICT_META)
    _corpus_policy("pod-security", "run-as-non-root", policies / "nonroot")
    manifest = tmp_path / "debug.yaml"
    manifest.write_text(POD)

    result = explain(manifest, policies=[policies])
    (item,) = result.objects
    by_policy = {v.policy_label: v for v in item.violations}
    strict_violation = by_policy["privileged-containers"]
    assert strict_violation.fix.kind == "automatic" and strict_violation.fix.changes
    assert strict_violation.status == "unresolved"
    assert by_policy["run-as-non-root"].status == "resolved"
    assert item.reverification is not None and item.reverification.status == "partly-fixed"
    assert not item.reverification.admitted
    assert any("privileged" in line for line in item.reverification.remaining)

    # The patch holds only the fix that re-verified, checked in one more gator batch.
    assert result.summary.gator_runs == 3
    assert [(c.op, c.path, c.after) for c in item.patch] == [
        ("add", "spec.containers[0].securityContext.runAsNonRoot", True)
    ]
    assert all(field_paths.parse(change.path) == change.tokens for change in item.patch)
    text, _ = read_text(str(manifest))
    patched_text = build_patch(result, text).text
    assert "privileged: true" in patched_text and "runAsNonRoot: true" in patched_text


def test_nothing_denied_means_no_rounds(tmp_path: Path) -> None:
    manifest = tmp_path / "fine.yaml"
    manifest.write_text(DEPLOYMENT)
    policies = tmp_path / "policies"
    _corpus_policy("pod-security", "privileged-containers", policies / "privileged")
    result = explain(manifest, policies=[policies])
    assert not result.denied
    assert result.summary.gator_runs == 1 and result.objects[0].reverification is None


def test_a_policy_without_a_strategy_gets_no_automatic_fix(tmp_path: Path) -> None:
    policies = tmp_path / "own"
    policies.mkdir()
    (policies / "template.yaml").write_text(STRICT_TEMPLATE)
    (policies / "constraint.yaml").write_text(STRICT_CONSTRAINT)  # no meta.yaml: an unknown policy
    manifest = tmp_path / "debug.yaml"
    manifest.write_text(POD)

    result = explain(manifest, policies=[policies])
    (item,) = result.objects
    (violation,) = item.violations
    assert (
        violation.policy_id is None and violation.policy_label == "K8sNoPrivilegedField/no-privileged-field"
    )
    assert violation.fix.kind == "manual" and "no automatic fix" in violation.fix.summary
    assert violation.field == violation.details["path"] and violation.status == "manual"
    assert item.reverification is not None and item.reverification.status == "not-fixed"
    assert item.patch == [] and result.summary.gator_runs == 1
