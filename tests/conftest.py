"""Test-wide setup: every test gets its own state dir, and no network-facing env leaks in."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """KPC_HOME points at a fresh folder; provider credentials from the developer's shell are dropped."""
    home = tmp_path_factory.mktemp("kpc-home")
    monkeypatch.setenv("KPC_HOME", str(home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "KPC_PROVIDER", "KPC_MODEL"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def repo() -> Path:
    return REPO
