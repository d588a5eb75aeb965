"""Resources a request leaves alone: "memory can burst however it likes", "CPU is uncapped".

Such a clause asks for no rule. It is understood (its words need no checking) only while no
part of the plan constrains that resource; otherwise the request contradicts itself.
"""

from __future__ import annotations

import re

from tools.draft.plan import Part

_FREE = re.compile(
    r"\b(cpu|memory|mem|ram)(?:\s+(?:limits?|usage))?\s+(?:"
    r"(?:can|may)\s+burst(?:\s+(?:however|as\s+much\s+as|wherever)\s+(?:it|they)\s+(?:likes?|wants?))?"
    r"|(?:is|are|stays?|remains?)\s+(?:uncapped|unlimited|unrestricted|not\s+capped)"
    r"|(?:isn't|aren't)\s+capped)\b"
)
_NAMES = {"cpu": "cpu", "memory": "memory", "mem": "memory", "ram": "memory"}


def free_resources(low: str, parts: list[Part]) -> tuple[list[tuple[int, int]], list[str], list[str]]:
    """(spans understood, notes, problems) for every resource the request leaves unconstrained."""
    spans: list[tuple[int, int]] = []
    notes: list[str] = []
    problems: list[str] = []
    for match in _FREE.finditer(low):
        name = _NAMES[match.group(1)]
        constrained = [
            p.exemplar_id for p in parts if name in (p.params.get("resources") or []) or name in p.params
        ]
        if constrained:
            problems.append(f'"{match.group(0)}" while {constrained[0]} constrains {name}')
        else:
            spans.append((match.start(), match.end()))
            notes.append(f"{name} is left unconstrained")
    return spans, notes, problems
