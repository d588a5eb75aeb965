"""Fixture recipes of the image, resource and workload exemplars that inspect pod specs."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from tools.draft import manifests as m
from tools.draft.fixers import DIGEST, on_registry
from tools.draft.imagerefs import image_under
from tools.draft.quantity import Quantity, just_over, just_under, parse
from tools.draft.recipe_base import Case, Ctx, Mutation, pod_cases, recipe

Obj = dict[str, Any]


def _set_image(label: str, image: str) -> Mutation:
    def apply(c: Obj, _o: Obj) -> None:
        c["image"] = image

    return Mutation(label, apply)


def _retag(label: str, tag: str) -> Mutation:
    """The container's own image with another tag ('' drops the tag)."""

    def apply(c: Obj, _o: Obj) -> None:
        name = c["image"].split("@")[0]
        last = name.rsplit("/", 1)[-1]
        if ":" in last:
            name = name[: len(name) - len(last)] + last.split(":")[0]
        c["image"] = f"{name}:{tag}" if tag else name

    return Mutation(label, apply)


@recipe("latest-tag")
def latest_tag(ctx: Ctx) -> list[Case]:
    """Deny: ':latest' and no tag at all; allow: a digest without a tag."""

    def digest_only(c: Obj, _o: Obj) -> None:
        name = c["image"].split("@")[0]
        last = name.rsplit("/", 1)[-1]
        c["image"] = name[: len(name) - len(last)] + last.split(":")[0] + DIGEST

    return pod_cases(ctx, [_retag("image-tagged-latest", "latest"), _retag("image-without-tag", "")],
                     [Mutation("image-pinned-by-digest", digest_only)])  # fmt: skip


@recipe("image-digests")
def image_digests(ctx: Ctx) -> list[Case]:
    """Deny: an image referenced by tag only; allow: tag plus digest (the base)."""

    def strip_digest(c: Obj, _o: Obj) -> None:
        c["image"] = c["image"].split("@")[0]

    return pod_cases(ctx, [Mutation("image-without-digest", strip_digest)], [])


@recipe("image-pull-policy")
def image_pull_policy(ctx: Ctx) -> list[Case]:
    """Deny: each pull policy outside allowedPolicies; allow: each allowed one."""
    allowed = list(ctx.params.get("allowedPolicies") or ["Always"])

    def policy(value: str, label: str) -> Mutation:
        return Mutation(label, lambda c, _o: c.update(imagePullPolicy=value))

    bad = [p for p in ("Never", "IfNotPresent", "Always") if p not in allowed]
    return pod_cases(ctx, [policy(p, f"pull-policy-{p.lower()}") for p in bad],
                     [policy(p, f"pull-policy-{p.lower()}-allowed") for p in allowed])  # fmt: skip


@recipe("allowed-registries")
def allowed_registries(ctx: Ctx) -> list[Case]:
    """Allow: an image from each allowed registry; deny: Docker Hub (or another registry) and a look-alike."""
    registries = list(ctx.params.get("registries") or [])
    variants = [_set_image(f"image-from-{m.slug(r)}", image_under(r, "api")) for r in registries[:4]]
    outsiders = ["docker.io/library/nginx:1.27", "quay.io/unknown/tool:2.0", "evil.example.com/app:1.0"]
    violations = [_set_image(f"image-from-{m.slug(i.split('/')[0])}", i)
                  for i in outsiders if not any(on_registry(i, r) for r in registries)][:2]  # fmt: skip
    if registries:
        first = registries[0].rstrip("*")
        lookalike = (
            f"{first.rstrip('/')}-mirror/api:1.4.2" if "/" in first else f"{first}.evil.example/api:1.4.2"
        )
        if not any(on_registry(lookalike, r) for r in registries):
            violations.append(_set_image(f"image-from-lookalike-{m.slug(first)}", lookalike))
    return pod_cases(ctx, violations, variants)


def _image_in(entry: str) -> str:
    """An image a repositories entry denies: a host or an organisation gets an image below it
    ('quay.io/untrusted' -> 'quay.io/untrusted/tool:1.36'); a full image name gets a tag."""
    base = entry.rstrip("*")
    segments = base.rstrip("/").split("/")
    has_host = "." in segments[0] or ":" in segments[0] or segments[0] == "localhost"
    if base.endswith(("/", "-", "_")):
        return image_under(base, "tool", "1.36")
    if has_host and len(segments) <= 2:
        return image_under(base + "/", "tool", "1.36")
    return f"{base}:1.36"


@recipe("disallowed-repositories")
def disallowed_repositories(ctx: Ctx) -> list[Case]:
    """Deny: an image from each forbidden repository; allow: the base and a look-alike name."""
    repos = [r for r in ctx.params.get("repositories") or [] if r]
    violations = [_set_image(f"image-from-{m.slug(r)}", _image_in(r)) for r in repos[:3]]
    variants = []
    first = repos[0].rstrip("*/") if repos else ""
    if first and not repos[0].endswith("*"):
        near = f"{first}-tools/app:1.0" if ("/" in first or "." in first) else f"{first}plus:1.0"
        variants.append(_set_image(f"image-from-{m.slug(near.split(':')[0])}", near))
    return pod_cases(ctx, violations, variants)


def _resources(section: str, name: str, value: str | None) -> Mutation:
    label = f"{'no' if value is None else value.lower()}-{name}-{section.rstrip('s')}".replace(".", "-")

    def apply(c: Obj, _o: Obj) -> None:
        values = c.setdefault("resources", {}).setdefault(section, {})
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value

    return Mutation(label if value is not None else f"missing-{name}-{section.rstrip('s')}", apply)


@recipe("limits-required", "requests-required")
def resources_required(ctx: Ctx) -> list[Case]:
    """Deny: a container missing each required limit/request; allow: all set (the base)."""
    section = "limits" if ctx.exemplar_id == "limits-required" else "requests"
    names = list(ctx.params.get("resources") or ["cpu", "memory"])
    return pod_cases(ctx, [_resources(section, n, None) for n in names[:3]], [])


@recipe("max-limits")
def max_limits(ctx: Ctx) -> list[Case]:
    """Deny: a limit just over each maximum; allow: just under and exactly at it (in the request's units)."""
    violations, variants = [], []
    for name in ("cpu", "memory"):
        cap = ctx.params.get(name)
        if not cap:
            continue
        quantity = Quantity(cap, parse(cap), name)
        violations.append(_resources("limits", name, just_over(quantity)))
        variants += [_resources("limits", name, just_under(quantity)), _resources("limits", name, cap)]
    return pod_cases(ctx, violations, variants)


def _ratio_pair(name: str, ratio: Fraction, label: str) -> Mutation:
    request = Fraction(1, 4) if name == "cpu" else Fraction(128 * 2**20)

    def text(value: Fraction) -> str:
        if name == "cpu":
            return f"{int(value * 1000)}m"
        return f"{int(value / 2**20)}Mi"

    def apply(c: Obj, _o: Obj) -> None:
        res = c.setdefault("resources", {})
        res.setdefault("requests", {})[name] = text(request)
        res.setdefault("limits", {})[name] = text(request * ratio)

    return Mutation(label, apply)


@recipe("limit-request-ratio")
def limit_request_ratio(ctx: Ctx) -> list[Case]:
    """Deny: a limit above maxRatio x the request; allow: exactly maxRatio x."""
    ratio = Fraction(str(ctx.params.get("maxRatio", 2)))
    name = (ctx.params.get("resources") or ["cpu"])[0]
    over = ratio + 1
    return pod_cases(ctx, [_ratio_pair(name, over, f"{name}-limit-{float(over):g}x-request")],
                     [_ratio_pair(name, ratio, f"{name}-limit-{float(ratio):g}x-request")])  # fmt: skip


@recipe("ephemeral-storage-limits")
def ephemeral_storage_limits(ctx: Ctx) -> list[Case]:
    """Deny: no ephemeral-storage limit (and one over maxLimit); allow: a limit within it."""
    violations = [_resources("limits", "ephemeral-storage", None)]
    cap = ctx.params.get("maxLimit")
    if cap:
        violations.append(
            _resources("limits", "ephemeral-storage", just_over(Quantity(cap, parse(cap), "memory")))
        )
    return pod_cases(ctx, violations, [])


@recipe("probes-required")
def probes_required(ctx: Ctx) -> list[Case]:
    """Deny: the app container missing each required probe; allow: an init container without probes."""
    probes = [p if p.endswith("Probe") else f"{p}Probe" for p in ctx.params.get("probes") or []]

    def missing(probe: str) -> Mutation:
        return Mutation(f"missing-{probe.removesuffix('Probe')}-probe",
                        lambda spec, _o: spec["containers"][0].pop(probe, None), "pod")  # fmt: skip

    def init_without_probes(spec: Obj, _o: Obj) -> None:
        spec["initContainers"] = [m.container("init", m.BASE_IMAGE.replace("web", "migrate"))]

    return pod_cases(
        ctx,
        [missing(p) for p in probes],
        [Mutation("init-container-without-probes", init_without_probes, "pod")],
    )


@recipe("automount-service-account-token")
def automount(ctx: Ctx) -> list[Case]:
    """Deny: automountServiceAccountToken true or unset; allow: false (the base)."""
    return pod_cases(ctx, [Mutation("automount-token-true", lambda s, _o: s.update(automountServiceAccountToken=True), "pod"),
                           Mutation("automount-token-unset", lambda s, _o: s.pop("automountServiceAccountToken", None), "pod")],
                     [])  # fmt: skip
