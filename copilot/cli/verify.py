"""`kpc verify DIR`: the verification report of a policy bundle."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from copilot.cli.common import echo_json, format_option

if TYPE_CHECKING:  # the report model pulls in the whole verify package; --help should not pay for it
    from tools.verify.models import VerificationReport


def render_report_text(report: VerificationReport) -> str:
    """A terminal rendering of a VerificationReport: one line per check, then wrong fixtures."""
    lines = [report.summary()]
    for check in report.checks:
        mark = "skip" if check.skipped else ("ok  " if check.ok else "FAIL")
        lines.append(f"  {mark} {check.name:<16} {check.summary} ({check.seconds:.2f}s)")
        if not check.ok and not check.skipped:
            lines += [f"         {f.location()}: {f.message}" for f in check.findings[:10]]
    for fixture in report.fixtures:
        mark = "ok  " if fixture.ok else "FAIL"
        lines.append(f"  {mark} fixture {fixture.file}: expected {fixture.expected}, got {fixture.actual}")
    return "\n".join(lines)


@click.command()
@click.argument("bundle", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--coverage",
    "threshold",
    type=click.FloatRange(0, 100),
    default=90.0,
    show_default=True,
    help="Minimum line coverage of src.rego by its tests.",
)
@click.option(
    "--deny",
    "deny",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Manifest file or folder the policy must deny (repeatable); adds to BUNDLE/fixtures/deny.",
)
@click.option(
    "--allow",
    "allow",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Manifest file or folder the policy must admit (repeatable); adds to BUNDLE/fixtures/allow.",
)
@format_option("text", "json")
def verify(bundle: Path, threshold: float, deny: tuple[Path, ...], allow: tuple[Path, ...], fmt: str) -> None:
    """Verify the policy bundle in BUNDLE (src.rego, src_test.rego, samples/, optional template and conftest).

    Runs opa check --strict, opa fmt, regal lint, opa test with coverage, gator verify
    over the samples and conftest verify. Exit 0 when verified, 2 when not.

    A folder with just src.rego works too: put manifests the policy must deny in
    BUNDLE/fixtures/deny/ and ones it must admit in BUNDLE/fixtures/allow/ (or pass
    --deny/--allow). They are checked with gator under BUNDLE/constraint.yaml when
    there is one (else a constraint matching their kinds), and when there is no
    src_test.rego, unit tests are generated from them.

    \b
    Examples:
      kpc verify out/deny-privileged                 # a folder written by `kpc ask`
      kpc verify my-policy --deny bad.yaml --allow good.yaml
    """
    from tools.verify import verify_bundle

    progress = None if fmt == "json" else (lambda msg: click.echo(f"… {msg}", err=True))
    report = verify_bundle(
        bundle, coverage_threshold=threshold, progress=progress, allow=list(allow), deny=list(deny)
    )
    if fmt == "json":
        echo_json(report)
    else:
        click.echo(render_report_text(report))
    sys.exit(0 if report.ok else 2)
