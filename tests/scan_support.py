"""Helpers shared by the extract, scan and report tests: running `kpc` in-process, writing inputs."""

from __future__ import annotations

import io
import sys
import textwrap
from pathlib import Path

import pytest

from copilot.cli import main

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "data" / "demo-repo"
BAD = REPO / "data" / "bad-input"
TEST_POLICIES = REPO / "tests" / "data" / "scan-policies"


def run_kpc(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, stdin: str = ""
) -> tuple[int, str, str]:
    """Runs the `kpc` entry point as the console script does; returns (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    capsys.readouterr()
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, text: str) -> Path:
    """Writes dedented text, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def pod(name: str, namespace: str | None = "apps", *, privileged: bool = False, labels: str = "") -> str:
    """A Pod manifest as YAML text."""
    ns = f"\n  namespace: {namespace}" if namespace else ""
    lab = f"\n  labels: {{{labels}}}" if labels else ""
    return (
        f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}{ns}{lab}\nspec:\n  containers:\n"
        f"    - name: app\n      image: nginx:1.25\n"
        f"      securityContext: {{privileged: {'true' if privileged else 'false'}}}\n"
    )
