"""`kpc verify` on broken bundles: every check tells the truth, with the real engines."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from scan_support import REPO, run_kpc

EXEMPLAR = REPO / "policies" / "pod-security" / "privileged-containers"
Capsys = pytest.CaptureFixture[str]
MP = pytest.MonkeyPatch


def _copy(tmp_path: Path) -> Path:
    bundle = tmp_path / "privileged-containers"
    shutil.copytree(EXEMPLAR, bundle)
    shutil.copytree(REPO / "policies" / "lib", bundle / "lib")
    return bundle


def test_syntax_error_fails_opa_fmt_too(tmp_path: Path, capsys: Capsys, monkeypatch: MP) -> None:
    bundle = _copy(tmp_path)
    src = bundle / "src.rego"
    src.write_text(src.read_text().replace("if {", "if {{", 1))
    code, out, _ = run_kpc(["verify", str(bundle), "--format", "json"], capsys, monkeypatch)
    assert code == 2
    checks = {c["name"]: c for c in json.loads(out)["checks"]}
    assert not checks["opa-check"]["ok"]
    # `opa fmt --list` exits 2 on a parse error; that used to read as "formatted"
    assert not checks["opa-fmt"]["ok"] and "could not parse" in checks["opa-fmt"]["summary"]


def test_unformatted_source_is_named(tmp_path: Path, capsys: Capsys, monkeypatch: MP) -> None:
    bundle = _copy(tmp_path)
    src = bundle / "src.rego"
    src.write_text(src.read_text().replace("if {", "if   {", 1))
    code, out, _ = run_kpc(["verify", str(bundle), "--format", "json"], capsys, monkeypatch)
    fmt = next(c for c in json.loads(out)["checks"] if c["name"] == "opa-fmt")
    assert code == 2 and not fmt["ok"] and fmt["summary"] == "opa fmt would change src.rego"


def test_clean_bundle_is_formatted(tmp_path: Path, capsys: Capsys, monkeypatch: MP) -> None:
    code, out, _ = run_kpc(["verify", str(_copy(tmp_path)), "--format", "json"], capsys, monkeypatch)
    fmt = next(c for c in json.loads(out)["checks"] if c["name"] == "opa-fmt")
    assert code == 0 and fmt["ok"] and fmt["summary"] == "formatted"
