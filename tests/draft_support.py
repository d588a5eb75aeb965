"""Shared helper for drafter tests: the real gator verdict of a draft on some objects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from copilot.evals.scorer import score_bundle
from copilot.evals.spec import Check
from tools.bundle_writer import write_bundle
from tools.draft.models import PolicyDraft


def verdicts(draft: PolicyDraft, tmp_path: Path, objects: list[dict[str, Any]]) -> dict[str, str]:
    """object name -> "deny"/"allow"/..., as gator decides for the draft's bundle."""
    bundle = write_bundle(draft, tmp_path / draft.policy_id)
    checks = [
        Check(
            name=o["metadata"]["name"],
            expected="allow",
            object=o,
            kind=o["kind"],
            namespace=o["metadata"].get("namespace", ""),
            object_name=o["metadata"]["name"],
        )
        for o in objects
    ]
    return {v.name: v.actual for v in score_bundle(bundle, checks)}
