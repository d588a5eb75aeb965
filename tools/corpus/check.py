"""Checks exemplar policies against the corpus bar: verified, complete, valid samples.

python -m tools.corpus.check                      # every policy
python -m tools.corpus.check policies/images/*    # some
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools.bundle import conftest_policy_paths, examples, expected_violation, load_yaml_file, sample_dirs
from tools.corpus.build import completeness_problems, expected_files
from tools.corpus.load import Exemplar, load_corpus, load_exemplar
from tools.engine import conftest_test
from tools.features import is_known
from tools.kube import validation_error
from tools.verify import verify_bundle

POD_SPEC_KINDS = {
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
    "ReplicationController",
}
CONTROLLER_KINDS = POD_SPEC_KINDS - {"Pod"}


def _sample_problems(ex: Exemplar) -> list[str]:
    problems = []
    allowed = disallowed = 0
    init_case = controller_case = False
    for sample in sample_dirs(ex.path):
        for example in examples(sample):
            obj = load_yaml_file(example)
            reason = validation_error(obj)
            if reason:
                problems.append(f"{example}: not a valid Kubernetes object: {reason}")
                continue
            if expected_violation(example):
                disallowed += 1
            else:
                allowed += 1
            kind = obj.get("kind")
            controller_case |= kind in CONTROLLER_KINDS
            spec = obj.get("spec", {}) or {}
            pod = spec if kind == "Pod" else (spec.get("template", {}) or {}).get("spec", {})
            if kind == "CronJob":
                pod = spec.get("jobTemplate", {}).get("spec", {}).get("template", {}).get("spec", {})
            init_case |= bool((pod or {}).get("initContainers")) and expected_violation(example)
    if allowed < 2 or disallowed < 2:
        problems.append(
            f"{ex.path}: needs >= 2 allowed and >= 2 disallowed samples (has {allowed} and {disallowed})"
        )
    if set(ex.meta.get("kinds", [])) & POD_SPEC_KINDS:
        if not init_case:
            problems.append(
                f"{ex.path}: needs a disallowed sample whose offending container is an initContainer"
            )
        if not controller_case:
            problems.append(f"{ex.path}: needs a sample of a workload controller (Deployment, CronJob, ...)")
    return problems


def _meta_problems(ex: Exemplar) -> list[str]:
    problems = []
    phrasings = ex.meta.get("phrasings", []) or []
    if len(phrasings) < 4:
        problems.append(f"{ex.path}/meta.yaml: needs >= 4 phrasings")
    # An unquoted "key: value" phrasing parses as a mapping, silently dropping it from retrieval.
    problems += [
        f"{ex.path}/meta.yaml: phrasing {p!r} is not a string; quote it"
        for p in phrasings
        if not isinstance(p, str)
    ]
    unknown = [f for f in ex.meta.get("features", []) or [] if not is_known(f)]
    if unknown:
        problems.append(f"{ex.path}/meta.yaml: unknown feature keys {unknown} (see tools/features.py)")
    return problems


def _conftest_problems(ex: Exemplar) -> list[str]:
    if not ex.meta.get("conftest", True):
        return []
    samples = sample_dirs(ex.path)
    if not samples:
        return []
    files = examples(samples[0])
    result = conftest_test(conftest_policy_paths(ex.path), files)
    denied = {Path(r.filename).name for r in result.files if r.failures}
    return [
        f"{f}: conftest variant {'admits' if expected_violation(f) else 'denies'} it"
        for f in files
        if expected_violation(f) != (f.name in denied)
    ]


def check_exemplar(ex: Exemplar) -> list[str]:
    """Every problem with one policy, as lines; empty when it meets the corpus bar."""
    problems = completeness_problems(ex) + _meta_problems(ex)
    if problems:
        return problems
    report = verify_bundle(ex.path)
    if not report.ok:
        problems.append(f"{ex.path}: {report.summary()}\n{report.failure_text()}")
    problems += _sample_problems(ex)
    problems += _conftest_problems(ex)
    stale = [
        p
        for p, content in expected_files([ex], with_index=False).items()
        if (not p.is_file() or p.read_text() != content)
    ]
    if stale:
        problems.append(
            f"{ex.path}: stale generated files {[str(p.relative_to(ex.path)) for p in stale]}; run `make generate`"
        )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    corpus = [load_exemplar(p) for p in args.paths] if args.paths else load_corpus()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(check_exemplar, corpus))
    bad = 0
    for ex, problems in zip(corpus, results, strict=True):
        if problems:
            bad += 1
            print(f"FAIL {ex.id}")
            print("\n".join("  " + line for p in problems for line in p.splitlines()))
        else:
            print(f"ok   {ex.id}")
    print(f"{len(corpus) - bad}/{len(corpus)} policies meet the bar")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
