"""lint_paths: Regal's findings plus our Kubernetes-aware rules for every Rego module found."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools.engine import opa_parse, regal_lint
from tools.lint.context import RuleContext
from tools.lint.models import LintReport
from tools.lint.rules import RULES
from tools.lint.targets import LintTarget, collect_targets
from tools.models import Finding

# `# kpc ignore:containers-only` (or `ignore:kpc/containers-only`, comma-separated, or
# `ignore:all`) on the finding's line or the line above silences it.
_WORKERS = max(2, min(8, os.cpu_count() or 2))
_IGNORE_RE = re.compile(r"#\s*kpc\s+ignore:\s*([\w/,\s-]+)")


def _ignored(target: LintTarget, finding: Finding) -> bool:
    if finding.row is None or target.row_offset is None:
        return False
    rego_row = finding.row - target.row_offset
    lines = target.source.splitlines()
    for row in (rego_row, rego_row - 1):
        if 0 < row <= len(lines):
            match = _IGNORE_RE.search(lines[row - 1])
            if match:
                names = {n.strip().removeprefix("kpc/") for n in match.group(1).split(",")}
                if "all" in names or finding.id.removeprefix("kpc/") in names:
                    return True
    return False


def _our_findings(target: LintTarget, disabled: set[str]) -> list[Finding]:
    """Parse the module with OPA and run every enabled rule over its AST."""
    assert target.rego_file is not None
    parsed = opa_parse(target.rego_file)
    if not parsed.ok or parsed.ast is None:
        return [_relocate(target, f, id="kpc/parse-error") for f in parsed.findings]
    ctx = RuleContext(ast=parsed.ast, target=target, rego_version=parsed.rego_version or "v1")
    found: list[Finding] = []
    for info, check in RULES:
        if info.id in disabled or info.name in disabled:
            continue
        found += [f for f in check(ctx) if not _ignored(target, f)]
    return found


def _relocate(target: LintTarget, finding: Finding, **extra: str) -> Finding:
    """An engine's finding on the module as a finding on the file the user gave (templates shift lines)."""
    known = target.row_offset is not None
    return finding.model_copy(
        update={
            "file": target.display,
            "row": finding.row + (target.row_offset or 0) if finding.row and known else None,
            "col": finding.col + target.col_offset if finding.col and known else None,
            **extra,
        }
    )


def _regal_findings(targets: Sequence[LintTarget], tmp: Path) -> dict[str, list[Finding]]:
    """One Regal run over every module plus the libs they import; findings keyed by file."""
    files = [t.rego_file for t in targets if t.rego_file is not None]
    libs: list[Path] = []
    for n, target in enumerate(targets):
        libs += target.lib_files
        for m, text in enumerate(target.lib_sources):
            lib = tmp / f"lib{n}_{m}.rego"
            lib.write_text(text)
            libs.append(lib)
    known = {p.resolve() for p in files}
    extra = [p for p in dict.fromkeys(libs) if p.resolve() not in known]
    result = regal_lint([*files, *extra])
    by_file: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_file.setdefault(str(finding.file or ""), []).append(finding)
    return by_file


def _match_regal(target: LintTarget, by_file: dict[str, list[Finding]]) -> list[Finding]:
    assert target.rego_file is not None
    keys = {str(target.rego_file), str(target.rego_file.resolve())}
    out = []
    for key in keys & set(by_file):
        for finding in by_file[key]:
            out.append(_relocate(target, finding))
    return out


def _sort_key(finding: Finding) -> tuple[str, int, int, str]:
    return (finding.file or "", finding.row or 0, finding.col or 0, finding.id)


def lint_paths(paths: Iterable[str | Path], *, regal: bool = True, disable: Iterable[str] = ()) -> LintReport:
    """Lints Rego for Kubernetes admission: Regal's rules plus ours (kpc/containers-only, ...).

    Accepts .rego files, bundle folders (src.rego with template/constraint/meta beside it),
    ConstraintTemplate YAML files (the Rego is taken from the code block; findings point
    at the template's lines) and folders holding any of these. `disable` takes rule ids
    (kpc/... or regal/...) to leave out.
    """
    disabled = {d.strip() for d in disable if d.strip()}
    targets = collect_targets([Path(p) for p in paths])
    findings: list[Finding] = []
    with tempfile.TemporaryDirectory(prefix="kpc-lint-") as tmp:
        seen: set[Path] = set()
        unique: list[LintTarget] = []
        for n, target in enumerate(targets):
            if target.rego_file is None:
                # Rego that only exists inside a template: written out so the engines can read it.
                target.rego_file = Path(tmp) / f"template{n}.rego"
                target.rego_file.write_text(target.source)
            resolved = target.rego_file.resolve()
            if resolved not in seen:
                seen.add(resolved)
                unique.append(target)
        parseable = []
        # One `opa parse` process per module: two at a time keeps a 2-core machine busy.
        with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            results = list(pool.map(lambda t: [] if t.is_test else _our_findings(t, disabled), unique))
        for target, ours in zip(unique, results, strict=True):
            findings += ours
            if not any(f.id == "kpc/parse-error" for f in ours):
                parseable.append(target)
        if regal and parseable:
            by_file = _regal_findings(parseable, Path(tmp))
            for target in parseable:
                findings += [
                    f
                    for f in _match_regal(target, by_file)
                    if f.id not in disabled and not _ignored(target, f)
                ]
    findings.sort(key=_sort_key)
    return LintReport(files=list(dict.fromkeys(t.display for t in unique)), findings=findings, regal=regal)
