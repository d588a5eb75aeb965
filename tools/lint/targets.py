"""Finding the Rego to lint in what a user passes, with the Kubernetes context next to it.

A path may be a .rego file, a bundle folder (src.rego + template/constraint/meta), a
ConstraintTemplate YAML file (its Rego is extracted from the `code:` block), or a folder
holding any of these. The context (constraint match kinds, declared parameters) comes
from template.yaml, constraint.yaml, samples/*/constraint.yaml and meta.yaml beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tools.bundle import bundle_lib_dir, lib_files, load_yaml_file
from tools.errors import InputError

_PACKAGE_RE = re.compile(r"^\s*package\s+([\w.]+)", re.MULTILINE)
_SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", "conftest", "samples"}


@dataclass
class ParamDecl:
    """A declared constraint parameter and where it is declared."""

    name: str
    file: str
    row: int | None


@dataclass
class LintTarget:
    """One Rego module to lint, with the file to show in findings and its context."""

    display: str
    source: str
    rego_file: Path | None = None  # None: the source only exists inside a template (written out later)
    row_offset: int | None = 0  # template line of the Rego's line 0; None when unknown
    col_offset: int = 0  # the block's indentation in a template
    is_test: bool = False
    match_kinds: list[str] = field(default_factory=list)
    kinds_from: str | None = None
    parameters: list[ParamDecl] = field(default_factory=list)
    # Modules the Rego imports (data.lib.*): given to Regal so imports resolve, never reported on.
    lib_files: list[Path] = field(default_factory=list)
    lib_sources: list[str] = field(default_factory=list)


def rego_package(source: str) -> str | None:
    """The module's package, or None."""
    match = _PACKAGE_RE.search(source)
    return match.group(1) if match else None


def _read(path: Path) -> str:
    """The file's text; binary junk or an unreadable file is the user's input error, not a crash."""
    try:
        return path.read_text()
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text (byte {exc.start})", hint="lint .rego files, bundles or templates"
        ) from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _yaml_docs(path: Path) -> list[Any]:
    text = _read(path)
    try:
        return [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: cannot read YAML: {str(exc).splitlines()[0]}") from exc


def _is_template(doc: Any) -> bool:
    return isinstance(doc, dict) and doc.get("kind") == "ConstraintTemplate"


def _template_kind(doc: dict[str, Any]) -> str:
    return str(
        (((doc.get("spec") or {}).get("crd") or {}).get("spec") or {}).get("names", {}).get("kind", "")
    )


def _template_rego(doc: dict[str, Any]) -> str | None:
    """The main Rego of a ConstraintTemplate: `code[].source.rego` (engine Rego) or the legacy `rego`."""
    for target in (doc.get("spec") or {}).get("targets") or []:
        for code in target.get("code") or []:
            if code.get("engine") == "Rego" and isinstance((code.get("source") or {}).get("rego"), str):
                return str(code["source"]["rego"])
        if isinstance(target.get("rego"), str):
            return str(target["rego"])
    return None


def _template_libs(doc: dict[str, Any]) -> list[str]:
    libs: list[str] = []
    for target in (doc.get("spec") or {}).get("targets") or []:
        for code in target.get("code") or []:
            libs += [str(x) for x in (code.get("source") or {}).get("libs") or [] if isinstance(x, str)]
        libs += [str(x) for x in target.get("libs") or [] if isinstance(x, str)]
    return libs


def _imported_libs(source: str, folder: Path) -> list[Path]:
    """The lib modules a policy imports, from the bundle's lib/ or the corpus's policies/lib."""
    try:
        return lib_files(source, bundle_lib_dir(folder))
    except InputError:
        return []  # a missing lib is Regal's finding to report (unresolved import)


def _declared_row(text: str, anchor: str, name: str) -> int | None:
    """The 1-based line declaring `name:` after the first line containing `anchor`."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if anchor in line), None)
    if start is None:
        return None
    pattern = re.compile(rf"^\s*['\"]?{re.escape(name)}['\"]?\s*:")
    for i in range(start + 1, len(lines)):
        if pattern.match(lines[i]):
            return i + 1
    return None


def _schema_params(schema: Any, file: Path, display: str, anchor: str) -> list[ParamDecl]:
    props = (schema or {}).get("properties") if isinstance(schema, dict) else None
    if not isinstance(props, dict):
        return []
    text = file.read_text() if file.is_file() else ""
    return [ParamDecl(name=str(n), file=display, row=_declared_row(text, anchor, str(n))) for n in props]


def _constraint_kinds(folder: Path, kind: str | None) -> tuple[list[str], str | None]:
    """Match kinds of the constraints beside a policy (only those of its constraint kind, when known)."""
    files = [folder / "constraint.yaml", *sorted(folder.glob("samples/*/constraint.yaml"))]
    kinds: list[str] = []
    used: list[str] = []
    for file in files:
        if not file.is_file():
            continue
        for doc in _yaml_docs(file):
            if not isinstance(doc, dict) or (kind and doc.get("kind") != kind):
                continue
            for group in ((doc.get("spec") or {}).get("match") or {}).get("kinds") or []:
                for k in group.get("kinds") or []:
                    if k not in kinds:
                        kinds.append(str(k))
            used.append(file.name if file.parent == folder else str(file.relative_to(folder)))
    return kinds, (", ".join(dict.fromkeys(used)) if kinds else None)


def _block_offset(text: str, source: str) -> tuple[int | None, int]:
    """(template line just before the Rego's first line, indentation), when the Rego is a literal block."""
    lines = text.splitlines()
    rego_lines = source.splitlines()
    rego_lead = next((n for n, r in enumerate(rego_lines) if r.strip()), 0)
    first = rego_lines[rego_lead].strip() if rego_lines else None
    for i, line in enumerate(lines):
        if re.match(r"^\s*(-\s+)?rego:\s*[|][-+0-9]*\s*$", line):
            body = lines[i + 1 :]
            lead = next((n for n, b in enumerate(body) if b.strip()), None)
            if lead is not None and body[lead].strip() == first:
                indent = (
                    len(body[lead])
                    - len(body[lead].lstrip())
                    - (len(rego_lines[rego_lead]) - len(rego_lines[rego_lead].lstrip()))
                )
                return i + 1 + lead - rego_lead, indent
    return None, 0


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _context(target: LintTarget, folder: Path, kind: str | None) -> None:
    """Fills match kinds and declared parameters from the files beside a policy."""
    target.match_kinds, target.kinds_from = _constraint_kinds(folder, kind)
    meta_file = folder / "meta.yaml"
    meta = load_yaml_file(meta_file) if meta_file.is_file() else None
    if isinstance(meta, dict):
        if not target.match_kinds and meta.get("kinds"):
            target.match_kinds = [str(k) for k in meta["kinds"]]
            target.kinds_from = "meta.yaml kinds"
        # meta.yaml is the hand-written source of a bundle's schema (template.yaml is generated).
        declared = _schema_params(meta.get("parameters"), meta_file, _display(meta_file), "parameters:")
        if declared or not target.parameters:
            target.parameters = declared


def template_targets(path: Path) -> list[LintTarget]:
    """One target per ConstraintTemplate in a YAML file; InputError when it holds none."""
    docs = [d for d in _yaml_docs(path) if _is_template(d)]
    if not docs:
        raise InputError(f"{path}: not a ConstraintTemplate", hint="lint .rego files, bundles or templates")
    text = _read(path)
    targets = []
    for doc in docs:
        source = _template_rego(doc)
        if source is None:
            raise InputError(f"{path}: the ConstraintTemplate has no Rego code block")
        schema = (((doc.get("spec") or {}).get("crd") or {}).get("spec") or {}).get("validation", {})
        row_offset, col_offset = _block_offset(text, source)
        target = LintTarget(
            display=_display(path), source=source, row_offset=row_offset, col_offset=col_offset
        )
        target.parameters = _schema_params(
            (schema or {}).get("openAPIV3Schema"), path, target.display, "openAPIV3Schema"
        )
        target.lib_sources = _template_libs(doc)
        _context(target, path.parent, _template_kind(doc) or None)
        targets.append(target)
    return targets


def rego_target(path: Path) -> LintTarget:
    """A .rego file; src.rego or a module of the template's package also gets its folder's context."""
    source = _read(path)
    target = LintTarget(display=_display(path), source=source, rego_file=path)
    target.is_test = path.name.endswith("_test.rego")
    folder = path.parent
    target.lib_files = _imported_libs(source, folder)
    if target.is_test:
        return target
    template = folder / "template.yaml"
    kind = None
    if template.is_file():
        for doc in _yaml_docs(template):
            if _is_template(doc) and rego_package(_template_rego(doc) or "") == rego_package(source):
                kind = _template_kind(doc) or None
                schema = ((doc["spec"].get("crd") or {}).get("spec") or {}).get("validation", {}) or {}
                target.parameters = _schema_params(
                    schema.get("openAPIV3Schema"), template, _display(template), "openAPIV3Schema"
                )
    if kind or path.name == "src.rego":
        _context(target, folder, kind)
    return target


def _folder_targets(folder: Path) -> list[LintTarget]:
    if (folder / "src.rego").is_file():
        # A bundle: its template.yaml is generated from src.rego, so the Rego is linted once.
        return [rego_target(p) for p in sorted(folder.glob("*.rego"))]
    found: list[LintTarget] = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() and path.name not in _SKIP_DIRS and not path.name.startswith("."):
            found += _folder_targets(path)
        elif path.suffix == ".rego":
            found.append(rego_target(path))
        elif path.suffix in (".yaml", ".yml") and "ConstraintTemplate" in path.read_text(errors="replace"):
            found += template_targets(path)
    return found


def collect_targets(paths: list[Path]) -> list[LintTarget]:
    """Every Rego module under `paths`; InputError for a missing path or an unsupported file."""
    targets: list[LintTarget] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"{path}: no such file or folder", hint="check the path")
        if path.is_dir():
            targets += _folder_targets(path)
        elif path.suffix == ".rego":
            targets.append(rego_target(path))
        elif path.suffix in (".yaml", ".yml"):
            targets += template_targets(path)
        else:
            raise InputError(
                f"{path}: cannot lint this file", hint="give .rego files, bundle folders or templates"
            )
    if not targets:
        raise InputError(f"no Rego found in {', '.join(str(p) for p in paths)}")
    return targets
