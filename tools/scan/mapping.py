"""Mapping gator's violations back to the exact loaded object (file:line), and planning gator runs.

gator echoes each violating object back. Identical objects (same fingerprint: canonical
JSON with numbers normalised the way Go prints them, 1.0 -> 1) are evaluated once and
share the result. Objects that differ but share apiVersion/kind/namespace/name go to
separate gator runs, so within one run that identity names exactly one object and a
violation maps back without guessing; the fingerprint is the fallback for echoes whose
identity fields gator rewrote.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from tools.extract.models import SourcedObject

Identity = tuple[str, str, str, str]


def _normalise(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            return str(value)
        return int(number) if number.is_integer() else number
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return str(value)


def fingerprint(obj: dict[str, Any]) -> str:
    """A digest of the object that survives a JSON round trip through gator."""
    canonical = json.dumps(_normalise(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.blake2b(canonical.encode("utf-8"), digest_size=16).hexdigest()


def identity(obj: dict[str, Any]) -> Identity:
    """apiVersion, kind, namespace and name: what gator itself keys objects by."""
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    assert isinstance(meta, dict)
    return (
        str(obj.get("apiVersion", "")),
        str(obj.get("kind", "")),
        str(meta.get("namespace") or ""),
        str(meta.get("name") or ""),
    )


@dataclass
class Group:
    """Loaded objects with identical content: evaluated once, each given the verdict."""

    key: str
    obj: dict[str, Any]
    members: list[int] = field(default_factory=list)


@dataclass
class Run:
    """The objects of one gator run, indexed for mapping its violations back."""

    groups: list[Group] = field(default_factory=list)
    by_fingerprint: dict[str, Group] = field(default_factory=dict)
    by_identity: dict[Identity, Group] = field(default_factory=dict)

    def add(self, group: Group) -> None:
        self.groups.append(group)
        self.by_fingerprint[group.key] = group
        self.by_identity[identity(group.obj)] = group

    def find(self, violating: dict[str, Any]) -> Group | None:
        """The group gator's echoed object belongs to: by identity (unique within a run), else by content."""
        return self.by_identity.get(identity(violating)) or self.by_fingerprint.get(fingerprint(violating))


def plan_runs(objects: list[SourcedObject], max_objects: int) -> list[Run]:
    """Groups identical objects, then packs groups into runs with unique identities, at most
    `max_objects` each (one run for ordinary inputs)."""
    groups: dict[str, Group] = {}
    for index, item in enumerate(objects):
        key = fingerprint(item.obj)
        group = groups.setdefault(key, Group(key=key, obj=item.obj))
        group.members.append(index)
    runs: list[Run] = []
    for group in groups.values():
        ident = identity(group.obj)
        target = next(
            (r for r in runs if ident not in r.by_identity and len(r.groups) < max_objects),
            None,
        )
        if target is None:
            target = Run()
            runs.append(target)
        target.add(group)
    return runs
