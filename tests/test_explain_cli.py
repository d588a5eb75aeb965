"""`kpc explain` as users run it: exit codes, one-line errors, text / json / patch, --write."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The console entry point, exactly as the `kpc` script calls it.
KPC = [sys.executable, "-c", "import sys; from copilot.cli import main; main(sys.argv[1:])"]
PRIVILEGED = REPO / "policies" / "pod-security" / "privileged-containers"
SECURITY = [PRIVILEGED, REPO / "policies" / "pod-security" / "privilege-escalation"]

MANIFEST = """\
# The worker (this comment must survive --write)
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: jobs
spec:
  selector:
    matchLabels: {app: worker}
  template:
    metadata:
      labels: {app: worker}
    spec:
      initContainers:
        - name: setup
          image: ghcr.io/acme/setup:2.0.1
          securityContext:
            privileged: true     # why was this here?
      containers:
        - name: worker
          image: ghcr.io/acme/worker:2.0.1
          securityContext:
            allowPrivilegeEscalation: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: jobs
data:
  mode: batch
"""


def kpc(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KPC, *args], input=stdin, capture_output=True, text=True, cwd=cwd or REPO, timeout=300, check=False
    )


def _policies(paths: list[Path]) -> list[str]:
    return [arg for path in paths for arg in ("--policies", str(path))]


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "worker.yaml"
    path.write_text(MANIFEST)
    return path


def test_text_names_object_policy_field_fix_and_reverification(manifest: Path) -> None:
    run = kpc("explain", str(manifest), *_policies(SECURITY))
    assert run.returncode == 2, run.stderr
    out = run.stdout
    assert f"{manifest}:2  Deployment jobs/worker  denied" in out
    assert "privileged-containers" in out and "privilege-escalation" in out
    assert "field:  spec.template.spec.initContainers[0].securityContext.privileged" in out
    assert "-             privileged: true" in out and "+             privileged: false" in out
    assert "re-verified: no longer violated" in out
    assert "fixed: now admitted by all policies" in out
    assert "ConfigMap jobs/settings  admitted" in out
    assert "Traceback" not in run.stderr


def test_an_admitted_manifest_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(MANIFEST.split("---\n")[1])
    run = kpc("explain", str(path), *_policies(SECURITY))
    assert run.returncode == 0, run.stderr
    assert "admitted" in run.stdout


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: d / "missing.yaml", "no such file"),
        (lambda d: REPO / "data" / "bad-input" / "invalid-yaml.yaml", "invalid YAML"),
        (lambda d: REPO / "data" / "bad-input" / "not-kubernetes.yaml", "no Kubernetes objects"),
        (lambda d: REPO / "data" / "bad-input" / "empty.yaml", "no Kubernetes objects"),
        (lambda d: d, "is a folder"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(tmp_path: Path, make, words: str) -> None:
    run = kpc("explain", str(make(tmp_path)), *_policies([PRIVILEGED]))
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kpc: error:") and words in lines[0]
    assert run.stdout == ""


def test_write_refuses_stdin() -> None:
    run = kpc("explain", "-", "--write", stdin=MANIFEST)
    assert run.returncode == 1 and "stdin" in run.stderr and len(run.stderr.strip().splitlines()) == 1


def test_json_is_one_document_on_stdout(manifest: Path) -> None:
    run = kpc("explain", str(manifest), *_policies(SECURITY), "--format", "json")
    assert run.returncode == 2
    payload = json.loads(run.stdout)
    (denied,) = [o for o in payload["objects"] if o["verdict"] == "deny"]
    assert denied["reverification"]["status"] == "fixed"
    fields = {v["field"] for v in denied["violations"]}
    assert "spec.template.spec.initContainers[0].securityContext.privileged" in fields
    assert all(v["fix"]["kind"] in {"automatic", "placeholder", "manual"} for v in denied["violations"])
    assert payload["summary"]["gator_runs"] >= 2


def test_stdin_is_explained_like_a_file() -> None:
    run = kpc("explain", "-", *_policies(SECURITY), "--format", "json", stdin=MANIFEST)
    assert run.returncode == 2
    assert json.loads(run.stdout)["objects"][0]["file"] == "<stdin>"


def test_patch_applies_with_git_and_equals_write(manifest: Path, tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    patch = kpc("explain", manifest.name, *_policies(SECURITY), "--format", "patch", cwd=manifest.parent)
    assert patch.returncode == 2
    assert patch.stdout.startswith(f"--- a/{manifest.name}\n+++ b/{manifest.name}\n")
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(manifest, copy / manifest.name)
    applied = subprocess.run(
        ["git", "apply", "-"], input=patch.stdout, cwd=copy, capture_output=True, text=True, check=False
    )
    assert applied.returncode == 0, applied.stderr

    manifest.chmod(0o640)
    wrote = kpc("explain", str(manifest), *_policies(SECURITY), "--write", "--format", "json")
    assert wrote.returncode == 2 and "wrote" in wrote.stderr
    assert (copy / manifest.name).read_text() == manifest.read_text()
    assert stat.S_IMODE(os.stat(manifest).st_mode) == 0o640
    assert "# The worker (this comment must survive --write)" in manifest.read_text()
    assert "# why was this here?" in manifest.read_text()
    assert not [p for p in manifest.parent.iterdir() if p.name.endswith(".tmp")]

    again = kpc("scan", str(manifest), *_policies(SECURITY))
    assert again.returncode == 0, again.stdout
    assert kpc("explain", str(manifest), *_policies(SECURITY)).returncode == 0


def test_nothing_to_patch_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "tagged.yaml"
    path.write_text(MANIFEST.replace("ghcr.io/acme/worker:2.0.1", "nginx:latest"))
    before = path.read_bytes()
    latest = REPO / "policies" / "images" / "latest-tag"
    run = kpc("explain", str(path), "--policies", str(latest), "--write")
    assert run.returncode == 2
    assert "needs:" in run.stdout and "nginx:<version>" in run.stdout
    assert "nothing to patch" in run.stderr
    assert path.read_bytes() == before


def test_help_says_what_write_does_to_formatting() -> None:
    run = kpc("explain", "--help")
    assert run.returncode == 0
    text = " ".join(run.stdout.split())
    assert "--write" in text and "atomically" in text and "normalises its formatting" in text
    assert "Exit status: 0 nothing denied, 2" in text
