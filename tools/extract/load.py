"""load_manifests: files, folders, globs and stdin to Kubernetes objects, each with its file:line."""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tools.errors import InputError
from tools.extract.models import Limits, LoadResult, SourcedObject
from tools.extract.safe_yaml import (
    YamlDocument,
    YamlLimitError,
    item_lines,
    iter_documents,
    plain,
    problem_line,
    problem_text,
)
from tools.extract.sources import STDIN, STDIN_NAME, PathArg, as_path_list, expand_paths
from tools.models import Finding, Level

# Template actions only Helm charts use; Go templates inside ConfigMaps (alerting
# rules, dashboards) use "{{ $labels.x }}" or "{{ range .Alerts }}" and must still load.
_HELM = re.compile(
    r"\{\{-?\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|\.Template|\$\.Values"
    r"|include\b|template\b|define\b|toYaml\b|tpl\b|required\b)|\.Values\.|\.Release\.Name"
)
_API_VERSION = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9.-]*/)?[A-Za-z0-9]+$")
_KIND = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
_KUSTOMIZE_KINDS = {"Kustomization", "Component"}


class _ObjectLimit(Exception):
    """Limits.max_objects reached: loading stops for every input, not just this file."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _note(level: Level, check: str, message: str, file: str, row: int | None = None) -> Finding:
    return Finding(id=f"extract/{check}", level=level, message=message, file=file, row=row, tool="kpc")


def _in_helm_chart(path: str) -> bool:
    """A file under <chart>/templates/ next to a Chart.yaml is a Helm template even when it parses."""
    parts = Path(path).resolve().parts
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] == "templates" and Path(*parts[:i], "Chart.yaml").is_file():
            return True
    return False


def _looks_like_helm(text: str, path: str, parse_failed: bool) -> bool:
    if "{{" not in text:
        return False
    return parse_failed or bool(_HELM.search(text)) or (path != STDIN_NAME and _in_helm_chart(path))


def shape_problem(obj: dict[str, Any]) -> str | None:
    """Why an object cannot be evaluated as a Kubernetes object, or None when it can."""
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(api_version, str) or not _API_VERSION.match(api_version):
        return f"apiVersion {api_version!r} is not 'version' or 'group/version'"
    if not isinstance(kind, str) or not _KIND.match(kind):
        return f"kind {kind!r} is not a Kubernetes kind name"
    meta = obj.get("metadata")
    if meta is None:
        return None
    if not isinstance(meta, dict):
        return "metadata must be a mapping"
    for key in ("name", "namespace", "generateName"):
        if key in meta and meta[key] is not None and not isinstance(meta[key], str):
            return f"metadata.{key} must be a string"
    for key in ("labels", "annotations"):
        if meta.get(key) is not None and not isinstance(meta[key], dict):
            return f"metadata.{key} must be a mapping"
    return None


@dataclass
class _Candidate:
    """A document (or List item) before it is known to be a Kubernetes object."""

    data: Any
    file: str
    line: int
    doc_index: int = 0
    item_index: int | None = None


def _list_items(doc: YamlDocument, data: dict[str, Any], file: str) -> list[_Candidate]:
    """A `kind: List` (or a typed list such as PodList) expanded to its items, each with its own line."""
    lines = item_lines(doc.node)
    element_kind = data["kind"][: -len("List")] if data["kind"] != "List" else None
    found = []
    for i, item in enumerate(data.get("items") or []):
        if isinstance(item, dict) and element_kind:
            # The API server omits apiVersion/kind on the items of typed lists.
            item = {"apiVersion": data.get("apiVersion"), "kind": element_kind, **item}
        line = lines[i] if i < len(lines) else doc.line
        found.append(_Candidate(item, file, line, doc.index, i))
    return found


def _is_list(data: Any) -> bool:
    kind = data.get("kind") if isinstance(data, dict) else None
    return isinstance(kind, str) and kind.endswith("List") and isinstance(data.get("items"), list)


def _accept(candidate: _Candidate, result: LoadResult, limits: Limits) -> None:
    obj, file, line = candidate.data, candidate.file, candidate.line
    where = f"document {candidate.doc_index + 1}" + (
        f", item {candidate.item_index + 1}" if candidate.item_index is not None else ""
    )
    if not isinstance(obj, dict) or ("apiVersion" not in obj and "kind" not in obj):
        result.notes.append(
            _note("info", "not-kubernetes", f"{where} has no apiVersion/kind; skipped", file, line)
        )
        return
    missing = [k for k in ("apiVersion", "kind") if not obj.get(k)]
    if missing:
        result.notes.append(
            _note("info", "not-kubernetes", f"{where} has no {' or '.join(missing)}; skipped", file, line)
        )
        return
    if obj.get("kind") in _KUSTOMIZE_KINDS and str(obj.get("apiVersion", "")).startswith("kustomize."):
        result.notes.append(
            _note("warning", "kustomize", "a kustomization: render first (kustomize build DIR)", file, line)
        )
        return
    problem = shape_problem(obj)
    if problem:
        result.notes.append(_note("error", "invalid-object", f"{where}: {problem}; skipped", file, line))
        return
    if len(result.objects) >= limits.max_objects:
        raise _ObjectLimit(line)
    result.objects.append(
        SourcedObject(
            obj=obj, file=file, line=line, doc_index=candidate.doc_index, item_index=candidate.item_index
        )
    )


def _load_json(text: str, file: str, result: LoadResult, limits: Limits) -> bool:
    """Fallback for JSON that the YAML reader refuses; every object is cited at line 1."""
    try:
        data = plain(json.loads(text))
    except (ValueError, RecursionError):
        return False
    items = data["items"] if _is_list(data) else None
    for i, item in enumerate(items if items is not None else [data]):
        _accept(_Candidate(item, file, 1, 0, i if items is not None else None), result, limits)
    return True


def load_text(text: str, file: str, result: LoadResult, limits: Limits) -> None:
    """Adds the objects of one file's text to `result`, and a note for each thing skipped."""
    if _looks_like_helm(text, file, parse_failed=False):
        result.notes.append(
            _note("warning", "helm-template", "a Helm template: render first (helm template ...)", file)
        )
        return
    try:
        for doc in iter_documents(text, limits):
            data = doc.data
            if data is None:
                continue  # empty documents ("---" separators, comments only)
            if _is_list(data):
                candidates = _list_items(doc, data, file)
            else:
                candidates = [_Candidate(data, file, doc.line, doc.index)]
            for candidate in candidates:
                _accept(candidate, result, limits)
    except YamlLimitError as exc:
        result.notes.append(_note("error", "limit", f"rejected: {exc.message}", file, exc.line))
    except yaml.YAMLError as exc:
        if _looks_like_helm(text, file, parse_failed=True):
            result.notes.append(
                _note("warning", "helm-template", "a Helm template: render first (helm template ...)", file)
            )
        elif not (file.lower().endswith(".json") and _load_json(text, file, result, limits)):
            row = problem_line(exc)
            if row is not None:  # errors found at the end of the stream point past the last line
                row = max(1, min(row, text.count("\n") + (0 if text.endswith("\n") else 1)))
            result.notes.append(
                _note("error", "invalid-yaml", f"invalid YAML: {problem_text(exc)}", file, row)
            )


def _read(path: str, limits: Limits, stdin_text: str | None) -> str:
    """A file's text (UTF-8, BOM dropped); OSError / ValueError describe what went wrong."""
    if path == STDIN:
        text = stdin_text if stdin_text is not None else sys.stdin.read(limits.max_file_bytes + 1)
        if len(text.encode("utf-8", "surrogatepass")) > limits.max_file_bytes:
            raise ValueError(f"larger than the {limits.max_file_bytes} byte limit")
        return text.removeprefix("\ufeff")
    size = os.path.getsize(path)
    if size > limits.max_file_bytes:
        raise ValueError(f"{size} bytes, over the {limits.max_file_bytes} byte limit")
    with open(path, "rb") as fh:
        data = fh.read(limits.max_file_bytes + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (byte {exc.start})") from exc


def load_manifests(
    paths: PathArg, *, stdin_text: str | None = None, limits: Limits | None = None
) -> LoadResult:
    """Loads Kubernetes objects from files, folders (recursive *.yaml, *.yml, *.json), globs and "-" (stdin).

    Multi-document YAML, JSON and `kind: List` are expanded; every object keeps its file
    and the line it starts on. Nothing unsafe is expanded: inputs over the Limits, Helm
    templates, unparsable YAML and non-Kubernetes documents become notes, not objects.
    Raises InputError only when a path does not exist or nothing was given.
    """
    limits = limits or Limits()
    if not as_path_list(paths):
        raise InputError("no manifests given", hint="pass files, folders, globs or '-' for stdin")
    result = LoadResult()
    total = 0
    for path in expand_paths(paths, max_files=limits.max_files):
        name = STDIN_NAME if path == STDIN else path
        try:
            text = _read(path, limits, stdin_text)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            result.notes.append(_note("error", "unreadable", f"cannot read: {reason}", name))
            continue
        result.files += 1
        total += len(text)
        if total > limits.max_total_bytes:
            result.notes.append(
                _note("error", "limit", f"rejected: inputs exceed {limits.max_total_bytes} bytes", name)
            )
            break
        try:
            load_text(text, name, result, limits)
        except _ObjectLimit as exc:
            message = f"rejected: more than {limits.max_objects} Kubernetes objects in all inputs"
            result.notes.append(_note("error", "limit", message, name, exc.line))
            break
    return result
