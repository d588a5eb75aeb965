"""Waiting for an app's background work to end (screenshot export and tests)."""

from __future__ import annotations

import contextlib
from typing import Any

from textual.app import App
from textual.worker import WorkerCancelled


async def wait_for_workers(app: App[Any], rounds: int = 100) -> None:
    """Waits until no worker is running.

    Workers in an exclusive group cancel the one they replace, so a cancelled
    worker is normal here: only the survivors are waited for. Workers started
    by a finishing worker are picked up by the next round.
    """
    for _ in range(rounds):
        running = [worker for worker in app.workers if not worker.is_finished]
        if not running:
            return
        for worker in running:
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
