"""Scoring a request against the exemplars: concept patterns first, meta phrasings as support.

All weights live here. A concept pattern's weight is how surely its phrase names the
exemplar; the exemplar's own phrasings, title and tags add a bounded bonus for word
overlap. An exemplar is drafted when its score reaches SELECT; with no concept phrase
at all it needs a near-verbatim phrasing to get there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from tools.draft.text import Text
from tools.draft.vocabulary import BY_ID, CONCEPTS

SELECT = 0.8  # minimum score for an exemplar to be drafted
PHRASING_BONUS = 0.3  # scale of the best phrasing overlap added to a concept score
EXTRA_HIT_BONUS = 0.05  # each further distinct phrase naming the same exemplar
NO_CONCEPT_SCALE = 0.85  # score of an exemplar named only through its meta phrasings
MAX_PARTS = 3  # exemplars one draft may compose

# Words that say a seccomp request is about requiring a profile, not only forbidding Unconfined.
_SECCOMP_REQUIRE = re.compile(
    r"\b(?:require\w*|mandatory|must\s+(?:set|have|use|define|declare)|missing|needs?\s+(?:a\s+)?seccomp|"
    r"(?:no|without\s+a)\s+seccomp\s+profile|(?:needs?\s+to|has\s+to|have\s+to)\s+(?:set|declare)\s+(?:a\s+)?seccomp)\b"
)
_STEM = re.compile(r"(?:ies|es|s|ing|ed)$")


@dataclass
class Hit:
    """One concept phrase found in the request."""

    exemplar_id: str
    start: int
    end: int
    weight: float


@dataclass
class Scored:
    """An exemplar's score for a request and the phrases that earned it."""

    exemplar_id: str
    score: float
    hits: list[Hit] = field(default_factory=list)
    phrasing: float = 0.0

    @property
    def first(self) -> int:
        return min((h.start for h in self.hits), default=0)


def _stem(word: str) -> str:
    return _STEM.sub("", word) if len(word) > 4 else word


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in Text(text).content_words())


def concept_hits(text: Text, skip: list[tuple[int, int]] | None = None) -> list[Hit]:
    """Concept phrases in the request; overlapping ones resolved by weight, then length.

    Phrases inside `skip` spans (the tails of "unless"/"if" conditions) are left out.
    """
    found: list[Hit] = []
    for concept in CONCEPTS:
        if concept.context and not re.search(concept.context, text.low):
            continue
        for pattern, weight in concept.patterns:
            for match in re.finditer(pattern, text.low):
                inside = any(s <= match.start() < e for s, e in skip or [])
                if (
                    match.end() > match.start()
                    and not inside
                    and not text.is_used(match.start(), match.end())
                ):
                    found.append(Hit(concept.id, match.start(), match.end(), weight))
    found.sort(key=lambda h: (-h.weight, -(h.end - h.start), h.start))
    chosen: list[Hit] = []
    for hit in found:
        if all(hit.end <= c.start or c.end <= hit.start for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def phrasing_similarity(request_words: frozenset[str], meta: dict[str, Any]) -> float:
    """Share of the request's content words found in the exemplar's best phrasing (plus title and tags)."""
    if not request_words:
        return 0.0
    extra = _words(str(meta.get("title", ""))) | _words(" ".join(str(t) for t in meta.get("tags", []) or []))
    best = 0.0
    for phrasing in [*(meta.get("phrasings") or []), meta.get("title", "")]:
        words = _words(str(phrasing)) | extra
        best = max(best, len(request_words & words) / len(request_words))
    return best


def rank(
    text: Text, metas: dict[str, dict[str, Any]], skip: list[tuple[int, int]] | None = None
) -> list[Scored]:
    """Every exemplar with a non-zero score, best first. `metas` maps available exemplar ids to meta.yaml."""
    hits = concept_hits(text, skip)
    request_words = _words(text.raw)
    scored: dict[str, Scored] = {}
    for hit in hits:
        entry = scored.setdefault(hit.exemplar_id, Scored(hit.exemplar_id, 0.0))
        entry.hits.append(hit)
    ids = set(scored) | set(metas)
    out = []
    for exemplar_id in ids:
        entry = scored.get(exemplar_id, Scored(exemplar_id, 0.0))
        entry.phrasing = phrasing_similarity(request_words, metas.get(exemplar_id, {}))
        if entry.hits:
            top = max(h.weight for h in entry.hits)
            entry.score = top + EXTRA_HIT_BONUS * (len(entry.hits) - 1) + PHRASING_BONUS * entry.phrasing
        elif exemplar_id not in BY_ID:
            # An exemplar the vocabulary does not know yet is found through its phrasings alone.
            entry.score = NO_CONCEPT_SCALE * entry.phrasing
        if entry.score > 0:
            out.append(entry)
    return sorted(out, key=lambda s: (-s.score, s.exemplar_id))


def _resolve_family(family: list[Scored], text: Text) -> Scored:
    """The one exemplar of a family of alternatives the request means."""
    ids = {s.exemplar_id: s for s in family}
    if "seccomp-baseline" in ids and _SECCOMP_REQUIRE.search(text.low):
        merged = ids.get("seccomp-restricted") or Scored("seccomp-restricted", ids["seccomp-baseline"].score)
        merged.hits = sorted(merged.hits + ids["seccomp-baseline"].hits, key=lambda h: h.start)
        merged.score = max(merged.score, ids["seccomp-baseline"].score)
        return merged
    best = max(family, key=lambda s: (max((h.weight for h in s.hits), default=0), s.score))
    # The other members' phrases (a capability name, "seccomp") are parameters of the chosen one.
    for other in family:
        if other is not best:
            best.hits = sorted(best.hits + other.hits, key=lambda h: h.start)
    return best


def select(ranked: list[Scored], text: Text) -> list[Scored]:
    """The exemplars to draft: scores at or above SELECT, one per family, in request order."""
    chosen = [s for s in ranked if s.score >= SELECT]
    families: dict[str, list[Scored]] = {}
    singles = []
    for entry in chosen:
        concept = BY_ID.get(entry.exemplar_id)
        if concept and concept.family:
            families.setdefault(concept.family, []).append(entry)
        else:
            singles.append(entry)
    singles += [_resolve_family(group, text) for group in families.values()]
    return sorted(singles, key=lambda s: s.first)
