"""verify_bundle: opa check --strict, opa fmt, regal lint, opa test + coverage, gator verify, conftest verify."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tools.bundle import (
    bundle_lib_dir,
    generated_files,
    lib_files,
    load_yaml_file,
    package_for,
    read_source,
    rego_package,
    sample_dirs,
)
from tools.engine.opa import opa_format
from tools.errors import InputError
from tools.verify.fixtures import (
    ManifestFixture,
    collect,
    conventional_paths,
    unit_test_module,
    write_samples,
)
from tools.verify.models import CheckOutcome, FixtureVerdict, VerificationReport
from tools.verify.steps import (
    Files,
    check_step,
    conftest_step,
    fmt_step,
    gator_step,
    opa_test_step,
    regal_step,
)

DEFAULT_COVERAGE = 90.0
Progress = Callable[[str], None]


def _workers() -> int:
    """Engine runs side by side: one per core, at most the four independent steps."""
    return max(2, min(4, os.cpu_count() or 2))


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
    else:
        # No template: the kind the user's constraints name is the kind to generate.
        constraints = [bundle / "constraint.yaml", *(d / "constraint.yaml" for d in sample_dirs(bundle))]
        for path in (p for p in constraints if p.is_file()):
            constraint = load_yaml_file(path)
            if isinstance(constraint, dict) and isinstance(constraint.get("kind"), str):
                meta["kind"] = constraint["kind"]
                parameters = (constraint.get("spec") or {}).get("parameters")
                if isinstance(parameters, dict):
                    meta["parameters"] = _schema_of(parameters)
                break
    return meta


def _schema_of(value: Any) -> dict[str, Any]:
    """A schema that admits `value`, for a generated template (gator rejects undeclared parameters)."""
    if isinstance(value, dict):
        return {"type": "object", "properties": {str(k): _schema_of(v) for k, v in value.items()}}
    if isinstance(value, list):
        return {"type": "array", "items": _schema_of(value[0]) if value else {}}
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, float):
        return {"type": "number"}
    return {"type": "string"}


def _prepare(source: Path, work: Path, fixtures: list[ManifestFixture]) -> dict[str, str]:
    """Copies the bundle into `work`, adds the given fixtures, and generates the files it lacks.

    Returns where each sample written from a given fixture came from (sample path -> file:line).
    """
    shutil.copytree(
        source, work, dirs_exist_ok=True, ignore=shutil.ignore_patterns("report.json", "__pycache__")
    )
    if not (work / "lib").is_dir() and (source / "lib").is_dir():
        shutil.copytree(source / "lib", work / "lib")
    meta = bundle_meta(work)
    meta.setdefault("id", source.name)
    origins: dict[str, str] = {}
    if fixtures:
        name = re.sub(r"[^a-z0-9]+", "-", str(meta["id"]).lower()).strip("-") or "policy"
        constraint, origins = write_samples(work, str(meta["kind"]), name, fixtures)
        (work / "suite.yaml").unlink(missing_ok=True)  # regenerated over every sample folder
        if not (work / "src_test.rego").is_file():
            package = rego_package(read_source(work / "src.rego"))
            (work / "src_test.rego").write_text(opa_format(unit_test_module(package, constraint, fixtures)))
    for rel, content in generated_files(work, meta, bundle_lib_dir(source)).items():
        target = work / rel
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(opa_format(content) if rel.endswith(".rego") else content)
    return origins


def verify_bundle(
    path: str | Path,
    *,
    coverage_threshold: float = DEFAULT_COVERAGE,
    progress: Progress | None = None,
    allow: list[Path] | None = None,
    deny: list[Path] | None = None,
) -> VerificationReport:
    """Verify a policy bundle (a folder as `kpc ask` writes it, or src.rego + samples/) with the real engines.

    Runs opa check --strict, opa fmt, regal lint, opa test with coverage, gator verify
    over the samples and, when present, conftest verify. The report's `ok` is true only
    when every check passed and every fixture got its expected verdict. Manifests in the
    bundle's fixtures/deny and fixtures/allow folders, and in `deny`/`allow`, are fixtures
    too (tools.verify.fixtures); without a src_test.rego, tests are generated from them.
    """
    source = Path(path)
    if not (source / "src.rego").is_file():
        raise InputError(
            f"{source} has no src.rego",
            hint="point at a bundle folder written by `kpc ask` or a corpus policy",
        )
    read_source(source / "src.rego")  # unreadable or non-UTF-8 Rego is bad input, not a failed check
    conventional = conventional_paths(source)
    given = collect([*conventional["allow"], *(allow or [])], [*conventional["deny"], *(deny or [])])
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    checks: list[CheckOutcome] = []
    fixtures: list[FixtureVerdict] = []
    coverage = None
    with tempfile.TemporaryDirectory(prefix="kpc-verify-") as tmp:
        work = Path(tmp) / source.name
        try:
            origins = _prepare(source, work, given)
        except InputError as exc:  # a malformed bundle is a verification failure; a missing engine is not
            checks.append(CheckOutcome(name="bundle", ok=False, summary=str(exc)))
            return VerificationReport(bundle=str(source), ok=False, checks=checks)
        src_text = read_source(work / "src.rego")
        libs = [p for p in lib_files(src_text, bundle_lib_dir(work)) if not p.name.endswith("_test.rego")]
        own = [p for p in (work / "src.rego", work / "src_test.rego") if p.is_file()]
        rego = [*own, *libs]
        rel = [str(p.relative_to(work)) if p.is_relative_to(work) else str(p) for p in rego]

        files = Files(work=work, own=own, rel=rel)
        say("opa check --strict, opa fmt, regal lint")
        with ThreadPoolExecutor(max_workers=_workers()) as pool:
            # Regal parses on its own and takes longest (its rules compile at start-up), so
            # it starts at once; its result counts only when the policy compiles.
            lint_future = pool.submit(regal_step, files)
            fmt_future = pool.submit(fmt_step, files)
            check, compiled = check_step(files)
            checks += [check, fmt_future.result()]
            if not compiled.ok:
                for name in ("regal", "opa-test", "coverage", "template", "gator-verify"):
                    checks.append(
                        CheckOutcome(
                            name=name, ok=False, skipped=True, summary="skipped: the policy does not compile"
                        )
                    )
                return VerificationReport(
                    bundle=str(source),
                    ok=False,
                    checks=checks,
                    seconds=round(time.perf_counter() - started, 3),
                )
            conftest = (work / "conftest" / "policy" / "main.rego").is_file()
            say("opa test, gator verify" + (", conftest verify" if conftest else ""))
            # Independent engine runs over read-only files: side by side, reported in a fixed order.
            test_future = pool.submit(opa_test_step, files, coverage_threshold)
            conftest_future = pool.submit(conftest_step, work) if conftest else None
            gator = gator_step(work)
            tested = test_future.result()
            checks += [lint_future.result(), tested.test, tested.coverage_check, gator.template, gator.gator]
            if conftest_future is not None:
                checks.append(conftest_future.result())
            coverage, fixtures = tested.coverage, gator.fixtures
            for verdict in fixtures:  # name a given fixture by where the user wrote it
                verdict.file = origins.get(verdict.file, verdict.file)
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
