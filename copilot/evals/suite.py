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

from copilot.evals.spec import CLUSTER_SCOPED, Case, CaseSpec, Check, ManifestSpec, SuiteSpec
from tools.errors import InputError

# libyaml when present: suites are long and the pure-Python loader is slow.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_objects(path: Path, where: str) -> list[dict[str, Any]]:
    """The objects of a manifest file: one or more YAML documents, or a `kind: List`."""
    try:
        docs = [d for d in yaml.load_all(path.read_text(), Loader=_Loader) if d is not None]
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{where}: cannot read {path}: {str(exc).splitlines()[0]}") from exc
    objects: list[Any] = []
    for doc in docs:
        is_list = isinstance(doc, dict) and doc.get("kind") == "List" and isinstance(doc.get("items"), list)
        objects += doc["items"] if is_list else [doc]
    if not objects or not all(isinstance(o, dict) for o in objects):
        raise InputError(f"{where}: {path} holds no Kubernetes objects")
    return objects


def _checks(spec: ManifestSpec, base: Path, where: str) -> list[Check]:
    """One check per object of the entry (a file may hold several, all with the entry's verdict)."""
    if (spec.object is None) == (spec.file is None):
        raise InputError(f"{where}: give exactly one of `object` or `file`")
    if spec.file is not None:
        objects, source = _read_objects((base / spec.file).resolve(), where), spec.file
    else:
        objects, source = [copy.deepcopy(spec.object or {})], "inline"
    checks = []
    for index, obj in enumerate(objects):
        if not obj.get("apiVersion") or not obj.get("kind"):
            raise InputError(f"{where}: not a Kubernetes object (apiVersion and kind are required)")
        meta = obj.get("metadata") or {}
        if not meta.get("name"):
            raise InputError(f"{where}: metadata.name is required (the scorer matches verdicts by name)")
        kind = str(obj["kind"])
        name = spec.name or f"{kind.lower()}-{meta['name']}"
        checks.append(
            Check(
                name=f"{name}-{index + 1}" if spec.name and len(objects) > 1 else name,
                expected=spec.verdict,
                object=obj,
                kind=kind,
                namespace=str(meta.get("namespace") or ""),
                object_name=str(meta["name"]),
                source=source,
                why=spec.why,
            )
        )
    return checks


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


def _case(spec: CaseSpec, suite: str, path: Path) -> Case:
    where = f"{path}: case {spec.id}"
    checks = [
        check
        for i, entry in enumerate(spec.manifests)
        for check in _checks(entry, path.parent, f"{where}, manifest {i + 1}")
    ]
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
    return Case(suite=suite, spec=spec, checks=checks, suite_file=path)


def load_suite(path: Path) -> list[Case]:
    """The cases of one suite file (InputError, one line, for anything malformed)."""
    try:
        data = yaml.load(path.read_text(), Loader=_Loader)
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read suite {path}: not UTF-8 text (byte {exc.start})") from exc
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read suite {path}: {str(exc).splitlines()[0]}") from exc
    if data is None:
        raise InputError(f"suite {path} is empty", hint="the suite format is in evals/README.md")
    try:
        spec = SuiteSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"{path}: {loc}: {first['msg']}", hint="the suite format is in evals/README.md"
        ) from exc
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
