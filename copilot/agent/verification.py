"""One verification round of a draft: bundle in a scratch folder, the real engines, then the fixture checks.

The returned VerificationReport is the gate's evidence. Its `ok` is true only when every
engine check passed, every fixture got its verdict, the fixture check passed (valid
Kubernetes objects, both verdicts present) and the mutation check passed. Generated Rego
runs only here, through tools.verify and tools.engine, in their sandbox.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from copilot.agent.mutation import mutation_check
from tools.draft.models import PolicyDraft
from tools.errors import EngineMissing, KpcError
from tools.models import Finding
from tools.verify.models import CheckOutcome, VerificationReport


def verify_draft(
    draft: PolicyDraft,
    fixture_check: CheckOutcome,
    workdir: Path,
    *,
    coverage_threshold: float = 90.0,
    progress: Callable[[str], None] | None = None,
) -> VerificationReport:
    """Verifies `draft` (whose fixtures are the valid ones) in `workdir`; never raises for a bad draft."""
    from tools.bundle_writer import write_bundle
    from tools.verify import verify_bundle

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The contrast check needs only the draft, so it runs beside the engines; its
        # verdict counts only when they pass.
        contrast = pool.submit(_timed_mutation, draft, workdir / "mutants") if fixture_check.ok else None
        if contrast is not None and progress:
            progress("mutation check")
        try:
            bundle = write_bundle(draft, workdir / "bundle", overwrite=True)
            report = verify_bundle(bundle, coverage_threshold=coverage_threshold, progress=progress)
        except EngineMissing:
            raise  # an environment problem, not something the model can repair
        except KpcError as exc:
            failed = CheckOutcome(
                name="bundle",
                ok=False,
                summary=f"the draft cannot be built into a bundle: {exc}",
                findings=[Finding(id="bundle/error", message=str(exc), tool="kpc")],
            )
            return VerificationReport(
                bundle=str(workdir / "bundle"),
                ok=False,
                checks=[fixture_check, failed],
                seconds=round(time.perf_counter() - started, 3),
            )
        checks = [fixture_check, *report.checks]
        if report.ok and contrast is not None:
            mutation = contrast.result()
        else:
            mutation = CheckOutcome(
                name="mutation", ok=False, skipped=True, summary="skipped: the policy or its fixtures fail"
            )
    checks.append(mutation)
    ok = report.ok and fixture_check.ok and mutation.ok and not mutation.skipped
    return report.model_copy(
        update={"ok": ok, "checks": checks, "seconds": round(time.perf_counter() - started, 3)}
    )


def _timed_mutation(draft: PolicyDraft, workdir: Path) -> CheckOutcome:
    started = time.perf_counter()
    try:
        mutation = mutation_check(draft, workdir)
    except KpcError as exc:
        mutation = CheckOutcome(name="mutation", ok=False, summary=f"mutation check could not run: {exc}")
    mutation.seconds = round(time.perf_counter() - started, 3)
    return mutation


def score(report: VerificationReport) -> tuple[int, int, int]:
    """How close a failed attempt came: (green, fixtures right, checks passed). Higher is better."""
    return (
        int(report.ok),
        sum(1 for f in report.fixtures if f.ok),
        sum(1 for c in report.checks if c.ok),
    )
