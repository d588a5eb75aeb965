"""Typed wrappers for `conftest test -o json` and `conftest verify -o json`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from tools.engine.sandbox import DEFAULT_TIMEOUT, capabilities_file, run_engine
from tools.errors import EngineError
from tools.models import Finding


class ConftestFileResult(BaseModel):
    """conftest's verdict for one input file (all of its documents together)."""

    filename: str
    namespace: str = "main"
    successes: int = 0
    failures: list[str] = []
    warnings: list[str] = []


class ConftestResult(BaseModel):
    """ok means no failures in any file; `findings` repeats failures in the shared Finding schema."""

    ok: bool
    files: list[ConftestFileResult] = []
    findings: list[Finding] = []


def _parse(stdout: str, stderr: str, returncode: int, tool_id: str) -> ConftestResult:
    try:
        payload = json.loads(stdout)
    except json.JSONDecodeError as exc:
        message = (stderr or stdout).strip().removeprefix("Error: ")
        if message:
            return ConftestResult(
                ok=False, findings=[Finding(id=f"{tool_id}/error", message=message, tool=tool_id)]
            )
        raise EngineError(f"conftest printed no JSON (exit {returncode})") from exc
    files = []
    findings = []
    for item in payload or []:
        failures = [f.get("msg", "") for f in item.get("failures") or []]
        files.append(
            ConftestFileResult(
                filename=item.get("filename", ""),
                namespace=item.get("namespace", ""),
                successes=item.get("successes", 0),
                failures=failures,
                warnings=[w.get("msg", "") for w in item.get("warnings") or []],
            )
        )
        findings += [
            Finding(id=f"{tool_id}/failure", message=m, file=item.get("filename"), tool=tool_id)
            for m in failures
        ]
    return ConftestResult(ok=not findings, files=files, findings=findings)


def _policy_args(policy: str | Path | Sequence[str | Path]) -> list[str]:
    paths = [policy] if isinstance(policy, str | Path) else list(policy)
    args: list[str] = []
    for path in paths:
        args += ["--policy", str(path)]
    return args


def conftest_test(
    policy: str | Path | Sequence[str | Path],
    inputs: Sequence[str | Path],
    *,
    data: Sequence[str | Path] = (),
    namespaces: Sequence[str] = ("main",),
    timeout: float = DEFAULT_TIMEOUT,
    cwd: Path | None = None,
) -> ConftestResult:
    """Runs conftest policies (folders or files) against manifest files; deny rules become failures."""
    args = [
        "test",
        "-o",
        "json",
        "--no-color",
        *_policy_args(policy),
        "--capabilities",
        str(capabilities_file()),
    ]
    for path in data:
        args += ["--data", str(path)]
    for ns in namespaces:
        args += ["--namespace", ns]
    result = run_engine("conftest", [*args, *[str(p) for p in inputs]], timeout=timeout, cwd=cwd)
    return _parse(result.stdout, result.stderr, result.returncode, "conftest-test")


def conftest_verify(
    policy: str | Path | Sequence[str | Path],
    *,
    data: Sequence[str | Path] = (),
    timeout: float = DEFAULT_TIMEOUT,
    cwd: Path | None = None,
) -> ConftestResult:
    """Runs the `test_` rules found in `policy` with `conftest verify`."""
    args = [
        "verify",
        "-o",
        "json",
        "--no-color",
        *_policy_args(policy),
        "--capabilities",
        str(capabilities_file()),
    ]
    for path in data:
        args += ["--data", str(path)]
    result = run_engine("conftest", args, timeout=timeout, cwd=cwd)
    return _parse(result.stdout, result.stderr, result.returncode, "conftest-verify")
