"""A draft's fixtures: recipe cases, the exemplar's own samples when they still hold, and scope cases.

Scope cases show the constraint's match working: a denied object placed in an exempt
namespace, outside the restricted namespaces, carrying an exempt image, or of a kind
the draft does not match is admitted.
"""

from __future__ import annotations

import copy
import fnmatch
import json
from functools import lru_cache
from typing import Any

from tools.bundle import examples, expected_violation, load_yaml_file, sample_dirs
from tools.corpus.load import Exemplar
from tools.draft import manifests as m
from tools.draft.fixers import apply_fixers
from tools.draft.imagerefs import image_under
from tools.draft.models import Fixture
from tools.draft.plan import Plan
from tools.draft.recipes import Case, Ctx, cases_for
from tools.kube import validation_error

MAX_SCOPE_CASES = 3


@lru_cache(maxsize=2048)
def _validation_error(manifest_json: str) -> str | None:
    """tools.kube.validation_error, remembered: drafts and follow-ups rebuild many identical objects."""
    return validation_error(json.loads(manifest_json))


def home_namespace(plan: Plan) -> str:
    """Where fixtures live: the first restricted namespace, else a namespace the constraint matches."""
    if plan.namespaces:
        return m.concrete_namespace(plan.namespaces[0])
    return next(
        ns for ns in ("apps", "team-a", "workloads", "shop") if m.in_scope(ns, plan.excluded_namespaces, [])
    )


def _parts(plan: Plan) -> list[tuple[str, dict[str, Any]]]:
    return [(p.exemplar_id, p.params) for p in plan.parts]


def _ctx(plan: Plan, exemplar: Exemplar, params: dict[str, Any], kinds: list[str]) -> Ctx:
    part = next((p for p in plan.parts if p.exemplar_id == exemplar.id), None)
    own = [k for k in kinds if k in (part.kinds if part and part.kinds else exemplar.meta.get("kinds") or [])]
    facets = part.facets if part else []
    return Ctx(exemplar.id, params, _parts(plan), own, home_namespace(plan), list(facets))


def _images(obj: dict[str, Any]) -> list[str]:
    return [c.get("image", "") for c in m.containers(obj)]


def _exempt(image: str, prefixes: list[str]) -> bool:
    return any(image.startswith(p.rstrip("*")) for p in prefixes)


def _effective(meta: dict[str, Any], params: dict[str, Any], key: str) -> Any:
    prop = ((meta.get("parameters") or {}).get("properties") or {}).get(key) or {}
    return params.get(key, prop.get("default"))


def sample_cases(exemplar: Exemplar, params: dict[str, Any], plan: Plan, kinds: list[str]) -> list[Case]:
    """The exemplar's own samples whose verdict still holds under the draft's parameters and match."""
    dirs = sample_dirs(exemplar.path)
    if not dirs:
        return []
    constraint = load_yaml_file(dirs[0] / "constraint.yaml") or {}
    spec = constraint.get("spec", {}) or {}
    sample_params, match = spec.get("parameters", {}) or {}, spec.get("match", {}) or {}
    keys = (set(params) | set(sample_params)) - {"exemptImages"}
    if any(_effective(exemplar.meta, params, k) != _effective(exemplar.meta, sample_params, k) for k in keys):
        return []
    sample_kinds = {k for g in match.get("kinds", []) or [] for k in g.get("kinds", [])} or set(kinds)
    home = home_namespace(plan)
    out = []
    for example in examples(dirs[0]):
        obj = load_yaml_file(example)
        if not isinstance(obj, dict) or obj.get("kind") not in kinds:
            continue
        deny = expected_violation(example)
        ns = (obj.get("metadata") or {}).get("namespace")
        if not deny and (
            obj.get("kind") not in sample_kinds
            or not m.in_scope(ns, match.get("excludedNamespaces") or [], match.get("namespaces") or [])
            or any(_exempt(i, sample_params.get("exemptImages") or []) for i in _images(obj))
        ):
            continue  # admitted only because of the sample constraint's own exemptions
        if deny and any(_exempt(i, params.get("exemptImages") or []) for i in _images(obj)):
            continue
        keep_ns = exemplar.id == "disallow-default-namespace" and ns in (None, "default")
        if not keep_ns and (plan.namespaces or not m.in_scope(ns, plan.excluded_namespaces, [])):
            m.set_namespace(obj, home)
        name = example.stem.replace("example_disallowed", "").replace("example_allowed", "").strip("_")
        label = f"sample-{m.slug(name)}" if name else f"sample-{'denied' if deny else 'allowed'}"
        out.append(Case(label, "deny" if deny else "allow", obj, pinned=True))
    return out


def _scope_cases(
    plan: Plan, cases: list[Case], exemplars: dict[str, Exemplar], kinds: list[str]
) -> list[Case]:
    denied = [
        c
        for c in cases
        if c.expected == "deny" and not c.pinned and c.manifest.get("kind") not in m.CLUSTER_SCOPED
    ]
    out: list[Case] = []
    if not denied:
        return out
    first = denied[0]
    for pattern in plan.excluded_namespaces[:MAX_SCOPE_CASES]:
        ns = m.concrete_namespace(pattern)
        obj = m.set_namespace(copy.deepcopy(first.manifest), ns)
        out.append(Case(f"{first.name}-in-exempt-namespace-{ns}", "allow", obj, pinned=True))
    if plan.namespaces:
        outside = next(ns for ns in ("sandbox", "team-x", "other-apps")
                       if not any(fnmatch.fnmatchcase(ns, p) for p in plan.namespaces))  # fmt: skip
        obj = m.set_namespace(copy.deepcopy(first.manifest), outside)
        out.append(Case(f"{first.name}-outside-{m.slug(plan.namespaces[0])}", "allow", obj, pinned=True))
    return out


def _exemption_cases(plan: Plan, per_part: dict[str, list[Case]]) -> list[Case]:
    """A denied object whose offending containers use an exempt image, expected admitted."""
    out = []
    for part in plan.parts:
        prefixes = part.params.get("exemptImages") or []
        offending = [c for c in per_part.get(part.exemplar_id, []) if c.expected == "deny" and c.offenders]
        if not prefixes or not offending:
            continue
        others = [(p.exemplar_id, p.params) for p in plan.parts if p is not part]
        for prefix in prefixes[:2]:
            case = offending[0]
            obj = copy.deepcopy(case.manifest)
            for c in m.containers(obj):
                if c.get("name") in case.offenders:
                    base, suffix = m.image_parts(c["image"])
                    c["image"] = image_under(prefix, base, "") + suffix
            apply_fixers(obj, others)
            if all(
                _exempt(c["image"], [prefix]) for c in m.containers(obj) if c.get("name") in case.offenders
            ):
                out.append(Case(f"{case.name}-exempt-image-{m.slug(prefix)}", "allow", obj))
    return out


def _kind_cases(plan: Plan, exemplars: dict[str, Exemplar], kinds: list[str]) -> list[Case]:
    """When the request narrowed the kinds: a denied object of another kind is admitted."""
    if not plan.kinds:
        return []
    for part in plan.parts:
        exemplar = exemplars[part.exemplar_id]
        others = [k for k in exemplar.meta.get("kinds") or [] if k not in kinds]
        for kind in others[:1]:
            denied = [c for c in cases_for(_ctx(plan, exemplar, part.params, [kind])) if c.expected == "deny"]
            if denied:
                case = denied[0]
                return [Case(f"{case.name}-{kind.lower()}-not-matched", "allow", case.manifest)]
    return []


def _part_kind_cases(plan: Plan, exemplars: dict[str, Exemplar], kinds: list[str]) -> list[Case]:
    """A rule kept to some of the matched kinds: an object of another matched kind that only it
    would deny is admitted ("an owner label on deployments and a team annotation on namespaces")."""
    out = []
    for part in plan.parts:
        exemplar = exemplars[part.exemplar_id]
        spared = [k for k in kinds if k in (exemplar.meta.get("kinds") or []) and k not in part.kinds]
        if not part.kinds or not spared:
            continue
        others = [(p.exemplar_id, p.params) for p in plan.parts if p is not part]
        ctx = Ctx(exemplar.id, part.params, _parts(plan), spared[:1], home_namespace(plan), list(part.facets))
        denied = [c for c in cases_for(ctx) if c.expected == "deny"]
        if denied:
            case = denied[0]
            obj = apply_fixers(copy.deepcopy(case.manifest), others)
            kind = spared[0].lower()
            name = case.name if case.name.endswith(kind) else f"{case.name}-{kind}"
            out.append(Case(f"{name}-not-judged", "allow", obj))
    return out


def _narrowed(cases: list[Case], facets: list[str], others: list[tuple[str, dict[str, Any]]]) -> list[Case]:
    """With only some checks kept, a case that fails only another check is admitted: it shows the narrowing.

    Such a case must then satisfy the draft's other rules too.
    """
    if not facets:
        return cases
    out = []
    for case in cases:
        if case.expected == "deny" and case.facet and case.facet not in facets:
            case = Case(
                f"{case.name}-not-checked", "allow", apply_fixers(case.manifest, others), pinned=case.pinned
            )
        out.append(case)
    return out


def build_fixtures(
    plan: Plan, exemplars: dict[str, Exemplar], kinds: list[str]
) -> tuple[list[Fixture], list[str], dict[str, str]]:
    """(fixtures, problems, origins) of a plan whose constraint matches `kinds`.

    `origins` maps each recipe or sample fixture's name to the exemplar it was built for.
    """
    per_part: dict[str, list[Case]] = {}
    problems = []
    for part in plan.parts:
        exemplar = exemplars[part.exemplar_id]
        others = [(p.exemplar_id, p.params) for p in plan.parts if p is not part]
        cases = _narrowed(cases_for(_ctx(plan, exemplar, part.params, kinds)), part.facets, others)
        cases = [c for c in cases if c.manifest.get("kind") in kinds]
        for case in cases:
            if case.expected == "allow" and not case.pinned:
                # An admitted object must satisfy the draft's other rules as well.
                apply_fixers(case.manifest, others)
        if len(plan.parts) == 1 and not part.facets:
            cases += sample_cases(exemplar, part.params, plan, kinds)
        if not any(c.expected == "deny" for c in cases):
            problems.append(f"a denied example for {part.exemplar_id} with these parameters")
        per_part[part.exemplar_id] = cases
    cases = [c for group in per_part.values() for c in group]
    if plan.namespaces:
        # A constraint restricted to namespaces never sees cluster-scoped objects.
        cases = [c for c in cases if c.manifest.get("kind") not in m.CLUSTER_SCOPED]
    cases += _scope_cases(plan, cases, exemplars, kinds)
    cases += _exemption_cases(plan, per_part)
    cases += _kind_cases(plan, exemplars, kinds)
    cases += _part_kind_cases(plan, exemplars, kinds)
    origin = {id(c): exemplar_id for exemplar_id, group in per_part.items() for c in group}
    fixtures, seen, origins = [], set(), {}
    for case in cases:
        name = m.slug(case.name)[:80].strip("-")
        if name in seen:
            continue
        error = _validation_error(json.dumps(case.manifest, sort_keys=True))
        if error:
            problems.append(f"a valid fixture for {case.name} ({error})")
            continue
        seen.add(name)
        fixtures.append(Fixture(name=name, expected=case.expected, manifest=case.manifest))
        if id(case) in origin:
            origins[name] = origin[id(case)]
    return fixtures, problems, origins
