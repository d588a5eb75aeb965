"""scan(): many manifests x a set of Gatekeeper policies, evaluated by gator in one batch."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tools.engine import gator_test
from tools.engine.gator import GatorViolation
from tools.errors import EngineError, EngineTimeout
from tools.extract.load import load_manifests
from tools.extract.models import Limits, SourcedObject
from tools.extract.sources import PathArg
from tools.models import Finding, Level
from tools.scan.mapping import Group, Run, fingerprint, identity, plan_runs
from tools.scan.models import ObjectResult, PolicyRef, ScanReport, ScanSummary, Verdict, Violation, strongest
from tools.scan.policies import PolicySet, is_gatekeeper_object, load_policies

Progress = Callable[[str], None]
# gator keeps every object and each violation's echo in memory (~350 MB per 1000
# objects against the corpus), so very large scans are split into runs of this size.
DEFAULT_BATCH = 2000
MIN_OBJECTS_PER_JOB = 100
# Below this many objects a scan takes about a second: progress lines would be noise.
PROGRESS_MIN_OBJECTS = 300
_RANK = {"allow": 0, "warn": 1, "deny": 2}
_LEVELS: dict[Verdict, Level] = {"deny": "error", "warn": "warning", "allow": "info"}
_UNMATCHED = "unable to match constraints"


def verdict_for(action: str, scoped_actions: Sequence[str] = ()) -> Verdict:
    """Gatekeeper's enforcementAction as a verdict: deny, warn, or allow for dryrun.

    For "scoped" constraints gator reports the actions of its own enforcement point;
    the strongest one counts. Unknown actions count as deny, the safe side.
    """
    if action == "scoped":
        return strongest([verdict_for(a) for a in scoped_actions])
    return {"deny": "deny", "warn": "warn", "dryrun": "allow"}.get(action, "deny")  # type: ignore[return-value]


def _write_docs(path: Path, docs: Iterable[dict[str, Any]]) -> None:
    """A YAML stream of JSON documents: exactly the data we loaded, with no YAML re-interpretation."""
    with path.open("w", encoding="utf-8", errors="replace") as fh:
        for doc in docs:
            fh.write("---\n")
            fh.write(json.dumps(doc, ensure_ascii=False, allow_nan=False))
            fh.write("\n")


def _result(item: SourcedObject) -> ObjectResult:
    return ObjectResult(
        kind=item.kind,
        api_version=str(item.obj.get("apiVersion", "")),
        name=item.name,
        namespace=item.namespace or None,
        file=item.file,
        line=item.line,
        doc_index=item.doc_index,
        item_index=item.item_index,
    )


def _violation(v: GatorViolation, ref: PolicyRef | None, target: ObjectResult) -> Violation:
    verdict = verdict_for(v.enforcement_action, v.scoped_actions)
    return Violation(
        id=f"{v.constraint_kind}/{v.constraint_name}",
        level=_LEVELS[verdict],
        message=v.msg,
        file=target.file,
        row=target.line,
        tool="gator",
        verdict=verdict,
        enforcement_action=v.enforcement_action,
        constraint_kind=v.constraint_kind,
        constraint_name=v.constraint_name,
        policy_id=ref.policy_id if ref else None,
        object_kind=target.kind,
        object_name=target.name,
        object_namespace=target.namespace,
        details=v.details,
    )


def _context(runs: list[Run], run: Run) -> list[dict[str, Any]]:
    """Namespace objects from other runs, so namespaceSelector sees every Namespace in the inputs."""
    found: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for other in runs:
        for group in other.groups if other is not run else []:
            key = identity(group.obj)
            if group.obj.get("kind") == "Namespace" and key not in run.by_identity:
                found.setdefault(key, group.obj)
    return list(found.values())


def _apply(
    violations: list[GatorViolation],
    run: Run,
    everything: dict[str, Group],
    results: list[ObjectResult],
    refs: dict[str, PolicyRef],
    notes: list[Finding],
) -> None:
    seen: set[tuple[str, str, str]] = set()
    for v in violations:
        group = run.find(v.violating_object) or everything.get(fingerprint(v.violating_object))
        if group is None:
            notes.append(
                Finding(
                    id="scan/unmatched",
                    level="warning",
                    message=f"gator reported {v.object_kind} {v.object_name}, which is not among the inputs: {v.msg}",
                    tool="kpc",
                )
            )
            continue
        key = (group.key, f"{v.constraint_kind}/{v.constraint_name}", v.msg)
        if key in seen:  # a context Namespace evaluated in more than one run
            continue
        seen.add(key)
        for member in group.members:
            target = results[member]
            if v.msg.startswith(_UNMATCHED):
                text = f"{v.constraint_kind}/{v.constraint_name} not evaluated: {v.msg.split(':', 2)[-1].strip()}"
                hint = " (add the Namespace objects to the scanned paths)" if "Namespace" in v.msg else ""
                target.notes.append(text + hint)
                notes.append(
                    Finding(
                        id="scan/not-evaluated",
                        level="warning",
                        message=f"{target.ref}: {text}{hint}",
                        file=target.file,
                        row=target.line,
                        tool="gator",
                    )
                )
                continue
            target.violations.append(_violation(v, refs.get(key[1]), target))


def _timeout(objects: int, policies: int) -> float:
    # gator compiles every template once, then evaluates objects x constraints.
    return 60.0 + 0.002 * objects * max(policies, 1)


def _run_gator(
    number: int,
    runs: list[Run],
    policy_file: Path,
    tmp: Path,
    policies: int,
    timeout: float | None,
    say: Progress,
) -> list[GatorViolation]:
    run = runs[number - 1]
    objects_file = tmp / f"objects-{number}.yaml"
    _write_docs(objects_file, [g.obj for g in run.groups] + _context(runs, run))
    size = sum(len(g.members) for g in run.groups)
    label = f"gator run {number}/{len(runs)}" if len(runs) > 1 else "gator"
    say(f"{label}: evaluating {size} objects against {policies} policies")
    started = time.perf_counter()
    try:
        violations = gator_test(
            [policy_file, objects_file], timeout=timeout or _timeout(len(run.groups), policies)
        )
    except EngineTimeout:
        raise
    except EngineError as exc:
        # gator's compile errors span lines (source excerpt, caret); users get the first.
        first = exc.message.strip().splitlines()[0] if exc.message.strip() else "gator test failed"
        raise EngineError(
            first, hint="check the ConstraintTemplates; `kpc verify DIR` checks a bundle"
        ) from exc
    say(f"{label}: done in {time.perf_counter() - started:.1f}s ({len(violations)} violations)")
    return violations


def evaluate(
    objects: list[SourcedObject],
    policy_set: PolicySet,
    *,
    batch_size: int = DEFAULT_BATCH,
    jobs: int = 1,
    timeout: float | None = None,
    progress: Progress | None = None,
) -> tuple[list[ObjectResult], list[Finding], int]:
    """Runs gator over `objects` with every template and constraint of `policy_set`.

    One gator run holds up to `batch_size` objects; `jobs` > 1 splits the objects over
    that many gator runs in parallel. Returns one ObjectResult per object (same order),
    notes, and the number of gator runs.
    """
    say = progress or (lambda _msg: None)
    results = [_result(o) for o in objects]
    notes: list[Finding] = []
    if not objects:
        return results, notes, 0
    per_run = max(batch_size, 1)
    if jobs > 1 and len(objects) >= jobs * MIN_OBJECTS_PER_JOB:
        per_run = min(per_run, -(-len(objects) // jobs))
    runs = plan_runs(objects, per_run)
    everything = {g.key: g for run in runs for g in run.groups}
    refs = {ref.key: ref for ref in policy_set.refs}
    with tempfile.TemporaryDirectory(prefix="kpc-scan-") as tmp:
        policy_file = Path(tmp) / "policies.yaml"
        _write_docs(policy_file, [*policy_set.templates, *policy_set.extras, *policy_set.constraints])
        args = (runs, policy_file, Path(tmp), len(policy_set.refs), timeout, say)
        with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(runs)))) as pool:
            outcomes = pool.map(lambda n: _run_gator(n, *args), range(1, len(runs) + 1))
            for run, violations in zip(runs, outcomes, strict=True):
                _apply(violations, run, everything, results, refs, notes)
    for result in results:
        result.violations.sort(key=lambda v: (-_RANK[v.verdict], v.policy_label, v.id, v.message))
        result.verdict = strongest([v.verdict for v in result.violations])
    return results, notes, len(runs)


def split_gatekeeper(
    loaded: list[SourcedObject], notes: list[Finding], *, tool: str = "scan", action: str = "scanned"
) -> list[SourcedObject]:
    """The objects to evaluate; Gatekeeper policy objects among them are set aside with a note."""
    kept = []
    for item in loaded:
        if is_gatekeeper_object(item.obj):
            notes.append(
                Finding(
                    id=f"{tool}/policy-object",
                    level="info",
                    message=f"{item.kind} {item.name} is a Gatekeeper policy object, not {action} "
                    "(pass its folder with --policies to apply it)",
                    file=item.file,
                    row=item.line,
                    tool="kpc",
                )
            )
        else:
            kept.append(item)
    return kept


def scan(
    paths: PathArg,
    *,
    policies: PathArg | None = None,
    stdin_text: str | None = None,
    limits: Limits | None = None,
    batch_size: int = DEFAULT_BATCH,
    jobs: int = 1,
    timeout: float | None = None,
    progress: Progress | None = None,
) -> ScanReport:
    """Evaluates every Kubernetes object under `paths` against Gatekeeper policies, as gator does.

    Policies default to the exemplar corpus (each policy's template and its first sample
    constraint); `policies` may name folders or files of ConstraintTemplates and
    Constraints, or bundle folders as `kpc ask` writes them. Match rules (kinds,
    namespaces, excludedNamespaces, labelSelector, namespaceSelector with the Namespace
    objects among the inputs) and enforcementAction (deny / warn / dryrun) are gator's.
    Each object gets a verdict (deny, warn, allow), its violations (policy, message) and
    its file:line; objects no policy applies to are allowed. All objects go to one gator
    run (`batch_size` caps a run; `jobs` > 1 spreads the objects over parallel runs).
    """
    started = time.perf_counter()
    loaded = load_manifests(paths, stdin_text=stdin_text, limits=limits)
    policy_set = load_policies(policies)
    notes = list(loaded.notes) + list(policy_set.notes)
    objects = split_gatekeeper(loaded.objects, notes)
    if len(objects) < PROGRESS_MIN_OBJECTS:
        progress = None
    if progress:
        progress(
            f"loaded {len(objects)} objects from {loaded.files} files in {time.perf_counter() - started:.1f}s"
        )
    results, eval_notes, runs = evaluate(
        objects, policy_set, batch_size=batch_size, jobs=jobs, timeout=timeout, progress=progress
    )
    notes += eval_notes
    summary = ScanSummary(
        objects=len(results),
        denied=sum(r.verdict == "deny" for r in results),
        warned=sum(r.verdict == "warn" for r in results),
        allowed=sum(r.verdict == "allow" for r in results),
        violations=sum(len(r.violations) for r in results),
        policies=len(policy_set.refs),
        files=loaded.files,
        gator_runs=runs,
        seconds=round(time.perf_counter() - started, 3),
    )
    return ScanReport(summary=summary, results=results, policies=policy_set.refs, notes=notes)
