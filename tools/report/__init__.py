"""Reporters for scan results (text, json, sarif, markdown) and SARIF for any list of Finding."""

from __future__ import annotations

import json

from tools.errors import InputError
from tools.report.markdown import render_markdown
from tools.report.sarif import SarifRule, findings_to_sarif, scan_to_sarif
from tools.report.text import render_notes, render_text, summary_line
from tools.scan.models import ScanReport

FORMATS = ("text", "json", "sarif", "markdown")


def render_json(report: ScanReport) -> str:
    """The ScanReport as one JSON document (pydantic's serializer: large scans print fast)."""
    return report.model_dump_json(indent=2)


def render(report: ScanReport, fmt: str) -> str:
    """The report in `fmt` (text, json, sarif or markdown), ending with a newline."""
    if fmt == "text":
        return render_text(report) + "\n"
    if fmt == "json":
        return render_json(report) + "\n"
    if fmt == "sarif":
        return json.dumps(scan_to_sarif(report), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_markdown(report)
    raise InputError(f"unknown report format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")


__all__ = [
    "FORMATS",
    "SarifRule",
    "findings_to_sarif",
    "render",
    "render_json",
    "render_markdown",
    "render_notes",
    "render_text",
    "scan_to_sarif",
    "summary_line",
]
