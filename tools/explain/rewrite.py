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
from tools.explain.yamltext import dump_block, dump_entry, dump_flow
from tools.extract.models import Limits
from tools.extract.safe_yaml import YamlDocument, YamlLimitError, iter_documents

_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
DocKey = tuple[int, int | None]  # (document index, item index inside a `kind: List`)


class _Unsafe(Exception):
    """This edit cannot be made in place; the caller re-renders the enclosing value."""


@dataclass
class Rewritten:
    """The new text, and the documents that had to be re-emitted whole."""

    text: str
    normalised: list[int] = field(default_factory=list)


@dataclass
class _Edit:
    start: int
    end: int
    text: str


class _Doc:
    """One document's text geometry: offsets of lines, nodes by path, the file's list style."""

    def __init__(self, source: str, starts: list[int], doc: YamlDocument) -> None:
        self.source = source
        self.starts = starts
        self.root = doc.node
        self.indent_sequences = _indented_sequences(doc.node)

    def offset(self, mark: Any) -> int:
        return self.starts[mark.line] + mark.column

    def end(self, node: Node) -> int:
        """Where the node's own text ends (block collections end at their last value, not the next key)."""
        if isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
            last = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
            return self.end(last)
        stop = self.offset(node.end_mark)
        while stop > 0 and self.source[stop - 1] in " \t\r\n":
            stop -= 1
        return stop

    def line_of(self, position: int) -> int:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= position:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def prefix(self, node: Node) -> str:
        """The text on the node's line before it ('    ' or '  - ')."""
        return self.source[self.starts[node.start_mark.line] : self.offset(node.start_mark)]

    def find(self, tokens: paths.Path) -> tuple[Node | None, Node | None, Node]:
        """(parent, key node or None, value node) at `tokens`; raises _Unsafe when it is not there."""
        parent: Node | None = None
        key: Node | None = None
        node: Node = self.root
        for token in tokens:
            parent, key = node, None
            if isinstance(token, int) and isinstance(node, SequenceNode) and 0 <= token < len(node.value):
                node = node.value[token]
            elif isinstance(token, str) and isinstance(node, MappingNode):
                match = [(k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value == token]
                if len(match) != 1:
                    raise _Unsafe(token)
                key, node = match[0]
            else:
                raise _Unsafe(token)
        return parent, key, node

    def indent(self, lines: list[str], column: int) -> str:
        return ("\n" + " " * column).join(lines)


def _indented_sequences(root: Node) -> bool:
    """True when the document writes block lists indented under their key ('  - a')."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            for key, value in node.value:
                if isinstance(value, SequenceNode) and not value.flow_style and value.value:
                    return value.start_mark.column > key.start_mark.column
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return False


def _block_key(doc: _Doc, key: Node) -> bool:
    """A key that starts its line (after indentation or list dashes) in a block mapping."""
    return re.fullmatch(r"[ \t]*(?:-[ \t]+)*", doc.prefix(key)) is not None


def _replace(doc: _Doc, tokens: paths.Path, after: Any) -> _Edit:
    parent, key, node = doc.find(tokens)
    nested = isinstance(after, dict | list) and bool(after)
    block_node = isinstance(node, MappingNode | SequenceNode) and not node.flow_style and bool(node.value)
    start = doc.offset(node.start_mark)
    stop = max(doc.end(node), start)
    if isinstance(node, ScalarNode) and (node.style in ("|", ">") or (node.value == "" and not node.style)):
        # A block scalar spans lines, and an empty value has no text of its own to
        # replace: both are rewritten together with their key.
        block_node = True
    if not nested and not block_node:
        return _Edit(start, stop, dump_flow(after))
    if isinstance(node, MappingNode | SequenceNode) and node.flow_style:
        return _Edit(start, stop, dump_flow(after))
    if nested and block_node and not isinstance(node, ScalarNode):
        lines = dump_block(after, indent_sequences=doc.indent_sequences).splitlines()
        return _Edit(start, stop, doc.indent(lines, node.start_mark.column))
    if key is not None and isinstance(parent, MappingNode) and not parent.flow_style and _block_key(doc, key):
        lines = dump_entry(str(tokens[-1]), after, indent_sequences=doc.indent_sequences)
        return _Edit(doc.offset(key.start_mark), stop, doc.indent(lines, key.start_mark.column))
    if isinstance(tokens[-1] if tokens else None, int):
        text = dump_block(after, indent_sequences=doc.indent_sequences).splitlines() if nested else [dump_flow(after)]
        return _Edit(start, stop, doc.indent(text, node.start_mark.column))
    raise _Unsafe(paths.format_path(tokens))


def _add(doc: _Doc, tokens: paths.Path, after: Any) -> _Edit:
    _parent, _key, mapping = doc.find(tokens[:-1])
    if not isinstance(mapping, MappingNode) or mapping.flow_style or not mapping.value:
        raise _Unsafe(paths.format_path(tokens))
    first_key = mapping.value[0][0]
    column = first_key.start_mark.column
    last_line = doc.line_of(doc.end(mapping))
    lines = dump_entry(str(tokens[-1]), after, indent_sequences=doc.indent_sequences)
    text = " " * column + doc.indent(lines, column)
    if last_line + 1 < len(doc.starts):
        position = doc.starts[last_line + 1]
        return _Edit(position, position, text + "\n")
    return _Edit(len(doc.source), len(doc.source), "\n" + text + "\n")


def _remove(doc: _Doc, tokens: paths.Path) -> _Edit:
    parent, key, node = doc.find(tokens)
    if (
        key is None
        or not isinstance(parent, MappingNode)
        or parent.flow_style
        or len(parent.value) < 2
        or doc.prefix(key).strip()
    ):
        raise _Unsafe(paths.format_path(tokens))
    first = key.start_mark.line
    last = doc.line_of(doc.end(node))
    stop = doc.starts[last + 1] if last + 1 < len(doc.starts) else len(doc.source)
    return _Edit(doc.starts[first], stop, "")


def _edit_for(doc: _Doc, change: FieldChange, tokens: paths.Path, expected: Any) -> _Edit:
    """The edit for one change, moving up to the enclosing value until an edit is safe."""
    try:
        if change.op == "add":
            return _add(doc, tokens, change.after)
        if change.op == "remove":
            return _remove(doc, tokens)
        return _replace(doc, tokens, change.after)
    except _Unsafe:
        pass
    for depth in range(len(tokens) - 1, 0, -1):
        above = tokens[:depth]
        try:
            return _replace(doc, above, paths.get(expected, above))
        except _Unsafe:
            continue
    raise _Unsafe("document")


def _whole(doc: _Doc, expected: Any) -> _Edit:
    """Re-emits a document's root value (comments before it stay)."""
    lines = dump_block(expected, indent_sequences=doc.indent_sequences).splitlines()
    start = doc.offset(doc.root.start_mark)
    return _Edit(start, doc.end(doc.root), doc.indent(lines, doc.root.start_mark.column))


def _settle(edits: list[_Edit]) -> list[_Edit] | None:
    """Orders edits, drops duplicates and edits inside a re-rendered ancestor; None if two collide.

    Several changes under one flow mapping all re-render that mapping, identically; keys
    inserted at one spot go deepest first, so a container's new key stays in the container
    and the pod's new key follows it.
    """
    unique = {(e.start, e.end, e.text): e for e in edits}.values()
    spans = [e for e in unique if e.end > e.start]
    kept = [
        e
        for e in unique
        if not any(
            o is not e and o.start <= e.start and e.end <= o.end and (e.start, e.end) != (o.start, o.end)
            and not (e.start == e.end and e.start in (o.start, o.end))
            for o in spans
        )
    ]
    merged: dict[int, _Edit] = {}
    ordered: list[_Edit] = []
    for edit in sorted(kept, key=lambda e: (e.start, -_depth(e.text))):
        if edit.start == edit.end and edit.start in merged:
            merged[edit.start].text += edit.text
            continue
        if edit.start == edit.end:
            merged[edit.start] = edit = _Edit(edit.start, edit.end, edit.text)
        ordered.append(edit)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.start < before.end:
            return None
    return ordered


def _depth(text: str) -> int:
    stripped = text.lstrip("\n")
    return len(stripped) - len(stripped.lstrip(" "))


def _doc_edits(doc: _Doc, changes: list[tuple[paths.Path, FieldChange]], expected: Any) -> tuple[list[_Edit], bool]:
    """The edits for one document, and whether it had to be re-emitted whole."""
    try:
        settled = _settle([_edit_for(doc, c, t, expected) for t, c in changes])
    except _Unsafe:
        settled = None
    if settled is None:
        return [_whole(doc, expected)], True
    return settled, False


def _apply(source: str, edits: list[_Edit]) -> str:
    out = source
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.text + out[edit.end :]
    return out


def _parse(text: str) -> list[Any]:
    return [d.data for d in iter_documents(text, Limits())]


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
    geometry = {i: _Doc(text, starts, docs[i]) for i in per_doc}
    planned: dict[int, list[_Edit]] = {}
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
            planned[i] = [_whole(geometry[i], expected[i])]
            whole.add(i)
    raise KpcError("could not rewrite the manifest safely", hint="apply the fixes by hand (--format text shows them)")


def _rewrite_json(text: str, edits: dict[DocKey, list[FieldChange]]) -> Rewritten:
    data = json.loads(text)
    for (_doc, item_index), changes in edits.items():
        prefix: paths.Path = ["items", item_index] if item_index is not None else []
        data = changes_of.apply(data, changes, prefix)
    return Rewritten(text=json.dumps(data, indent=2, ensure_ascii=False) + "\n", normalised=[0])
