"""`kpc eval SUITE...`: run eval suites through the agent and score the answers with the real engines."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from copilot.cli.common import echo_json, format_option

EPILOG = """\b
Examples:
  kpc eval evals/suites --jobs 2 --report r.json --markdown r.md
  kpc eval evals/mock --provider mock             # scripted agent-loop scenarios
  kpc eval evals/suites --case 'images/*' --baseline main.json
  kpc eval evals/suites --provider openai --model qwen2.5-coder:14b

\b
Exit status: 0 every case met its expectation (and nothing regressed against
--baseline), 2 some case did not or something regressed, 1 usage error,
130 interrupted (the reports then hold the finished cases, marked partial).
"""


def _writable(path: Path | None, option: str) -> None:
    """Fails before the run, not after it, when a report could not be written."""
    from tools.errors import InputError

    if path is None:
        return
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{option} {path}: folder {folder} does not exist")
    if path.is_dir():
        raise InputError(f"{option} {path} is a folder", hint="give a file name")
    try:  # a read-only folder: better now than after every case has run
        fd, probe = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".probe")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise InputError(f"{option} {path}: cannot write in {folder}: {exc.strerror or exc}") from exc


@click.command(epilog=EPILOG)
@click.argument("suites", nargs=-1, required=True, metavar="SUITE...")
@click.option(
    "--provider", default="offline", show_default=True, help="offline, openai, mock or a plugin provider."
)
@click.option("--model", default=None, help="Model name for the provider (openai: any served model).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 32),
    default=None,
    help="Cases run in parallel threads [default: 2, or 1 on a single core].",
)
@click.option(
    "--case",
    "patterns",
    multiple=True,
    metavar="GLOB",
    help="Only cases whose suite/id or id matches (repeatable).",
)
@click.option(
    "--report", type=click.Path(dir_okay=False, path_type=Path), help="Write the JSON report to FILE."
)
@click.option(
    "--markdown",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a markdown report (PR comment).",
)
@click.option(
    "--baseline",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A previous JSON report: flag regressions (and exit 2 when there are any).",
)
@click.option(
    "--retrieval",
    type=click.Choice(["keyword", "auto", "index"]),
    default="keyword",
    show_default=True,
    help="Exemplar search for the agent; keyword is deterministic and needs no index (auto may build one).",
)
@click.option(
    "--bundles",
    "bundles_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Keep every answer's bundle in DIR/<suite>/<case>/ (failed attempts in <case>.unverified/).",
)
@click.option(
    "--mock-script",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --provider mock: the script (or cassette) for cases that have none of their own.",
)
@format_option("text", "json")
@click.option("--verbose", "-v", is_flag=True, help="Text format: list skipped cases too.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
def eval_cmd(
    suites: tuple[str, ...],
    provider: str,
    model: str | None,
    jobs: int | None,
    patterns: tuple[str, ...],
    report: Path | None,
    markdown: Path | None,
    baseline: Path | None,
    retrieval: str,
    bundles_dir: Path | None,
    mock_script: Path | None,
    fmt: str,
    verbose: bool,
    quiet: bool,
) -> None:
    """Run the eval cases in SUITE... and score every answer on its acceptance manifests.

    SUITE is a suite file or a folder of them (*.yaml). Each request goes through the
    real agent; a verified answer is then judged by gator (Gatekeeper targets) or
    conftest (conftest targets) on manifests the agent never saw. Reported per case
    and in total: answered, declined (expected or not), fully correct, verdict
    accuracy, false denies and false allows, first-round passes, repair rounds, model
    calls, tokens and time. Scripted cases (a mock_script) run only with --provider
    mock, the others only without it. Ctrl-C stops the run and still writes the
    reports, marked partial.
    """
    from copilot.evals.compare import compare, load_report
    from copilot.evals.markdown import render_markdown
    from copilot.evals.progress import EvalProgress
    from copilot.evals.runner import EvalOptions, run_eval, runnable, select
    from copilot.evals.suite import load_suites
    from copilot.evals.text import render_text
    from tools.report.output import write_atomic

    _writable(report, "--report")
    _writable(markdown, "--markdown")
    cases = select(load_suites(list(suites)), patterns)
    old = load_report(baseline) if baseline is not None else None
    if jobs is None:
        # Cases spend most of their time waiting on engine processes, so two overlap well.
        jobs = min(2, os.cpu_count() or 1)
    options = EvalOptions(
        provider=provider.lower(),
        model=model,
        jobs=jobs,
        retrieval=retrieval,
        bundles_dir=bundles_dir,
        mock_script=mock_script,
    )
    with EvalProgress(len(runnable(cases, options.provider, mock_script)), quiet=quiet) as progress:
        run = run_eval(
            cases,
            options,
            suites=list(suites),
            on_start=progress.on_start,
            on_finish=progress.on_finish,
            on_tick=progress.on_tick,
        )
    result = run.report
    if old is not None and baseline is not None:
        result.comparison = compare(result.cases, old, str(baseline))
    if report is not None:
        write_atomic(report, result.model_dump_json(indent=2) + "\n")
    if markdown is not None:
        write_atomic(markdown, render_markdown(result))
    if fmt == "json":
        echo_json(result)
    else:
        click.echo(render_text(result, verbose=verbose), nl=False)
    if run.interrupted:
        written = ", ".join(str(p) for p in (report, markdown) if p is not None)
        note = f"; partial reports written: {written}" if written else ""
        waiting = f"; stopping {len(run.running)} running cases" if run.running else ""
        click.echo(f"kpc: interrupted after {result.totals.cases} cases{note}{waiting}", err=True)
        sys.exit(130)
    sys.exit(0 if result.ok else 2)
