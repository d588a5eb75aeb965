"""--policy-side: how the constraint could admit an object, when changing the policy is the intent.

Each option (an excluded namespace, a parameter change; see policyparams.py) becomes a
renamed copy of the constraint (<name>-kpc-alt-N). ONE gator run evaluates the denied
objects and the policy's own samples against the original constraints and every copy
side by side, so for each option we know whether the object is admitted by it and which
samples change verdict, without a run per option. The option is shown as a unified diff
of the constraint file, edited in place like --write edits manifests.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from tools.bundle import examples, sample_dirs
from tools.explain import diff as changes_of
from tools.explain.models import PolicySuggestion, SampleFlip
from tools.explain.patch import read_text, unified_diff
from tools.explain.policyparams import Option, exemption, parameter_options
from tools.explain.rewrite import rewrite
from tools.explain.rounds import Work, blocking
from tools.extract.load import load_manifests
from tools.extract.models import SourcedObject
from tools.scan import PolicySet, evaluate
from tools.scan.models import ObjectResult, Verdict, strongest
from tools.scan.policies import is_gatekeeper_object


def _key(constraint: dict[str, Any]) -> str:
    return f"{constraint.get('kind')}/{(constraint.get('metadata') or {}).get('name', '')}"


def _samples(source: str | None, kind: str) -> list[SourcedObject]:
    """The example manifests next to the constraint file (corpus samples/<name>/, or a bundle's samples)."""
    if not source:
        return []
    folder = Path(source).parent
    if folder.parent.name != "samples":
        dirs = sample_dirs(folder)
        folder = next(
            (d for d in dirs if kind in (d / "constraint.yaml").read_text(errors="replace")), folder
        )
    files = [str(p) for p in examples(folder)] if folder.parent.name == "samples" else []
    loaded = load_manifests(files) if files else None
    return [o for o in loaded.objects if not is_gatekeeper_object(o.obj)] if loaded else []


def _verdict(result: ObjectResult, constraint_name: str) -> Verdict:
    return strongest([v.verdict for v in blocking(result.violations) if v.constraint_name == constraint_name])


def constraint_diff(source: str | None, original: dict[str, Any], changed: dict[str, Any]) -> str:
    """The change as a unified diff of the constraint file ('' when the file cannot be read or edited)."""
    if not source or not Path(source).is_file():
        return ""
    text, _bom = read_text(source)
    loaded = load_manifests([source])
    doc = next((o for o in loaded.objects if o.obj == original), None)
    if doc is None:
        return ""
    edits = {(doc.doc_index, doc.item_index): changes_of.diff(original, changed)}
    return unified_diff(text, rewrite(text, edits).text, source)


def suggest(
    works: list[Work], policy_set: PolicySet, context: list[SourcedObject]
) -> tuple[list[PolicySuggestion], int]:
    """Policy-side options for every violation of `works`, re-verified in one gator run; and the runs used."""
    constraints = {_key(c): c for c in policy_set.constraints}
    refs = {ref.key: ref for ref in policy_set.refs}
    planned: list[tuple[Work, str, Option, str]] = []
    seen: set[tuple[int, str, str]] = set()
    for w, work in enumerate(works):
        namespace = (work.source.obj.get("metadata") or {}).get("namespace")
        for entry in work.explained:
            constraint = constraints.get(entry.id)
            if entry.introduced_by_fix or constraint is None:
                continue
            options = [exemption(constraint, namespace, entry.policy_label)] if namespace else []
            options += parameter_options(entry.policy_id, constraint, work.source.obj, entry.details)
            for option in options:
                if option is not None and (w, entry.id, option.summary) not in seen:
                    seen.add((w, entry.id, option.summary))
                    planned.append((work, entry.id, option, entry.policy_label))
    if not planned:
        return [], 0
    involved = {key for _, key, _, _ in planned}
    kinds = {key.split("/", 1)[0] for key in involved}
    alts = []
    for number, (_, _, option, _) in enumerate(planned, start=1):
        alt = copy.deepcopy(option.constraint)
        alt["metadata"]["name"] = f"{alt['metadata']['name']}-kpc-alt-{number}"
        alts.append(alt)
    samples = {key: _samples(refs[key].source, key.split("/", 1)[0]) for key in involved}
    run_set = PolicySet(
        templates=[t for t in policy_set.templates if _template_kind(t) in kinds],
        constraints=[constraints[key] for key in sorted(involved)] + alts,
        extras=policy_set.extras,
    )
    subjects = list(dict.fromkeys(id(work) for work, _, _, _ in planned))
    by_id = {id(work): work for work, _, _, _ in planned}
    objects = [by_id[i].source for i in subjects]
    sample_items = [(key, item) for key in sorted(involved) for item in samples[key]]
    # Samples of different policies reuse names ("example" in default): unique names keep
    # them in one gator run. Namespaces keep theirs, as namespaceSelector looks them up.
    sample_items = [(key, _renamed(item, n)) for n, (key, item) in enumerate(sample_items, start=1)]
    results, _notes, runs = evaluate(
        objects + [item for _, item in sample_items] + context, policy_set=run_set
    )
    object_result = {i: results[n] for n, i in enumerate(subjects)}
    sample_results = list(zip(sample_items, results[len(objects) :], strict=False))
    suggestions = []
    for (work, key, option, label), alt in zip(planned, alts, strict=True):
        alt_name = alt["metadata"]["name"]
        original_name = key.split("/", 1)[1]
        mine = object_result[id(work)]
        still = [v.message for v in blocking(mine.violations) if v.constraint_name == alt_name]
        flips = [
            SampleFlip(file=item.file, object=result.ref, before=before, after=after)
            for (owner, item), result in sample_results
            if owner == key
            and (before := _verdict(result, original_name)) != (after := _verdict(result, alt_name))
        ]
        source = refs[key].source
        suggestions.append(
            PolicySuggestion(
                object=f"{work.source.kind} {_ref_name(work)}",
                where=f"{work.source.file}:{work.source.line}",
                policy=label,
                constraint=key,
                constraint_file=source,
                kind="exemption" if option.kind == "exemption" else "parameter",
                summary=option.summary,
                changes=changes_of.diff(constraints[key], option.constraint),
                diff=constraint_diff(source, constraints[key], option.constraint),
                admits_object=not still,
                still=still,
                samples_checked=len(samples[key]),
                flipped_samples=flips,
                warnings=option.warnings,
            )
        )
    return suggestions, runs


def _renamed(item: SourcedObject, number: int) -> SourcedObject:
    if item.kind == "Namespace" or not isinstance(item.obj.get("metadata"), dict):
        return item
    obj = copy.deepcopy(item.obj)
    obj["metadata"]["name"] = f"{obj['metadata'].get('name', 'sample')}-kpc-sample-{number}"
    return item.model_copy(update={"obj": obj})


def _ref_name(work: Work) -> str:
    namespace = work.source.namespace
    return f"{namespace + '/' if namespace else ''}{work.source.name}"


def _template_kind(template: dict[str, Any]) -> str:
    names = (((template.get("spec") or {}).get("crd") or {}).get("spec") or {}).get("names") or {}
    return str(names.get("kind") or "")
