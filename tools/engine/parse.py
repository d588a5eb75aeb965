"""Typed wrapper for `opa parse --format json`: a Rego module's AST, with locations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from tools.engine.opa import _errors_to_findings
from tools.engine.sandbox import DEFAULT_TIMEOUT, run_engine
from tools.models import Finding


class ParseResult(BaseModel):
    """The module's AST when it parses (as OPA v1, else as v0), or the parser's findings."""

    ok: bool
    ast: dict[str, Any] | None = None
    rego_version: Literal["v1", "v0"] | None = None
    findings: list[Finding] = []


def opa_parse(
    path: str | Path, *, allow_v0: bool = True, timeout: float = DEFAULT_TIMEOUT, cwd: Path | None = None
) -> ParseResult:
    """Parses one Rego file with `opa parse`; v1 syntax first, then (if allowed) v0 for older policies."""
    args = ["parse", "--format", "json", "--json-include", "locations,-comments", str(path)]
    result = run_engine("opa", args, timeout=timeout, cwd=cwd)
    if result.returncode == 0:
        return ParseResult(ok=True, ast=json.loads(result.stdout), rego_version="v1")
    findings = _errors_to_findings(result.stderr or result.stdout, "opa-parse")
    if allow_v0:
        legacy = run_engine("opa", [*args[:-1], "--v0-compatible", str(path)], timeout=timeout, cwd=cwd)
        if legacy.returncode == 0:
            return ParseResult(ok=True, ast=json.loads(legacy.stdout), rego_version="v0")
    return ParseResult(ok=False, findings=findings)
