"""Parameters of host-path-volumes: an allow-list of host paths, or a blocklist of named paths and sockets.

"disallow hostPath volumes" denies every host path (allowedPathPrefixes lists the exceptions).
"deny pods that mount the docker socket" asks for less: only the named paths are denied
(deniedPathPrefixes) and every other host path stays allowed. The blocklist is used only
when the request never forbids hostPath volumes as such; "no hostPath volumes, especially
not the docker socket" still denies them all.
"""

from __future__ import annotations

import re
from typing import Any

from tools.draft.params_base import Filled, Region, filler, tail_polarity

_PATH = re.compile(r"(?<![\w.:/-])(/(?:[A-Za-z0-9._/*-]*[A-Za-z0-9_*])?)(?![\w/])")

# Where each container runtime listens on a node; /var/run is a link to /run on most nodes,
# so each socket is blocked under both names.
_DOCKER = ["/var/run/docker.sock", "/run/docker.sock"]
_CONTAINERD = ["/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock"]
_CRIO = ["/var/run/crio/crio.sock", "/run/crio/crio.sock"]
SOCKETS = {
    "docker": _DOCKER,
    "containerd": _CONTAINERD,
    "crio": _CRIO,
    "runtime": _DOCKER + _CONTAINERD + _CRIO,
}
_RUNTIME = r"(?:docker|containerd|cri-?o)"
# "the docker socket", "docker and containerd sockets", "crio.sock", "the container runtime socket".
_SOCKET_LIST = re.compile(
    r"(?<![\w./-])(" + _RUNTIME + r"(?:\s*(?:,|and|or|&|/)\s*(?:the\s+)?" + _RUNTIME + r")*)"
    r"(?:'s)?\s+(?:daemon\s+|engine\s+|runtime\s+|api\s+)?sock(?:et)?s?\b"
)
_SOCKET_FILE = re.compile(r"(?<![\w./-])(docker|containerd|crio)\.sock\b")
_ANY_RUNTIME = re.compile(r"\b(?:container[\s-]+)?runtime(?:'s)?\s+sock(?:et)?s?\b|\bcri\s+sock(?:et)?s?\b")

# How people name hostPath volumes as such ("hostPath volumes", "the node's filesystem").
_HOST_PATHS = re.compile(
    r"\bhost[\s_-]?paths?(?:\s+(?:volumes?|mounts?))?\b"
    r"|\b(?:node|host)(?:'s)?\s+(?:file\s?system|disk|directories|directory|files)\b"
)
# Words between a hostPath mention and a path that make the path an example of the mention,
# not the thing the mention is about: "no hostPath volumes, especially not /etc".
_ILLUSTRATES = re.compile(
    r"[,;.:]|\b(?:except|unless|but|other|apart|besides|includ\w*|especially|particularly|such|like|e\.g|"
    r"for\s+example|for\s+instance|even|and|or|any|all|every)\b"
)
_MAX_GAP_WORDS = 5
_PREFIX_WORDS = re.compile(
    r"\b(?:whose|with\s+a|that\s+have\s+a)\s+(?:host\s+)?paths?\s+(?:starts?|begins?|starting|beginning)\s+with\b"
)
_EXCEPT_GAP = re.compile(
    r"\s*,?\s*(?:except|but\s+not|other\s+than|apart\s+from|besides|save\s+for)\s+(?:for\s+)?"
    r"(?:(?:at|in|under|below|inside)\s+)?(?:the\s+)?"
)
_ALLOWS = re.compile(r"\b(?:only|allow\w*|permit\w*|may|can|exempt\w*|fine|ok|okay|acceptable)\b")
# "but not" is one exception, not an exception and a negation.
_EXCEPTION = re.compile(
    r"\b(?:(?:but|and)\s+not|except(?:\s+not)?|unless|but|other\s+than|apart\s+from|besides|save\s+for)\b"
)
_NEGATIVE = re.compile(
    r"\b(?:no|not|never|none|nothing|nobody|no\s+one|without|nor|deny|denies|forbid\w*|block\w*|disallow\w*|"
    r"reject\w*|ban\w*|prevent\w*|prohibit\w*|refuse\w*)\b|n't\b|\bcannot\b"
)
_LIST_GAP = re.compile(r"\s*(?:,|and|or|&)?\s*(?:and|or)?\s*(?:the\s+)?")


def _sockets(region: Region) -> list[tuple[str, int, int]]:
    """(runtime, start, end) for each runtime socket named, one item per runtime of a list."""
    found: list[tuple[str, int, int]] = []
    for match in region.finditer(_SOCKET_LIST):
        names = list(re.finditer(_RUNTIME, match.group(1)))
        for i, name in enumerate(names):
            start = match.start(1) + name.start()
            end = match.end() if i == len(names) - 1 else match.start(1) + name.end()
            found.append((name.group(0).replace("-", ""), start, end))
    for match in region.finditer(_SOCKET_FILE):
        found.append((match.group(1), match.start(), match.end()))
    for match in region.finditer(_ANY_RUNTIME):
        found.append(("runtime", match.start(), match.end()))
    return found


def _expand(items: list[str]) -> list[str]:
    """Paths and runtime names as host path prefixes, in order, without repeats."""
    out: list[str] = []
    for item in items:
        out += [p for p in SOCKETS.get(item, [item]) if p not in out]
    return out


def _about(low: str, mention: tuple[int, int], items: list[tuple[str, int, int]]) -> bool:
    """True when a hostPath mention is about the named paths ("hostPath mounts of the docker socket")."""
    for _, start, end in items:
        if start >= mention[1]:
            gap = low[mention[1] : start]
        elif end <= mention[0]:
            gap = low[end : mention[0]]
        else:
            continue
        if not _ILLUSTRATES.search(gap) and len(gap.split()) <= _MAX_GAP_WORDS:
            return True
    return False


def _forbids_all(region: Region, items: list[tuple[str, int, int]]) -> bool:
    """True when the request forbids hostPath volumes as such, not only the paths it names."""
    low = region.text.low
    for match in region.finditer(_HOST_PATHS):
        negated = region.negated(match.start())
        settled = tail_polarity(low[match.end() : region.end])
        if settled:
            negated = settled[0]
        if negated and not _about(low, (match.start(), match.end()), items):
            return True
    return False


def _allowing(low: str, start: int, end: int) -> bool:
    """True when the words before a list of paths (or "only" after it) allow them.

    Each negative word and each exception flips the verdict: "deny hostPath except /var/log" and
    "pods can't mount anything but /var/log" allow, "allow hostPath but not the docker socket" and
    "nobody can mount /etc" deny. Words that say nothing ("no hostPath volumes, /etc included") deny."""
    before = re.split(r"[,;.]\s", low[max(0, start - 60) : start])[-1]
    exceptions = len(_EXCEPTION.findall(before))
    negatives = len(_NEGATIVE.findall(_EXCEPTION.sub(" ", before)))
    signal = exceptions or _ALLOWS.search(before) or re.match(r"[\s\"'`]*(?:only|alone)\b", low[end:])
    return bool(signal) and (exceptions + negatives) % 2 == 0


def _sides(low: str, found: list[tuple[str, int, int]]) -> tuple[list[str], list[str]]:
    """(allowed, denied) items. Paths listed together share a side, unless what follows the list
    settles its last item ("/var/log and /opt, /etc is off limits"); a list right after "except"
    takes the other side of the one before ("deny /etc and /var/lib/kubelet, except /etc/ssl/certs")."""
    runs: list[list[tuple[str, int, int]]] = []
    flips: list[bool] = []
    for item in found:
        if runs and _LIST_GAP.fullmatch(low, runs[-1][-1][2], item[1]):
            runs[-1].append(item)
            continue
        flips.append(bool(runs) and bool(_EXCEPT_GAP.fullmatch(low, runs[-1][-1][2], item[1])))
        runs.append([item])
    side: dict[str, bool] = {}
    previous = True
    for run, flip in zip(runs, flips, strict=True):
        allowed = (not previous) if flip else _allowing(low, run[0][1], run[-1][2])
        verdicts = [allowed] * len(run)
        settled = tail_polarity(low[run[-1][2] :])
        if settled is not None:
            for i in range(len(run)) if settled[1] else [len(run) - 1]:
                verdicts[i] = not settled[0]
        side.update((name, not ok) for (name, _, _), ok in zip(run, verdicts, strict=True))
        previous = verdicts[-1]
    return [n for n, d in side.items() if not d], [n for n, d in side.items() if d]


@filler("host-path-volumes")
def host_path_volumes(region: Region, meta: dict[str, Any]) -> Filled:
    """allowedPathPrefixes: host paths the request allows ("except under /var/log"); none denies all.
    deniedPathPrefixes: the host paths and runtime sockets the request names to block, when it
    does not forbid hostPath volumes as such ("deny pods that mount the docker socket")."""
    out = Filled()
    for match in region.finditer(_PREFIX_WORDS):
        region.use(match.start(), match.end())  # "whose path starts with": what the prefixes mean
    found = [(m.group(1).rstrip("/*") or "/", m.start(), m.end()) for m in region.finditer(_PATH, raw=True)]
    found = sorted(found + _sockets(region), key=lambda item: item[1])
    for _, start, end in found:
        region.use(start, end)
    wanted, forbidden = _sides(region.text.low, found)
    allowed = _expand(wanted)
    denied = _expand(forbidden)
    out.params["allowedPathPrefixes"] = allowed
    out.wanted["allowedPathPrefixes"] = allowed
    if denied and not _forbids_all(region, [f for f in found if f[0] in forbidden]):
        out.params["deniedPathPrefixes"] = denied
        out.wanted["deniedPathPrefixes"] = denied
        out.notes.append(
            f"only host paths at or below {', '.join(denied)} are denied; other host paths stay allowed"
        )
        out.notes += _twin_notes(denied)
    elif forbidden:
        named = ", ".join(_display(f) for f in forbidden)
        out.notes.append(f"every hostPath volume is denied, {named} included")
    return out


def _display(item: str) -> str:
    if item == "runtime":
        return "the container runtime sockets"
    return f"the {item} socket" if item in SOCKETS else item


def _twin_notes(denied: list[str]) -> list[str]:
    """A path under /var/run written without its /run twin: nodes usually link one to the other."""
    notes = []
    for path in denied:
        for a, b in (("/var/run/", "/run/"), ("/run/", "/var/run/")):
            twin = b + path.removeprefix(a)
            if path.startswith(a) and twin not in denied:
                notes.append(f"{path} is usually also reachable as {twin}; name it too to block both")
    return notes
