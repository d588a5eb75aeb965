"""Progress of an eval run on stderr: a rich progress bar on a terminal, one line per case elsewhere (CI logs)."""

from __future__ import annotations

import sys
import threading
from types import TracebackType
from typing import Any

from copilot.evals.models import CaseResult
from copilot.evals.spec import Case
from copilot.evals.text import case_mark, case_outcome


class EvalProgress:
    """Callbacks for run_eval. Use as a context manager; `quiet` shows nothing."""

    def __init__(self, total: int, *, quiet: bool = False, force_plain: bool = False) -> None:
        self.total = total
        self.quiet = quiet
        self.done = 0
        self._running: set[str] = set()
        self._lock = threading.Lock()
        self._bar: Any = None
        self._task: Any = None
        self._console: Any = None
        self._plain = force_plain or not sys.stderr.isatty()

    def __enter__(self) -> EvalProgress:
        if self.quiet or self._plain:
            return self
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._console = Console(stderr=True)
        self._bar = Progress(
            TextColumn("[bold]eval[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}", style="dim"),
            console=self._console,
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task("", total=self.total)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def on_start(self, case: Case) -> None:
        """Called from worker threads: only records the case, the main thread draws."""
        with self._lock:
            self._running.add(case.ref)

    def on_finish(self, result: CaseResult) -> None:
        self.done += 1
        with self._lock:
            self._running.discard(result.ref)
        if self.quiet:
            return
        line = f"{case_mark(result)} {result.ref} {case_outcome(result)} ({result.seconds:.1f}s)"
        if result.met is False and result.problems:
            line += f": {result.problems[0]}"
        if self._bar is not None:
            self._bar.console.print(line, markup=False, highlight=False)
            self._bar.update(self._task, completed=self.done)
        else:
            print(f"[{self.done}/{self.total}] {line}", file=sys.stderr, flush=True)

    def on_tick(self) -> None:
        if self._bar is None:
            return
        with self._lock:
            running = sorted(self._running)
        text = ", ".join(running[:2]) + (f" +{len(running) - 2}" if len(running) > 2 else "")
        self._bar.update(self._task, description=text)
