"""Guards for the architecture rules: layering, lazy heavy imports, lint/type cleanliness, generated docs."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "sentence_transformers", "chromadb", "langgraph", "textual", "openai", "transformers")


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(module, line, at_module_level) for every import in a file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno, id(node) in top_level))
    return found


def test_tools_never_import_copilot() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{line}"
        for path in (REPO / "tools").rglob("*.py")
        for module, line, _ in _imports(path)
        if module == "copilot" or module.startswith("copilot.")
    ]
    assert offenders == []


def test_heavy_libraries_are_imported_lazily() -> None:
    """A module-level import of a heavy library would slow every `kpc` command that touches the module."""
    offenders = [
        f"{path.relative_to(REPO)}:{line} imports {module}"
        for folder in ("tools", "copilot")
        for path in (REPO / folder).rglob("*.py")
        for module, line, top in _imports(path)
        if top and module.split(".")[0] in HEAVY and "/tui/" not in str(path)
    ]
    assert offenders == []


@pytest.mark.parametrize("command", ["scan", "lint", "verify", "extract", "explain", "doctor"])
def test_fast_commands_do_not_load_heavy_libraries(command: str) -> None:
    code = (
        "import sys, importlib\n"
        "from copilot.cli import COMMANDS\n"
        f"module, _ = COMMANDS[{command!r}][0].split(':')\n"
        "importlib.import_module(module)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "copilot", "tools", "tests", "bench"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_mypy_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout[-3000:]


def test_cli_reference_is_fresh() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "copilot.cli.docs", "--check"], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
