"""The fixer registry: the smallest change that makes an object comply with one exemplar.

Fixtures of a composed policy need allowed objects that satisfy every rule: each base
object goes through the fixers of all the draft's exemplars, in FIX_ORDER (limits before
the maximum and the ratio that constrain them). The fixers live in fixers_*.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tools.draft import manifests as m

Obj = dict[str, Any]
Fixer = Callable[[Obj, dict[str, Any]], None]
FIXERS: dict[str, Fixer] = {}
RESOURCE_VALUES = {"cpu": "500m", "memory": "256Mi", "ephemeral-storage": "1Gi"}
FIX_ORDER = [
    "allowed-registries", "disallowed-repositories", "latest-tag", "image-digests", "limits-required",
    "requests-required", "ephemeral-storage-limits", "max-limits", "limit-request-ratio",
]  # fmt: skip


def fixer(*ids: str) -> Callable[[Fixer], Fixer]:
    """Registers a fixer for exemplars."""

    def register(fn: Fixer) -> Fixer:
        for exemplar_id in ids:
            FIXERS[exemplar_id] = fn
        return fn

    return register


def apply_fixers(obj: Obj, parts: list[tuple[str, dict[str, Any]]]) -> Obj:
    """`obj` made compliant with every (exemplar id, params) part, in a stable order."""
    ordered = sorted(parts, key=lambda p: FIX_ORDER.index(p[0]) if p[0] in FIX_ORDER else -1)
    for exemplar_id, params in ordered:
        FIXERS.get(exemplar_id, lambda _o, _p: None)(obj, params)
    return obj


def spec_of(obj: Obj) -> Obj:
    """The pod spec of a pod-spec object ({} for other kinds), mutable."""
    return m.pod_spec(obj) or {}


def drop(item: Obj, *path: str) -> None:
    """Deletes item[path...] and prunes what became empty."""
    if len(path) == 1:
        item.pop(path[0], None)
        return
    child = item.get(path[0])
    if isinstance(child, dict):
        drop(child, *path[1:])
        if not child:
            item.pop(path[0], None)


def remove_volumes(obj: Obj, doomed: Callable[[Obj], bool]) -> None:
    """Removes the volumes `doomed` selects, with the mounts that use them."""
    spec = spec_of(obj)
    gone = {v.get("name") for v in spec.get("volumes", []) or [] if doomed(v)}
    if not gone:
        return
    spec["volumes"] = [v for v in spec["volumes"] if v.get("name") not in gone]
    if not spec["volumes"]:
        spec.pop("volumes")
    for c in m.containers(obj):
        if c.get("volumeMounts"):
            c["volumeMounts"] = [vm for vm in c["volumeMounts"] if vm.get("name") not in gone]
            if not c["volumeMounts"]:
                c.pop("volumeMounts")
