"""--policy-side: constraint changes that admit the object, as a constraint-file diff, re-verified with gator."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.explain import Explanation, explain
from tools.explain.models import PolicySuggestion
from tools.explain.policyparams import image_prefix

REPO = Path(__file__).resolve().parents[1]
KPC = [sys.executable, "-c", "import sys; from copilot.cli import main; main(sys.argv[1:])"]
POLICIES = {
    "privileged-containers": REPO / "policies" / "pod-security" / "privileged-containers",
    "allowed-registries": REPO / "policies" / "images" / "allowed-registries",
}
POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: web
      image: quay.io/other/web:1.0
      securityContext:
        privileged: true
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("policy-side")
    for name, folder in POLICIES.items():
        shutil.copytree(folder, root / "pol" / name)
    (root / "pod.yaml").write_text(POD)
    return root


@pytest.fixture(scope="module")
def explained(workspace: Path) -> Explanation:
    with pytest.MonkeyPatch.context() as mp:  # relative paths, so the diffs apply with git apply
        mp.chdir(workspace)
        return explain(
            "pod.yaml", policies=["pol/privileged-containers", "pol/allowed-registries"], policy_side=True
        )


def _pick(result: Explanation, policy: str, kind: str) -> list[PolicySuggestion]:
    return [s for s in result.policy_side if s.policy == policy and s.kind == kind]


def test_image_prefix_drops_tag_and_digest() -> None:
    assert image_prefix("quay.io/other/web:1.0") == "quay.io/other/web"
    assert (
        image_prefix("registry.example.com:5000/team/app:1.2@sha256:ab")
        == "registry.example.com:5000/team/app"
    )
    assert image_prefix("nginx") == "nginx"


def test_parameter_changes_admit_the_object_and_keep_every_sample(explained: Explanation) -> None:
    (registry,) = _pick(explained, "allowed-registries", "parameter")
    assert registry.summary == "add quay.io to parameters.registries"
    assert registry.admits_object and registry.samples_checked >= 5 and not registry.flipped_samples
    assert "+      - quay.io" in registry.diff
    assert any("every image from quay.io" in w for w in registry.warnings)
    (exempt,) = _pick(explained, "privileged-containers", "parameter")
    assert exempt.summary == "add quay.io/other/web to parameters.exemptImages"
    assert exempt.admits_object and not exempt.flipped_samples


def test_an_exemption_says_it_weakens_the_namespace_and_reports_sample_flips(explained: Explanation) -> None:
    (exemption,) = _pick(explained, "allowed-registries", "exemption")
    assert exemption.summary == "add shop to spec.match.excludedNamespaces"
    assert exemption.admits_object
    assert any("EVERY object in namespace shop" in w for w in exemption.warnings)
    # A disallowed sample lives in namespace shop: the exemption admits it too, and says so.
    assert [(f.before, f.after) for f in exemption.flipped_samples] == [("deny", "allow")]
    assert exemption.flipped_samples[0].file.endswith("example_disallowed_initcontainer.yaml")


def test_the_constraint_diff_applies_and_gator_then_admits_the_object(
    workspace: Path, explained: Explanation
) -> None:
    (registry,) = _pick(explained, "allowed-registries", "parameter")
    work = workspace / "applied"
    shutil.copytree(workspace / "pol", work / "pol")
    shutil.copy(workspace / "pod.yaml", work / "pod.yaml")
    run = subprocess.run(
        ["git", "apply"], input=registry.diff, text=True, cwd=work, capture_output=True, check=False
    )
    assert run.returncode == 0, run.stderr
    args = [*KPC, "explain", "pod.yaml", "-p", "pol/allowed-registries", "-q"]
    after = subprocess.run(args, capture_output=True, text=True, cwd=work, timeout=120, check=False)
    assert after.returncode == 0, after.stdout + after.stderr


def test_cli_text_shows_the_suggestions(workspace: Path) -> None:
    args = [*KPC, "explain", "pod.yaml", "-p", "pol/privileged-containers", "--policy-side", "-q"]
    run = subprocess.run(args, capture_output=True, text=True, cwd=workspace, timeout=120, check=False)
    assert run.returncode == 2, run.stderr
    assert "policy side (change the constraint instead of the manifest" in run.stdout
    assert "warning: weakens privileged-containers for EVERY object in namespace shop" in run.stdout
    assert "samples: all 6 keep their verdicts" in run.stdout
