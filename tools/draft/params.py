"""Filling an exemplar's parameters from the request (one filler per exemplar, see params_*.py)."""

from __future__ import annotations

from typing import Any

# The filler modules register themselves on import.
from tools.draft import (  # noqa: F401
    params_hostpath,
    params_images,
    params_metadata,
    params_network,
    params_security,
    params_workloads,
)
from tools.draft.params_base import FILLERS, Filled, Region


def schema_properties(meta: dict[str, Any]) -> dict[str, Any]:
    """The parameter properties of an exemplar's schema."""
    return dict((meta.get("parameters") or {}).get("properties") or {})


def fill(exemplar_id: str, region: Region, meta: dict[str, Any], exempt_images: list[str]) -> Filled:
    """The exemplar's parameters read from `region`, plus exemptImages when the exemplar takes them."""
    fn = FILLERS.get(exemplar_id)
    out = fn(region, meta) if fn else Filled()
    properties = schema_properties(meta)
    if exempt_images:
        if "exemptImages" in properties:
            out.params["exemptImages"] = list(exempt_images)
        else:
            out.problems.append(f"image exemptions for {exemplar_id} (it has no exemptImages parameter)")
    unknown = sorted(set(out.params) - set(properties))
    if unknown:
        # The catalog and the exemplar disagree; drafting would hand the template a parameter it rejects.
        out.problems.append(
            f"parameters {', '.join(unknown)} that the {exemplar_id} exemplar does not declare"
        )
    return out
