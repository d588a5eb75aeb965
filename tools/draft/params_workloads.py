"""Parameters of the workload, resource, networking and RBAC exemplars."""

from __future__ import annotations

import re
from typing import Any

from tools.draft.names import PROBES
from tools.draft.params_base import Filled, Region, filler, mentions, schema_default, split_polarity
from tools.draft.quantity import cpu_quantities, memory_quantities, parse
from tools.draft.text import NUMBER, number_value

_RESOURCE = re.compile(r"\b(cpus?|memory|mem|ram|ephemeral[\s-]storage)\b")
_OPTIONAL = re.compile(
    r"\s+(?:limits?|requests?)?\s*(?:is|are)\s+(?:optional|up\s+to|not\s+(?:required|needed|mandatory))"
    r"|\s+(?:limits?|requests?)?\s*(?:is|are)n't\s+(?:required|needed|mandatory)"
    # "memory can burst however it likes", "CPU is uncapped": that resource is left alone.
    r"|\s+(?:limits?\s+)?(?:can|may)\s+burst(?:\s+(?:however|as\s+much\s+as|wherever)\s+(?:it|they)\s+(?:likes?|wants?))?"
    r"|\s+(?:limits?\s+)?(?:is|are|stays?|remains?)\s+(?:uncapped|unlimited|unrestricted)\b"
)
_RESOURCE_NAMES = {"cpu": "cpu", "cpus": "cpu", "memory": "memory", "mem": "memory", "ram": "memory"}
_MIN = re.compile(
    r"\b(?:at\s+least|minimum(?:\s+of)?|min(?:imum)?|(?:no|not|never)\s+(?:fewer|less)\s+than|"
    r"(?:a\s+)?floor\s+of)\s+(" + NUMBER + r")|\b(" + NUMBER + r")\s+or\s+more\b"
)
_MAX = re.compile(
    r"\b(?:at\s+most|maximum(?:\s+of)?|max(?:imum)?|(?:no|not|never)\s+more\s+than|up\s+to|"
    r"cap(?:ped)?\s+(?:at|to)|(?:a\s+)?ceiling\s+of)\s+(" + NUMBER + r")|"
    r"\b(" + NUMBER + r")\s+or\s+(?:fewer|less)\b|\b(?:exceed\w*|above|over)\s+(" + NUMBER + r")"
)
# Strict comparisons whose direction depends on a negation in front: "more than 2" is a floor
# of 3, but "must never run more than 7" is a ceiling of 7 ("not fewer than 3" a floor of 3).
_MORE = re.compile(r"\bmore\s+than\s+(" + NUMBER + r")")
_FEWER = re.compile(r"\b(?:fewer|less)\s+than\s+(" + NUMBER + r")")
_NEGATOR = re.compile(r"\b(?:no|not|never|cannot)\b|n't\b")
_BETWEEN = re.compile(
    r"\bbetween\s+(" + NUMBER + r")\s+(?:and|to|-)\s+(" + NUMBER + r")|\b(\d+)\s*(?:-|to)\s*(\d+)\s+replicas"
)
_SINGLE = re.compile(
    r"\bsingle[\s-](?:replica|instance)|\bmore\s+than\s+(?:one|1)\b|\bhigh(?:ly)?\s+availab\w*"
)
_RATIO_WORDS = {"twice": 2, "double": 2, "triple": 3, "thrice": 3, "equal": 1, "match": 1}
_RATIO = re.compile(
    r"\b(twice|double|triple|thrice|equal|match)\b|\b(\d+(?:\.\d+)?)\s*(?:x|times|:\s*1|to\s+1)\b|"
    r"\bratio\b[^.;\d]{0,40}?(\d+(?:\.\d+)?)(?!\s*(?:gi|mi|ki|m\b|cpus?|cores?|%))|"
    r"\b(two|three|four|five|six|eight|ten)\s+times\b"
)
_COMPARE = re.compile(
    r"\b(?:more|greater|larger|higher|bigger)\s+than\b|\b(?:above|exceed\w*|over|beyond|at\s+most|no\s+more|up\s+to|"
    r"maximum|max|cap(?:ped)?|upper\s+bound|ceiling)\b"
)


@filler("probes-required")
def probes_required(region: Region, meta: dict[str, Any]) -> Filled:
    """probes: the probe kinds named (liveness, readiness, startup); liveness and readiness otherwise."""
    out = Filled()
    found = mentions(region, PROBES, r"\b(liveness|readiness|startup)(?:\s?probes?)?\b")
    wanted, forbidden = split_polarity(region, found)
    out.wanted["probes"], out.removed["probes"] = wanted, forbidden
    if wanted:
        out.params["probes"] = wanted
    else:
        out.params["probes"] = list(schema_default(meta, "probes") or ["livenessProbe", "readinessProbe"])
        out.defaulted.append("probes")
        out.notes.append(f"required probes: {', '.join(out.params['probes'])}")
    if forbidden:
        out.notes.append(f"{', '.join(forbidden)} stays optional")
    return out


def _first_number(match: re.Match[str]) -> float:
    return number_value(next(g for g in match.groups() if g))


def _negated_comparison(region: Region, offset: int) -> bool:
    """True when the words of the comparison's own phrase negate it ("and never more than 7")."""
    phrase = re.split(r"[,;.:]|\band\b|\bbut\b|\bor\b", region.before(offset, 40))[-1]
    return bool(_NEGATOR.search(phrase))


@filler("replica-bounds")
def replica_bounds(region: Region, meta: dict[str, Any]) -> Filled:
    """minReplicas / maxReplicas: 'at least 2', 'no more than 10', 'between 3 and 20'."""
    out = Filled()
    low: int | None = None
    high: int | None = None
    for match in region.finditer(_BETWEEN):
        numbers = [number_value(g) for g in match.groups() if g]
        low, high = int(min(numbers)), int(max(numbers))
        region.use(match.start(), match.end())
    for match in region.finditer(_MAX):
        if not region.text.is_used(match.start(), match.end()):
            high = int(_first_number(match))
            region.use(match.start(), match.end())
    for match in region.finditer(_MIN):
        if not region.text.is_used(match.start(), match.end()):
            low = int(_first_number(match))
            region.use(match.start(), match.end())
    for pattern, step in ((_MORE, 1), (_FEWER, -1)):
        for match in region.finditer(pattern):
            if region.text.is_used(match.start(), match.end()):
                continue
            value = int(number_value(match.group(1)))
            region.use(match.start(), match.end())
            if _negated_comparison(region, match.start()):
                low, high = (low, value) if step > 0 else (value, high)
            else:
                low, high = (value + 1, high) if step > 0 else (low, value - 1)
    single = re.search(_SINGLE, region.low)
    if low is None and single:
        low = 2
        out.notes.append("a single replica is rejected: at least 2 replicas")
    if low is None and high is None:
        out.missing.append("the replica bounds (e.g. 'at least 2 replicas' or 'no more than 10')")
    out.defaulted += [k for k, v in (("minReplicas", low), ("maxReplicas", high)) if v is None]
    out.params["minReplicas"] = low if low is not None else int(schema_default(meta, "minReplicas") or 1)
    out.params["maxReplicas"] = high if high is not None else int(schema_default(meta, "maxReplicas") or 100)
    if out.params["minReplicas"] > out.params["maxReplicas"]:
        out.problems.append(
            f"the minimum of {out.params['minReplicas']} replicas is above the maximum of {out.params['maxReplicas']}"
        )
    if high is None:
        out.notes.append(f"maximum replicas left at the default {out.params['maxReplicas']}")
    return out


def _resources(region: Region, meta: dict[str, Any], out: Filled) -> list[str]:
    """The resource names mentioned (cpu, memory, ephemeral-storage), or the schema default."""
    found = []
    for match in region.finditer(_RESOURCE):
        word = match.group(1)
        name = "ephemeral-storage" if word.startswith("ephemeral") else _RESOURCE_NAMES[word]
        region.use(match.start(), match.end())
        # "CPU requests are optional": named, but not required.
        optional = _OPTIONAL.match(region.text.low, match.end(), region.end)
        if optional:
            region.use(match.start(), optional.end())
            out.notes.append(f"{name} stays optional")
            continue
        found.append(name)
    # Extended resources are named in full ("nvidia.com/gpu"); a bare "gpu" is ambiguous.
    for match in region.finditer(r"\b([a-z0-9.-]+\.[a-z]{2,}/[a-z0-9.-]+|hugepages-\d+[mg]i)\b"):
        found.append(match.group(1))
        region.use(match.start(), match.end())
    for match in region.finditer(r"\b(gpus?|storage|disk|network|bandwidth|pids?)\b"):
        if not region.text.is_used(match.start(), match.end()):
            out.problems.append(
                f'limits or requests for "{match.group(1)}" (name the resource, e.g. nvidia.com/gpu)'
            )
    names = list(dict.fromkeys(found))
    if not names:
        names = list(schema_default(meta, "resources") or ["cpu", "memory"])
        out.defaulted.append("resources")
        out.notes.append(f"resources: {', '.join(names)}")
    return names


@filler("limits-required", "requests-required")
def resources_required(region: Region, meta: dict[str, Any]) -> Filled:
    """resources: the resources named (cpu, memory, ephemeral-storage); cpu and memory otherwise."""
    out = Filled()
    out.params["resources"] = _resources(region, meta, out)
    return out


@filler("max-limits")
def max_limits(region: Region, meta: dict[str, Any]) -> Filled:
    """cpu / memory: the highest limits allowed, as quantities ('2', '500m', '4Gi')."""
    out = Filled()
    for pattern in (_COMPARE, _RESOURCE):
        for match in region.finditer(pattern):
            region.use(match.start(), match.end())
    for quantity, start, end in cpu_quantities(region.raw):
        out.params.setdefault("cpu", quantity.text)
        if quantity.note:
            out.notes.append(quantity.note)
        region.use(region.start + start, region.start + end)
    for quantity, start, end in memory_quantities(region.raw):
        out.params.setdefault("memory", quantity.text)
        if quantity.note:
            out.notes.append(quantity.note)
        region.use(region.start + start, region.start + end)
    if not out.params:
        out.missing.append("the maximum cpu or memory limit (e.g. '2 CPUs' or '4Gi')")
    if any(parse(v) <= 0 for v in out.params.values()):
        out.problems.append("a maximum limit of zero")
    if re.search(r"\brequest(?:s|ed|ing)?\b", region.low) and not re.search(r"\blimits?\b", region.low):
        out.problems.append("a maximum on resource requests (the max-limits exemplar caps limits)")
    return out


@filler("limit-request-ratio")
def limit_request_ratio(region: Region, meta: dict[str, Any]) -> Filled:
    """maxRatio / resources: 'limits at most 2x the requests' -> maxRatio 2."""
    out = Filled()
    match = next(iter(region.finditer(_RATIO)), None)
    if match:
        word = match.group(1)
        if word:
            out.params["maxRatio"] = float(_RATIO_WORDS[word])
        elif match.group(4):
            out.params["maxRatio"] = number_value(match.group(4))
        else:
            out.params["maxRatio"] = float(match.group(2) or match.group(3))
        if out.params["maxRatio"] < 1:
            out.problems.append(
                f"a limit-to-request ratio of {out.params['maxRatio']:g} (limits below requests)"
            )
        if out.params["maxRatio"].is_integer():
            out.params["maxRatio"] = int(out.params["maxRatio"])
        region.use(match.start(), match.end())
    else:
        out.missing.append("the highest limit-to-request ratio (e.g. 'limits at most 2x the requests')")
    out.params["resources"] = _resources(region, meta, out)
    return out


@filler("ephemeral-storage-limits")
def ephemeral_storage_limits(region: Region, meta: dict[str, Any]) -> Filled:
    """maxLimit: an optional cap on the ephemeral-storage limit ('at most 2Gi')."""
    out = Filled()
    for quantity, start, end in memory_quantities(region.raw):
        out.params.setdefault("maxLimit", quantity.text)
        region.use(region.start + start, region.start + end)
    return out
