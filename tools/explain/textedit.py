"""Text edits located through the YAML node tree: replace a value, insert a key, delete a key.

Every node knows the line and column it starts at, so an edit touches only the text of
the value it changes. When an edit cannot be made safely in place (a flow mapping, a key
sharing its line with a list dash) it raises Unsafe, and the caller re-renders the
enclosing value instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tools.explain import paths
from tools.explain.models import FieldChange
from tools.explain.yamltext import dump_block, dump_entry, dump_flow
from tools.extract.safe_yaml import YamlDocument


class Unsafe(Exception):
    """This edit cannot be made in place; the caller re-renders the enclosing value."""


@dataclass
class Edit:
    """Replace source[start:end] with text. `scope` is the path the edit writes; a `subtree`
    edit re-renders everything under it, so other edits inside that scope are redundant."""

    start: int
    end: int
    text: str
    scope: tuple[paths.Token, ...] = ()
    subtree: bool = False


class DocText:
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
        """(parent, key node or None, value node) at `tokens`; raises Unsafe when it is not there."""
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
                    raise Unsafe(token)
                key, node = match[0]
            else:
                raise Unsafe(token)
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


def _block_key(doc: DocText, key: Node) -> bool:
    """A key that starts its line (after indentation or list dashes) in a block mapping."""
    return re.fullmatch(r"[ \t]*(?:-[ \t]+)*", doc.prefix(key)) is not None


def _replace(doc: DocText, tokens: paths.Path, after: Any) -> Edit:
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
        return Edit(start, stop, dump_flow(after))
    if isinstance(node, MappingNode | SequenceNode) and node.flow_style:
        return Edit(start, stop, dump_flow(after))
    if nested and block_node and not isinstance(node, ScalarNode):
        lines = dump_block(after, indent_sequences=doc.indent_sequences).splitlines()
        return Edit(start, stop, doc.indent(lines, node.start_mark.column))
    if key is not None and isinstance(parent, MappingNode) and not parent.flow_style and _block_key(doc, key):
        lines = dump_entry(str(tokens[-1]), after, indent_sequences=doc.indent_sequences)
        return Edit(doc.offset(key.start_mark), stop, doc.indent(lines, key.start_mark.column))
    if isinstance(tokens[-1] if tokens else None, int):
        text = (
            dump_block(after, indent_sequences=doc.indent_sequences).splitlines()
            if nested
            else [dump_flow(after)]
        )
        return Edit(start, stop, doc.indent(text, node.start_mark.column))
    raise Unsafe(paths.format_path(tokens))


def _add(doc: DocText, tokens: paths.Path, after: Any) -> Edit:
    _parent, _key, mapping = doc.find(tokens[:-1])
    if not isinstance(mapping, MappingNode) or mapping.flow_style or not mapping.value:
        raise Unsafe(paths.format_path(tokens))
    first_key = mapping.value[0][0]
    column = first_key.start_mark.column
    last_line = doc.line_of(doc.end(mapping))
    lines = dump_entry(str(tokens[-1]), after, indent_sequences=doc.indent_sequences)
    text = " " * column + doc.indent(lines, column)
    if last_line + 1 < len(doc.starts):
        position = doc.starts[last_line + 1]
        return Edit(position, position, text + "\n")
    return Edit(len(doc.source), len(doc.source), "\n" + text + "\n")


def _remove(doc: DocText, tokens: paths.Path) -> Edit:
    parent, key, node = doc.find(tokens)
    if (
        key is None
        or not isinstance(parent, MappingNode)
        or parent.flow_style
        or len(parent.value) < 2
        or doc.prefix(key).strip()
    ):
        raise Unsafe(paths.format_path(tokens))
    first = key.start_mark.line
    last = doc.line_of(doc.end(node))
    stop = doc.starts[last + 1] if last + 1 < len(doc.starts) else len(doc.source)
    return Edit(doc.starts[first], stop, "")


def edit_for(doc: DocText, change: FieldChange, tokens: paths.Path, expected: Any) -> Edit:
    """The edit for one change, moving up to the enclosing value until an edit is safe."""
    try:
        if change.op == "add":
            edit = _add(doc, tokens, change.after)
        elif change.op == "remove":
            edit = _remove(doc, tokens)
        else:
            edit = _replace(doc, tokens, change.after)
            edit.subtree = True
        edit.scope = tuple(tokens)
        return edit
    except Unsafe:
        pass
    for depth in range(len(tokens) - 1, 0, -1):
        above = tokens[:depth]
        try:
            edit = _replace(doc, above, paths.get(expected, above))
        except Unsafe:
            continue
        edit.scope, edit.subtree = tuple(above), True
        return edit
    raise Unsafe("document")


def whole_document(doc: DocText, expected: Any) -> Edit:
    """Re-emits a document's root value (comments before it stay)."""
    lines = dump_block(expected, indent_sequences=doc.indent_sequences).splitlines()
    start = doc.offset(doc.root.start_mark)
    return Edit(start, doc.end(doc.root), doc.indent(lines, doc.root.start_mark.column))
