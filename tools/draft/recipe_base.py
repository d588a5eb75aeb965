"""What fixture recipes share: the Case they produce, their context, and the pod-spec case builder.

A pod-spec recipe lists its violations (what makes an object denied) and variants (allowed
objects that show the parameters, e.g. one per allowed registry). `pod_cases` turns them
into fixtures: a compliant object, each variant, each violation on a Pod, one on an init
container, and one on workload controllers (Deployment, CronJob, ...).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from tools.draft import manifests as m
from tools.draft.fixers import apply_fixers

Obj = dict[str, Any]
Apply = Callable[[Obj, Obj], None]  # (container or pod spec, whole object) -> None
CONTROLLER_ORDER = [
    "Deployment",
    "CronJob",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "ReplicaSet",
    "ReplicationController",
]


@dataclass
class Case:
    """One fixture before scope placement: its manifest, verdict and what it shows."""

    name: str
    expected: Literal["deny", "allow"]
    manifest: Obj
    offenders: list[str] = field(default_factory=list)  # containers whose image exemption would admit it
    pinned: bool = False  # its namespace is the point of the case; placement leaves it alone
    facet: str | None = None  # the check of a multi-check exemplar this case violates (facets.py)


@dataclass
class Ctx:
    """What a recipe knows: its own parameters, every part of the draft, the matched kinds, the namespace."""

    exemplar_id: str
    params: dict[str, Any]
    parts: list[tuple[str, dict[str, Any]]]
    kinds: list[str]
    namespace: str
    facets: list[str] = field(default_factory=list)

    def fix(self, obj: Obj) -> Obj:
        """`obj` made compliant with every rule of the draft."""
        return apply_fixers(obj, self.parts)

    def fix_others(self, obj: Obj) -> Obj:
        """`obj` made compliant with the draft's other rules (this exemplar's own change is the point)."""
        return apply_fixers(obj, [p for p in self.parts if p[0] != self.exemplar_id])


@dataclass
class Mutation:
    """A change to one container ("container") or to the pod spec ("pod"), named for the fixture."""

    label: str
    apply: Apply
    level: Literal["container", "pod"] = "container"
    facet: str | None = None


Recipe = Callable[[Ctx], list[Case]]
RECIPES: dict[str, Recipe] = {}


def recipe(*ids: str) -> Callable[[Recipe], Recipe]:
    """Registers a fixture recipe for exemplars."""

    def register(fn: Recipe) -> Recipe:
        for exemplar_id in ids:
            RECIPES[exemplar_id] = fn
        return fn

    return register


def pod_kinds(ctx: Ctx) -> tuple[str, str | None, str | None]:
    """(primary kind, a controller kind, a second controller kind) among the kinds the draft matches."""
    kinds = [k for k in m.POD_SPEC_KINDS if k in ctx.kinds]
    primary = "Pod" if "Pod" in kinds else (kinds[0] if kinds else "Pod")
    controllers = [k for k in CONTROLLER_ORDER if k in kinds and k != primary]
    return (
        primary,
        (controllers[0] if controllers else None),
        (controllers[1] if len(controllers) > 1 else None),
    )


def base(ctx: Ctx, kind: str, name: str, *, init: bool = False) -> Obj:
    """A compliant object of `kind` with an app container (and an init container)."""
    spec: Obj = {"containers": [m.container("app", m.BASE_IMAGE, ports=[{"containerPort": 8080}])]}
    if init:
        spec["initContainers"] = [m.container("init", m.BASE_IMAGE.replace("web", "migrate"))]
    return ctx.fix(m.workload(kind, m.slug(name), ctx.namespace, spec))


def _target(obj: Obj, mutation: Mutation, container_field: str = "containers") -> Obj:
    spec = m.pod_spec(obj) or {}
    return spec if mutation.level == "pod" else spec[container_field][0]


def pod_cases(
    ctx: Ctx, violations: list[Mutation], variants: list[Mutation], *, init_deny: bool = True
) -> list[Case]:
    """The standard fixture set of a pod-spec exemplar (see the module docstring)."""
    primary, controller, second = pod_kinds(ctx)
    # The init-container and controller cases use the first violation: make it one the draft checks.
    violations = sorted(violations, key=lambda v: bool(ctx.facets and v.facet and v.facet not in ctx.facets))
    cases = [Case(f"compliant-{primary.lower()}", "allow", base(ctx, primary, "web"))]
    for variant in variants:
        obj = base(ctx, primary, variant.label)
        variant.apply(_target(obj, variant), obj)
        cases.append(Case(variant.label, "allow", ctx.fix_others(obj)))
    for violation in violations[:4]:
        obj = base(ctx, primary, violation.label)
        violation.apply(_target(obj, violation), obj)
        cases.append(
            Case(violation.label, "deny", obj, offenders=_offenders(violation, "app"), facet=violation.facet)
        )
    if not violations:
        return cases
    first = violations[0]
    if init_deny:
        obj = base(ctx, primary, f"{first.label}-init", init=True)
        if first.level == "container":
            first.apply(_target(obj, first, "initContainers"), obj)
            cases.append(
                Case(f"{first.label}-in-init-container", "deny", obj, offenders=["init"], facet=first.facet)
            )
        else:
            first.apply(_target(obj, first), obj)
            cases.append(Case(f"{first.label}-with-init-container", "deny", obj, facet=first.facet))
    for kind, violation in ((controller, first), (second, violations[-1])):
        if kind:
            obj = base(ctx, kind, f"{violation.label}-{kind}")
            violation.apply(_target(obj, violation), obj)
            cases.append(
                Case(
                    f"{violation.label}-{kind.lower()}",
                    "deny",
                    obj,
                    offenders=_offenders(violation, "app"),
                    facet=violation.facet,
                )
            )
    return cases


def _offenders(mutation: Mutation, name: str) -> list[str]:
    return [name] if mutation.level == "container" else []


def sc(item: Obj) -> Obj:
    """item.securityContext (created when missing)."""
    return m.security_context(item)


def setter(**values: Any) -> Apply:
    """A mutation that sets securityContext fields: setter(privileged=True)."""

    def apply(item: Obj, _obj: Obj) -> None:
        sc(item).update(copy.deepcopy(values))

    return apply


def unsetter(*keys: str) -> Apply:
    """A mutation that removes securityContext fields."""

    def apply(item: Obj, _obj: Obj) -> None:
        for key in keys:
            item.get("securityContext", {}).pop(key, None)

    return apply
