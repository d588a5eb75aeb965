"""The re-verified changes of an object as JSON Patch (RFC 6902) operations, paths as JSON pointers.

The operations come from the same FieldChange list --format patch and --write apply, so
the JSON Patch and the unified diff always describe one change set. Paths are relative to
the object itself (an item of a `kind: List` is its own object), as `kubectl patch
--type json` expects.
"""

from __future__ import annotations

import copy
from typing import Any

from tools.explain import paths
from tools.explain.models import Explanation, FieldChange


def pointer(tokens: paths.Path) -> str:
    """RFC 6901: '/spec/containers/0/securityContext'; '~' is written '~0' and '/' '~1' (in that order)."""
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)


def operations(changes: list[FieldChange]) -> list[dict[str, Any]]:
    """The changes as RFC 6902 operations, in order.

    diff() only adds keys to mappings that exist in both objects and replaces lists that
    change length whole, so every `add` has its parent and no index shifts under a later
    operation: applying them in order gives exactly the fixed object.
    """
    ops: list[dict[str, Any]] = []
    for change in changes:
        op: dict[str, Any] = {"op": change.op, "path": pointer(change.tokens)}
        if change.op != "remove":
            op["value"] = copy.deepcopy(change.after)
        ops.append(op)
    return ops


def by_object(explanation: Explanation) -> list[dict[str, Any]]:
    """What --format jsonpatch prints: per patched object, where it is and its operations."""
    return [
        {
            "file": item.file,
            "line": item.line,
            "location": item.location(),
            "doc_index": item.doc_index,
            "item_index": item.item_index,
            "object": item.ref,
            "operations": item.json_patch,
        }
        for item in explanation.objects
        if item.json_patch
    ]
