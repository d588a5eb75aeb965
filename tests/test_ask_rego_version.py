"""`kpc ask --rego-version v0`: a template older Gatekeeper releases accept, verified by gator like v1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def _ask(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    code = "from copilot.cli import main; main()"
    args = [
        "ask",
        "deny privileged containers",
        "--provider",
        "offline",
        "--out",
        str(out),
        "--format",
        "json",
        *extra,
    ]
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO)


def test_v0_template_uses_the_legacy_fields_and_is_verified(tmp_path: Path) -> None:
    result = _ask(tmp_path / "v0", "--rego-version", "v0")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["status"] == "verified"
    template = yaml.safe_load((tmp_path / "v0" / "template.yaml").read_text())
    target = template["spec"]["targets"][0]
    assert "code" not in target
    assert "import future.keywords.if" in target["rego"]
    assert all("import future.keywords.in" in lib for lib in target["libs"])
    checks = {c["name"]: c["ok"] for c in payload["report"]["checks"]}
    assert checks["gator-verify"] and checks["template"]


def test_force_is_an_alias_of_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    assert _ask(out).returncode == 0
    again = _ask(out)
    assert again.returncode == 1 and "exists" in again.stderr
    assert _ask(out, "--force").returncode == 0
