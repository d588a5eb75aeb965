"""Reading a request: exemplars, parameters, scope, and an honest confidence (or a decline)."""

from __future__ import annotations

import re
from typing import Any

from tools.draft.clause_fill import fill_parts, scope_notes
from tools.draft.clauses import Reading, read
from tools.draft.declines import condition_tails, open_conditions, reason, unsupported
from tools.draft.facets import select_facets
from tools.draft.imagerefs import extract_exemptions
from tools.draft.names import POD_SPEC_KINDS
from tools.draft.params_base import Region
from tools.draft.per_kind import split_by_kind
from tools.draft.plan import Part, Plan, Understanding
from tools.draft.scope import WELL_KNOWN_NAMESPACES, Scope, extract_scope, refresh_kinds
from tools.draft.scoring import MAX_PARTS, Scored, concept_hits, rank, select
from tools.draft.text import Text
from tools.draft.unconstrained import free_resources
from tools.draft.vocabulary import BY_ID

# How much unexplained wording a request may carry before the drafter declines.
MAX_UNEXPLAINED_SHARE = 0.5
MIN_UNEXPLAINED_TO_DECLINE = 3
MIN_CONFIDENCE = 0.5

_DIRECTIVE = re.compile(
    r"\b(?:no|not|never|deny|denie[sd]|block\w*|forbid\w*|disallow\w*|reject\w*|prevent\w*|prohibit\w*|ban\w*|stop|"
    r"refuse\w*|only|except|require\w*|must|mandatory|enforce\w*|ensure|make\s+sure|restrict\w*|limit|cap|drop|"
    r"nothing|nobody|no\s+one|none|keep\s+out|off\s+limits|impossible|"
    r"need\w*|has\s+to|have\s+to|should|shouldn't|can't|cannot|don't|disable|without|at\s+(?:least|most)|warn\w*|audit|"
    # "limits above 2Gi aren't allowed" is a denial, however it is spelled.
    r"(?:are|is|was|were|won|must|may)n't)\b"
)
_ALLOW = re.compile(r"\b(?:allow\w*|permit\w*|let|enable\w*)\b")


def _unused_wildcard(text: Text) -> str | None:
    """A '*' no extractor used ("only allow capabilities *"): never silently dropped."""
    examples = text.rationale_spans()
    for match in re.finditer(r"\S*\*\S*", text.low):
        if re.match(r"[a-z]+\[\*\]", match.group(0)):
            continue  # a field path such as spec.containers[*].ports
        if not text.is_used(match.start(), match.end()) and not any(
            s <= match.start() < e for s, e in examples
        ):
            return text.raw[match.start() : match.end()]
    return None


# "..., digests are fine": what a request says is acceptable is no rule of its own.
_FINE = re.compile(
    r"\s*(?:[\w-]+\s+)?(?:is|are)\s+(?:(?:completely|totally|perfectly|also|still)\s+)?"
    r"(?:fine|ok|okay|acceptable)\b"
)


def _drop_fine(text: Text, chosen: list[Scored]) -> tuple[list[Scored], list[str]]:
    """The chosen exemplars without those the request only calls acceptable, and notes saying so.

    When every one is only acceptable ("digests are fine") the list comes back empty."""
    fine = [
        s
        for s in chosen
        if s.hits
        and not (BY_ID.get(s.exemplar_id) and BY_ID[s.exemplar_id].allow_list)
        and all(
            _FINE.match(text.low, h.end)
            and not re.search(r"\bonly\b", text.low[text.clause_at(h.start).start : h.start])
            for h in s.hits
        )
    ]
    if not fine:
        return chosen, []
    notes = []
    for entry in fine:
        for hit in entry.hits:
            match = _FINE.match(text.low, hit.end)
            text.use(hit.start, match.end() if match else hit.end)
        noun = BY_ID[entry.exemplar_id].noun if entry.exemplar_id in BY_ID else entry.exemplar_id
        notes.append(
            f'"{text.raw[entry.hits[0].start : entry.hits[0].end]}" is acceptable: no rule on {noun}'
        )
    return [s for s in chosen if s not in fine], notes


def _decline(what: str, confidence: float = 0.0) -> Understanding:
    return Understanding(decline=reason(what), confidence=confidence)


def _exempt_images(text: Text, readings: list[Reading], exemptions: Any) -> dict[str, list[str]]:
    """Image exemptions per exemplar.

    One written among a rule's own words is that rule's ("no latest tags except tools/ images and
    no privileged containers"); one after the last rule phrase of its clause covers every rule of
    that clause ("no latest tags and no privileged containers, except tools/ images"); one in a
    clause without rule phrases covers every rule.
    """
    out: dict[str, list[str]] = {r.exemplar_id: [] for r in readings}
    for item in exemptions.items:
        clause = text.clause_at(item.offset)
        here = [r for r in readings if any(clause.start <= s < clause.end for s, _ in r.hits)]
        trailing = all(s < item.offset for r in here for s, _ in r.hits if clause.start <= s < clause.end)
        owners = here if trailing else [r for r in here if any(s <= item.offset < e for s, e in r.own)]
        for reading in owners or readings:
            mine = out[reading.exemplar_id]
            mine += [p for p in item.prefixes if p not in mine]
    return out


def _facets(exemplar_id: str, text: Text, reading: Reading) -> list[str]:
    """The checks named among the exemplar's own words, else in its clauses."""
    named: list[str] = []
    for region in reading.regions(text):
        named += [f for f in select_facets(exemplar_id, region) if f not in named]
    return named or select_facets(exemplar_id, Region(text, *reading.wide))


def _kind_selective(meta: dict[str, Any]) -> bool:
    """True for exemplars that do not simply cover every workload kind (replicas, probes, labels, ...)."""
    return set(meta.get("kinds", []) or []) != set(POD_SPEC_KINDS)


def _kinds(
    scope: Scope, parts: list[tuple[Part, Reading]], metas: dict[str, dict[str, Any]]
) -> tuple[list[str], list[str]]:
    """(narrowed kinds, problems): kinds the request names narrow the match when it says so.

    "only for Deployments" always narrows. Without "only", named kinds narrow exemplars that are
    about particular kinds ("Deployments need 2 replicas", "namespaces need an owner label"), while
    exemplars about every workload ("no privileged containers in deployments") keep all of them.
    "pods" is how people say "workloads": it stands for every pod-carrying kind. Each exemplar is
    narrowed by the kinds named among its own words, else in its clauses; one with none of them
    keeps its own kinds. A rule narrowed to fewer kinds than the constraint matches keeps to
    them (Part.kinds): "an owner label on deployments and a team annotation on namespaces".
    """
    available = {k for p, _ in parts for k in metas[p.exemplar_id].get("kinds", []) or []}
    foreign = [k for k in scope.kinds if k not in available]
    if scope.kinds_only and foreign and not set(scope.kinds) & available:
        return [], [f"{', '.join(foreign)} objects (the exemplars apply to {', '.join(sorted(available))})"]
    kinds: list[str] = []
    narrowed: list[tuple[Part, list[str]]] = []
    for part, reading in parts:
        own = list(metas[part.exemplar_id].get("kinds", []) or [])
        mentioned = [(k, at) for k, at in scope.kind_offsets if k in own]
        named = [k for k, at in mentioned if any(s <= at < e for s, e in reading.own)] or [
            k for k, at in mentioned if reading.wide[0] <= at < reading.wide[1]
        ]
        subjects = [k for k in named if k in scope.subject_kinds]
        if subjects:
            # "DaemonSets run on every node, so their pods mustn't ...": the pods are theirs.
            named = subjects
        elif "Pod" in named and not scope.kinds_only:
            named = [k for k in named if k != "Pod"] + [k for k in POD_SPEC_KINDS if k in own]
        narrowing = scope.kinds_only or bool(subjects) or _kind_selective(metas[part.exemplar_id])
        mine = list(dict.fromkeys(named)) if narrowing else []
        kinds += [k for k in (mine or own) if k not in kinds]
        if mine:
            narrowed.append((part, mine))
    for part, mine in narrowed:
        own = metas[part.exemplar_id].get("kinds", []) or []
        if set(mine) != {k for k in kinds if k in own}:
            part.kinds = mine
    return (kinds if set(kinds) != available else []), []


def understand(request: str, metas: dict[str, dict[str, Any]]) -> Understanding:
    """The plan for a request against the available exemplars (`metas`: id -> meta.yaml), or a decline."""
    text = Text(request)
    if not text.content_words() and not re.search(r"\w", text.low):
        return _decline("an empty request")
    blocked = unsupported(text)
    if blocked:
        return _decline(blocked)
    exemptions = extract_exemptions(text)
    tails = condition_tails(text)
    # Concept words inside "unless ..."/"if ..." are conditions; they make the condition unexpressible.
    conditional = [(h.start, h.end) for h in concept_hits(text) if any(s <= h.start < e for s, e in tails)]
    ranked = rank(text, metas, skip=tails)
    chosen, fine = _drop_fine(text, select(ranked, text))
    if fine and not chosen:
        return _decline(f"a request that only says what is acceptable ({fine[0]}); say what to deny")
    for entry in chosen:
        for hit in entry.hits:
            text.use(hit.start, hit.end)
    scope = extract_scope(text)
    if not chosen and conditional:
        start = min(s for s, _ in conditional)
        clause = text.clause_at(start)
        return _decline(f'the condition "{text.raw[clause.start : clause.end].strip()}"')
    if not chosen:
        words = " ".join(text.leftover_words()[:8]) or request.strip()
        return _decline(f'"{words}" (no exemplar policy matches it)')
    if len(chosen) > MAX_PARTS:
        names = ", ".join(
            BY_ID[s.exemplar_id].noun if s.exemplar_id in BY_ID else s.exemplar_id for s in chosen
        )
        return _decline(f"more than {MAX_PARTS} rules in one policy ({names})")
    missing = [s.exemplar_id for s in chosen if s.exemplar_id not in metas]
    if missing:
        return _decline(f"{', '.join(missing)} yet (no such exemplar in the corpus)")
    if _ALLOW.search(text.low) and not _DIRECTIVE.search(text.low):
        deny_type = [
            s.exemplar_id
            for s in chosen
            if not (BY_ID.get(s.exemplar_id) and BY_ID[s.exemplar_id].allow_list)
        ]
        if deny_type:
            return _decline(
                f"a request that only allows {BY_ID[deny_type[0]].noun} (say what to deny or where)"
            )
    if exemptions.unresolved:
        return _decline(
            f"exempting images by name ({', '.join(exemptions.unresolved)}) without a registry or "
            "repository prefix such as registry.example.com/tools/"
        )
    readings = read(text, chosen, metas)
    before_fill = len(text.used)
    filled_parts, ambiguity = fill_parts(text, readings, metas, _exempt_images(text, readings, exemptions))
    if ambiguity:
        return _decline(ambiguity, 0.2)
    parts, notes, problems = [], list(scope.notes) + fine, list(scope.problems)
    for entry, reading in zip(chosen, readings, strict=True):
        filled = filled_parts[entry.exemplar_id]
        if filled.missing:
            return _decline(f"{entry.exemplar_id} without {filled.missing[0]}", 0.3)
        problems += filled.problems
        notes += filled.notes
        facets = _facets(entry.exemplar_id, text, reading)
        if facets:
            notes.append(
                f"only the {', '.join(facets)} check(s) of {entry.exemplar_id}, as the request names them"
            )
        parts.append(
            Part(
                exemplar_id=entry.exemplar_id,
                params=filled.params,
                facets=facets,
                score=round(entry.score, 3),
            )
        )
    if "disallow-default-namespace" in [p.exemplar_id for p in parts] and "default" in scope.excluded:
        # "a namespace other than default" names the rule itself, not an exemption.
        scope.excluded.remove("default")
    refresh_kinds(text, scope)
    split = split_by_kind(
        text, chosen, readings, scope.kind_offsets, scope.excluded + scope.namespaces, metas, before_fill
    )
    if split:
        return _decline(split, 0.2)
    kinds, kind_problems = _kinds(scope, list(zip(parts, readings, strict=True)), metas)
    problems += kind_problems
    notes += scope_notes(text, readings, scope.excluded, scope.namespaces)
    hard, soft = open_conditions(text, conditional)
    free_spans, free_notes, free_problems = free_resources(text.low, parts)
    for start, end in free_spans:
        text.use(start, end)
    notes += free_notes
    problems += free_problems
    wildcard = _unused_wildcard(text)
    if wildcard:
        problems.append(f"the wildcard {wildcard!r} in this request")
    if hard:
        problems.append(f'the condition "{hard[0]}"')
    if problems:
        return _decline(problems[0], 0.2)
    notes += [f'"{s}" is not checked by the policy' for s in soft]
    leftover = text.leftover_words()
    stray = [w for w in leftover if w in WELL_KNOWN_NAMESPACES]
    if stray:
        # A namespace every cluster has, named but neither exempted nor scoped: guessing either way is wrong.
        return _decline(
            f'the namespace "{stray[0]}" (say whether the policy skips it or applies only there)', 0.2
        )
    content = max(3, len(text.content_words()))
    share = len(leftover) / content
    base = min(1.0, min(s.score for s in chosen))
    confidence = round(base * (1 - 0.6 * share) * (0.9 if soft else 1.0), 2)
    if (
        len(leftover) >= MIN_UNEXPLAINED_TO_DECLINE and share > MAX_UNEXPLAINED_SHARE
    ) or confidence < MIN_CONFIDENCE:
        return _decline(f'"{" ".join(leftover[:8])}" in this request', confidence)
    if leftover:
        notes.append(f"words not used for the policy: {', '.join(leftover[:8])}")
    plan = Plan(
        parts=parts,
        excluded_namespaces=scope.excluded,
        namespaces=scope.namespaces,
        kinds=kinds,
        enforcement=scope.enforcement or "deny",  # type: ignore[arg-type]
        notes=list(dict.fromkeys(notes)),
        confidence=confidence,
    )
    return Understanding(plan=plan, confidence=confidence)
