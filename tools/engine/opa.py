"""Typed wrappers for `opa check`, `opa fmt`, `opa test` and `opa eval`."""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tools.engine.sandbox import DEFAULT_TIMEOUT, capabilities_file, run_engine
from tools.errors import EngineError
from tools.models import Finding

PathLike = str | Path


class CheckResult(BaseModel):
    """`opa check --strict`: ok when the modules parse and compile under the safe capabilities."""

    ok: bool
    findings: list[Finding] = []


class FmtResult(BaseModel):
    """`opa fmt --list/--diff`: the files `opa fmt` would change and the diff it would apply."""

    ok: bool
    changed: list[str] = []
    diff: str = ""
    error: str = ""  # why opa fmt could not read a file (a parse error), empty when it could


class TestCase(BaseModel):
    """One `test_` rule's outcome."""

    __test__ = False  # not a pytest class
    name: str
    package: str
    file: str | None = None
    row: int | None = None
    passed: bool
    skipped: bool = False
    error: str | None = None
    duration_ms: float = 0.0


class TestResult(BaseModel):
    """`opa test`: every test's outcome plus line coverage per file when requested."""

    __test__ = False
    ok: bool
    tests: list[TestCase] = []
    coverage: float | None = None
    file_coverage: dict[str, float] = {}
    not_covered: dict[str, list[int]] = {}
    findings: list[Finding] = []

    @property
    def passed(self) -> int:
        return sum(1 for t in self.tests if t.passed)

    @property
    def failed(self) -> int:
        return sum(1 for t in self.tests if not t.passed and not t.skipped)


def _strs(paths: Sequence[PathLike]) -> list[str]:
    return [str(p) for p in paths]


def _errors_to_findings(raw: str, tool_id: str) -> list[Finding]:
    """Parses OPA's JSON error envelope ({"errors": [...]}); falls back to one finding with the raw text."""
    try:
        payload = json.loads(raw)
    except json.JSONDecodeError:
        text = raw.strip()
        return [Finding(id=f"{tool_id}/error", message=text or "unknown error", tool=tool_id)] if text else []
    errors = payload.get("errors", []) if isinstance(payload, dict) else payload
    findings = []
    for err in errors or []:
        loc = err.get("location") or {}
        details = err.get("details") or {}
        findings.append(
            Finding(
                id=f"{tool_id}/{err.get('code', 'error')}",
                level="error",
                message=err.get("message", ""),
                file=loc.get("file"),
                row=loc.get("row"),
                col=loc.get("col"),
                snippet=details.get("line"),
                tool=tool_id,
            )
        )
    return findings


def opa_check(
    paths: Sequence[PathLike],
    *,
    strict: bool = True,
    safe_capabilities: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    cwd: Path | None = None,
) -> CheckResult:
    """Parses and compiles Rego with `opa check` (strict mode; network/runtime builtins rejected)."""
    args = ["check", "--format", "json"]
    if strict:
        args.append("--strict")
    if safe_capabilities:
        args += ["--capabilities", str(capabilities_file())]
    result = run_engine("opa", [*args, *_strs(paths)], timeout=timeout, cwd=cwd)
    if result.returncode == 0:
        return CheckResult(ok=True)
    findings = _errors_to_findings(result.stderr or result.stdout, "opa-check")
    return CheckResult(ok=False, findings=findings)


def opa_fmt(
    paths: Sequence[PathLike], *, timeout: float = DEFAULT_TIMEOUT, cwd: Path | None = None
) -> FmtResult:
    """Reports (never applies) the changes `opa fmt` would make."""
    listed = run_engine("opa", ["fmt", "--list", *_strs(paths)], timeout=timeout, cwd=cwd)
    changed = [line.strip() for line in listed.stdout.splitlines() if line.strip()]
    # `opa fmt --list` exits 0 whether or not files would change; a non-zero exit means
    # some file could not be parsed, which must never pass as "formatted".
    if listed.returncode != 0:
        return FmtResult(ok=False, changed=changed, error=listed.stderr.strip())
    # `opa fmt --diff` prints a coloured word diff; a plain unified diff of the formatted
    # text reads everywhere (terminals, JSON reports, repair prompts).
    diffs: list[str] = []
    for name in changed:
        path = Path(name) if Path(name).is_absolute() or cwd is None else cwd / name
        original = path.read_text(encoding="utf-8", errors="replace")
        formatted = opa_format(original, timeout=timeout)
        diffs += difflib.unified_diff(
            original.splitlines(keepends=True), formatted.splitlines(keepends=True), f"a/{name}", f"b/{name}"
        )
    return FmtResult(ok=not changed, changed=changed, diff="".join(diffs))


def opa_format(source: str, *, timeout: float = DEFAULT_TIMEOUT, cwd: Path | None = None) -> str:
    """The `opa fmt` rendering of one Rego module (EngineError when it does not parse)."""
    result = run_engine("opa", ["fmt"], stdin=source, timeout=timeout, cwd=cwd)
    if result.returncode != 0:
        raise EngineError(f"opa fmt could not format the module: {result.stderr.strip()[:300]}")
    return result.stdout


def _parse_tests(raw: str) -> list[TestCase]:
    cases = []
    for item in json.loads(raw):
        loc = item.get("location") or {}
        cases.append(
            TestCase(
                name=item.get("name", ""),
                package=item.get("package", ""),
                file=loc.get("file"),
                row=loc.get("row"),
                passed=not item.get("fail") and not item.get("error") and not item.get("skip"),
                skipped=bool(item.get("skip")),
                error=(item.get("error") or {}).get("message")
                if isinstance(item.get("error"), dict)
                else None,
                duration_ms=item.get("duration", 0) / 1e6,
            )
        )
    return cases


def _uncovered_rows(entry: dict[str, Any]) -> list[int]:
    rows: set[int] = set()
    for span in entry.get("not_covered", []) or []:
        rows.update(range(span["start"]["row"], span["end"]["row"] + 1))
    return sorted(rows)


def opa_test(
    paths: Sequence[PathLike],
    *,
    coverage: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
    cwd: Path | None = None,
) -> TestResult:
    """Runs `opa test`; with `coverage`, a second pass collects line coverage once all tests pass."""
    base = [
        "test",
        "--format",
        "json",
        "--capabilities",
        str(capabilities_file()),
        "--timeout",
        f"{int(timeout)}s",
    ]
    result = run_engine("opa", [*base, *_strs(paths)], timeout=timeout, cwd=cwd)
    try:
        tests = _parse_tests(result.stdout)
    except (json.JSONDecodeError, TypeError, AttributeError):
        findings = _errors_to_findings(result.stderr or result.stdout, "opa-test")
        return TestResult(ok=False, findings=findings)
    ok = bool(tests) and all(t.passed or t.skipped for t in tests)
    findings = [
        Finding(
            id="opa-test/failed",
            message=f"test {t.name} failed" + (f": {t.error}" if t.error else ""),
            file=t.file,
            row=t.row,
            tool="opa-test",
        )
        for t in tests
        if not t.passed and not t.skipped
    ]
    if not tests:
        findings.append(Finding(id="opa-test/no-tests", message="no test_ rules found", tool="opa-test"))
    out = TestResult(ok=ok, tests=tests, findings=findings)
    if ok and coverage:
        cov = run_engine("opa", [*base, "--coverage", *_strs(paths)], timeout=timeout, cwd=cwd)
        try:
            report = json.loads(cov.stdout)
        except json.JSONDecodeError as exc:
            raise EngineError(f"opa test --coverage printed no JSON: {cov.stderr.strip()[:200]}") from exc
        out.coverage = report.get("coverage")
        for file, entry in (report.get("files") or {}).items():
            out.file_coverage[file] = entry.get("coverage", 0.0)
            uncovered = _uncovered_rows(entry)
            if uncovered:
                out.not_covered[file] = uncovered
    return out


class EvalResult(BaseModel):
    """The value of a query (None when undefined)."""

    defined: bool
    value: Any = None


def opa_eval(
    query: str,
    *,
    data: Sequence[PathLike] = (),
    input_value: Any = None,
    input_path: PathLike | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    cwd: Path | None = None,
) -> EvalResult:
    """Evaluates `query` against Rego/JSON/YAML `data` files with one input (value on stdin, or a file)."""
    args = ["eval", "--format", "json", "--capabilities", str(capabilities_file())]
    for path in data:
        args += ["--data", str(path)]
    stdin = None
    if input_path is not None:
        args += ["--input", str(input_path)]
    elif input_value is not None:
        args.append("--stdin-input")
        stdin = json.dumps(input_value)
    result = run_engine("opa", [*args, query], stdin=stdin, timeout=timeout, cwd=cwd)
    if result.returncode != 0:
        findings = _errors_to_findings(result.stdout or result.stderr, "opa-eval")
        detail = "; ".join(f"{f.location()}: {f.message}" for f in findings) or result.stderr.strip()
        raise EngineError(f"opa eval failed: {detail}")
    payload = json.loads(result.stdout or "{}")
    rows = payload.get("result") or []
    if not rows:
        return EvalResult(defined=False)
    return EvalResult(defined=True, value=rows[0]["expressions"][0]["value"])
