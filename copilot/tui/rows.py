"""Table rows for the verification report and the scan impact preview (no UI, tested alone)."""

from __future__ import annotations

from dataclasses import dataclass

from tools.models import Finding
from tools.scan.models import ScanReport
from tools.verify.models import CheckOutcome, FixtureVerdict, VerificationReport

DETAIL_FINDINGS = 30


@dataclass(frozen=True)
class Row:
    """One table row: what was checked, the result word, a short summary and the full detail."""

    kind: str
    name: str
    result: str
    summary: str
    detail: str

    @property
    def failed(self) -> bool:
        return self.result in ("FAIL", "deny")


def in_file_order(findings: list[Finding]) -> list[Finding]:
    """Findings sorted by where they are: engines report parallel test runs in any order."""
    return sorted(findings, key=lambda f: (f.file or "", f.row or 0, f.col or 0, f.message))


def _check_row(check: CheckOutcome) -> Row:
    result = "skip" if check.skipped else ("ok" if check.ok else "FAIL")
    lines = [f"{check.name}: {check.summary or result}"]
    lines += [f"  {f.location()}: {f.message}" for f in in_file_order(check.findings)[:DETAIL_FINDINGS]]
    if len(check.findings) > DETAIL_FINDINGS:
        lines.append(f"  … and {len(check.findings) - DETAIL_FINDINGS} more")
    if check.ok and not check.findings:
        lines.append("  passed")
    return Row("check", check.name, result, check.summary, "\n".join(lines))


def _fixture_row(fixture: FixtureVerdict) -> Row:
    result = "ok" if fixture.ok else "FAIL"
    summary = f"expected {fixture.expected}, got {fixture.actual}"
    detail = f"{fixture.file} ({fixture.engine})\n  {summary}"
    if fixture.message:
        detail += f"\n  {fixture.message}"
    # The sample folder is the same for every fixture; the file name is what tells them apart.
    name = fixture.file.rsplit("/", 1)[-1].removesuffix(".yaml")
    return Row("fixture", name, result, summary, detail)


def report_rows(report: VerificationReport) -> list[Row]:
    """Every check, then every fixture verdict, in report order."""
    return [_check_row(c) for c in report.checks] + [_fixture_row(f) for f in report.fixtures]


def impact_rows(report: ScanReport) -> list[Row]:
    """One row per scanned object: denied and warned objects first, then allowed ones."""
    rank = {"deny": 0, "warn": 1, "allow": 2}
    rows = []
    for result in sorted(report.results, key=lambda r: (rank[r.verdict], r.file, r.line)):
        messages = [v.message for v in result.violations]
        detail = "\n".join(
            [f"{result.ref} at {result.location()}: {result.verdict}"] + [f"  {m}" for m in messages]
        )
        if result.notes:
            detail += "\n" + "\n".join(f"  note: {n}" for n in result.notes)
        rows.append(
            Row(result.location(), result.ref, result.verdict, messages[0] if messages else "", detail)
        )
    return rows


def impact_summary(report: ScanReport, path: str) -> str:
    """One sentence for the chat, e.g. 'would deny 2 of 5 objects in 3 files under manifests/'."""
    s = report.summary
    files = f"{s.files} file" + ("" if s.files == 1 else "s")
    parts = [f"would deny {s.denied} of {s.objects} objects in {files} under {path}"]
    if s.warned:
        parts.append(f"warn on {s.warned}")
    errors = report.input_errors
    if errors:
        parts.append(f"{len(errors)} inputs could not be read")
    return ", ".join(parts)
