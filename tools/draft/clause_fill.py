"""Each rule's parameters from its own words (the segments of clauses.py), with the rules for sharing.

1. A rule whose clauses hold no value another rule reads as its own keeps the clauses'
   reading: lists that run across a cut ("deny hostPath, nfs and iscsi volumes") stay whole.
   A list that ends inside another rule's phrase ("memory and ephemeral-storage limits") is
   that rule's, read by it or not; the other rule then keeps only its own segments' values.
2. Otherwise it keeps the values of its own segments ("cpu requests and memory limits"),
   merged when it has several ("cpu requests, memory limits and memory requests").
3. A parameter its segments leave unnamed is read from all of its clauses: a value list
   written once for several rules ("cpu and memory requests and limits", "requests and
   limits for cpu"). When those words are the values of two other rules, nobody can tell
   which to share and the drafter declines; it declines too when two rules read the same
   words of a clause that could not be cut.
4. Image exemptions inside one rule's segment are that rule's, a trailing one covers every
   rule of its clause (understand._exempt_images). Namespaces and enforcement always cover
   the whole policy, one constraint having one match; scope_notes says so when the request
   wrote a namespace among one rule's words.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from typing import Any

from tools.draft.clauses import Reading, claimed_by_others, overlaps, probe
from tools.draft.params import schema_properties
from tools.draft.params_base import Filled
from tools.draft.text import Span, Text


def _ambiguous(text: Text, where: Span, ids: list[str]) -> str:
    """The decline for words that could be either rule's values."""
    snippet = text.raw[where[0] : where[1]].strip()
    rules = " or ".join(dict.fromkeys(ids))
    return (
        f'a request whose values could belong to more than one rule ("{snippet}": {rules}); '
        "name each rule's values next to it or ask for each rule in its own sentence"
    )


def overlaps_any(spans: list[Span], others: list[Span]) -> bool:
    return any(overlaps(s, others) for s in spans)


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _merge(fills: list[Filled]) -> tuple[Filled, str | None]:
    """One exemplar's reads of its separate segments as one (None) or the parameter they disagree on."""
    if len(fills) == 1:
        return fills[0], None
    # A segment that found nothing (a label rule with no key in it) has no say over the values.
    found = [f for f in fills if not f.missing]
    out = Filled(missing=[] if found else list(fills[0].missing))
    found = found or fills
    for key in dict.fromkeys(k for f in fills for k in f.params):
        named = [f.params[key] for f in found if key in f.params and key not in f.defaulted]
        if not named:
            out.params[key] = next(f.params[key] for f in fills if key in f.params)
            out.defaulted.append(key)
        elif all(isinstance(v, list) for v in named):
            items = {_key(item): item for value in named for item in value}
            out.params[key] = list(items.values())
        elif all(_key(v) == _key(named[0]) for v in named):
            out.params[key] = named[0]
        else:
            return out, key
    for f in fills:
        out.notes += [n for n in f.notes if n not in out.notes]
        out.problems += [p for p in f.problems if p not in out.problems]
        for source, target in ((f.wanted, out.wanted), (f.removed, out.removed)):
            for key, values in source.items():
                target[key] = target.get(key, []) + [v for v in values if v not in target.get(key, [])]
    return out, None


def _share(filled: Filled, wide: Filled, open_keys: set[str]) -> bool:
    """Takes what the clauses name for the parameters the segments left open; True when any."""
    gained = [k for k in open_keys if k in wide.params and k not in wide.defaulted]
    resolved = bool(filled.missing) and not wide.missing
    if not gained and not resolved:
        return False
    for key in gained if not resolved else list(wide.params):
        if key in open_keys or key not in filled.params:
            filled.params[key] = copy.deepcopy(wide.params[key])
            filled.defaulted = [k for k in filled.defaulted if k != key or k in wide.defaulted]
            for own, other in ((filled.wanted, wide.wanted), (filled.removed, wide.removed)):
                if key in other:
                    own[key] = list(other[key])
    if resolved:
        filled.missing = []
    filled.notes = list(dict.fromkeys(wide.notes))
    filled.problems = list(dict.fromkeys(filled.problems + wide.problems))
    return True


def fill_parts(
    text: Text, readings: list[Reading], metas: dict[str, dict[str, Any]], images: dict[str, list[str]]
) -> tuple[dict[str, Filled], str]:
    """(parameters per exemplar, problem): each exemplar's parameters from its own words.

    A rule whose clauses hold no value another rule reads as its own keeps the clauses'
    reading (lists that run across a cut, "deny hostPath, nfs and iscsi volumes", stay
    whole). Otherwise it keeps its own segments' values and shares only what they leave open.
    """
    base = len(text.used)
    own: dict[str, tuple[Filled, list[Span]]] = {}
    for reading in readings:
        meta, mine = metas[reading.exemplar_id], images[reading.exemplar_id]
        results = [probe(text, base, reading.exemplar_id, meta, span, mine) for span in reading.own]
        merged, clash = _merge([f for f, _ in results])
        if clash:
            return {}, _ambiguous(text, (reading.own[0][0], reading.own[-1][1]), [reading.exemplar_id])
        own[reading.exemplar_id] = (merged, [s for _, spans in results for s in spans])
    for reading, other in itertools.combinations(readings, 2):
        shared = [s for s in own[reading.exemplar_id][1] if overlaps(s, own[other.exemplar_id][1])]
        if shared:
            # A clause that could not be cut, whose words both rules read as their own.
            where = (min(s for s, _ in shared), max(e for _, e in shared))
            return {}, _ambiguous(text, where, [reading.exemplar_id, other.exemplar_id])
    out: dict[str, Filled] = {}
    for reading in readings:
        filled, spans = own[reading.exemplar_id]
        meta, mine = metas[reading.exemplar_id], images[reading.exemplar_id]
        if reading.own != [reading.wide]:
            wide, wide_spans = probe(text, base, reading.exemplar_id, meta, reading.wide, mine)
            outside = [s for s in wide_spans if not overlaps(s, reading.own)]
            # Values the clause lists in front of another rule's phrase ("memory and ephemeral-storage
            # limits") are not this rule's to take wholesale; it may only share them for what its
            # own words leave open ("cpu and memory requests and limits").
            claimed = overlaps_any(outside, claimed_by_others(text, reading, readings, wide_spans))
            owners = [
                r.exemplar_id
                for r in readings
                if r is not reading and any(overlaps(s, own[r.exemplar_id][1]) for s in outside)
            ]
            open_keys = set(filled.defaulted) | (set(schema_properties(meta)) if filled.missing else set())
            if not owners and not claimed:
                filled, spans = wide, wide_spans
            elif open_keys and _share(filled, wide, open_keys):
                if len(owners) > 1:
                    return {}, _ambiguous(text, reading.wide, [reading.exemplar_id, *owners])
                spans = spans + outside
        text.used += spans
        out[reading.exemplar_id] = filled
    return out, ""


def scope_notes(text: Text, readings: list[Reading], excluded: list[str], restricted: list[str]) -> list[str]:
    """Notes for namespaces written among one rule's words while another rule's phrase follows.

    "deny privileged containers except in kube-system, and require runAsNonRoot": one
    constraint has one namespace match, so kube-system is exempt from both rules. A namespace
    written after every rule's phrase applies to the whole request and needs no note.
    """
    notes: list[str] = []
    if len(readings) < 2:
        return notes
    for names, what in ((excluded, "exempt from"), (restricted, "the only namespace of")):
        for name in names:
            match = re.search(r"(?<![\w-])" + re.escape(name.rstrip("*")), text.low)
            if not match:
                continue
            at = match.start()
            owners = [r for r in readings if any(s <= at < e for s, e in r.own)]
            later = [r for r in readings if r not in owners and any(s > at for s, _ in r.hits)]
            if owners and later:
                rules = ", ".join(r.exemplar_id for r in readings)
                notes.append(
                    f"namespace {name} is {what} every rule of this policy ({rules}): "
                    "one constraint has one namespace match"
                )
    return notes
