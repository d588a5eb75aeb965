"""The offline drafter: requests -> PolicyDraft built from corpus exemplars, or a clear decline.

`draft_offline` is loaded on first use: many modules import tools.draft.models alone and
should not pay for the drafter's vocabulary and recipes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tools.draft.drafter import draft_offline

__all__ = ["draft_offline"]


def __getattr__(name: str) -> Any:
    if name == "draft_offline":
        from tools.draft.drafter import draft_offline

        return draft_offline
    raise AttributeError(f"module 'tools.draft' has no attribute {name!r}")
