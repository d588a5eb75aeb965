"""verify_bundle: opa check --strict, opa fmt, regal lint, opa test + coverage, gator verify, conftest verify."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from tools.bundle import (
    bundle_lib_dir,
    conftest_policy_paths,
    expected_violation,
    generated_files,
    lib_files,
    load_yaml_file,
    package_for,
    read_source,
    rego_package,
    v0_compatible,
)
from tools.engine import conftest_verify, gator_verify, opa_check, opa_fmt, opa_test, regal_lint
from tools.engine.opa import FmtResult, opa_format
from tools.errors import InputError, KpcError
from tools.models import Finding
from tools.verify.models import CheckOutcome, FixtureVerdict, Verdict, VerificationReport

DEFAULT_COVERAGE = 90.0
Progress = Callable[[str], None]


class _Clock:
    """Seconds per check, for the report's timings."""

    def __init__(self) -> None:
        self._t = time.perf_counter()

    def start(self) -> None:
        self._t = time.perf_counter()

    def stop(self) -> float:
        return round(time.perf_counter() - self._t, 3)


def _camel(package: str) -> str:
    name = package.removeprefix("k8s")
    return "K8s" + "".join(part.capitalize() for part in name.replace("_", " ").split())


def bundle_meta(bundle: Path) -> dict[str, Any]:
    """meta.yaml when present; otherwise what can be derived from src.rego and the template."""
    if (bundle / "meta.yaml").is_file():
        return load_yaml_file(bundle / "meta.yaml") or {}
    package = rego_package(read_source(bundle / "src.rego"))
    meta: dict[str, Any] = {"id": bundle.name, "kind": _camel(package), "parameters": {"type": "object"}}
    if (bundle / "template.yaml").is_file():
        template = load_yaml_file(bundle / "template.yaml") or {}
        crd = template.get("spec", {}).get("crd", {}).get("spec", {})
        meta["kind"] = crd.get("names", {}).get("kind", meta["kind"])
        meta["parameters"] = crd.get("validation", {}).get("openAPIV3Schema", meta["parameters"])
    return meta


def _timed(name: str, fn: Callable[[], CheckOutcome]) -> CheckOutcome:
    start = time.perf_counter()
    try:
        outcome = fn()
    except KpcError as exc:
        outcome = CheckOutcome(
            name=name,
            ok=False,
            summary=str(exc),
            findings=[Finding(id=f"{name}/error", message=str(exc), tool=name)],
        )
    outcome.seconds = round(time.perf_counter() - start, 3)
    return outcome


def _prepare(source: Path, work: Path) -> list[str]:
    """Copies the bundle into `work` and generates the template/suite/conftest files it lacks."""
    shutil.copytree(
        source, work, dirs_exist_ok=True, ignore=shutil.ignore_patterns("report.json", "__pycache__")
    )
    if not (work / "lib").is_dir() and (source / "lib").is_dir():
        shutil.copytree(source / "lib", work / "lib")
    meta = bundle_meta(work)
    meta.setdefault("id", source.name)
    created = []
    for rel, content in generated_files(work, meta, bundle_lib_dir(source)).items():
        target = work / rel
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(opa_format(content) if rel.endswith(".rego") else content)
        created.append(rel)
    return created


def _template_sync(work: Path) -> CheckOutcome:
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


def _fixture_verdicts(work: Path, cases: list[Any]) -> list[FixtureVerdict]:
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


def verify_bundle(
    path: str | Path,
    *,
    coverage_threshold: float = DEFAULT_COVERAGE,
    progress: Progress | None = None,
) -> VerificationReport:
    """Verify a policy bundle (a folder as `kpc ask` writes it, or src.rego + samples/) with the real engines.

    Runs opa check --strict, opa fmt, regal lint, opa test with coverage, gator verify
    over the samples and, when present, conftest verify. The report's `ok` is true only
    when every check passed and every fixture got its expected verdict.
    """
    source = Path(path)
    if not (source / "src.rego").is_file():
        raise InputError(
            f"{source} has no src.rego",
            hint="point at a bundle folder written by `kpc ask` or a corpus policy",
        )
    read_source(source / "src.rego")  # unreadable or non-UTF-8 Rego is bad input, not a failed check
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    checks: list[CheckOutcome] = []
    fixtures: list[FixtureVerdict] = []
    coverage = None
    with tempfile.TemporaryDirectory(prefix="kpc-verify-") as tmp:
        work = Path(tmp) / source.name
        try:
            _prepare(source, work)
        except InputError as exc:  # a malformed bundle is a verification failure; a missing engine is not
            checks.append(CheckOutcome(name="bundle", ok=False, summary=str(exc)))
            return VerificationReport(bundle=str(source), ok=False, checks=checks)
        src_text = read_source(work / "src.rego")
        libs = [p for p in lib_files(src_text, bundle_lib_dir(work)) if not p.name.endswith("_test.rego")]
        own = [p for p in (work / "src.rego", work / "src_test.rego") if p.is_file()]
        rego = [*own, *libs]
        rel = [str(p.relative_to(work)) if p.is_relative_to(work) else str(p) for p in rego]

        clock = _Clock()
        say("opa check --strict")
        clock.start()
        check = opa_check(rel, cwd=work)
        checks.append(
            CheckOutcome(
                seconds=clock.stop(),
                name="opa-check",
                ok=check.ok,
                summary="compiles in strict mode" if check.ok else f"{len(check.findings)} compile error(s)",
                findings=check.findings,
            )
        )
        clock.start()
        fmt = opa_fmt([str(p.relative_to(work)) for p in own], cwd=work)
        checks.append(
            CheckOutcome(
                seconds=clock.stop(),
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
        )
        if not check.ok:
            for name in ("regal", "opa-test", "coverage", "template", "gator-verify"):
                checks.append(
                    CheckOutcome(
                        name=name, ok=False, skipped=True, summary="skipped: the policy does not compile"
                    )
                )
            return VerificationReport(
                bundle=str(source), ok=False, checks=checks, seconds=round(time.perf_counter() - started, 3)
            )

        say("regal lint")
        clock.start()
        lint = regal_lint(rel, cwd=work)
        own_rel = {str(p.relative_to(work)) for p in own}
        lint_findings = [f for f in lint.findings if f.file is None or f.file in own_rel]
        lint_errors = [f for f in lint_findings if f.level == "error"]
        checks.append(
            CheckOutcome(
                seconds=clock.stop(),
                name="regal",
                ok=not lint_errors,
                summary="no lint errors" if not lint_errors else f"{len(lint_errors)} lint error(s)",
                findings=lint_findings,
            )
        )

        say("opa test")
        clock.start()
        tested = opa_test(rel, coverage=True, cwd=work)
        checks.append(
            CheckOutcome(
                seconds=clock.stop(),
                name="opa-test",
                ok=tested.ok,
                summary=f"{tested.passed}/{len(tested.tests)} tests passed",
                findings=tested.findings,
            )
        )
        coverage = next(
            (v for k, v in tested.file_coverage.items() if k.endswith("src.rego") and "conftest" not in k),
            None,
        )
        if tested.ok:
            uncovered = tested.not_covered.get("src.rego", [])
            cov_ok = coverage is not None and coverage >= coverage_threshold
            checks.append(
                CheckOutcome(
                    name="coverage",
                    ok=cov_ok,
                    summary=f"src.rego coverage {coverage or 0:.0f}% (threshold {coverage_threshold:.0f}%)",
                    findings=[]
                    if cov_ok
                    else [
                        Finding(
                            id="coverage/low",
                            message=f"lines not covered by tests: {uncovered}",
                            file="src.rego",
                            row=uncovered[0] if uncovered else None,
                            tool="opa-test",
                        )
                    ],
                )
            )
        else:
            checks.append(
                CheckOutcome(name="coverage", ok=False, skipped=True, summary="skipped: tests fail")
            )

        checks.append(_timed("template", lambda: _template_sync(work)))
        say("gator verify")
        clock.start()
        gator = gator_verify(work / "suite.yaml")
        fixtures = _fixture_verdicts(work, gator.cases)
        wrong = [f for f in fixtures if not f.ok]
        checks.append(
            CheckOutcome(
                seconds=clock.stop(),
                name="gator-verify",
                ok=gator.ok and bool(fixtures),
                summary=f"{len(fixtures) - len(wrong)}/{len(fixtures)} fixtures got the expected verdict"
                if fixtures
                else "no fixtures ran (samples/ missing or the template was rejected)",
                findings=gator.findings,
            )
        )
        if (work / "conftest" / "policy" / "main.rego").is_file():
            say("conftest verify")
            paths = [
                str(p.relative_to(work)) if p.is_relative_to(work) else str(p)
                for p in conftest_policy_paths(work, bundle_lib_dir(work))
            ]
            clock.start()
            conf = conftest_verify(paths, cwd=work)
            checks.append(
                CheckOutcome(
                    seconds=clock.stop(),
                    name="conftest-verify",
                    ok=conf.ok,
                    summary="conftest variant passes its sample tests"
                    if conf.ok
                    else "conftest variant fails",
                    findings=conf.findings,
                )
            )
        prefix = str(work) + "/"
        for outcome in checks:
            for finding in outcome.findings:
                if finding.file and finding.file.startswith(prefix):
                    finding.file = finding.file[len(prefix) :]
                finding.message = finding.message.replace(prefix, "")
    ok = all(c.ok for c in checks) and bool(fixtures) and all(f.ok for f in fixtures)
    return VerificationReport(
        bundle=str(source),
        ok=ok,
        checks=checks,
        fixtures=fixtures,
        coverage=coverage,
        seconds=round(time.perf_counter() - started, 3),
    )


__all__ = ["verify_bundle", "bundle_meta", "package_for"]
