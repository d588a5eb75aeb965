"""Typed wrapper for `regal lint --format json`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from tools.engine.sandbox import DEFAULT_TIMEOUT, run_engine
from tools.errors import EngineError
from tools.models import Finding

CONFIG_FILE = Path(__file__).with_name("regal-config.yaml")
_LEVELS = {"error": "error", "warning": "warning"}


class LintResult(BaseModel):
    """Regal's violations as Findings; ok when none is at error level."""

    ok: bool
    findings: list[Finding] = []


def regal_lint(
    paths: Sequence[str | Path], *, timeout: float = DEFAULT_TIMEOUT, cwd: Path | None = None
) -> LintResult:
    """Lints Rego files with Regal using the project's rule configuration."""
    args = ["lint", "--format", "json", "--no-color", "--config-file", str(CONFIG_FILE)]
    result = run_engine("regal", [*args, *[str(p) for p in paths]], timeout=timeout, cwd=cwd)
    try:
        # Violations come on stdout; a run that could not lint at all puts JSON on stderr.
        payload = json.loads(result.stdout or result.stderr)
    except json.JSONDecodeError as exc:
        raise EngineError(
            f"regal printed no JSON (exit {result.returncode}): {result.stderr.strip()[:300]}"
        ) from exc
    findings = [
        Finding(
            id=f"regal/{v.get('category', 'unknown')}/{v.get('title', 'unknown')}",
            level=_LEVELS.get(v.get("level", "error"), "info"),  # type: ignore[arg-type]
            message=v.get("description", ""),
            file=(v.get("location") or {}).get("file"),
            row=(v.get("location") or {}).get("row"),
            col=(v.get("location") or {}).get("col"),
            snippet=(v.get("location") or {}).get("text"),
            tool="regal",
        )
        for v in payload.get("violations") or []
    ]
    # Parse failures come back as a top-level "errors" list rather than violations.
    for err in payload.get("errors") or []:
        findings.append(Finding(id="regal/parse-error", message=str(err), tool="regal"))
    ok = not any(f.level == "error" for f in findings)
    return LintResult(ok=ok, findings=findings)
