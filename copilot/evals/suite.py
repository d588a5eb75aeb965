"""Eval suites: plain-English requests plus the acceptance manifests their answers are judged on.

A suite is one YAML file (evals/suites/*.yaml, evals/mock/*.yaml):

    suite: pod-security
    description: what these cases have in common
    cases:
      - id: privileged-except-system
        request: containers may not run privileged, except in kube-system
        target: both                      # gatekeeper | conftest | both (default both)
        expect:
          status: verified                # or declined, not_verified, a list, or {offline: declined, default: ...}
          exempt_namespaces: [kube-system]
        manifests:
          - {name: privileged-pod, verdict: deny, object: {apiVersion: v1, kind: Pod, ...}}
          - {verdict: allow, file: ../manifests/hardened-pod.yaml}

The request is the only thing the agent sees; manifests and expectations stay with the
scorer. The suite's shape is checked when it loads (unknown keys, missing names, clashing
objects), so a typo fails the run before any model call. Validating the manifests against
the Kubernetes schemas costs tens of milliseconds each, so it happens per case when the
case runs (`schema_problems`), and only for the cases selected.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from copilot.evals.spec import CLUSTER_SCOPED, Case, CaseSpec, Check, Expectation, ManifestSpec, SuiteSpec
from tools.errors import InputError

# libyaml when present: suites are long and the pure-Python loader is slow.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_object(path: Path, where: str) -> dict[str, Any]:
    try:
        docs = [d for d in yaml.load_all(path.read_text(), Loader=_Loader) if d is not None]
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{where}: cannot read {path}: {str(exc).splitlines()[0]}") from exc
    if len(docs) != 1 or not isinstance(docs[0], dict):
        raise InputError(f"{where}: {path} must hold exactly one Kubernetes object")
    return docs[0]


def _check(spec: ManifestSpec, base: Path, where: str) -> Check:
    if (spec.object is None) == (spec.file is None):
        raise InputError(f"{where}: give exactly one of `object` or `file`")
    if spec.file is not None:
        path = (base / spec.file).resolve()
        obj, source = _read_object(path, where), spec.file
    else:
        obj, source = copy.deepcopy(spec.object or {}), "inline"
    if not obj.get("apiVersion") or not obj.get("kind"):
        raise InputError(f"{where}: not a Kubernetes object (apiVersion and kind are required)")
    meta = obj.get("metadata") or {}
    if not meta.get("name"):
        raise InputError(f"{where}: metadata.name is required (the scorer matches verdicts by name)")
    kind = str(obj["kind"])
    return Check(
        name=spec.name or f"{kind.lower()}-{meta['name']}",
        expected=spec.verdict,
        object=obj,
        kind=kind,
        namespace=str(meta.get("namespace") or ""),
        object_name=str(meta["name"]),
        source=source,
        why=spec.why,
    )


def schema_problems(case: Case) -> list[str]:
    """The case's manifests that are not valid Kubernetes objects (strict schema), one line each."""
    from tools.kube import validation_error

    problems = []
    for check in case.checks:
        if check.derived:
            continue  # a copy differs only in its namespace
        problem = validation_error(check.object)
        if problem:
            problems.append(f"{check.name} ({check.source}) is not a valid Kubernetes object: {problem}")
    return problems


def exempt_copies(checks: list[Check], namespaces: list[str]) -> list[Check]:
    """For every namespaced deny check, the same object in each exempt namespace, expected allowed."""
    out = []
    for check in checks:
        if check.expected == "allow" or check.kind in CLUSTER_SCOPED or check.derived:
            continue
        for ns in namespaces:
            if ns == check.namespace:
                continue
            obj = copy.deepcopy(check.object)
            obj["metadata"]["namespace"] = ns
            out.append(
                check.model_copy(
                    update={
                        "name": f"{check.name}@{ns}",
                        "expected": "allow",
                        "object": obj,
                        "namespace": ns,
                        "derived": True,
                        "why": f"namespace {ns} is exempt",
                    }
                )
            )
    return out


def _may_answer(expect: Expectation) -> bool:
    values = expect.status.values() if isinstance(expect.status, dict) else [expect.status]
    return any(v == "verified" or (isinstance(v, list) and "verified" in v) for v in values) or (
        isinstance(expect.status, dict) and "default" not in expect.status
    )


def _case(spec: CaseSpec, suite: str, path: Path) -> Case:
    where = f"{path}: case {spec.id}"
    checks = [_check(m, path.parent, f"{where}, manifest {i + 1}") for i, m in enumerate(spec.manifests)]
    for check in checks:
        if check.expected != "allow" and check.namespace in spec.expect.exempt_namespaces:
            raise InputError(
                f"{where}: {check.name} is expected {check.expected} in exempt namespace {check.namespace}"
            )
    checks += exempt_copies(checks, spec.expect.exempt_namespaces)
    seen: dict[tuple[str, str, str], str] = {}
    for check in checks:
        if check.key in seen:
            kind, ns, name = check.key
            raise InputError(
                f"{where}: {check.name} and {seen[check.key]} are both {kind} {ns or '(no namespace)'}/{name}",
                hint="give each acceptance object a distinct name or namespace",
            )
        seen[check.key] = check.name
    if _may_answer(spec.expect) and not checks and spec.mock_script is None:
        raise InputError(
            f"{where}: a case that may be answered needs acceptance manifests to judge the answer"
        )
    return Case(suite=suite, spec=spec, checks=checks, suite_file=path)


def load_suite(path: Path) -> list[Case]:
    """The cases of one suite file (InputError, one line, for anything malformed)."""
    try:
        data = yaml.load(path.read_text(), Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read suite {path}: {str(exc).splitlines()[0]}") from exc
    try:
        spec = SuiteSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{path}: {loc}: {first['msg']}", hint="see docs/eval-report-schema.md") from exc
    ids = [c.id for c in spec.cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InputError(f"{path}: duplicate case ids: {', '.join(duplicates)}")
    return [_case(case, spec.suite, path) for case in spec.cases]


def suite_files(paths: list[str | Path]) -> list[Path]:
    """SUITE arguments as files: a file as is, a folder as its *.yaml / *.yml files (sorted)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
            if not found:
                raise InputError(f"{path} holds no *.yaml suite files")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"suite {path} does not exist")
    return list(dict.fromkeys(files))


def load_suites(paths: list[str | Path]) -> list[Case]:
    """Every case of every suite in `paths`; case refs (suite/id) must be unique across them."""
    cases: list[Case] = []
    for path in suite_files(paths):
        cases += load_suite(path)
    refs = [c.ref for c in cases]
    duplicates = sorted({r for r in refs if refs.count(r) > 1})
    if duplicates:
        raise InputError(f"case {duplicates[0]} is defined twice", hint="suite names must be unique")
    return cases
