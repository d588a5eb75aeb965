"""A bounded YAML reader: every document of a stream with the line it starts on, within Limits.

PyYAML keeps aliases as shared references, so a "billion laughs" document costs
nothing to load and explodes only when something walks it. The composer here counts
the nodes each document would have once expanded, its alias uses and its nesting,
and stops at the first limit crossed, before any expansion happens. Timestamps stay
strings: Kubernetes fields are never YAML dates, and JSON output needs plain values.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode
from yaml.resolver import Resolver

from tools.extract.models import Limits

try:  # libyaml's parser is several times faster; the composer stays ours either way
    from yaml._yaml import CParser as _Parser

    _C_PARSER = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _C_PARSER = False


class YamlLimitError(Exception):
    """A document crosses one of the Limits; `line` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class YamlDocument:
    """One document of a stream: its position, its root node (for item lines) and its data."""

    index: int
    line: int
    node: Node
    data: Any


class _Constructor(SafeConstructor):
    """SafeConstructor whose timestamps stay the strings they were written as."""


def _timestamp_as_text(loader: _Constructor, node: Node) -> Any:
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)  # type: ignore[type-var]


class _BoundedComposer(Composer):
    """Composer that measures each document before it is constructed."""

    limits: Limits

    def _reset_counts(self) -> None:
        self._depth = 0
        self._aliases = 0
        self._sizes: dict[int, int] = {}

    def compose_document(self) -> Node:
        self._reset_counts()
        node: Node = super().compose_document()  # type: ignore[assignment]
        self._sizes = {}
        return node

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(AliasEvent):  # type: ignore[attr-defined]
            event = self.peek_event()  # type: ignore[attr-defined]
            target = self.anchors.get(event.anchor)
            if target is not None:
                line = event.start_mark.line + 1
                if id(target) not in self._sizes:
                    raise YamlLimitError("a YAML alias refers to an anchor that contains it", line)
                self._aliases += 1
                if self._aliases > self.limits.max_aliases:
                    raise YamlLimitError(
                        f"more than {self.limits.max_aliases} YAML aliases in one document", line
                    )
            return super().compose_node(parent, index)  # type: ignore[return-value]
        self._depth += 1
        if self._depth > self.limits.max_depth:
            line = self.peek_event().start_mark.line + 1  # type: ignore[attr-defined]
            raise YamlLimitError(f"nesting deeper than {self.limits.max_depth} levels", line)
        node: Node = super().compose_node(parent, index)  # type: ignore[assignment]
        self._depth -= 1
        size = 1
        if isinstance(node, SequenceNode):
            size += sum(self._sizes[id(child)] for child in node.value)
        elif isinstance(node, MappingNode):
            size += sum(self._sizes[id(k)] + self._sizes[id(v)] for k, v in node.value)
        if size > self.limits.max_nodes:
            raise YamlLimitError(
                f"the document expands to more than {self.limits.max_nodes} nodes "
                "(aliases repeated like a 'billion laughs' file?)",
                node.start_mark.line + 1,
            )
        self._sizes[id(node)] = size
        return node


if _C_PARSER:

    class _Loader(_BoundedComposer, _Parser, _Constructor, Resolver):
        def __init__(self, stream: str, limits: Limits) -> None:
            _Parser.__init__(self, stream)
            Composer.__init__(self)
            _Constructor.__init__(self)
            Resolver.__init__(self)
            self.limits = limits
            self._reset_counts()

else:  # pragma: no cover
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Loader(_BoundedComposer, Reader, Scanner, Parser, _Constructor, Resolver):  # type: ignore[no-redef]
        def __init__(self, stream: str, limits: Limits) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            _Constructor.__init__(self)
            Resolver.__init__(self)
            self.limits = limits
            self._reset_counts()


def iter_documents(text: str, limits: Limits) -> Iterator[YamlDocument]:
    """Yields each document of a YAML stream (empty ones included, as data None).

    Raises YamlLimitError when a limit is crossed and yaml.YAMLError when the text is
    not YAML; documents before the failing one have been yielded already.
    """
    loader = _Loader(text, limits)
    try:
        index = 0
        while loader.check_node():
            if index >= limits.max_documents:
                raise YamlLimitError(f"more than {limits.max_documents} YAML documents in one file", 1)
            node: Node = loader.get_node()  # type: ignore[assignment]
            data = loader.construct_document(node)
            yield YamlDocument(index=index, line=node.start_mark.line + 1, node=node, data=plain(data))
            index += 1
    finally:
        loader.dispose()


def plain(value: Any) -> Any:
    """JSON-ready data: string keys, lists for sets and pairs, base64 for binary, no NaN or infinity."""
    if isinstance(value, dict):
        return {_key(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((plain(v) for v in value), key=str)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, list | tuple):
        return str(plain(key))
    return str(key)


def item_lines(node: Node, key: str = "items") -> list[int]:
    """1-based start lines of the entries of the sequence under `key` in a mapping node."""
    if not isinstance(node, MappingNode):
        return []
    for k, v in node.value:
        if getattr(k, "value", None) == key and isinstance(v, SequenceNode):
            return [child.start_mark.line + 1 for child in v.value]
    return []


def problem_line(exc: yaml.YAMLError) -> int | None:
    """The 1-based line a YAML error points at, when it points anywhere."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def problem_text(exc: yaml.YAMLError) -> str:
    """A one-line reason for a YAML error (without PyYAML's multi-line location dump)."""
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem:
        return f"{context}, {problem}" if context else str(problem)
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
