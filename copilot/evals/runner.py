"""Running eval cases, in parallel threads, with an interrupt that keeps what has finished.

    cases = load_suites(["evals/suites"])
    run = run_eval(cases, EvalOptions(provider="offline", jobs=2))
    run.report.totals.accuracy

Thread safety: each case runs the agent on its own event loop with its own in-memory
checkpointer, temp folders and model instance (a fresh provider model, or the case's own
MockModel); engines run as separate processes in private temp dirs; progress callbacks
run in the calling thread (on_start excepted). The shared caches the agent reads
(corpus, engine versions) are read-only once filled, so a concurrent first fill only
computes them twice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fnmatch import fnmatch
from pathlib import Path

from copilot.evals.case import CaseSettings, crashed_result, run_case, skipped_result
from copilot.evals.models import CaseResult, EvalReport
from copilot.evals.spec import Case
from copilot.evals.totals import compute_totals
from copilot.llm.base import ChatModel
from tools.errors import InputError

TICK = 0.2  # seconds between checks for finished cases (and for Ctrl-C) in the main thread


@dataclass
class EvalOptions:
    """How to run: provider and model, parallel jobs, retrieval mode, where to keep bundles."""

    provider: str = "offline"
    model: str | None = None
    jobs: int = 1
    retrieval: str = "keyword"
    bundles_dir: Path | None = None
    mock_script: Path | None = None  # mock: the script for cases that have none of their own


@dataclass
class Planned:
    """A case with its scripted model (mock cases) or the reason it is skipped."""

    case: Case
    scripted: ChatModel | None = None
    skip: str = ""


@dataclass
class EvalRun:
    """The outcome of run_eval: the report, and whether the run was cut short."""

    report: EvalReport
    interrupted: bool = False
    running: list[str] = field(default_factory=list)


def select(cases: list[Case], patterns: tuple[str, ...] | list[str]) -> list[Case]:
    """Cases whose `suite/id` or id matches one of the glob patterns (all cases without patterns)."""
    if not patterns:
        return cases
    chosen = [c for c in cases if any(fnmatch(c.ref, p) or fnmatch(c.id, p) for p in patterns)]
    if not chosen:
        raise InputError(
            f"no case matches {', '.join(patterns)}", hint="patterns match suite/id or id, e.g. 'images/*'"
        )
    return chosen


def _scripted_model(case: Case) -> ChatModel:
    """The case's own MockModel: from a script/cassette file beside the suite, or an inline script."""
    from copilot.llm.mock import MockModel

    script = case.spec.mock_script
    if isinstance(script, str):
        path = (case.base_dir / script).resolve()
        return MockModel.from_file(path)
    if isinstance(script, dict):
        responses = script.get("responses")
        if not isinstance(responses, list):
            raise InputError(f"{case.suite_file}: case {case.id}: mock_script needs a `responses` list")
        return MockModel(
            responses,
            repeat_last=bool(script.get("repeat_last", False)),
            model_id=str(script.get("model") or f"mock:{case.id}"),
            base_dir=case.base_dir,
        )
    return MockModel(script or [], model_id=f"mock:{case.id}", base_dir=case.base_dir)


def runnable(cases: list[Case], provider: str, mock_script: Path | None = None) -> list[Case]:
    """The cases that run under `provider`: scripted cases only with mock, the others only without it.

    With `mock_script`, mock also runs the unscripted cases, each with its own copy of that script.
    """
    if provider == "mock" and mock_script is not None:
        return list(cases)
    return [c for c in cases if (c.spec.mock_script is not None) == (provider == "mock")]


def plan(cases: list[Case], provider: str, mock_script: Path | None = None) -> list[Planned]:
    """Every case, with its scripted model or the reason it is skipped under `provider`."""
    from copilot.llm.mock import MockModel

    chosen = {c.ref for c in runnable(cases, provider, mock_script)}
    planned = []
    for case in cases:
        if case.ref in chosen:
            scripted: ChatModel | None = None
            if case.spec.mock_script is not None:
                scripted = _scripted_model(case)
            elif provider == "mock" and mock_script is not None:
                scripted = MockModel.from_file(mock_script)
            planned.append(Planned(case, scripted=scripted))
        elif provider == "mock":
            planned.append(Planned(case, skip="no mock script; runs with --provider offline or openai"))
        else:
            planned.append(Planned(case, skip="scripted case; runs with --provider mock"))
    if all(p.skip for p in planned):
        raise InputError(
            f"none of the {len(planned)} selected cases runs with --provider {provider}",
            hint="scripted suites (evals/mock) need --provider mock; the others offline, openai, "
            "or mock with --mock-script",
        )
    return planned


def _model_label(options: EvalOptions) -> str:
    """Builds the provider's model once in this thread: config errors surface before any case runs."""
    from copilot.llm.registry import get_model

    if options.provider == "mock":
        return "scripted"
    return get_model(options.provider, model=options.model).model_id


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def run_eval(
    cases: list[Case],
    options: EvalOptions,
    *,
    suites: list[str] | None = None,
    cancel: threading.Event | None = None,
    on_start: Callable[[Case], None] | None = None,
    on_finish: Callable[[CaseResult], None] | None = None,
    on_tick: Callable[[], None] | None = None,
) -> EvalRun:
    """Runs every case and builds the report.

    Ctrl-C (KeyboardInterrupt in the calling thread) or setting `cancel` stops the run:
    cases still running are told to stop and left out, and the report holds the cases
    that finished before, marked partial. Callbacks run in the calling thread, except
    on_start, which runs in the worker that starts the case.
    """
    from copilot import __version__

    model_label = _model_label(options)
    planned = plan(cases, options.provider, options.mock_script)
    cancel = cancel or threading.Event()
    settings = CaseSettings(
        provider=options.provider,
        model=options.model,
        retrieval=options.retrieval,
        bundles_dir=options.bundles_dir,
    )
    started_at, clock = _now(), time.perf_counter()
    order = {p.case.ref: i for i, p in enumerate(planned)}
    results = [skipped_result(p.case, options.provider, p.skip) for p in planned if p.skip]
    running: dict[str, Case] = {}
    lock = threading.Lock()

    def work(item: Planned) -> CaseResult:
        if cancel.is_set():
            return skipped_result(item.case, options.provider, "not started: the run was interrupted")
        with lock:
            running[item.case.ref] = item.case
        if on_start is not None:
            on_start(item.case)
        try:
            return run_case(item.case, settings, scripted=item.scripted, cancel=cancel)
        except Exception as exc:  # one case's crash must not take the finished results with it
            return crashed_result(item.case, options.provider, exc)
        finally:
            with lock:
                running.pop(item.case.ref, None)

    interrupted = False
    pool = ThreadPoolExecutor(max_workers=max(1, options.jobs), thread_name_prefix="kpc-eval")
    try:
        pending: set[Future[CaseResult]] = {pool.submit(work, p) for p in planned if not p.skip}
        while pending and not cancel.is_set():
            done, pending = wait(pending, timeout=TICK, return_when=FIRST_COMPLETED)
            for future in done:
                result = future.result()
                if cancel.is_set() or result.status == "cancelled":
                    continue  # finished during the interrupt: its engines may have been killed too
                results.append(result)
                if on_finish is not None:
                    on_finish(result)
            if on_tick is not None:
                on_tick()
    except KeyboardInterrupt:
        cancel.set()
    finally:
        interrupted = cancel.is_set()
        # An interrupted run does not wait: running cases see `cancel` at their next step and end.
        pool.shutdown(wait=not interrupted, cancel_futures=True)
    with lock:
        still_running = sorted(running)
    results.sort(key=lambda r: order[r.ref])
    totals = compute_totals(results, planned=len(planned), wall_seconds=time.perf_counter() - clock)
    report = EvalReport(
        kpc_version=__version__,
        started_at=started_at,
        finished_at=_now(),
        provider=options.provider,
        model=model_label,
        suites=suites or sorted({str(p.case.suite_file) for p in planned}),
        jobs=options.jobs,
        partial=interrupted,
        totals=totals,
        cases=results,
    )
    return EvalRun(report=report, interrupted=interrupted, running=still_running)
