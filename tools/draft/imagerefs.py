"""Image references in requests: registries, repository prefixes and image exemptions.

"only allow images from ghcr.io/acme and registry.local:5000" names registries;
"except images from registry.example.com/tools" exempts an image prefix. Hosts keep
their port; "Docker Hub" is docker.io.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tools.draft.names import FIELD_PATH
from tools.draft.text import Text

_HOST = r"(?:(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?::\d+)?|localhost(?::\d+)?|[a-z0-9-]+:\d{2,5})"
_PATH = r"(?:/[a-z0-9._-]+)*"
_REF = r"(?:" + _HOST + _PATH + r"/?\*?|[a-z0-9-]+/[a-z0-9._-]+(?:/[a-z0-9._-]+)*/?\*?|docker\s?hub)"
REF_RE = re.compile(
    r"(?<![\w@./:-])[\"'`]?(?!" + FIELD_PATH + r")(" + _REF + r")(?![\w/-])[\"'`]?", re.IGNORECASE
)
_LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*/\s+)\s*(?:the\s+|from\s+)?")
# A reference next to these words is a label/annotation key or a URL, not an image.
_NOT_IMAGE_BEFORE = re.compile(r"(?:labels?|annotations?|keys?|https?://|@)\s*[\"'`]?$")
_NOT_IMAGE_AFTER = re.compile(r"^[\"'`]?\s*(?:labels?|annotations?|keys?)\b")

_EXEMPT = (
    r"(?:except|excluding|exempt(?:ing|s)?|other\s+than|apart\s+from|besides|but\s+allow|save\s+for|unless)"
)
_DIR_TRIGGERS = re.compile(
    r"\b"
    + _EXEMPT
    + r"\b(?:\s+for)?(?:\s+(?:the|our|any|all))?\s+(?:container\s+)?(?:images?|containers?|ones?)\s+"
    r"(?:that\s+(?:are|come)\s+)?(?:pulled\s+)?(?:from|in|under|hosted\s+(?:on|in|at)|starting\s+with|beginning\s+with|"
    r"prefixed\s+(?:with|by)|matching|that\s+start\s+with|of|at|on)\s+"
    r"|\bunless\s+(?:the\s+|its\s+|their\s+)?images?\s+(?:is\s+|are\s+)?(?:from|in|under|starts?\s+with|begins?\s+with|"
    r"matches|match)\s+"
)
_NAME_TRIGGERS = re.compile(r"\b" + _EXEMPT + r"\b(?:\s+for)?(?:\s+(?:the|our))?(?:\s+images?)?\s+")
# "the only exception is the quay.io/prometheus/node-exporter image"
# "the only thing that gets a pass is the pause image from registry.k8s.io/pause"
_EXCEPTION_IS = re.compile(
    r"\b(?:the\s+)?(?:only\s+)?exceptions?\s+(?:is|are|being|:)\s+(?:the\s+|our\s+)?(?:images?\s+)?"
    r"|\b(?:the\s+)?only\s+(?:thing|one|image|container)s?\s+that\s+(?:gets?|is|are)\s+"
    r"(?:a\s+pass|an?\s+exemption|exempt(?:ed)?|excused)\s+(?:is|are)\s+(?:the\s+|our\s+)?"
    r"(?:[a-z0-9-]+\s+)?(?:images?\s+)?(?:from\s+|at\s+)?"
)
# "Images under docker.io/envoyproxy/ keep the runtime defaults, so don't check those": a
# sentence about images from a place that ends by leaving them alone exempts them.
_SUBJECT_IMAGES = re.compile(r"\b(?:images?|containers?)\s+(?:under|from|in|pulled\s+from)\s+")
_LEFT_ALONE = re.compile(
    r"\b(?:don'?t|do\s+not|never|no\s+need\s+to)\s+(?:check|enforce|touch|apply|flag|block)\b|"
    r"\b(?:are|is)\s+(?:exempt\w*|excluded|out\s+of\s+scope)\b|\b(?:skip|ignore|leave)\s+(?:those|them|these|it)\b"
)
# "Only our storage driver images under registry.corp.example/csi/ are trusted to run privileged":
# those images are the rule's exemption.
_ONLY_TRUSTED = re.compile(
    r"\bonly\s+(?:our\s+|the\s+)?(?:[\w-]+\s+){0,3}?images?\s+(?:under|from|in|at|pulled\s+from)\s+"
)
# Only when a rule's own word follows ("... to run privileged"): "only images from ghcr.io are
# allowed to run" is an allow-list of registries, not an exemption.
_TRUSTED_TO = re.compile(
    r"\s*(?:are|is)\s+(?:trusted|allowed|permitted)\s+to\s+(?:run|be)\b(?=\s+(?:privileged|as\s+root|with\b|host))"
)
_POSTFIX = re.compile(r"\s+images?\s+(?:are|is)\s+(?:exempt\w*|excluded|allowed|fine|ok)\b")
_BARE_NAME = re.compile(
    r"\b" + _EXEMPT + r"\b(?:\s+for)?(?:\s+(?:the|our))?\s+([a-z0-9][a-z0-9-]*)\s+(?:container\s+)?images?\b"
)


@dataclass
class Exemption:
    """Image prefixes a clause exempts, and where the clause is."""

    prefixes: list[str]
    offset: int


@dataclass
class Exemptions:
    """Every image exemption of a request, plus exemptions it could not resolve."""

    items: list[Exemption] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


def canonical(ref: str) -> str:
    """'Docker Hub' -> 'docker.io'; hosts lower-cased; quotes dropped."""
    ref = ref.strip("\"'`")
    if re.fullmatch(r"docker\s?hub", ref, re.IGNORECASE):
        return "docker.io"
    host, _, rest = ref.partition("/")
    return host.lower() + ("/" + rest if rest else "")


def is_host_only(ref: str) -> bool:
    """True for 'ghcr.io' or 'registry.local:5000' (no repository path)."""
    return "/" not in ref.rstrip("/")


def refs_at(text: Text, start: int) -> tuple[list[str], int]:
    """A list of image references starting at `start` ('ghcr.io/acme, quay.io and docker hub'), and its end."""
    refs: list[str] = []
    pos = start
    while True:
        match = REF_RE.match(text.low, pos)
        if not match:
            break
        refs.append(canonical(text.raw[match.start(1) : match.end(1)]))
        pos = match.end()
        join = _LIST_JOIN.match(text.low, pos)
        if not join or not REF_RE.match(text.low, join.end()):
            break
        pos = join.end()
    return refs, pos


def image_refs(text: Text, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """Every unused image-like reference in text[start:end] with its span (label keys and URLs skipped)."""
    end = len(text.low) if end is None else end
    found = []
    for match in REF_RE.finditer(text.low, start, end):
        s, e = match.start(1), match.end(1)
        if text.is_used(s, e) or _NOT_IMAGE_BEFORE.search(text.low[max(0, s - 12) : s]):
            continue
        if _NOT_IMAGE_AFTER.match(text.low[e : e + 14]):
            continue
        found.append((canonical(text.raw[s:e]), s, e))
    return found


def _as_prefix(ref: str, directory: bool) -> str:
    """An exemptImages entry: hosts and "images from <path>" end with "/", so ghcr.io never matches ghcr.io.evil."""
    if ref.endswith(("/", "*")):
        return ref
    return ref + "/" if directory or is_host_only(ref) else ref


def extract_exemptions(text: Text) -> Exemptions:
    """Image exemptions ('except images from registry.example.com/tools'); marks the words used."""
    out = Exemptions()
    for pattern, directory in ((_DIR_TRIGGERS, True), (_NAME_TRIGGERS, False)):
        for match in pattern.finditer(text.low):
            if text.is_used(match.start(), match.end()):
                continue
            refs, end = refs_at(text, match.end())
            if refs:
                out.items.append(Exemption([_as_prefix(r, directory) for r in refs], match.start()))
                text.use(match.start(), end)
    for match in _EXCEPTION_IS.finditer(text.low):
        refs, end = refs_at(text, match.end())
        if refs and not text.is_used(match.start(), end):
            out.items.append(Exemption([_as_prefix(r, False) for r in refs], match.start()))
            text.use(match.start(), end)
    for match in _ONLY_TRUSTED.finditer(text.low):
        refs, end = refs_at(text, match.end())
        trusted = _TRUSTED_TO.match(text.low, end)
        if refs and trusted and not text.is_used(match.start(), end):
            out.items.append(Exemption([_as_prefix(r, True) for r in refs], match.start()))
            text.use(match.start(), trusted.end())
    for match in _SUBJECT_IMAGES.finditer(text.low):
        refs, end = refs_at(text, match.end())
        sentence = re.split(r"[.;!?](?:\s|$)", text.low[end:])[0]
        left_alone = _LEFT_ALONE.search(sentence)
        if refs and left_alone and not text.is_used(match.start(), end):
            out.items.append(Exemption([_as_prefix(r, True) for r in refs], match.start()))
            text.use(match.start(), end + left_alone.end())
    for ref, start, end in image_refs(text):
        post = _POSTFIX.match(text.low, end)
        if post:
            out.items.append(Exemption([_as_prefix(ref, False)], start))
            text.use(start, post.end())
    for match in _BARE_NAME.finditer(text.low):
        if not text.is_used(match.start(), match.end()):
            out.unresolved.append(match.group(1))
            text.use(match.start(), match.end())
    return out


def image_under(prefix: str, name: str = "app", tag: str = "1.4.2") -> str:
    """An image reference an exemptImages/registries entry admits: ('ghcr.io/acme/', 'api') -> 'ghcr.io/acme/api:1.4.2'."""
    base = prefix.rstrip("*")
    if base.endswith("/"):
        ref = f"{base}{name}"
    elif is_host_only(base):
        ref = f"{base}/{name}"
    elif base.endswith(("-", "_", ".")):
        ref = f"{base}{name}"
    else:
        ref = base
    return f"{ref}:{tag}" if tag else ref
