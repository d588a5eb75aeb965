"""One rule asked for with different values on different kinds (or namespaces): something one policy cannot hold.

"cpu limits on deployments, memory limits on statefulsets" names the limits rule twice, each
time with its own resource and its own kind. A draft composes each exemplar once, with one
parameter set, so it could only require both resources on both kinds: more than was asked.
"cpu limits in the prod namespace, memory limits in staging" is the same for namespaces, one
constraint having one namespace match. The drafter declines such requests and says how to split them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tools.draft.clauses import JOIN, Reading, probe
from tools.draft.scoring import Scored
from tools.draft.text import Span, Text


def _pieces(text: Text, hits: list[Span], own: list[Span]) -> list[Span]:
    """The request cut between neighbouring phrases of one rule, each piece kept to the rule's own words."""
    cuts: list[Span] = []
    for (_, left_end), (right_start, _) in zip(hits, hits[1:], strict=False):
        joins = list(JOIN.finditer(text.low, left_end, right_start))
        cuts.append((joins[-1].start(), joins[-1].end()) if joins else (left_end, left_end))
    pieces = []
    for i, (start, _) in enumerate(hits):
        span = next(((s, e) for s, e in own if s <= start < e), (0, len(text.raw)))
        lo = max(span[0], cuts[i - 1][1]) if i else span[0]
        hi = min(span[1], cuts[i][0]) if i < len(cuts) else span[1]
        pieces.append((lo, hi))
    return pieces


def _values(text: Text, base: int, exemplar_id: str, meta: dict[str, Any], piece: Span) -> str:
    """The parameters a piece names itself (defaults and image exemptions left out), comparable as text."""
    filled, _ = probe(text, base, exemplar_id, meta, piece)
    named = {k: v for k, v in filled.params.items() if k not in filled.defaulted and k != "exemptImages"}
    return json.dumps(named, sort_keys=True) if named else ""


def _namespaces_in(text: Text, piece: Span, namespaces: list[str]) -> list[str]:
    """The namespaces of the request's match written inside a piece."""
    found = []
    for name in namespaces:
        pattern = (
            r"(?<![\w-])" + re.escape(name.rstrip("*")) + (r"[\w-]*" if name.endswith("*") else r"(?![\w-])")
        )
        if re.search(pattern, text.low[piece[0] : piece[1]]):
            found.append(name)
    return sorted(found)


def split_by_kind(
    text: Text,
    chosen: list[Scored],
    readings: list[Reading],
    kind_offsets: list[tuple[str, int]],
    namespaces: list[str],
    metas: dict[str, dict[str, Any]],
    base: int,
) -> str | None:
    """What cannot be expressed when one rule gets different values on different kinds or in
    different namespaces (None: nothing). `namespaces`: every namespace the request exempts or
    restricts to (one constraint has one match). `base`: how many of text.used were there before
    parameters were read (the pieces are read afresh).
    """
    for entry, reading in zip(chosen, readings, strict=True):
        hits = sorted((h.start, h.end) for h in entry.hits)
        if len(hits) < 2:
            continue
        meta = metas[entry.exemplar_id]
        named: list[tuple[str, dict[str, list[str]], str]] = []
        for piece in _pieces(text, hits, reading.own):
            where = {
                "kinds": sorted({k for k, at in kind_offsets if piece[0] <= at < piece[1]}),
                "namespaces": _namespaces_in(text, piece, namespaces),
            }
            values = _values(text, base, entry.exemplar_id, meta, piece)
            if values and any(where.values()):
                named.append((text.raw[piece[0] : piece[1]].strip(" ,;."), where, values))
        for i, (left, left_where, left_values) in enumerate(named):
            for right, right_where, right_values in named[i + 1 :]:
                differ = [k for k in ("kinds", "namespaces") if left_where[k] and right_where[k]
                          and left_where[k] != right_where[k]]  # fmt: skip
                if differ and left_values != right_values:
                    what, each = ("kinds", "kind") if differ[0] == "kinds" else ("namespaces", "namespace")
                    return (
                        f'one {entry.exemplar_id} rule with different values for different {what} ("{left}" '
                        f'and "{right}"): a policy holds each rule once, with one set of values. Ask for them '
                        f"in two requests, one per {each}"
                    )
    return None
