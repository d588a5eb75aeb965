"""What a fix strategy sees (FixContext) and what it returns (Proposal), plus the registry by policy id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from tools.explain import paths
from tools.explain.models import FixKind

CONTAINER_FIELDS = ("containers", "initContainers", "ephemeralContainers")
# Where each workload kind keeps its pod spec (the same table as policies/lib/pods.rego).
POD_SPEC_PATHS: dict[str, paths.Path] = {
    "Pod": ["spec"],
    "Deployment": ["spec", "template", "spec"],
    "StatefulSet": ["spec", "template", "spec"],
    "DaemonSet": ["spec", "template", "spec"],
    "ReplicaSet": ["spec", "template", "spec"],
    "Job": ["spec", "template", "spec"],
    "ReplicationController": ["spec", "template", "spec"],
    "PodTemplate": ["template", "spec"],
    "CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
}


class Proposal(BaseModel):
    """A strategy's answer. The changes themselves are read off the object it edited."""

    kind: FixKind
    summary: str
    field: str | None = None
    notes: list[str] = []
    expected: str | None = None


@dataclass
class FixContext:
    """One violation to fix. Strategies edit `obj` (a private copy) in place."""

    obj: dict[str, Any]
    details: dict[str, Any]
    message: str
    parameters: dict[str, Any] = field(default_factory=dict)
    policy_id: str | None = None

    def detail_path(self, key: str = "path") -> paths.Path | None:
        """A path-valued detail (e.g. "path" or "field") as tokens, or None."""
        value = self.details.get(key)
        if not isinstance(value, str) or not value:
            return None
        try:
            return paths.parse(value)
        except ValueError:
            return None

    def container_tokens(self) -> paths.Path | None:
        """The tokens of the container the violation names (details.path), when it names one."""
        tokens = self.detail_path()
        if tokens is None:
            return None
        for i in range(len(tokens) - 1):
            if tokens[i] in CONTAINER_FIELDS and isinstance(tokens[i + 1], int):
                return tokens[: i + 2]
        return None

    def container(self) -> dict[str, Any] | None:
        """The offending container (a dict inside `obj`), or None."""
        tokens = self.container_tokens()
        found = paths.get(self.obj, tokens) if tokens else None
        return found if isinstance(found, dict) else None

    @property
    def container_label(self) -> str:
        """'container "api"' for summaries."""
        container = self.container() or {}
        name = self.details.get("container") or container.get("name") or "?"
        return f'container "{name}"'

    def pod_spec_tokens(self) -> paths.Path | None:
        """Where the object's pod spec is: by kind, else read off the container path."""
        known = POD_SPEC_PATHS.get(str(self.obj.get("kind", "")))
        if known is not None:
            return list(known)
        tokens = self.container_tokens()
        return tokens[:-2] if tokens else None

    def pod_spec(self) -> dict[str, Any] | None:
        tokens = self.pod_spec_tokens()
        found = paths.get(self.obj, tokens) if tokens is not None else None
        return found if isinstance(found, dict) else None


def at(tokens: paths.Path | None, *more: paths.Token) -> str | None:
    """The dotted path of tokens + more, or None when the base is unknown."""
    return paths.format_path([*tokens, *more]) if tokens is not None else None


def automatic(summary: str, field: str | None, *notes: str) -> Proposal:
    """A complete fix."""
    return Proposal(kind="automatic", summary=summary, field=field, notes=list(notes))


def placeholder(summary: str, field: str | None, *notes: str) -> Proposal:
    """A fix that re-verifies but carries a value a person must replace or confirm."""
    return Proposal(kind="placeholder", summary=summary, field=field, notes=list(notes))


def manual(summary: str, field: str | None, expected: str, *notes: str) -> Proposal:
    """No automatic fix: `expected` says what kind of value the field needs."""
    return Proposal(kind="manual", summary=summary, field=field, expected=expected, notes=list(notes))


def generic_field(details: dict[str, Any]) -> str | None:
    """The offending field from a violation's details when no strategy knows better."""
    for key in ("field", "path"):
        value = details.get(key)
        if isinstance(value, str) and ("." in value or "[" in value):
            return value
    return None


def unshaped(ctx: FixContext) -> Proposal:
    """The object is not shaped the way the violation describes: say so instead of guessing."""
    return manual(
        "no automatic fix: the object does not have the field the policy points at",
        generic_field(ctx.details),
        "follow the policy message",
    )


Strategy = Callable[[FixContext], Proposal]
REGISTRY: dict[str, Strategy] = {}


def strategy(*policy_ids: str) -> Callable[[Strategy], Strategy]:
    """Registers a function as the fix for the corpus policies `policy_ids`."""

    def register(func: Strategy) -> Strategy:
        for policy_id in policy_ids:
            if policy_id in REGISTRY:
                raise ValueError(f"two fix strategies for {policy_id}")
            REGISTRY[policy_id] = func
        return func

    return register
