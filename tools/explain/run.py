"""explain(): why each object of one manifest is denied, the smallest fix, and the fix re-verified."""

from __future__ import annotations

import copy
import os
import time
from collections.abc import Sequence
from pathlib import Path

from tools.errors import InputError
from tools.explain.counter import find_counterexamples
from tools.explain.jsonpatch import operations
from tools.explain.models import ExplainSummary, Explanation, ObjectExplanation, PolicySuggestion
from tools.explain.outcome import plan_patches, settle
from tools.explain.policyside import suggest
from tools.explain.render import plural
from tools.explain.rounds import Progress, Work, blocking, run_rounds
from tools.extract.load import load_manifests
from tools.extract.models import LoadResult, SourcedObject
from tools.scan import evaluate, load_policies
from tools.scan.run import split_gatekeeper

DEFAULT_ROUNDS = 3


def load_manifest(manifest_path: str | Path, *, stdin_text: str | None = None) -> LoadResult:
    """The objects of one manifest file ("-" for stdin); InputError when it is missing, not YAML or empty."""
    path = str(manifest_path)
    if path != "-" and os.path.isdir(path):
        raise InputError(
            f"{path} is a folder; explain takes one manifest file", hint="use `kpc scan` for folders"
        )
    loaded = load_manifests([path], stdin_text=stdin_text)
    if loaded.errors:
        first = loaded.errors[0]
        raise InputError(f"{first.location()}: {first.message}")
    if not loaded.objects:
        skipped = next((n for n in loaded.notes if n.level == "warning"), None)
        if skipped is not None:
            raise InputError(f"{skipped.location()}: {skipped.message}")
        raise InputError(f"{path}: no Kubernetes objects (documents with apiVersion and kind) in it")
    return loaded


def _object(item: SourcedObject) -> ObjectExplanation:
    entry = ObjectExplanation(
        kind=item.kind,
        api_version=str(item.obj.get("apiVersion", "")),
        name=item.name,
        namespace=item.namespace or None,
        file=item.file,
        line=item.line,
        doc_index=item.doc_index,
        item_index=item.item_index,
    )
    entry.attach_source(item.obj)
    return entry


def explain(
    manifest_path: str | Path,
    *,
    policies: Sequence[str | Path] | None = None,
    max_rounds: int = DEFAULT_ROUNDS,
    stdin_text: str | None = None,
    progress: Progress | None = None,
    counterexamples: bool = False,
    policy_side: bool = False,
) -> Explanation:
    """Explains why the Kubernetes objects in one manifest file are denied, and fixes what can be fixed.

    Every object of the file (multi-document YAML, JSON, `kind: List`) is evaluated by
    gator against Gatekeeper policies: the exemplar corpus by default, or `policies`
    (folders or files of ConstraintTemplates + Constraints, or `kpc ask` bundles). For
    each violation it reports the policy (id, title, constraint), the message, the
    offending field path (e.g. spec.template.spec.containers[0].securityContext.privileged)
    and the smallest fix. Fixes are applied to copies of the objects and re-verified by
    the same policies, one gator batch per round; a fix that trips another policy is
    followed by that policy's fix, for at most `max_rounds` rounds. Each object ends as
    admitted, fixed ("now admitted by all policies"), partly-fixed or not-fixed, with what
    still fails. Tags, digests, registries, namespaces and RBAC scopes are never invented:
    those fixes are manual and say which field needs what kind of value. Each object's
    `patch` holds only re-verified changes. `manifest_path` "-" reads `stdin_text` (or
    stdin) instead of a file. Raises InputError for a missing file, invalid YAML or a
    file without Kubernetes objects. With `counterexamples`, each violation also gets the
    single mutations around its field (remove, flip, the fix's value, an excluded
    namespace) that flip the verdict, all evaluated in one more gator run. With
    `policy_side`, `policy_side` lists constraint changes (an excluded namespace, a
    parameter) that would admit each object instead, re-verified with gator against the
    object and the policy's own samples (which samples change verdict is reported).
    """
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    loaded = load_manifest(manifest_path, stdin_text=stdin_text)
    policy_set = load_policies(policies)
    notes = [n for n in loaded.notes if n.level != "info"] + list(policy_set.notes)
    objects = split_gatekeeper(loaded.objects, notes, tool="explain", action="explained")
    say(f"evaluating {plural(len(objects), 'object')} against {plural(len(policy_set.refs), 'policy')}")
    results, eval_notes, runs = evaluate(objects, policy_set)
    notes += eval_notes
    explained = [_object(item) for item in objects]
    works: list[tuple[int, Work]] = []
    for i, (item, result) in enumerate(zip(objects, results, strict=True)):
        explained[i].verdict = result.verdict
        explained[i].notes = list(result.notes)
        current = blocking(result.violations)
        if current:
            works.append((i, Work(source=item, obj=copy.deepcopy(item.obj), current=current)))
    fixing = {i for i, _ in works}
    # Namespaces stay in every re-verification so namespaceSelector matches as before.
    context = [o for i, o in enumerate(objects) if o.kind == "Namespace" and i not in fixing]
    only_works = [w for _, w in works]
    runs += run_rounds(only_works, policy_set, context, max_rounds=max_rounds, progress=progress)
    for i, work in works:
        explained[i].reverification = settle(work)
    patches, patch_notes, extra = plan_patches(only_works, policy_set, context)
    runs += extra
    if counterexamples:
        say("counterexamples: evaluating single mutations with gator")
        runs += find_counterexamples(only_works, policy_set, context)
    suggestions: list[PolicySuggestion] = []
    if policy_side:
        say("policy side: re-verifying constraint changes with gator")
        suggestions, extra = suggest(only_works, policy_set, context)
        runs += extra
    for n, (i, work) in enumerate(works):
        entry = explained[i]
        entry.violations = work.explained
        entry.patch = patches.get(n, [])
        entry.json_patch = operations(entry.patch)
        entry.patch_note = patch_notes.get(n)
    return Explanation(
        manifest="<stdin>" if str(manifest_path) == "-" else str(manifest_path),
        summary=_summary(explained, len(policy_set.refs), runs, started),
        objects=explained,
        policies=policy_set.refs,
        policy_side=suggestions,
        notes=notes,
    )


def _summary(objects: list[ObjectExplanation], policies: int, runs: int, started: float) -> ExplainSummary:
    violations = [v for o in objects for v in o.violations]
    return ExplainSummary(
        objects=len(objects),
        denied=sum(o.verdict == "deny" for o in objects),
        warned=sum(o.verdict == "warn" for o in objects),
        admitted=sum(o.verdict == "allow" for o in objects),
        fixed=sum(1 for o in objects if o.reverification and o.reverification.status == "fixed"),
        violations=len(violations),
        automatic=sum(v.fix.kind == "automatic" for v in violations),
        placeholder=sum(v.fix.kind == "placeholder" for v in violations),
        manual=sum(v.fix.kind == "manual" for v in violations),
        policies=policies,
        gator_runs=runs,
        seconds=round(time.perf_counter() - started, 3),
    )
