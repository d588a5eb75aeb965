"""Writing an AgentResult to disk: a verified bundle to OUT, a failed best attempt to OUT.unverified/.

Only a verified result (green report) is ever written to OUT. A best attempt goes to a
sibling folder whose name and UNVERIFIED.md say what it is; it is replaced on each run.
Both writes are atomic (tools.bundle_writer): no half-written folder is left behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from copilot.agent.state import AgentResult
from tools.errors import InputError

UNVERIFIED_SUFFIX = ".unverified"


def unverified_dir(out_dir: Path) -> Path:
    return out_dir.with_name(out_dir.name + UNVERIFIED_SUFFIX)


def check_out_dir(out_dir: Path, *, overwrite: bool) -> None:
    """Fails early (before any model call) when OUT holds files and --overwrite was not given."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir} exists and is not a folder", hint="choose another --out")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not overwrite:
        raise InputError(
            f"{out_dir} exists and is not empty", hint="pass --overwrite or choose another --out"
        )
    _check_writable(out_dir)


def _check_writable(out_dir: Path) -> None:
    """Probes the folder the bundle's staging copy will go in, so a read-only --out fails
    before the draft and verification rounds rather than after them."""
    base = out_dir.absolute().parent
    while not base.exists() and base != base.parent:
        base = base.parent
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".kpc-probe-", dir=base))
    except OSError as exc:
        raise InputError(
            f"cannot write {out_dir}: {exc.strerror or exc}", hint="choose a writable --out folder"
        ) from exc


def _note(result: AgentResult) -> str:
    assert result.report is not None
    return (
        "# NOT VERIFIED: do not apply\n\n"
        f"This is the best attempt for: {result.request}\n\n"
        f"It failed verification: {result.report.summary()}\n\n"
        f"{result.reason}\n\n"
        "What failed:\n\n```\n" + (result.report.failure_text(limit=20) or "(no detail)") + "\n```\n\n"
        "report.json holds the full verification report.\n"
    )


def write_result(result: AgentResult, out_dir: Path, *, overwrite: bool = False) -> AgentResult:
    """Writes the result's bundle; returns the result with bundle_dir / unverified_dir filled in."""
    from tools.bundle_writer import write_bundle

    out_dir = Path(out_dir)
    if result.draft is None or result.report is None:
        return result
    if result.verified:
        report = result.report.model_copy(update={"bundle": str(out_dir)})
        write_bundle(result.draft, out_dir, overwrite=overwrite, report=report)
        shutil.rmtree(unverified_dir(out_dir), ignore_errors=True)  # a stale failure would mislead
        return result.model_copy(update={"bundle_dir": str(out_dir), "report": report})
    if result.status != "not_verified":
        return result
    target = unverified_dir(out_dir)
    report = result.report.model_copy(update={"bundle": str(target)})
    write_bundle(result.draft, target, overwrite=True, report=report)
    fd, tmp = tempfile.mkstemp(dir=target, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        fh.write(_note(result.model_copy(update={"report": report})))
    os.replace(tmp, target / "UNVERIFIED.md")
    return result.model_copy(update={"unverified_dir": str(target), "report": report})
