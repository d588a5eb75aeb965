"""Reading a request: exemplars, parameters, scope, and an honest confidence (or a decline)."""

from __future__ import annotations

import re
from typing import Any

from tools.draft.declines import condition_tails, open_conditions, reason, unsupported
from tools.draft.facets import select_facets
from tools.draft.imagerefs import extract_exemptions
from tools.draft.names import POD_SPEC_KINDS
from tools.draft.params import fill
from tools.draft.params_base import Region
from tools.draft.plan import Part, Plan, Understanding
from tools.draft.scope import Scope, extract_scope, refresh_kinds
from tools.draft.scoring import MAX_PARTS, Scored, concept_hits, rank, select
from tools.draft.text import Text
from tools.draft.vocabulary import BY_ID

# How much unexplained wording a request may carry before the drafter declines.
MAX_UNEXPLAINED_SHARE = 0.5
MIN_UNEXPLAINED_TO_DECLINE = 3
MIN_CONFIDENCE = 0.5

_DIRECTIVE = re.compile(
    r"\b(?:no|not|never|deny|denie[sd]|block\w*|forbid\w*|disallow\w*|reject\w*|prevent\w*|prohibit\w*|ban\w*|stop|"
    r"refuse\w*|only|except|require\w*|must|mandatory|enforce\w*|ensure|make\s+sure|restrict\w*|limit|cap|drop|"
    r"nothing|nobody|no\s+one|none|keep\s+out|off\s+limits|impossible|"
    r"need\w*|has\s+to|have\s+to|should|shouldn't|can't|cannot|don't|disable|without|at\s+(?:least|most)|warn\w*|audit)\b"
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


def _decline(what: str, confidence: float = 0.0) -> Understanding:
    return Understanding(decline=reason(what), confidence=confidence)


def _region(text: Text, entry: Scored, single: bool) -> Region:
    """The clauses holding an exemplar's phrases (the whole request when it is the only exemplar)."""
    if single:
        return Region(text, 0, len(text.raw))
    clauses = [text.clause_at(h.start) for h in entry.hits]
    return Region(text, min(c.start for c in clauses), max(c.end for c in clauses))


def _exempt_images(text: Text, chosen: list[Scored], exemptions: Any) -> dict[str, list[str]]:
    """Image exemptions per exemplar: an exemption belongs to the exemplars of its clause, else to all."""
    out: dict[str, list[str]] = {s.exemplar_id: [] for s in chosen}
    for item in exemptions.items:
        clause = text.clause_at(item.offset)
        owners = [s.exemplar_id for s in chosen if any(clause.start <= h.start < clause.end for h in s.hits)]
        for exemplar_id in owners or list(out):
            out[exemplar_id] += [p for p in item.prefixes if p not in out[exemplar_id]]
    return out


def _kind_selective(meta: dict[str, Any]) -> bool:
    """True for exemplars that do not simply cover every workload kind (replicas, probes, labels, ...)."""
    return set(meta.get("kinds", []) or []) != set(POD_SPEC_KINDS)


def _kinds(
    scope: Scope, parts: list[tuple[Part, Region]], metas: dict[str, dict[str, Any]]
) -> tuple[list[str], list[str]]:
    """(narrowed kinds, problems): kinds the request names narrow the match when it says so.

    "only for Deployments" always narrows. Without "only", named kinds narrow exemplars that are
    about particular kinds ("Deployments need 2 replicas", "namespaces need an owner label"), while
    exemplars about every workload ("no privileged containers in deployments") keep all of them.
    "pods" is how people say "workloads": it stands for every pod-carrying kind. Each exemplar is
    narrowed by the kinds named in its own clause; one with none of them keeps its own kinds.
    """
    available = {k for p, _ in parts for k in metas[p.exemplar_id].get("kinds", []) or []}
    foreign = [k for k in scope.kinds if k not in available]
    if scope.kinds_only and foreign and not set(scope.kinds) & available:
        return [], [f"{', '.join(foreign)} objects (the exemplars apply to {', '.join(sorted(available))})"]
    kinds: list[str] = []
    for part, region in parts:
        own = list(metas[part.exemplar_id].get("kinds", []) or [])
        named = [k for k, at in scope.kind_offsets if region.start <= at < region.end and k in own]
        if "Pod" in named and not scope.kinds_only:
            named = [k for k in named if k != "Pod"] + [k for k in POD_SPEC_KINDS if k in own]
        narrowing = scope.kinds_only or _kind_selective(metas[part.exemplar_id])
        mine = list(dict.fromkeys(named)) if narrowing else []
        kinds += [k for k in (mine or own) if k not in kinds]
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
    chosen = select(ranked, text)
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
    per_part = _exempt_images(text, chosen, exemptions)
    parts, notes, problems = [], list(scope.notes), list(scope.problems)
    regions: list[Region] = []
    for entry in chosen:
        meta = metas[entry.exemplar_id]
        region = _region(text, entry, len(chosen) == 1)
        regions.append(region)
        filled = fill(entry.exemplar_id, region, meta, per_part[entry.exemplar_id])
        if filled.missing:
            return _decline(f"{entry.exemplar_id} without {filled.missing[0]}", 0.3)
        problems += filled.problems
        notes += filled.notes
        facets = select_facets(entry.exemplar_id, region)
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
    kinds, kind_problems = _kinds(scope, list(zip(parts, regions, strict=True)), metas)
    problems += kind_problems
    hard, soft = open_conditions(text, conditional)
    wildcard = _unused_wildcard(text)
    if wildcard:
        problems.append(f"the wildcard {wildcard!r} in this request")
    if hard:
        problems.append(f'the condition "{hard[0]}"')
    if problems:
        return _decline(problems[0], 0.2)
    notes += [f'"{s}" is not checked by the policy' for s in soft]
    leftover = text.leftover_words()
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
