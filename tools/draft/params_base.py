"""What parameter fillers share: the region of the request they read, their result, the registry."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tools.draft.text import Text

# Words that turn a mention into the thing to forbid ("no localhost profiles", "deny Never").
# Two of them cancel out: "deny pods whose policy is not Always" wants Always.
_NOT = re.compile(r"\b(?:no|not|never|without|nor|isn't|aren't|doesn't|don't|non|nobody|no\s+one|none)\b")
_DENY = re.compile(r"\b(?:deny|denies|forbid\w*|block\w*|disallow\w*|reject\w*|ban\w*|prevent\w*|"
                   r"prohibit\w*|refuse\w*|drop)\b")  # fmt: skip
_BUT = re.compile(r"\b(?:except|unless|other\s+than|apart\s+from|besides)\b")
# Words that make a clause an allow-list ("only ... X", "allow X").
ALLOWING = re.compile(r"\b(?:only|allow\w*|permit\w*|whitelist\w*|allow-?list\w*|approved|restrict\w*\s+to|"
                      r"limited\s+to|may\s+(?:only\s+)?use|can\s+(?:only\s+)?use|must\s+(?:be|use))\b")  # fmt: skip


@dataclass
class Region:
    """The part of the request one exemplar's parameters are read from."""

    text: Text
    start: int
    end: int
    # Where looking back for "no"/"deny" may start: a rule's words cut out of a clause still
    # share its verb ("deny hostPath and nfs volumes").
    lead: int | None = None

    @property
    def low(self) -> str:
        return self.text.low[self.start : self.end]

    @property
    def raw(self) -> str:
        return self.text.raw[self.start : self.end]

    def finditer(self, pattern: str | re.Pattern[str], *, raw: bool = False) -> list[re.Match[str]]:
        """Matches of `pattern` inside the region (offsets are offsets in the whole request)."""
        compiled = re.compile(pattern) if isinstance(pattern, str) else pattern
        source = self.text.raw if raw else self.text.low
        return list(compiled.finditer(source, self.start, self.end))

    def before(self, offset: int, width: int = 40) -> str:
        """The lower-cased text just before `offset`, within the region (or from its lead)."""
        start = self.start if self.lead is None else min(self.lead, self.start)
        return self.text.low[max(start, offset - width) : offset]

    def negated(self, offset: int) -> bool:
        """True when the mention at `offset` sits in a forbidding phrase ("no localhost", "but not X")."""
        window = re.split(r"[,;.]\s", self.before(offset, 80))[-1]
        flips = sum(1 for pattern in (_NOT, _DENY, _BUT) if pattern.search(window))
        return flips % 2 == 1

    def use(self, start: int, end: int) -> None:
        self.text.use(start, end)


@dataclass
class Filled:
    """Parameters read from a request, with assumptions (notes) and what was missing."""

    params: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # For follow-ups: which parameters were left at their default, and which list values the
    # request named to add or to take away ("also allow quay.io", "no longer allow Never").
    defaulted: list[str] = field(default_factory=list)
    wanted: dict[str, list[Any]] = field(default_factory=dict)
    removed: dict[str, list[Any]] = field(default_factory=dict)


Filler = Callable[[Region, dict[str, Any]], Filled]
FILLERS: dict[str, Filler] = {}


def filler(*exemplar_ids: str) -> Callable[[Filler], Filler]:
    """Registers a parameter filler for exemplars."""

    def register(fn: Filler) -> Filler:
        for exemplar_id in exemplar_ids:
            FILLERS[exemplar_id] = fn
        return fn

    return register


def schema_default(meta: dict[str, Any], name: str) -> Any:
    """The default of a parameter in the exemplar's schema (None when it has none)."""
    prop = ((meta.get("parameters") or {}).get("properties") or {}).get(name) or {}
    return prop.get("default")


def mentions(region: Region, names: dict[str, str], pattern: str) -> list[tuple[str, int, int]]:
    """Canonical names found by `pattern` in the region, via `names` (lower-case spelling -> canonical)."""
    found = []
    for match in region.finditer(pattern):
        key = re.sub(r"[\s_/-]", "", match.group(1) if match.groups() else match.group(0))
        if key in names:
            found.append((names[key], match.start(), match.end()))
    return found


_JOINER = re.compile(r"^\s*(?:,|and|or|nor|/|&)?\s*(?:,|and|or|nor)?\s*(?:the\s+)?$")
# What follows a mention can settle it: "Unconfined is not acceptable", "liveness probes are up to
# each team", "NodePort is fine", "Never shouldn't be allowed". Plural "are" covers the whole list
# before it, "is" the last item.
_TAIL = re.compile(
    # "Docker Hub, GHCR, Quay and everything else are out": plain words listed on to the verb.
    r"^[\s\"'`]*(?:(?:,|\band\b|\bor\b)\s*[\w-]+(?:\s+else)?\s*)*"
    r"(?:(?:[\w-]+\s+)?(?:probes?|profiles?|requests?|limits?|volumes?|mounts?|sockets?|types?|capabilit(?:y|ies)|polic(?:y|ies)|"
    r"sysctls?|services?|ports?)\s+)?(?P<verb>is|are|should|must|may|can|shall|will)(?P<neg>n't|\s+not|\s+never)?"
    r"\s+(?:be\s+)?(?:(?:completely|entirely|always|also|ever)\s+)?(?P<word>acceptable|allowed|ok|okay|permitted|"
    r"fine|required|needed|mandatory|necessary|compulsory|used|forbidden|banned|denied|rejected|disallowed|"
    r"prohibited|off\s+limits|out(?!\s+of\b)|optional|up\s+to|(?:each|every|the|a)\s+teams?'?s?\s+(?:call|choice|decision))\b"
)
_NEGATIVE_WORDS = {
    "forbidden",
    "banned",
    "denied",
    "rejected",
    "disallowed",
    "prohibited",
    "out",
    "optional",
    "up to",
}


def tail_polarity(text: str) -> tuple[bool, bool] | None:
    """(negated, whole list) when the words after a mention settle its polarity."""
    match = _TAIL.match(text)
    if not match:
        return None
    word = re.sub(r"\s+", " ", match.group("word"))
    # "each team's call" leaves it to the teams: optional, like "up to".
    negative = (
        word in _NEGATIVE_WORDS or word == "off limits" or word.endswith(("call", "choice", "decision"))
    )
    if match.group("neg"):
        negative = not negative
    # "is" settles only the item it follows; "are" and the modals ("must not be used") the whole list.
    return negative, match.group("verb") != "is"


def split_polarity(region: Region, found: list[tuple[str, int, int]]) -> tuple[list[str], list[str]]:
    """Mentions split into (wanted, forbidden); a list continues the polarity of its first item."""
    runs: list[list[list[Any]]] = []
    for name, start, end in found:
        negated = region.negated(start)
        if runs and _JOINER.match(region.text.low[runs[-1][-1][2] : start]):
            negated = runs[-1][-1][3]
            runs[-1].append([name, start, end, negated])
        else:
            runs.append([[name, start, end, negated]])
        region.use(start, end)
    for run in runs:
        settled = tail_polarity(region.text.low[run[-1][2] : region.end])
        if settled:
            for item in run if settled[1] else run[-1:]:
                item[3] = settled[0]
    wanted = [item[0] for run in runs for item in run if not item[3]]
    forbidden = [item[0] for run in runs for item in run if item[3]]
    return list(dict.fromkeys(wanted)), list(dict.fromkeys(forbidden))
