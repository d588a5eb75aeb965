"""Which words of a request belong to which rule, when one request asks for several.

"require cpu requests and memory limits" names two exemplars in one clause. Read from the
whole sentence, both rules would require cpu and memory; each must read its own words.

A clause (Text.clauses) holding the phrases of several exemplars is cut between each pair
of neighbouring phrases of two exemplars; each piece is a segment of the exemplar whose
phrases it holds, and a clause with one exemplar's phrases is all its own. The words
between two phrases go to the rule that reads them: "images from r1 and r2 and no latest
tags" keeps both registries with the registry rule. Values both rules would read go to the
one whose other values are not already on the far side of its phrase: in "cpu requests and
memory and cpu limits" requests has its cpu before its phrase, so memory and cpu after it
are the limits'. A list of values in front of a rule word is that rule's: in "cpu requests
and memory and ephemeral-storage limits" the list ending inside the limits phrase goes with
it, even when that rule does not read every value. When that does not settle it, the clause
stays whole and is both rules'; clause_fill declines if both then read the same words.

clause_fill.py turns the segments into parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tools.draft.params import fill
from tools.draft.params_base import Filled, Region
from tools.draft.scoring import Scored
from tools.draft.text import Span, Text

# Where one rule's words end and the next rule's begin ("cpu requests and memory limits").
JOIN = re.compile(
    r",?\s+(?:and\s+also|and|or|plus|but(?:\s+also)?|as\s+well\s+as|along\s+with|together\s+with|while|with|&)\s+"
    r"|,\s*"
)


@dataclass
class Reading:
    """The words one exemplar reads: its own segments, and the clauses its phrases sit in."""

    exemplar_id: str
    own: list[Span]
    wide: Span
    hits: list[Span] = field(default_factory=list)

    def regions(self, text: Text) -> list[Region]:
        return [Region(text, start, end, lead=text.clause_at(start).start) for start, end in self.own]


@dataclass
class _Run:
    """Neighbouring phrases of one exemplar inside a clause."""

    exemplar_id: str
    first: Span
    last: Span


def overlaps(span: Span, others: list[Span]) -> bool:
    """True when `span` shares a character with any of `others`."""
    return any(span[0] < end and start < span[1] for start, end in others)


def _clip(spans: list[Span], window: Span) -> list[Span]:
    clipped = [(max(s, window[0]), min(e, window[1])) for s, e in spans]
    return [(s, e) for s, e in clipped if e > s]


def probe(
    text: Text, base: int, exemplar_id: str, meta: dict[str, Any], span: Span, images: list[str] | None = None
) -> tuple[Filled, list[Span]]:
    """The parameters read from `span` as if no rule had read anything yet, and the spans read.

    text.used is left as it was: the caller decides which reads to keep.
    """
    saved = text.used
    text.used = saved[:base]
    try:
        region = Region(text, span[0], span[1], lead=text.clause_at(span[0]).start)
        filled = fill(exemplar_id, region, meta, images or [])
        return filled, text.used[base:]
    finally:
        text.used = saved


def _cut(text: Text, base: int, metas: dict[str, dict[str, Any]], start: int, left: _Run, right: _Run,
         end: int) -> int | None:  # fmt: skip
    """Where the left rule's words end and the right rule's begin (None: no way to tell)."""
    gap = (left.last[1], right.first[0])
    if gap[0] >= gap[1]:
        return gap[0]
    _, a_reads = probe(text, base, left.exemplar_id, metas[left.exemplar_id], (start, gap[1]))
    _, b_reads = probe(text, base, right.exemplar_id, metas[right.exemplar_id], (gap[0], end))
    a_gap, b_gap = _clip(a_reads, gap), _clip(b_reads, gap)
    _, a_into = probe(text, base, left.exemplar_id, metas[left.exemplar_id], (start, end))
    # A list of values in front of a rule word is that rule's: when the right phrase holds the
    # last value of a list of the left rule's kind ("cpu requests and memory and ephemeral-storage
    # limits"), the list goes with the right rule, whether it reads the values or not.
    moved = list_before(text, a_gap, right.first[0]) if _list_ends_in(text, a_into, right.first) else []
    a_gap = [s for s in a_gap if s not in moved]
    a_only = [s for s in a_gap if not overlaps(s, b_gap)]
    b_only = [s for s in b_gap if not overlaps(s, a_gap)] + moved
    contested = [s for s in a_gap if overlaps(s, b_gap)]
    if contested:
        # Values both would read: the right rule's when the left one's values precede its
        # phrase ("cpu requests and memory limits"), the left one's when the right one's follow it.
        before = _before_phrase(a_reads, start, left.last[1])
        after = any(s[0] >= right.first[1] for s in b_reads)
        if before == after:
            return None
        (b_only if before else a_only).extend(contested)
    a_end = max((s[1] for s in a_only), default=gap[0])
    b_start = min((s[0] for s in b_only), default=gap[1])
    if a_end > b_start:
        return None
    joins = list(JOIN.finditer(text.low, a_end, b_start))
    return joins[-1].start() if joins else a_end


_LIST_GAP = re.compile(r"\s*(?:,|and|or|&|/)?\s*(?:and|or)?\s*(?:the\s+)?")


def list_before(text: Text, reads: list[Span], at: int) -> list[Span]:
    """The spans of `reads` forming a list that runs up to offset `at` ("memory and ephemeral-storage| limits")."""
    chain: list[Span] = []
    pos = at
    for span in sorted(set(reads), key=lambda s: (-s[1], s[0])):
        if span[1] > pos:
            continue
        if not _LIST_GAP.fullmatch(text.low, span[1], pos):
            break
        chain.append(span)
        pos = span[0]
    return chain


def _list_ends_in(text: Text, reads: list[Span], phrase: Span) -> bool:
    """True when a list of `reads` ends inside `phrase`: "memory and [ephemeral-storage limits]",
    but not "[hostPath], nfs and iscsi volumes", whose list runs on to another phrase."""
    ordered = sorted(set(reads))
    for i, span in enumerate(ordered):
        if not phrase[0] <= span[0] < phrase[1]:
            continue
        last = span
        for nxt in ordered[i + 1 :]:
            if nxt[0] < last[1] or not _LIST_GAP.fullmatch(text.low, last[1], nxt[0]):
                break
            last = nxt
        if last[1] <= phrase[1]:
            return True
    return False


def claimed_by_others(text: Text, reading: Reading, readings: list[Reading], reads: list[Span]) -> list[Span]:
    """Spans of `reads` that belong to another rule's phrase: a list of them ending inside it."""
    out: list[Span] = []
    for other in readings:
        if other is reading:
            continue
        for hit in other.hits:
            if _list_ends_in(text, reads, hit):
                out += _clip(reads, hit) + list_before(text, reads, hit[0])
    return out


def _before_phrase(reads: list[Span], start: int, phrase_end: int) -> bool:
    """True when a rule reads values before or inside its phrase ("cpu requests", "an owner label")."""
    return bool(_clip(reads, (start, phrase_end)))


def _runs(hits: list[tuple[int, int, str]]) -> list[_Run]:
    runs: list[_Run] = []
    for start, end, exemplar_id in hits:
        if runs and runs[-1].exemplar_id == exemplar_id:
            runs[-1].last = (start, end)
        else:
            runs.append(_Run(exemplar_id, (start, end), (start, end)))
    return runs


def _wide(text: Text, hits: list[Span]) -> Span:
    """The clauses holding an exemplar's phrases (what each exemplar read before clauses were cut)."""
    clauses = [text.clause_at(start) for start, _ in hits]
    return (min(c.start for c in clauses), max(c.end for c in clauses))


def read(text: Text, chosen: list[Scored], metas: dict[str, dict[str, Any]]) -> list[Reading]:
    """Where each chosen exemplar reads its parameters, in draft order.

    A clause whose words cannot be told apart between two rules stays whole and is both
    rules' (fill_parts then declines if both read the same words in it).
    """
    whole = (0, len(text.raw))
    if len(chosen) == 1 or any(not s.hits for s in chosen):
        # One rule reads the whole request (as does a rule known only by its phrasings).
        return [Reading(s.exemplar_id, [whole], whole, [(h.start, h.end) for h in s.hits]) for s in chosen]
    hits = sorted((h.start, h.end, s.exemplar_id) for s in chosen for h in s.hits)
    base = len(text.used)
    pieces: list[tuple[int, int, list[str]]] = []
    for clause in text.clauses():
        runs = _runs([h for h in hits if clause.start <= h[0] < clause.end])
        if not runs:
            pieces.append((clause.start, clause.end, []))
            continue
        start, owners = clause.start, [runs[0].exemplar_id]
        for i, (left, right) in enumerate(zip(runs, runs[1:], strict=False)):
            end = runs[i + 2].first[0] if i + 2 < len(runs) else clause.end
            cut = _cut(text, base, metas, start, left, right, end)
            if cut is None:
                owners.append(right.exemplar_id)
                continue
            pieces.append((start, cut, owners))
            start, owners = cut, [right.exemplar_id]
        pieces.append((start, clause.end, owners))
    readings = []
    for entry in chosen:
        own: list[Span] = []
        last = -1
        for index, (start, end, owners) in enumerate(pieces):
            if entry.exemplar_id not in owners:
                continue
            # Clauses without any rule's phrase, between two of this rule's pieces, are this rule's.
            if own and not any(o for _, _, o in pieces[last + 1 : index]):
                own[-1] = (own[-1][0], end)
            else:
                own.append((start, end))
            last = index
        spans = [(h.start, h.end) for h in entry.hits]
        readings.append(Reading(entry.exemplar_id, own, _wide(text, spans), spans))
    return readings
