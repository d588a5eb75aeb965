"""Classifying a request: a new policy, a refinement of the last one, explaining a denial, or a scan.

Deterministic on purpose: the choice decides which tools run, and it must behave the
same with every provider (including none). It leans towards "new": drafting a policy is
the copilot's main job, and a verified policy is never the wrong answer to a policy
request, while a misread scan request just gets a pointer to `kpc scan`.
"""

from __future__ import annotations

import re
from typing import Literal

Intent = Literal["new", "refine", "explain", "scan"]

# Openings that continue the previous request rather than state a new one.
_REFINE_START = re.compile(
    r"^\s*(also|and|but|plus|now|then|instead|actually|additionally|except|exempt|exclude|include|"
    r"make\s+(it|that|this|them)|change|switch|turn\s+(it|that)|rename|relax|tighten|loosen|drop|"
    r"remove|add|allow\s+(it|that|them)|same\s+(policy|thing|rule)|do\s+the\s+same|apply\s+(it|that)|"
    r"use\s+(warn|dryrun|deny)|let\s+(it|that))\b",
    re.IGNORECASE,
)
_REFINE_ANYWHERE = re.compile(
    r"\b(the\s+(last|previous|same|above|current|existing)\s+(policy|rule|one|constraint)|"
    r"(that|this|the)\s+policy|as\s+well|too\s*$|make\s+it\s+an?\s+\w+|into\s+an?\s+warning|"
    r"instead\s+of\s+denying)",
    re.IGNORECASE,
)
# Openings that start a policy of their own.
_NEW_POLICY_START = re.compile(
    r"^\s*(please\s+)?(deny|block|forbid|disallow|prevent|reject|require|enforce|write|create|draft|"
    r"generate|make\s+a|i\s+(want|need)|ensure|only\s+allow|no\s+\w+|all\s+\w+|every\s+\w+)\b",
    re.IGNORECASE,
)
_EXPLAIN = re.compile(
    r"^\s*(why\b|explain\b|what('s|\s+is)\s+wrong\s+with\b|how\s+(do|can)\s+i\s+fix\b)"
    r"|\bwhy\s+(is|was|does|did|are|were)\b.*\b(denied|rejected|blocked|fail|failing|violat\w*|refused)\b",
    re.IGNORECASE,
)
_SCAN = re.compile(
    r"^\s*(scan|audit)\b|\bwhich\s+(of\s+(my|the|these)\s+)?(manifests|objects|workloads|files)\b"
    r"\s+(violate|break|fail|are\s+denied)",
    re.IGNORECASE,
)


def classify(request: str, *, has_previous: bool) -> Intent:
    """The intent of `request`; "refine" only when there is a previous policy in the conversation."""
    text = request.strip()
    if _EXPLAIN.search(text):
        return "explain"
    if _SCAN.search(text):
        return "scan"
    if has_previous:
        if _REFINE_START.search(text) or _REFINE_ANYWHERE.search(text):
            return "refine"
        if not _NEW_POLICY_START.search(text) and len(text.split()) <= 8:
            # Short follow-ups ("kube-system too", "warn only") continue the conversation.
            return "refine"
    return "new"
