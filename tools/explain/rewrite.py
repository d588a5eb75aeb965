"""Applying changes to a manifest's TEXT, so comments, key order and quoting survive.

Each change becomes a small text edit located through the YAML node tree (line and
column of every key and value): a value replaced in place, a key inserted after the
last entry of its block mapping, a key's lines deleted. Where that is not safe (flow
mappings, a key sharing its line with a list dash, anchors) the edit moves up to the
enclosing value, which is re-rendered. Whatever happens, the edited text is parsed again
and must equal the intended data; a document that does not is re-emitted whole
(normalised formatting, its comments lost) and reported as such.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tools.errors import KpcError
from tools.explain import diff as changes_of
from tools.explain import paths
from tools.explain.models import FieldChange
from tools.explain.textedit import DocText, Edit, Unsafe, edit_for, whole_document
from tools.extract.models import Limits
from tools.extract.safe_yaml import YamlLimitError, iter_documents

_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
DocKey = tuple[int, int | None]  # (document index, item index inside a `kind: List`)


@dataclass
class Rewritten:
    """The new text, and the documents that had to be re-emitted whole."""

    text: str
    normalised: list[int] = field(default_factory=list)


def _settle(edits: list[Edit]) -> list[Edit] | None:
    """Orders edits, drops duplicates and edits inside a re-rendered ancestor; None if two collide.

    Several changes under one flow mapping all re-render that mapping, identically; keys
    inserted at one spot go deepest first, so a container's new key stays in the container
    and the pod's new key follows it.
    """
    subtrees = {e.scope for e in edits if e.subtree}
    inside = [e for e in edits if not any(e.scope[: len(s)] == s and e.scope != s for s in subtrees)]
    unique = {(e.start, e.end, e.text): e for e in inside}.values()
    spans = [e for e in unique if e.end > e.start]
    kept = [
        e
        for e in unique
        if not any(
            o is not e
            and o.start <= e.start
            and e.end <= o.end
            and (e.start, e.end) != (o.start, o.end)
            and not (e.start == e.end and e.start in (o.start, o.end))
            for o in spans
        )
    ]
    merged: dict[int, Edit] = {}
    ordered: list[Edit] = []
    for edit in sorted(kept, key=lambda e: (e.start, e.end > e.start, -_depth(e.text))):
        if edit.start == edit.end and edit.start in merged:
            merged[edit.start].text += edit.text
            continue
        if edit.start == edit.end:
            merged[edit.start] = edit = Edit(edit.start, edit.end, edit.text)
        ordered.append(edit)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start < before.end:
            return None
    return ordered


def _depth(text: str) -> int:
    stripped = text.lstrip("\n")
    return len(stripped) - len(stripped.lstrip(" "))


def _doc_edits(
    doc: DocText, changes: list[tuple[paths.Path, FieldChange]], expected: Any
) -> tuple[list[Edit], bool]:
    """The edits for one document, and whether it had to be re-emitted whole."""
    try:
        settled = _settle([edit_for(doc, c, t, expected) for t, c in changes])
    except Unsafe:
        settled = None
    if settled is None:
        return [whole_document(doc, expected)], True
    return settled, False


def _apply(source: str, edits: list[Edit]) -> str:
    out = source
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.text + out[edit.end :]
    return out


class _Duplicated:
    """Stands in for a document with a repeated key: YAML readers keep the last one silently,
    kubectl rejects it, so such a document never counts as correctly edited."""

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = None  # type: ignore[assignment]


def _repeats_a_key(node: Node) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, MappingNode):
            keys = [k.value for k, _ in current.value if isinstance(k, ScalarNode)]
            if len(keys) != len(set(keys)):
                return True
            stack += [v for _, v in current.value]
        elif isinstance(current, SequenceNode):
            stack += current.value
    return False


def _parse(text: str) -> list[Any]:
    return [_Duplicated() if _repeats_a_key(d.node) else d.data for d in iter_documents(text, Limits())]


def rewrite(text: str, edits: dict[DocKey, list[FieldChange]], *, as_json: bool = False) -> Rewritten:
    """`text` with each document's changes applied; raises KpcError if no safe rewrite exists."""
    if as_json:
        return _rewrite_json(text, edits)
    docs = list(iter_documents(text, Limits()))
    starts = [0] + [m.end() for m in _BREAK.finditer(text)]
    expected = [d.data for d in docs]
    per_doc: dict[int, list[tuple[paths.Path, FieldChange]]] = {}
    for (doc_index, item_index), changes in edits.items():
        prefix: paths.Path = ["items", item_index] if item_index is not None else []
        expected[doc_index] = changes_of.apply(expected[doc_index], changes, prefix)
        per_doc.setdefault(doc_index, []).extend(([*prefix, *c.tokens], c) for c in changes)
    geometry = {i: DocText(text, starts, docs[i]) for i in per_doc}
    planned: dict[int, list[Edit]] = {}
    whole: set[int] = set()
    for i in per_doc:
        planned[i], redone = _doc_edits(geometry[i], per_doc[i], expected[i])
        if redone:
            whole.add(i)
    for _attempt in range(2):
        result = _apply(text, [e for i in planned for e in planned[i]])
        try:
            parsed = _parse(result)
        except (yaml.YAMLError, YamlLimitError):
            parsed = []  # the edits broke the text: every edited document is re-emitted whole
        wrong = [i for i in per_doc if i >= len(parsed) or parsed[i] != expected[i]]
        if len(parsed) == len(docs) and not wrong:
            return Rewritten(text=result, normalised=sorted(whole))
        for i in wrong or list(per_doc):
            planned[i] = [whole_document(geometry[i], expected[i])]
            whole.add(i)
    raise KpcError(
        "could not rewrite the manifest safely", hint="apply the fixes by hand (--format text shows them)"
    )


def _rewrite_json(text: str, edits: dict[DocKey, list[FieldChange]]) -> Rewritten:
    data = json.loads(text)
    for (_doc, item_index), changes in edits.items():
        prefix: paths.Path = ["items", item_index] if item_index is not None else []
        data = changes_of.apply(data, changes, prefix)
    return Rewritten(text=json.dumps(data, indent=2, ensure_ascii=False) + "\n", normalised=[0])
