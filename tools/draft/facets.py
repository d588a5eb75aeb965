"""Facets: exemplars whose one rule covers several checks the request may name only some of.

"Stop workloads from joining the node's PID or IPC namespaces" asks for hostPID and
hostIPC, not hostNetwork; the host-namespaces exemplar checks all three. Its violations
say which check fired (details.field), so the draft keeps the exemplar unchanged as a
library module and admits only the violations of the checks the request named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.draft.params_base import Region


@dataclass(frozen=True)
class Facet:
    """The violation detail that names the check, and the words that select each value."""

    detail: str
    options: dict[str, str]


FACETS: dict[str, Facet] = {
    "host-namespaces": Facet(
        "field",
        {
            "hostNetwork": r"\bhost[\s_-]?network(?:ing|s)?\b|\bnetwork(?:ing)?(?:\s+(?:stack|namespace))?\b",
            "hostPID": r"\bhost[\s_-]?pid\b|\bpid\b|\bprocess(?:es|\s+id)?\b",
            "hostIPC": r"\bhost[\s_-]?ipc\b|\bipc\b|\bshared\s+memory\b",
        },
    ),
    "rbac-wildcards": Facet(
        "field",
        {
            "verbs": r"\bverbs?\b",
            "resources": r"\bresources?\b",
            "apiGroups": r"\bapi\s?groups?\b",
        },
    ),
    "ingress-host-wildcards": Facet(
        "reason",
        {
            "wildcard": r"\bwildcards?\b|\*",
            "missing": r"\b(?:empty|missing|no|explicit|without\s+a)\s+hosts?\b|\bcatch[\s-]?all\b|\bhost[\s-]?less\b",
        },
    ),
}


def select_facets(exemplar_id: str, region: Region) -> list[str]:
    """The checks the request names (empty: all of them, as in the exemplar)."""
    facet = FACETS.get(exemplar_id)
    if facet is None:
        return []
    named = [value for value, pattern in facet.options.items() if re.search(pattern, region.low)]
    return named if 0 < len(named) < len(facet.options) else []


def facet_filter(exemplar_id: str, facets: list[str]) -> str | None:
    """The Rego condition keeping only the named checks' violations ('found.details.field in {...}')."""
    facet = FACETS.get(exemplar_id)
    if facet is None or not facets:
        return None
    if set(facets) >= set(facet.options):
        return None
    if len(facets) == 1:
        return f'found.details.{facet.detail} == "{facets[0]}"'
    values = ", ".join(f'"{v}"' for v in sorted(facets))
    return f"found.details.{facet.detail} in {{{values}}}"


def facets_from_source(source: str, lib: str) -> list[str]:
    """The facets a composed src.rego keeps for one library (the inverse of facet_filter)."""
    match = re.search(
        r"some found in "
        + re.escape(lib)
        + r"\.violation\n\tfound\.details\.\w+ (?:in \{([^}]*)\}|== (\"[^\"]+\"))",
        source,
    )
    return re.findall(r'"([^"]+)"', match.group(1) or match.group(2)) if match else []
