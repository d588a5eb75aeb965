"""The re-verified fixes as a unified diff of the manifest file, and rewriting the file atomically."""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import shutil
import tempfile
from pathlib import Path

from pydantic import BaseModel, Field

from tools.errors import InputError
from tools.explain.models import Explanation, FieldChange
from tools.explain.rewrite import DocKey, rewrite
from tools.extract.load import load_text
from tools.extract.models import Limits, LoadResult
from tools.scan.mapping import fingerprint

_BOM = "\ufeff"


class Patch(BaseModel):
    """What --format patch prints and --write writes."""

    file: str
    diff: str = ""
    text: str = Field(default="", exclude=True, description="the whole new file text")
    objects: int = 0
    changes: int = 0
    normalised: list[str] = []
    placeholders: list[str] = Field(default_factory=list, description="placeholder values the patch contains")


def read_text(path: str) -> tuple[str, bool]:
    """A manifest's text as the loader reads it (UTF-8, BOM dropped) and whether it had a BOM."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    return (text[1:], True) if text.startswith(_BOM) else (text, False)


def _check_unchanged(explanation: Explanation, text: str) -> None:
    """The text must still hold the objects that were explained (the file may have been edited since)."""
    loaded = LoadResult()
    load_text(text, explanation.manifest, loaded, Limits())
    now = {(o.doc_index, o.item_index): fingerprint(o.obj) for o in loaded.objects}
    for item in explanation.objects:
        source = item.source_object()
        if source is not None and now.get((item.doc_index, item.item_index)) != fingerprint(source):
            raise InputError(
                f"{explanation.manifest} changed while it was being explained; run kpc explain again"
            )


def _is_json(text: str) -> bool:
    if not text.lstrip().startswith(("{", "[")):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def unified_diff(before: str, after: str, name: str) -> str:
    """A unified diff git apply and patch accept (a/ b/ prefixes for relative paths)."""
    old, new = (name, name) if os.path.isabs(name) else (f"a/{name}", f"b/{name}")
    out = []
    for line in difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=old, tofile=new
    ):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def build_patch(explanation: Explanation, text: str) -> Patch:
    """The manifest `text` with every object's re-verified changes applied, and the diff.

    Comments and formatting are kept: each change is edited into the text in place. A
    document that cannot be edited safely in place is re-emitted whole (listed in
    `normalised`); a JSON file is always re-emitted whole.
    """
    _check_unchanged(explanation, text)
    edits: dict[DocKey, list[FieldChange]] = {}
    placeholders = []
    for item in explanation.objects:
        if not item.patch:
            continue
        edits[(item.doc_index, item.item_index)] = item.patch
        for v in item.violations:
            if v.fix.kind == "placeholder" and v.status == "resolved":
                placeholders.append(f"{item.ref}: {v.fix.summary}")
    patch = Patch(file=explanation.manifest, text=text, placeholders=placeholders)
    if not edits:
        return patch
    crlf = "\r\n" in text and text.count("\r\n") == text.count("\n")
    source = text.replace("\r\n", "\n") if crlf else text
    as_json = _is_json(source)
    result = rewrite(source, edits, as_json=as_json)
    new_text = result.text.replace("\n", "\r\n") if crlf else result.text
    patch.text = new_text
    patch.diff = unified_diff(text, new_text, explanation.manifest)
    patch.objects = len(edits)
    patch.changes = sum(len(c) for c in edits.values())
    if as_json:
        patch.normalised = ["the JSON file is re-emitted whole (2-space indentation)"]
    else:
        patch.normalised = [f"document {i + 1} re-emitted whole: its comments and formatting are normalised"
                            for i in result.normalised]  # fmt: skip
    return patch


def write_file(path: str, text: str, *, bom: bool = False) -> Path:
    """Replaces `path` with `text` atomically (temp file + rename), keeping the file's mode.

    A symlinked manifest is written through the link, so the link stays a link.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write((_BOM if bom else "") + text)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            shutil.copymode(target, tmp)
        os.replace(tmp, target)
    except BaseException as exc:  # interrupted or failed: the original stays, no temp file is left
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise
    return target
