"""Policy-side options: how a constraint's match or parameters could admit an object, keyed by policy id.

Each option is a modified copy of the constraint, a summary, and what else the change
admits (an exemption covers a whole namespace, an exempt image prefix every container of
that image, a raised cap every workload). Nothing here runs an engine: policyside.py
re-verifies the options with gator.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from tools.explain import paths


@dataclass
class Option:
    """One way to change the constraint."""

    kind: str  # "exemption" or "parameter"
    summary: str
    constraint: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def image_prefix(image: str) -> str:
    """'ghcr.io/acme/web:1.0@sha256:..' -> 'ghcr.io/acme/web': the repository, without tag or digest."""
    name = image.split("@", 1)[0]
    head, _, last = name.rpartition("/")
    if ":" in last:
        last = last.split(":", 1)[0]
    return f"{head}/{last}" if head else last


def _container_image(obj: dict[str, Any], details: dict[str, Any]) -> str | None:
    value = details.get("path")
    try:
        tokens = paths.parse(value) if isinstance(value, str) and value else None
    except ValueError:
        tokens = None
    image = paths.get(obj, tokens, {}).get("image") if tokens else None
    if not isinstance(image, str):
        image = details.get("value") if isinstance(details.get("value"), str) else None
    return image


def _with_parameter(constraint: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(constraint)
    spec = changed.setdefault("spec", {})
    params = spec.get("parameters")
    if not isinstance(params, dict):
        params = spec["parameters"] = {}
    params[key] = value
    return changed


def _add_to_list(constraint: dict[str, Any], key: str, items: list[str]) -> dict[str, Any] | None:
    params = (constraint.get("spec") or {}).get("parameters") or {}
    current = params.get(key) if isinstance(params, dict) else None
    current = list(current) if isinstance(current, list) else []
    missing = [item for item in items if item not in current]
    return _with_parameter(constraint, key, current + missing) if missing else None


def exemption(constraint: dict[str, Any], namespace: str, policy: str) -> Option | None:
    """spec.match.excludedNamespaces gains the object's namespace (unless it is already there)."""
    changed = copy.deepcopy(constraint)
    match = changed.setdefault("spec", {}).setdefault("match", {})
    if not isinstance(match, dict):
        return None
    excluded = match.get("excludedNamespaces")
    excluded = list(excluded) if isinstance(excluded, list) else []
    if namespace in excluded:
        return None
    match["excludedNamespaces"] = [*excluded, namespace]
    return Option(
        "exemption",
        f"add {namespace} to spec.match.excludedNamespaces",
        changed,
        [f"weakens {policy} for EVERY object in namespace {namespace}, not only this one"],
    )


def parameter_options(
    policy_id: str | None, constraint: dict[str, Any], obj: dict[str, Any], details: dict[str, Any]
) -> list[Option]:
    """Parameter changes that would admit the object: the ones the policy id and its parameters allow."""
    params = (constraint.get("spec") or {}).get("parameters") or {}
    params = params if isinstance(params, dict) else {}
    label = policy_id or str(constraint.get("kind"))
    options: list[Option] = []
    image = _container_image(obj, details)
    if policy_id == "allowed-registries" and isinstance(details.get("registry"), str):
        registry = details["registry"]
        changed = _add_to_list(constraint, "registries", [registry])
        if changed:
            warn = f"admits every image from {registry}, not only {image or 'this one'}"
            options.append(Option("parameter", f"add {registry} to parameters.registries", changed, [warn]))
    if policy_id == "capabilities-allowed" and isinstance(details.get("capabilities"), list):
        caps = [str(c) for c in details["capabilities"]]
        changed = _add_to_list(constraint, "allowedCapabilities", caps)
        if changed:
            warn = f"allows {', '.join(caps)} for every workload {label} matches"
            options.append(Option("parameter", f"add {', '.join(caps)} to parameters.allowedCapabilities", changed, [warn]))  # fmt: skip
    field_name = str(details.get("field") or "")
    if policy_id == "max-limits" and field_name.rsplit(".", 1)[-1] in ("cpu", "memory"):
        name = field_name.rsplit(".", 1)[-1]
        value = details.get("value")
        if isinstance(value, str | int | float):
            changed = _with_parameter(constraint, name, str(value))
            warn = f"raises the {name} cap for every workload {label} matches"
            options.append(Option("parameter", f"raise parameters.{name} to {value}", changed, [warn]))
    if "exemptImages" in params and image:
        prefix = image_prefix(image)
        changed = _add_to_list(constraint, "exemptImages", [prefix])
        if changed:
            warn = f"exempts every container whose image starts with {prefix} from {label}"
            options.append(Option("parameter", f"add {prefix} to parameters.exemptImages", changed, [warn]))
    return options
