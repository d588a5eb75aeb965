"""Fixes for resource policies: required limits and requests, maximum limits, limit/request ratios."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from tools.explain import paths, quantity
from tools.explain.fixes.base import FixContext, Proposal, at, automatic, manual, strategy, unshaped

# Used only when the container states nothing to derive a value from; every use is
# reported as a default to size for the workload.
LIMIT_DEFAULTS = {"cpu": "500m", "memory": "512Mi", "ephemeral-storage": "1Gi"}
REQUEST_DEFAULTS = {"cpu": "250m", "memory": "256Mi", "ephemeral-storage": "512Mi"}


def _fill(ctx: FixContext, section: str, other: str, defaults: dict[str, str]) -> Proposal:
    """Sets resources.<section>.<name> for every missing name: from resources.<other>, else a default."""
    tokens = ctx.container_tokens()
    container = ctx.container()
    missing = ctx.details.get("missing")
    if tokens is None or container is None or not isinstance(missing, list) or not missing:
        return unshaped(ctx)
    done, notes, left = [], [], []
    for name in map(str, missing):
        source = paths.get(container, ["resources", other, name])
        if source is not None:
            value, why = source, f"{name} copied from resources.{other}"
        elif name in defaults:
            value = defaults[name]
            why = f"{name} {value} is a default, not a measurement: size it for the workload"
        else:
            left.append(name)
            continue
        if not paths.set_value(ctx.obj, [*tokens, "resources", section, name], value):
            return unshaped(ctx)
        done.append(f"{name}: {value}")
        notes.append(why)
    field = at(tokens, "resources", section)
    if not done:
        return manual(
            f"no automatic fix: no value to derive for {', '.join(left)}",
            field,
            f"resources.{section} for {', '.join(left)}, from the workload's measured usage",
        )
    if left:
        notes.append(f"{', '.join(left)} still needs a value from you")
    return automatic(f"set resources.{section} {', '.join(done)} on {ctx.container_label}", field, *notes)


@strategy("limits-required")
def limits_required(ctx: FixContext) -> Proposal:
    """Limits from the container's requests when present, else conservative defaults (flagged)."""
    return _fill(ctx, "limits", "requests", LIMIT_DEFAULTS)


@strategy("requests-required")
def requests_required(ctx: FixContext) -> Proposal:
    """Requests from the container's limits when present, else conservative defaults (flagged)."""
    return _fill(ctx, "requests", "limits", REQUEST_DEFAULTS)


def _bad_parameter(ctx: FixContext) -> Proposal:
    return manual(
        "no automatic fix: the constraint itself is invalid",
        None,
        f"a valid quantity for the constraint's {ctx.details.get('parameter')} parameter (fix the constraint)",
    )


def _lower_request(
    ctx: FixContext, tokens: paths.Path, name: str, cap: Fraction, cap_text: Any
) -> str | None:
    """Requests above a lowered limit make the object invalid: lower them with it."""
    request = paths.get(ctx.obj, [*tokens, "resources", "requests", name])
    amount = quantity.parse(request)
    if amount is not None and amount > cap:
        paths.set_value(ctx.obj, [*tokens, "resources", "requests", name], cap_text)
        return f"resources.requests.{name} lowered to {cap_text} too: a request may not exceed its limit"
    return None


@strategy("ephemeral-storage-limits")
def ephemeral_storage(ctx: FixContext) -> Proposal:
    """An ephemeral-storage limit: the request when set, else 1Gi, never above the constraint's maximum."""
    if "parameter" in ctx.details:
        return _bad_parameter(ctx)
    tokens = ctx.container_tokens()
    if tokens is None or ctx.container() is None:
        return unshaped(ctx)
    name = "ephemeral-storage"
    maximum = ctx.parameters.get("maxLimit")
    cap = quantity.parse(maximum) if maximum not in (None, "") else None
    current = paths.get(ctx.obj, [*tokens, "resources", "limits", name])
    request = paths.get(ctx.obj, [*tokens, "resources", "requests", name])
    amount = quantity.parse(current)
    notes: list[str] = []
    if amount is not None and (cap is None or amount <= cap):
        value = current  # within bounds already (another fix this round)
    elif amount is not None:
        value, notes = maximum, [f"lowered to the constraint's maximum, {maximum}"]
    elif current is None and quantity.parse(request) is not None:
        value, notes = request, ["copied from resources.requests.ephemeral-storage"]
    else:
        value = LIMIT_DEFAULTS[name]
        notes = [f"{value} is a default: size it for what the container writes to its disk"]
    chosen = quantity.parse(value)
    if cap is not None and chosen is not None and chosen > cap:
        value, notes = maximum, [f"the constraint's maximum, {maximum}"]
    paths.set_value(ctx.obj, [*tokens, "resources", "limits", name], value)
    if cap is not None:
        lowered = _lower_request(ctx, tokens, name, cap, maximum)
        notes += [lowered] if lowered else []
    return automatic(
        f"set resources.limits.ephemeral-storage: {value} on {ctx.container_label}",
        at(tokens, "resources", "limits", name),
        *notes,
    )


@strategy("max-limits")
def max_limits(ctx: FixContext) -> Proposal:
    """Lowers the limit to the constraint's maximum (and a request above it with it)."""
    if "parameter" in ctx.details:
        return _bad_parameter(ctx)
    tokens = ctx.container_tokens()
    field = ctx.detail_path("field")
    maximum = ctx.details.get("maximum")
    cap = quantity.parse(maximum)
    if tokens is None or field is None or cap is None or not isinstance(field[-1], str):
        return unshaped(ctx)
    name = field[-1]
    current = quantity.parse(paths.get(ctx.obj, field))
    if current is None or current > cap:  # another fix may have lowered it further already
        paths.set_value(ctx.obj, field, maximum)
    notes = ["check the workload still fits: it will be throttled (cpu) or killed (memory) at the new limit"]
    lowered = _lower_request(ctx, tokens, name, cap, maximum)
    notes += [lowered] if lowered else []
    return automatic(
        f"lower resources.limits.{name} to {maximum} on {ctx.container_label}",
        paths.format_path(field),
        *notes,
    )


@strategy("limit-request-ratio")
def limit_request_ratio(ctx: FixContext) -> Proposal:
    """Lowers the limit to maxRatio x request (raising the request instead would reserve more capacity)."""
    field = ctx.detail_path("field")
    request = quantity.parse(ctx.details.get("request"))
    ratio = ctx.details.get("maxRatio")
    if field is None or not isinstance(field[-1], str) or not isinstance(ratio, int | float):
        return unshaped(ctx)
    name = field[-1]
    if request is None or request <= 0 or ctx.details.get("ratio") is None:
        return manual(
            "no automatic fix: the request is zero or not a quantity",
            paths.format_path(field),
            f"a resources.requests.{name} quantity, with the limit at most {ratio}x that",
        )
    value = quantity.format_for(name, request * Fraction(ratio), down=True)
    current = quantity.parse(paths.get(ctx.obj, field))
    if current is None or current > request * Fraction(ratio):
        paths.set_value(ctx.obj, field, value)
    return automatic(
        f"lower resources.limits.{name} to {value} ({ratio}x the request) on {ctx.container_label}",
        paths.format_path(field),
        f"or raise resources.requests.{name} instead if the workload needs the higher limit",
    )
