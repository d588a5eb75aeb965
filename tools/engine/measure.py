"""Timing a command and its peak memory, for benchmarks that set kpc beside the raw engines."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tools.engine.binaries import tool_path


@dataclass
class Measured:
    """One finished command: exit code, wall time, peak resident memory and what it printed."""

    argv: list[str]
    returncode: int
    seconds: float
    cpu_seconds: float  # user + system time of the process and its waited-for descendants
    peak_rss_mb: float
    stdout: bytes
    stderr: bytes


def measure(argv: Sequence[str], *, timeout: float = 900.0, cwd: Path | None = None) -> Measured:
    """Runs `argv` to completion and reports its wall time, CPU time and peak RSS.

    Both come from wait4's rusage, which on Linux covers the process and every
    descendant it waited for: for `kpc scan`, Python and gator together (CPU time is
    their sum, the peak the larger of the two). CPU time is the steadier number on a
    busy machine.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd
    )
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    # Drain both pipes in threads: a child blocked on a full pipe would never exit.
    chunks: dict[str, bytes] = {}

    def drain(name: str) -> None:
        stream = proc.stdout if name == "out" else proc.stderr
        assert stream is not None
        chunks[name] = stream.read()

    readers = [threading.Thread(target=drain, args=(n,)) for n in ("out", "err")]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    _, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measured(
        argv=list(argv),
        returncode=proc.returncode,
        seconds=time.perf_counter() - started,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,  # Linux reports kilobytes
        stdout=chunks.get("out", b""),
        stderr=chunks.get("err", b""),
    )


def gator_test_argv(files: Sequence[str | Path]) -> list[str]:
    """The plain `gator test -o json -f ...` command a user would type, for side-by-side runs."""
    argv = [str(tool_path("gator")), "test", "-o", "json"]
    for path in files:
        argv += ["-f", str(path)]
    return argv
