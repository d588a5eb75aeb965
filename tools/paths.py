"""Where Kube PAC Copilot keeps state (index, conversations, caches) on this machine."""

from __future__ import annotations

import os
from pathlib import Path


def state_dir() -> Path:
    """$KPC_HOME if set, else $XDG_STATE_HOME/kpc, else ~/.local/state/kpc. Created on demand."""
    env = os.environ.get("KPC_HOME")
    if env:
        base = Path(env)
    else:
        xdg = os.environ.get("XDG_STATE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".local" / "state") / "kpc"
    base.mkdir(parents=True, exist_ok=True)
    return base


def cache_dir() -> Path:
    """A sub-folder of the state dir for derived, rebuildable files."""
    path = state_dir() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path
