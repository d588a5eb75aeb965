"""Fixers: make an object comply with a draft's exemplars (registry in fixer_base.py, fixers in fixers_*.py)."""

from __future__ import annotations

# The fixer modules register themselves on import.
from tools.draft import fixers_images, fixers_objects, fixers_pods  # noqa: F401
from tools.draft.fixer_base import FIXERS, apply_fixers
from tools.draft.fixers_images import DIGEST, on_registry
from tools.draft.fixers_objects import matching_value
from tools.draft.fixers_pods import host_path_blocked, seccomp_profile

__all__ = [
    "DIGEST",
    "FIXERS",
    "apply_fixers",
    "host_path_blocked",
    "matching_value",
    "on_registry",
    "seccomp_profile",
]
