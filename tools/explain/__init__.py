"""Why a manifest is denied: the policy, the message, the offending field, and the smallest fix, re-verified."""

from tools.explain.models import (
    ExplainedViolation,
    ExplainSummary,
    Explanation,
    FieldChange,
    Fix,
    ObjectExplanation,
    Reverification,
)
from tools.explain.run import explain, load_manifest

__all__ = [
    "ExplainSummary",
    "ExplainedViolation",
    "Explanation",
    "FieldChange",
    "Fix",
    "ObjectExplanation",
    "Reverification",
    "explain",
    "load_manifest",
]
