"""Follow-ups on the previous draft: "also exempt monitoring", "make it a warning", "also allow quay.io",
"raise the limit to 8Gi", "only for Deployments", "also forbid host networking".

The previous draft is turned back into a Plan (exemplars, their parameters, match,
enforcement); the follow-up edits that plan and the drafter rebuilds Rego and fixtures.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from tools.draft.compose import split_parameters
from tools.draft.declines import reason, unsupported
from tools.draft.facets import facets_from_source, select_facets
from tools.draft.imagerefs import extract_exemptions
from tools.draft.models import PolicyDraft
from tools.draft.params import fill, schema_properties
from tools.draft.params_base import Filled, Region
from tools.draft.plan import Part, Plan, Understanding
from tools.draft.rego import kinds_from_source, lib_name
from tools.draft.scope import Scope, extract_scope
from tools.draft.scoring import MAX_PARTS, rank, select
from tools.draft.text import Text

_REMOVE = re.compile(
    r"\b(?:remove|drop|delete|take\s+out|stop\s+\w+ing|no\s+longer|don'?t\s+(?:exempt|allow|require|skip)|"
    r"do\s+not\s+(?:exempt|allow|require|skip)|un-?exempt|without\s+the|get\s+rid\s+of)\b"
)
_REPLACE = re.compile(r"\b(?:instead|replace|change\s+(?:it|them|the\s+\w+)\s+to|only\s+allow|just)\b")
_ADD_NAMESPACE = re.compile(r"\b(?:add|include|also)\s+(?:the\s+)?([a-z0-9][a-z0-9*-]*)\s+namespaces?\b")


def plan_from_draft(previous: PolicyDraft, metas: dict[str, dict[str, Any]]) -> Plan | None:
    """The plan a previous draft was built from (None when it did not come from corpus exemplars)."""
    ids = list(previous.exemplar_ids)
    if not ids or any(i not in metas for i in ids):
        return None
    own = split_parameters(previous.parameters, ids, metas)
    match = previous.match or {}
    kinds = sorted({k for g in match.get("kinds", []) or [] for k in g.get("kinds", [])})
    every = sorted({k for i in ids for k in metas[i].get("kinds", []) or []})
    notes = [n for n in previous.notes if not n.startswith(("words not used", '"'))]
    parts = []
    for i in ids:
        guarded = kinds_from_source(previous.src_rego, lib_name(i))
        covered = [k for k in kinds if k in (metas[i].get("kinds") or [])]
        parts.append(
            Part(
                exemplar_id=i,
                params=own[i],
                facets=facets_from_source(previous.src_rego, lib_name(i)),
                # Only a rule the request kept to fewer kinds than its exemplar covers remembers them.
                kinds=guarded if guarded and set(guarded) != set(covered) else [],
            )
        )
    return Plan(
        parts=parts,
        excluded_namespaces=list(match.get("excludedNamespaces") or []),
        namespaces=list(match.get("namespaces") or []),
        kinds=[] if kinds == every else kinds,
        enforcement=previous.enforcement_action,
        target=previous.target,
        notes=notes,
    )


def _merge_list(
    old: list[Any], added: list[Any], removed: list[Any], remove_all: bool, replace: bool
) -> list[Any]:
    def key(item: Any) -> Any:
        return item.get("key") if isinstance(item, dict) else item

    if remove_all:
        gone = {key(a) for a in added} | {key(r) for r in removed}
        return [o for o in old if key(o) not in gone]
    if replace and added:
        return list(added)
    gone = {key(r) for r in removed}
    merged = {key(o): o for o in old if key(o) not in gone}
    for item in added:
        merged[key(item)] = item
    return list(merged.values())


# Lists that, once non-empty, turn a rule from denying everything outside an allow-list into
# denying only what they name: a follow-up on a draft without one must not narrow it so.
_MODE_SWITCHES = {("host-path-volumes", "deniedPathPrefixes")}


def _apply_filled(
    part: Part, filled: Filled, meta: dict[str, Any], remove_all: bool, replace: bool, part_notes: list[str]
) -> bool:
    """Applies what a follow-up says about one exemplar's parameters; True when something changed.

    `part_notes` gets what the follow-up asked for that the draft already does."""
    changed = False
    for key, value in filled.params.items():
        removed = filled.removed.get(key, [])
        if key == "exemptImages" or (key in filled.defaulted and not removed):
            continue
        if (part.exemplar_id, key) in _MODE_SWITCHES and not part.params.get(key):
            if value:
                part_notes.append(f"{part.exemplar_id} already denies what is not on its allow-list")
            continue
        old = part.params.get(key, (schema_properties(meta).get(key) or {}).get("default"))
        if isinstance(value, list):
            added = filled.wanted.get(key, [] if key in filled.defaulted else value)
            new = _merge_list(list(old or []), added, removed, remove_all, replace)
        else:
            new = value
        if new != old:
            part.params[key] = new
            changed = True
    return changed


def _scope_changes(plan: Plan, scope: Scope, text: Text, remove_all: bool) -> bool:
    changed = False
    names = scope.excluded + scope.namespaces
    for match in _ADD_NAMESPACE.finditer(text.low):
        if not text.is_used(match.start(), match.end()):
            names.append(match.group(1))
            target = (
                plan.namespaces
                if plan.namespaces and not plan.excluded_namespaces
                else plan.excluded_namespaces
            )
            if not remove_all and match.group(1) not in target:
                target.append(match.group(1))
                changed = True
            text.use(match.start(), match.end())
    if remove_all:
        # "drop the monitoring exemption": a namespace the draft already names, mentioned with a removal.
        for ns in plan.excluded_namespaces + plan.namespaces:
            for match in re.finditer(r"(?<![\w-])" + re.escape(ns) + r"(?![\w-])", text.low):
                names.append(ns)
                text.use(match.start(), match.end())
        for ns in names:
            for target in (plan.excluded_namespaces, plan.namespaces):
                if ns in target:
                    target.remove(ns)
                    changed = True
        return changed
    for ns in scope.excluded:
        if ns not in plan.excluded_namespaces:
            plan.excluded_namespaces.append(ns)
            changed = True
    for ns in scope.namespaces:
        if ns not in plan.namespaces:
            plan.namespaces.append(ns)
            changed = True
    if scope.kinds and scope.kinds_only:
        # "only for Deployments" narrows every rule alike.
        plan.kinds = list(scope.kinds)
        for part in plan.parts:
            part.kinds = []
        changed = True
    if scope.enforcement and scope.enforcement != plan.enforcement:
        plan.enforcement = scope.enforcement  # type: ignore[assignment]
        changed = True
    return changed


def refine(request: str, previous: PolicyDraft, metas: dict[str, dict[str, Any]]) -> Understanding:
    """The previous draft's plan with the follow-up applied, or a decline."""
    plan = plan_from_draft(previous, metas)
    if plan is None:
        return Understanding(decline=reason("follow-ups on a draft that was not built from corpus exemplars"))
    text = Text(request)
    blocked = unsupported(text)
    if blocked:
        return Understanding(decline=reason(blocked))
    remove_all = bool(_REMOVE.search(text.low))
    replace = bool(_REPLACE.search(text.low))
    exemptions = extract_exemptions(text)
    chosen = select(rank(text, metas), text)
    for entry in chosen:
        for hit in entry.hits:
            text.use(hit.start, hit.end)
    scope = extract_scope(text)
    if scope.problems:
        return Understanding(decline=reason(scope.problems[0]))
    changed = _scope_changes(plan, scope, text, remove_all)
    prefixes = [p for item in exemptions.items for p in item.prefixes]
    for part in plan.parts:
        if prefixes and "exemptImages" in schema_properties(metas[part.exemplar_id]):
            part.params["exemptImages"] = _merge_list(
                part.params.get("exemptImages", []), prefixes, [], remove_all, False
            )
            changed = True
    known = set(plan.exemplar_ids)
    # New rules first: their clause's registries, keys or ports are theirs, not an old rule's.
    added: list[Part] = []
    for entry in chosen:
        if entry.exemplar_id in known or remove_all:
            continue
        region = Region(text, 0, len(text.raw))
        filled = fill(entry.exemplar_id, region, metas[entry.exemplar_id], prefixes)
        if filled.missing or filled.problems:
            return Understanding(decline=reason((filled.missing or filled.problems)[0]))
        facets = select_facets(entry.exemplar_id, region)
        added.append(
            Part(exemplar_id=entry.exemplar_id, params=filled.params, facets=facets, score=entry.score)
        )
        plan.notes += filled.notes
    already: list[str] = []
    for part in plan.parts:
        before = len(text.used)
        filled = fill(part.exemplar_id, Region(text, 0, len(text.raw)), metas[part.exemplar_id], [])
        if len(text.used) > before:
            changed |= _apply_filled(part, filled, metas[part.exemplar_id], remove_all, replace, already)
        named = select_facets(part.exemplar_id, Region(text, 0, len(text.raw)))
        if part.facets and named:
            merged = (
                [f for f in part.facets if f not in named] if remove_all else sorted({*part.facets, *named})
            )
            changed |= merged != part.facets
            part.facets = merged
    if added:
        # "make it about host networking instead" replaces the rules; otherwise they are added.
        plan.parts = added if replace else plan.parts + added
        changed = True
    if remove_all:
        dropped = [e.exemplar_id for e in chosen if e.exemplar_id in known]
        if dropped and len(plan.parts) > len(dropped):
            plan.parts = [p for p in plan.parts if p.exemplar_id not in dropped]
            changed = True
    if len(plan.parts) > MAX_PARTS:
        return Understanding(decline=reason(f"more than {MAX_PARTS} rules in one policy"))
    if not changed and already:
        return Understanding(
            decline=reason(f'the follow-up "{request.strip()}": {already[0]}, nothing to change')
        )
    if not changed:
        words = " ".join(text.leftover_words()[:8]) or request.strip()
        return Understanding(decline=reason(f'the follow-up "{words}" on {previous.policy_id}'))
    plan.notes = list(dict.fromkeys(plan.notes))
    plan.confidence = round(0.9 if not text.leftover_words() else 0.75, 2)
    return Understanding(plan=copy.deepcopy(plan), confidence=plan.confidence)
