"""Typed wrappers for `gator verify` (suites) and `gator test -o json` (batch evaluation)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tools.engine.sandbox import DEFAULT_TIMEOUT, run_engine
from tools.errors import EngineError
from tools.models import Finding

_RUN = re.compile(r"^(?P<indent>\s*)=== RUN\s+(?P<name>.+?)\s*$")
_RESULT = re.compile(
    r"^(?P<indent>\s*)--- (?P<status>PASS|FAIL|SKIP): (?P<name>.+?)\s+\((?P<secs>[\d.]+)s\)\s*$"
)


class GatorCase(BaseModel):
    """One case of a gator suite test."""

    test: str
    case: str
    passed: bool
    message: str = ""
    seconds: float = 0.0


class GatorVerifyResult(BaseModel):
    """`gator verify`: ok when every case of every test passed."""

    ok: bool
    cases: list[GatorCase] = []
    findings: list[Finding] = []
    output: str = ""


def _parse_verify(text: str, suite: str) -> tuple[list[GatorCase], list[Finding]]:
    cases: list[GatorCase] = []
    findings: list[Finding] = []
    test = ""
    last: GatorCase | None = None
    for line in text.splitlines():
        run = _RUN.match(line)
        if run:
            if not run.group("indent"):
                test, last = run.group("name"), None
            continue
        if line.strip() == "Error: FAIL":
            continue
        result = _RESULT.match(line)
        if result:
            if result.group("indent"):  # a case line; unindented results close a whole test
                last = GatorCase(
                    test=test,
                    case=result.group("name"),
                    passed=result.group("status") != "FAIL",
                    seconds=float(result.group("secs")),
                )
                cases.append(last)
            else:
                last = None
            continue
        if last is not None and not last.passed and line.strip():
            last.message = (last.message + " " + line.strip()).strip()
        elif line.strip() and not line.startswith(("ok", "FAIL", "PASS", "===", "---")) and last is None:
            # Errors outside any case (bad template, unreadable object) are reported whole.
            findings.append(Finding(id="gator/error", message=line.strip(), file=suite, tool="gator"))
    for case in cases:
        if not case.passed:
            findings.append(
                Finding(
                    id="gator/case-failed",
                    message=f"{case.test}/{case.case}: {case.message or 'failed'}",
                    file=suite,
                    tool="gator",
                )
            )
    return cases, findings


def gator_verify(suite: str | Path, *, timeout: float = DEFAULT_TIMEOUT) -> GatorVerifyResult:
    """Runs a gator Suite (paths in it resolve relative to the suite file)."""
    suite = Path(suite).resolve()
    result = run_engine("gator", ["verify", "-v", suite.name], cwd=suite.parent, timeout=timeout)
    output = (result.stdout + result.stderr).strip()
    cases, findings = _parse_verify(output, str(suite))
    ok = result.returncode == 0 and bool(cases) and all(c.passed for c in cases)
    if not ok and not findings:
        findings.append(
            Finding(id="gator/error", message=output[-500:] or "gator verify failed", tool="gator")
        )
    return GatorVerifyResult(ok=ok, cases=cases, findings=findings, output=output)


class GatorViolation(BaseModel):
    """One violation reported by `gator test` for one object and one constraint."""

    msg: str
    constraint_kind: str
    constraint_name: str
    enforcement_action: str = "deny"
    scoped_actions: list[str] = []  # gator's own actions when enforcementAction is "scoped"
    object_kind: str = ""
    object_name: str = ""
    object_namespace: str = ""
    details: dict[str, Any] = {}
    violating_object: dict[str, Any] = {}


def gator_test(files: Sequence[str | Path], *, timeout: float = DEFAULT_TIMEOUT) -> list[GatorViolation]:
    """Evaluates templates + constraints + objects (files or folders) in one gator run."""
    args = ["test", "-o", "json"]
    for path in files:
        args += ["-f", str(path)]
    # gator also reads stdin whenever it is not a terminal, even with -f: an inherited
    # pipe (kpc scan - , CI runners) would add objects or block; give it an empty one.
    result = run_engine("gator", args, timeout=timeout, stdin="")
    out = result.stdout.strip()
    if not out or out == "null":
        if result.returncode != 0:
            raise EngineError(f"gator test failed: {result.stderr.strip()[:500]}")
        return []
    # gator appends "Error: FAIL" on stderr when there are violations; stdout is pure JSON.
    try:
        payload = json.loads(out)
    except json.JSONDecodeError as exc:
        raise EngineError(f"gator test printed no JSON: {(result.stderr or out).strip()[:300]}") from exc
    violations = []
    for item in payload or []:
        constraint = item.get("constraint") or {}
        obj = item.get("violatingObject") or {}
        meta = obj.get("metadata") or {}
        violations.append(
            GatorViolation(
                msg=item.get("msg", ""),
                constraint_kind=constraint.get("kind", ""),
                constraint_name=(constraint.get("metadata") or {}).get("name", ""),
                enforcement_action=item.get("enforcementAction", "deny"),
                scoped_actions=[str(a) for a in item.get("scopedActions") or []],
                object_kind=obj.get("kind", ""),
                object_name=meta.get("name", ""),
                object_namespace=meta.get("namespace", "") or "",
                details=(item.get("metadata") or {}).get("details") or {},
                violating_object=obj,
            )
        )
    return violations
