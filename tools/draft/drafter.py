"""draft_offline: a request (and the previous draft, for follow-ups) -> a verified-to-be draft or a decline."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from tools.corpus.load import POLICIES_DIR, Exemplar, load_corpus
from tools.draft.build import build_draft
from tools.draft.declines import reason
from tools.draft.models import DraftOutcome, PolicyDraft
from tools.draft.refine import refine
from tools.draft.understand import understand

Target = Literal["gatekeeper", "conftest", "both"]


def _stamp(root: Path) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in root.glob("*/*/*.rego")) +
                 sorted((str(p), p.stat().st_mtime_ns) for p in root.glob("*/*/meta.yaml")))  # fmt: skip


@lru_cache(maxsize=4)
def _corpus(stamp: tuple[tuple[str, int], ...], root: str) -> dict[str, Exemplar]:
    return {e.id: e for e in load_corpus(Path(root))}


def corpus(root: Path = POLICIES_DIR) -> dict[str, Exemplar]:
    """The exemplars by id, re-read when a policy file changes (the corpus grows while people work)."""
    return _corpus(_stamp(root), str(root))


def draft_offline(
    request: str, *, target: Target = "both", previous: PolicyDraft | None = None
) -> DraftOutcome:
    """Draft a policy for `request` from the exemplar corpus, with no LLM and no network.

    Maps the request to one to three exemplars, fills their parameters, namespace and kind
    match and enforcement from the text, and builds Rego, tests and fixtures that reflect
    the request. With `previous`, the request is a follow-up ("also exempt monitoring",
    "make it a warning") applied to that draft; the policy id stays. Declines, with the
    reason and a hint, whenever the request asks for something the exemplars cannot express.
    """
    exemplars = corpus()
    metas = {i: e.meta for i, e in exemplars.items()}
    understood = refine(request, previous, metas) if previous is not None else understand(request, metas)
    plan = understood.plan
    if plan is None:
        return DraftOutcome(status="declined", reason=understood.decline, confidence=understood.confidence)
    plan.target = target
    kinds_taken = {str(e.meta.get("kind")) for e in exemplars.values()}
    draft, problems = build_draft(plan, exemplars, kinds_taken, previous.policy_id if previous else None)
    if draft is None:
        return DraftOutcome(
            status="declined", reason=reason(problems[0]), confidence=min(plan.confidence, 0.3)
        )
    return DraftOutcome(status="drafted", draft=draft, confidence=plan.confidence)
