"""The engine steps of one verification, each returning its CheckOutcome with its own timing.

They take the scratch copy of the bundle (`work`) and paths relative to it. After
`opa check` passes, the remaining steps read the same files and write nothing shared,
so verify_bundle runs them side by side.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tools.bundle import (
    bundle_lib_dir,
    conftest_policy_paths,
    expected_violation,
    load_yaml_file,
    read_source,
    v0_compatible,
)
from tools.engine import conftest_verify, gator_verify, opa_check, opa_fmt, opa_test, regal_lint
from tools.engine.opa import CheckResult, FmtResult
from tools.errors import KpcError
from tools.models import Finding
from tools.verify.models import CheckOutcome, FixtureVerdict, Verdict


@dataclass
class Files:
    """The Rego of one bundle in its scratch folder."""

    work: Path
    own: list[Path]  # src.rego and src_test.rego: the files formatting and lint findings concern
    rel: list[str]  # own files and libraries, relative to `work` where they lie inside it

    @property
    def own_rel(self) -> set[str]:
        return {str(p.relative_to(self.work)) for p in self.own}


@dataclass
class TestOutcome:
    """opa test's check, the coverage check that follows from it, and src.rego's coverage."""

    test: CheckOutcome
    coverage_check: CheckOutcome
    coverage: float | None = None


@dataclass
class GatorOutcome:
    """The template check, gator verify's check and the verdict of every fixture."""

    template: CheckOutcome
    gator: CheckOutcome
    fixtures: list[FixtureVerdict] = field(default_factory=list)


def _since(start: float) -> float:
    return round(time.perf_counter() - start, 3)


def check_step(files: Files) -> tuple[CheckOutcome, CheckResult]:
    start = time.perf_counter()
    check = opa_check(files.rel, cwd=files.work)
    outcome = CheckOutcome(
        seconds=_since(start),
        name="opa-check",
        ok=check.ok,
        summary="compiles in strict mode" if check.ok else f"{len(check.findings)} compile error(s)",
        findings=check.findings,
    )
    return outcome, check


def fmt_step(files: Files) -> CheckOutcome:
    start = time.perf_counter()
    fmt = opa_fmt([str(p.relative_to(files.work)) for p in files.own], cwd=files.work)
    return CheckOutcome(
        seconds=_since(start),
        name="opa-fmt",
        ok=fmt.ok,
        summary=_fmt_summary(fmt),
        findings=[
            Finding(
                id="opa-fmt/unformatted",
                level="error",
                message="not opa fmt formatted",
                file=f,
                snippet=fmt.diff[:2000],
                tool="opa-fmt",
            )
            for f in fmt.changed
        ],
    )


def regal_step(files: Files) -> CheckOutcome:
    start = time.perf_counter()
    lint = regal_lint(files.rel, cwd=files.work)
    own_rel = files.own_rel
    findings = [f for f in lint.findings if f.file is None or f.file in own_rel]
    errors = [f for f in findings if f.level == "error"]
    return CheckOutcome(
        seconds=_since(start),
        name="regal",
        ok=not errors,
        summary="no lint errors" if not errors else f"{len(errors)} lint error(s)",
        findings=findings,
    )


def opa_test_step(files: Files, coverage_threshold: float) -> TestOutcome:
    start = time.perf_counter()
    tested = opa_test(files.rel, coverage=True, cwd=files.work)
    test = CheckOutcome(
        seconds=_since(start),
        name="opa-test",
        ok=tested.ok,
        summary=f"{tested.passed}/{len(tested.tests)} tests passed",
        findings=tested.findings,
    )
    coverage = next(
        (v for k, v in tested.file_coverage.items() if k.endswith("src.rego") and "conftest" not in k),
        None,
    )
    if not tested.ok:
        skipped = CheckOutcome(name="coverage", ok=False, skipped=True, summary="skipped: tests fail")
        return TestOutcome(test, skipped, coverage)
    uncovered = tested.not_covered.get("src.rego", [])
    cov_ok = coverage is not None and coverage >= coverage_threshold
    findings = []
    if not cov_ok:
        findings.append(
            Finding(
                id="coverage/low",
                message=f"lines not covered by tests: {uncovered}",
                file="src.rego",
                row=uncovered[0] if uncovered else None,
                tool="opa-test",
            )
        )
    check = CheckOutcome(
        name="coverage",
        ok=cov_ok,
        summary=f"src.rego coverage {coverage or 0:.0f}% (threshold {coverage_threshold:.0f}%)",
        findings=findings,
    )
    return TestOutcome(test, check, coverage)


def gator_step(work: Path) -> GatorOutcome:
    """The template check, then gator verify over the suite (which reads the template)."""
    start = time.perf_counter()
    try:
        template = template_sync(work)
    except KpcError as exc:
        template = CheckOutcome(
            name="template",
            ok=False,
            summary=str(exc),
            findings=[Finding(id="template/error", message=str(exc), tool="template")],
        )
    template.seconds = _since(start)
    start = time.perf_counter()
    gator = gator_verify(work / "suite.yaml")
    fixtures = fixture_verdicts(work, gator.cases)
    wrong = [f for f in fixtures if not f.ok]
    outcome = CheckOutcome(
        seconds=_since(start),
        name="gator-verify",
        ok=gator.ok and bool(fixtures),
        summary=f"{len(fixtures) - len(wrong)}/{len(fixtures)} fixtures got the expected verdict"
        if fixtures
        else "no fixtures ran: give samples/<name>/ (constraint.yaml, example_allowed*.yaml, "
        "example_disallowed*.yaml), or fixtures/deny and fixtures/allow, or --deny/--allow",
        findings=gator.findings,
    )
    return GatorOutcome(template, outcome, fixtures)


def conftest_step(work: Path) -> CheckOutcome:
    start = time.perf_counter()
    paths = [
        str(p.relative_to(work)) if p.is_relative_to(work) else str(p)
        for p in conftest_policy_paths(work, bundle_lib_dir(work))
    ]
    conf = conftest_verify(paths, cwd=work)
    return CheckOutcome(
        seconds=_since(start),
        name="conftest-verify",
        ok=conf.ok,
        summary="conftest variant passes its sample tests" if conf.ok else "conftest variant fails",
        findings=conf.findings,
    )


def template_sync(work: Path) -> CheckOutcome:
    """template.yaml must carry exactly src.rego (v1 code block, or the legacy v0 field with `import rego.v1`)."""
    template = load_yaml_file(work / "template.yaml") or {}
    src = read_source(work / "src.rego")
    for target in template.get("spec", {}).get("targets", []) or []:
        for code in target.get("code", []) or []:
            if code.get("engine") != "Rego":
                continue
            source = code.get("source", {}) or {}
            if source.get("version") != "v1":
                return CheckOutcome(
                    name="template", ok=False, summary="template.yaml's Rego source is not marked version v1"
                )
            if source.get("rego", "").strip() != src.strip():
                return _stale_template()
            return CheckOutcome(name="template", ok=True, summary="template.yaml carries src.rego as Rego v1")
        if target.get("rego"):
            if target["rego"].strip() != v0_compatible(src).strip():
                return _stale_template()
            return CheckOutcome(
                name="template", ok=True, summary="template.yaml carries src.rego in the v0-compatible form"
            )
    return CheckOutcome(name="template", ok=False, summary="template.yaml has no Rego source")


def _stale_template() -> CheckOutcome:
    return CheckOutcome(
        name="template",
        ok=False,
        summary="template.yaml's Rego differs from src.rego; regenerate the template",
        findings=[
            Finding(
                id="template/out-of-sync", message="template.yaml is stale", file="template.yaml", tool="kpc"
            )
        ],
    )


def fixture_verdicts(work: Path, cases: list[Any]) -> list[FixtureVerdict]:
    """Maps gator suite cases back to their example files and expected verdicts."""
    suite = yaml.safe_load((work / "suite.yaml").read_text()) or {}
    by_case: dict[tuple[str, str], str] = {}
    for test in suite.get("tests", []) or []:
        for case in test.get("cases", []) or []:
            by_case[(test.get("name", ""), case.get("name", ""))] = case.get("object", "")
    verdicts = []
    for case in cases:
        file = by_case.get((case.test, case.case), case.case)
        expected: Verdict = "deny" if expected_violation(Path(file)) else "allow"
        flipped: Verdict = "allow" if expected == "deny" else "deny"
        verdicts.append(
            FixtureVerdict(
                file=file,
                expected=expected,
                actual=expected if case.passed else flipped,
                message=case.message,
            )
        )
    return verdicts


def _fmt_summary(fmt: FmtResult) -> str:
    if fmt.ok:
        return "formatted"
    if fmt.error:
        return "opa fmt could not parse the policy (see opa-check)"
    return f"opa fmt would change {', '.join(fmt.changed)}"
