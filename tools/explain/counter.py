"""Counterexamples: single mutations around the decisive field, and which of them flip deny to allow.

For each violation of the object as written, the field the policy points at is removed,
a boolean there is flipped, the fix's value is put in alone, and (when the constraint
excludes namespaces) the object is moved to an excluded namespace. Every mutant of every
object goes to ONE gator run; each mutant gets its own name (<name>-kpc-mutant-N) so
gator keeps them apart, and results come back by position.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from tools.explain import diff as changes_of
from tools.explain import paths
from tools.explain.models import Counterexample, ExplainedViolation, MutationKind
from tools.explain.rounds import Work, blocking, locus
from tools.extract.models import SourcedObject
from tools.scan import PolicySet, evaluate

# Kinds that live outside namespaces: moving them to an excluded namespace means nothing.
_CLUSTER_SCOPED = {
    "Namespace",
    "Node",
    "ClusterRole",
    "ClusterRoleBinding",
    "PersistentVolume",
    "StorageClass",
    "CustomResourceDefinition",
    "PriorityClass",
}


@dataclass
class Mutant:
    """One mutated copy, the violation it probes, and what was changed."""

    work: Work
    entry: ExplainedViolation
    entry_locus: str
    kind: MutationKind
    path: str
    before: Any
    after: Any
    obj: dict[str, Any]
    summary: str


def excluded_namespaces(policy_set: PolicySet) -> dict[str, list[str]]:
    """'Kind/name' -> the constraint's spec.match.excludedNamespaces."""
    found: dict[str, list[str]] = {}
    for constraint in policy_set.constraints:
        key = f"{constraint.get('kind')}/{(constraint.get('metadata') or {}).get('name', '')}"
        match = (constraint.get("spec") or {}).get("match") or {}
        names = match.get("excludedNamespaces") if isinstance(match, dict) else None
        found[key] = [str(n) for n in names] if isinstance(names, list) else []
    return found


def _decisive(entry: ExplainedViolation) -> paths.Path | None:
    for text in (entry.field, entry.details.get("field"), entry.details.get("path")):
        if isinstance(text, str) and text:
            try:
                return paths.parse(text)
            except ValueError:
                continue
    return None


def _candidates(work: Work, entry: ExplainedViolation, excluded: list[str]) -> list[tuple[Any, ...]]:
    """(kind, path, before, after, mutated object, summary) for each single mutation of the original."""
    source = work.source.obj
    found: list[tuple[Any, ...]] = []
    tokens = _decisive(entry)
    if tokens and paths.has(source, tokens):
        where = paths.format_path(tokens)
        value = paths.get(source, tokens)
        removed = copy.deepcopy(source)
        paths.remove(removed, tokens, prune=False)
        found.append(("remove", where, value, None, removed, f"remove {where}"))
        if isinstance(value, bool):
            flipped = copy.deepcopy(source)
            paths.set_value(flipped, tokens, not value)
            found.append(("flip", where, value, not value, flipped, f"{where}: {json.dumps(value)} -> {json.dumps(not value)}"))  # fmt: skip
    if entry.fix.changes and entry.fix.kind != "manual":
        try:
            fixed = changes_of.apply(source, entry.fix.changes)
        except ValueError:
            fixed = None
        if isinstance(fixed, dict):
            first = entry.fix.changes[0]
            found.append(("fix-value", first.path, first.before, first.after, fixed, f"the fix alone: {entry.fix.summary}"))  # fmt: skip
    namespace = (source.get("metadata") or {}).get("namespace")
    if excluded and source.get("kind") not in _CLUSTER_SCOPED:
        target = excluded[0].replace("*", "kpc")  # a prefix glob ("kube-*") matches any name after it
        moved = copy.deepcopy(source)
        paths.set_value(moved, ["metadata", "namespace"], target)
        found.append(("exempt-namespace", "metadata.namespace", namespace, target, moved, f"move to the excluded namespace {target}"))  # fmt: skip
    unique: list[tuple[Any, ...]] = []
    for candidate in found:  # the fix often equals removing or flipping the field: test it once
        if all(candidate[4] != other[4] for other in unique) and candidate[4] != source:
            unique.append(candidate)
    return unique


def mutants(works: list[Work], policy_set: PolicySet) -> list[Mutant]:
    """Every single mutation for every violation found on the objects as written."""
    excluded = excluded_namespaces(policy_set)
    found: list[Mutant] = []
    for work in works:
        loci = {id(entry): key for key, entry in work.by_locus.items()}
        for entry in work.explained:
            if entry.introduced_by_fix:
                continue
            for kind, path, before, after, obj, summary in _candidates(
                work, entry, excluded.get(entry.id, [])
            ):
                mutant = Mutant(work, entry, loci[id(entry)], kind, path, before, after, obj, summary)
                found.append(mutant)
    for number, mutant in enumerate(found, start=1):
        meta = mutant.obj.setdefault("metadata", {})
        meta["name"] = f"{meta.get('name', 'object')}-kpc-mutant-{number}"
    return found


def find_counterexamples(works: list[Work], policy_set: PolicySet, context: list[SourcedObject]) -> int:
    """Attaches counterexamples to each violation of `works`; returns the gator runs used (0 or 1)."""
    found = mutants(works, policy_set)
    if not found:
        return 0
    copies = [m.work.source.model_copy(update={"obj": m.obj}) for m in found]
    results, _notes, runs = evaluate(copies + context, policy_set)
    for mutant, result in zip(found, results, strict=False):
        remaining = blocking(result.violations)
        mutant.entry.counterexamples.append(
            Counterexample(
                mutation=mutant.kind,
                path=mutant.path,
                before=mutant.before,
                after=mutant.after,
                mutant=str(mutant.obj["metadata"]["name"]),
                verdict=result.verdict,
                clears=all(locus(v) != mutant.entry_locus for v in remaining),
                flips=not remaining,
                summary=mutant.summary,
                still=sorted({v.policy_id or v.id for v in remaining}),
            )
        )
    return runs
