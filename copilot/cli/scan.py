"""`kpc scan PATH...`: every object's verdict under Gatekeeper policies, for terminals and CI."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from copilot.cli.common import format_option, policies_option

EPILOG = """\b
Examples:
  kpc scan k8s/                                  # the corpus policies, text report
  kpc scan k8s/ --policies policy/ --format sarif --output kpc.sarif
  kpc scan 'deploy/**/*.yaml' --format markdown > comment.md
  helm template chart/ | kpc scan -             # rendered manifests on stdin

\b
Exit status: 0 no object denied, 2 some object denied (or warned, with
--fail-on warn), 1 bad input (missing path, unreadable or invalid YAML, bad policies).
"""


@click.command(epilog=EPILOG)
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@policies_option
@format_option("text", "json", "sarif", "markdown")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to FILE (atomically) instead of stdout.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["deny", "warn", "none"]),
    default="deny",
    show_default=True,
    help="Lowest verdict that makes the exit status 2 (none: report only).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 32),
    default=1,
    show_default=True,
    help="Parallel gator runs for large inputs (default: one run for all objects).",
)
@click.option("--verbose", "-v", is_flag=True, help="Text format: list allowed objects too.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or notes on stderr.")
def scan(
    paths: tuple[str, ...],
    policy_paths: tuple[str, ...],
    fmt: str,
    output: Path | None,
    fail_on: str,
    jobs: int,
    verbose: bool,
    quiet: bool,
) -> None:
    """Evaluate the Kubernetes objects in PATH... against Gatekeeper policies.

    PATH is a file, a folder (searched recursively for *.yaml, *.yml, *.json), a glob
    or - for stdin. Multi-document YAML, JSON and `kind: List` are read; Helm
    templates, invalid YAML and non-Kubernetes documents are reported and skipped.
    Verdicts are gator's: each constraint's match (kinds, namespaces, label and
    namespace selectors) and enforcementAction (deny, warn, dryrun). Every object gets
    deny, warn or allow, with the policy, the message and its file:line.
    """
    from tools.errors import InputError
    from tools.report import render, render_notes, render_text, summary_line
    from tools.report.output import write_atomic
    from tools.scan import scan as run_scan

    stdin_text = sys.stdin.read() if "-" in paths else None
    progress = None if quiet else (lambda msg: click.echo(f"… {msg}", err=True))
    report = run_scan(
        list(paths),
        policies=list(policy_paths) or None,
        stdin_text=stdin_text,
        jobs=jobs,
        progress=progress,
    )
    text = render_text(report, verbose=verbose) + "\n" if fmt == "text" else render(report, fmt)
    if output is not None:
        write_atomic(output, text)
        if not quiet:
            click.echo(f"wrote {output}: {summary_line(report.summary)}", err=True)
    else:
        click.echo(text, nl=False)
    if not quiet and fmt != "text":
        shown = [n for n in report.notes if n.level != "info"]
        if shown:
            click.echo(render_notes(shown), err=True)
    if not quiet and not report.results and not report.input_errors:
        click.echo("kpc: no Kubernetes objects found in the given paths", err=True)
    s = report.summary
    failing = {"deny": s.denied, "warn": s.denied + s.warned, "none": 0}[fail_on]
    if failing:
        sys.exit(2)
    if report.input_errors:
        count = len(report.input_errors)
        raise InputError(
            f"{count} input{'s' if count > 1 else ''} could not be scanned "
            f"(first: {report.input_errors[0].location()}: {report.input_errors[0].message})"
        )
