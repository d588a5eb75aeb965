"""--counterexamples: single mutations around the decisive field, all in one gator run, mapped back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tools.explain import Explanation, explain

REPO = Path(__file__).resolve().parents[1]
KPC = [sys.executable, "-c", "import sys; from copilot.cli import main; main(sys.argv[1:])"]
PRIVILEGED = REPO / "policies" / "pod-security" / "privileged-containers"
ESCALATION = REPO / "policies" / "pod-security" / "privilege-escalation"

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.0
      securityContext:
        privileged: true
        allowPrivilegeEscalation: {escalation}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("counter")


def _explain(
    folder: Path, name: str, escalation: str, policies: list[Path], *, counterexamples: bool = False
) -> Explanation:
    path = folder / name
    path.write_text(POD.format(escalation=escalation))
    return explain(path, policies=policies, counterexamples=counterexamples)


def test_single_violation_each_mutation_flips_the_verdict(folder: Path) -> None:
    plain = _explain(folder, "one.yaml", "false", [PRIVILEGED])
    result = _explain(folder, "one.yaml", "false", [PRIVILEGED], counterexamples=True)
    # All mutants go to ONE extra gator run.
    assert result.summary.gator_runs == plain.summary.gator_runs + 1
    (violation,) = result.objects[0].violations
    by_kind = {c.mutation: c for c in violation.counterexamples}
    # The fix's value equals flipping the boolean, so it is evaluated once.
    assert set(by_kind) == {"remove", "flip", "exempt-namespace"}
    assert by_kind["flip"].before is True and by_kind["flip"].after is False
    assert by_kind["remove"].path == "spec.containers[0].securityContext.privileged"
    assert by_kind["exempt-namespace"].after == "kube-system"
    assert all(c.flips and c.clears and c.verdict == "allow" for c in violation.counterexamples)
    names = [c.mutant for c in violation.counterexamples]
    assert len(set(names)) == len(names) and all(n.startswith("web-kpc-mutant-") for n in names)
    assert not plain.objects[0].violations[0].counterexamples


def test_a_mutation_that_clears_one_violation_does_not_flip_the_object(folder: Path) -> None:
    result = _explain(folder, "two.yaml", "true", [PRIVILEGED, ESCALATION], counterexamples=True)
    violations = {v.policy_id: v for v in result.objects[0].violations}
    privileged = {c.mutation: c for c in violations["privileged-containers"].counterexamples}
    assert privileged["remove"].clears and not privileged["remove"].flips
    assert privileged["remove"].verdict == "deny" and privileged["remove"].still == ["privilege-escalation"]
    # Both constraints exclude kube-system: moving there admits the object.
    assert privileged["exempt-namespace"].flips
    escalation = {c.mutation: c for c in violations["privilege-escalation"].counterexamples}
    assert escalation["flip"].clears and not escalation["flip"].flips


def test_cli_text_and_json_show_where_the_verdict_flips(folder: Path) -> None:
    path = folder / "cli.yaml"
    path.write_text(POD.format(escalation="false"))
    args = [*KPC, "explain", str(path), "-p", str(PRIVILEGED), "--counterexamples", "-q"]
    text = subprocess.run(args, capture_output=True, text=True, cwd=REPO, timeout=120, check=False)
    assert text.returncode == 2, text.stderr
    assert "counterexamples (single mutations, one gator run):" in text.stdout
    assert "- remove spec.containers[0].securityContext.privileged: FLIPS: deny -> allow" in text.stdout
    as_json = subprocess.run([*args, "--format", "json"], capture_output=True, text=True, cwd=REPO, timeout=120, check=False)  # fmt: skip
    entry = json.loads(as_json.stdout)["objects"][0]["violations"][0]
    assert {c["mutation"] for c in entry["counterexamples"]} == {"remove", "flip", "exempt-namespace"}
