"""Fix strategies keyed by the corpus policy id they fix (docs/fixes.md lists them).

A strategy is a function FixContext -> Proposal that edits the context's private copy of
the object; the changes are read off that copy afterwards, so a strategy never has to
describe its own diff. Policies without a strategy get "no automatic fix".
"""

from __future__ import annotations

import copy

from tools.explain.fixes import (  # noqa: F401  (importing registers the strategies)
    capabilities,
    host,
    images,
    metadata,
    networking,
    profiles,
    resources,
    security,
    workloads,
)
from tools.explain.fixes.base import REGISTRY, FixContext, Proposal, generic_field, manual


def strategy_ids() -> list[str]:
    """The policy ids that have a fix strategy, sorted."""
    return sorted(REGISTRY)


def propose(ctx: FixContext) -> Proposal:
    """Runs the strategy for ctx.policy_id on ctx.obj; without one, a 'no automatic fix' proposal.

    A strategy that trips over an unexpected shape (a string where a list belongs) leaves
    the object exactly as it was and becomes a manual proposal.
    """
    func = REGISTRY.get(ctx.policy_id or "")
    if func is None:
        return manual(
            "no automatic fix for this policy",
            generic_field(ctx.details),
            "see the policy message",
        )
    saved = copy.deepcopy(ctx.obj)
    try:
        return func(ctx)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        ctx.obj.clear()
        ctx.obj.update(saved)
        return manual(
            "no automatic fix: the object is not shaped as this fix expects",
            generic_field(ctx.details),
            "see the policy message",
        )


__all__ = ["REGISTRY", "FixContext", "Proposal", "propose", "strategy_ids"]
