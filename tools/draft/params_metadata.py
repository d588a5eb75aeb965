"""Parameters of required-labels / required-annotations: keys and the values they may take.

"must have an owner label" -> [{"key": "owner"}]; "env label must be dev, staging or prod"
-> [{"key": "env", "allowedRegex": "^(dev|staging|prod)$"}]; "matching ^[a-z]+$" keeps the
regex as written. A few value descriptions ("non-empty", "a number", "an https URL", "an
@example.com address", "a lowercase DNS-style name") become regexes, with a note.
"""

from __future__ import annotations

import re
from typing import Any

from tools.draft.params_base import Filled, Region, filler
from tools.draft.text import NUMBER, number_value

_KEY = r"[A-Za-z0-9](?:[A-Za-z0-9._/-]*[A-Za-z0-9])?"
_QKEY = r"[\"'`]?(" + _KEY + r")[\"'`]?"
_SEP = r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|&)\s*(?:an?\s+|the\s+)?"
_NOT_KEYS = {
    "a", "an", "the", "this", "that", "these", "those", "some", "any", "all", "every", "each", "no", "its", "their",
    "our", "your", "my", "with", "without", "and", "or", "must", "should", "have", "has", "need", "needs", "be", "is",
    "are", "to", "of", "for", "on", "in", "at", "by", "set", "pod", "pods", "object", "objects", "namespace",
    "namespaces", "deployment", "deployments", "service", "services", "workload", "workloads", "resource",
    "resources", "container", "containers", "it", "them", "they", "also", "only", "one", "more", "other", "same",
    "carry", "carries", "missing", "add", "adding", "require", "requires", "enforce", "such", "like", "as", "not",
    "but", "from", "into", "use", "using", "mandatory", "required", "policy", "rule", "if", "unless", "when",
    "where", "whose", "which", "so", "because", "per", "then", "while",
    "valid", "following", "standard", "proper", "certain", "specific",
    "correct", "naming", "convention", "conventions", "value", "values", "selector", "selectors", "key", "keys",
    "right", "necessary", "extra", "custom", "common", "recommended", "appropriate", "two",
    "three", "both", "ownership", "metadata", "named", "called",
    # Words that introduce a value, not a key ("a cost-center label holding a code").
    "holding", "holds", "containing",
    # Words that describe an annotation's form, not its key ("the old per-container annotation").
    "old", "legacy", "deprecated", "per-container", "per-pod", "contains", "carrying", "having", "storing", "giving", "stating", "showing",
}  # fmt: skip
_META_CHARS = re.compile(r"[\^$\\[\](){}|*+?]")
_VALUE = r"(?:[\"'`]([^\"'`]+)[\"'`]|([A-Za-z0-9](?:[A-Za-z0-9._@-]*[A-Za-z0-9])?))"
_VALUE_SPEC = re.compile(
    r"(?:\s+(?:label|annotation)s?)?(?:'s)?(?:\s+values?)?\s+(?:must|should|has\s+to|have\s+to|needs?\s+to|can\s+only|"
    r"may\s+only|is\s+to|shall)?\s*(?:only\s+)?(?:be|equal|equals|is|are|in|set\s+to|=|:|with\s+(?:a\s+)?values?(?:\s+of)?|"
    r"(?:holding|containing|carrying)(?=\s+(?:one\s+of|either|any\s+of)\b))"
    r"\s*(?:one\s+of|either|any\s+of|in)?\s*[:\s]\s*",
    re.IGNORECASE,
)
_VALUE_REF = re.compile(r"[^.;]{0,25}?\b(?:the|its|whose|their)(?=\s+values?\b)")
_MATCH_SPEC = re.compile(
    r"[^.;]{0,40}?\b(?:match(?:es|ing)?|conform(?:s|ing)?\s+to|follow(?:s|ing)?)\s+(?:the\s+)?(?:regex|regexp|pattern|"
    r"regular\s+expression)?\s*[\"'`/]?(\S+?)[\"'`/]?(?=[\s,;]|$)",
    re.IGNORECASE,
)
_DESCRIBED = [  # value descriptions -> (regex, note)
    (re.compile(r"\bnon[\s-]?empty\b|\bnot\s+(?:be\s+)?empty\b"), ".+", "non-empty"),
    (re.compile(r"\b(?:a\s+)?(?:number|numeric|digits|integer)\b"), "^[0-9]+$", "digits only"),
    (re.compile(r"\bhttps\s+ur[li]s?\b"), "^https://.+$", "an https:// URL"),
    (re.compile(r"\b(?:lower[\s-]?case\s+)?dns[\s-](?:style|compatible|label|name)\b|\blower[\s-]?case\b"),
     "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "a lowercase DNS label"),
]  # fmt: skip
_DIGITS = re.compile(r"\b(" + NUMBER + r")[\s-]digits?\b")
# Words after a key that say its value is described next ("holding a code", "set to ...").
# Such a description the drafter cannot turn into a regex is declined, never dropped.
_VALUE_WORDS = re.compile(
    r"\s*(?:(?:label|annotation)s?\s+)?(?:(?:that|which)\s+)?(?:holding|holds?|containing|contains?|carrying|"
    r"carr(?:y|ies)|storing|stores?|set\s+to|whose\s+value)\b"
)
_EMAIL = re.compile(r"(?:@([a-z0-9.-]+\.[a-z]{2,})\s+)?(?:e-?mail(?:\s+address(?:es)?)?|addresse?s?)\b")


def _quote_regex(value: str) -> str:
    return re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", value)


def _keys(region: Region, noun: str) -> list[tuple[str, int, int]]:
    """Keys named in the region: 'owner and team labels', 'labels app and env', 'label env=prod'."""
    noun_re = noun + r"s?|" + noun + r"l?ed|" + ("annotated" if noun == "annotation" else "labell?ed")
    found: list[tuple[str, int, int]] = []
    before = re.compile(r"(?:" + _QKEY + _SEP + r")*" + _QKEY + r"\s+(?:" + noun_re + r")\b", re.IGNORECASE)
    after = re.compile(
        r"\b(?:"
        + noun_re
        + r")(?:\s*:\s*|\s+)(?:with\s+)?(?:named\s+|called\s+|keys?\s+)?"
        + _QKEY
        + r"(?:"
        + _SEP
        + _QKEY
        + r")*",
        re.IGNORECASE,
    )
    for pattern in (before, after):
        for match in region.finditer(pattern, raw=True):
            keyed_from: int | None = None
            for key_match in re.finditer(_QKEY, match.group(0)):
                key = key_match.group(1)
                start = match.start() + key_match.start(1)
                if (
                    key.lower() in _NOT_KEYS
                    or re.fullmatch(noun_re, key.lower())
                    or region.text.is_used(start, start + len(key))
                ):
                    continue
                found.append((key, start, start + len(key)))
                region.use(start, start + len(key))
                keyed_from = start if keyed_from is None else keyed_from
            if pattern is after:
                region.use(match.start(), match.end())
            elif keyed_from is not None:
                # Words before the first key ("deployments and the team label") are not
                # understood: a kind word there is still the request's to read.
                region.use(keyed_from, match.end())
    for match in region.finditer(r"(?<![\w/.-])(" + _KEY + r")\s*=\s*(?=\S)", raw=True):
        # "environment=prod, staging or dev": the values follow the "=" (read by _values_after).
        found.append((match.group(1), match.start(), match.end()))
        region.use(match.start(), match.end())
    return sorted(found, key=lambda k: k[1])


def _values_after(region: Region, end: int, limit: int) -> tuple[str | None, str | None]:
    """(regex, note) of a value rule right after a key mention, or (None, None)."""
    text, raw = region.text.low, region.text.raw
    spec = _VALUE_SPEC.match(text, end, limit)
    reference = None if spec else _VALUE_REF.match(text, end, limit)
    if reference:
        # "a team label, and the value must be one of ..."
        spec = _VALUE_SPEC.match(text, reference.end(), limit)
    # After "key=" the values start right away.
    at = spec.end() if spec else (end if raw[end - 1 : end] == "=" else None)
    if at is not None:
        rest = raw[at:limit]
        regex_token = re.match(r"[\"'`/]?(\^\S*?\$?|\S*[\[\](|*+?\\]\S*)[\"'`/]?(?=[\s,;]|$)", rest)
        if regex_token and _META_CHARS.search(regex_token.group(1)):
            region.use(end, at + regex_token.end())
            return regex_token.group(1), None
        values = re.match(_VALUE + r"(?:" + _SEP + _VALUE + r")*", rest)
        if values:
            items = [
                v
                for v in (a or b for a, b in re.findall(_VALUE, values.group(0)))
                if v.lower() not in ("and", "or", "a", "an", "the")
            ]
            items = [
                v for v in items if v.lower() not in _NOT_KEYS or v.lower() in ("true", "false", "yes", "no")
            ]
            if items:
                region.use(end, at + values.end())
                return "^(" + "|".join(_quote_regex(v) for v in items) + ")$", None
    match = _MATCH_SPEC.match(raw, end, limit)
    if match and _META_CHARS.search(match.group(1)):
        region.use(match.start(), match.end())
        return match.group(1), None
    window = text[end:limit]
    digits = _DIGITS.search(window)
    if digits and digits.start() < 60:
        count = int(number_value(digits.group(1)))
        region.use(end + digits.start(), end + digits.end())
        return f"^[0-9]{{{count}}}$", f"value rule read as exactly {count} digits"
    for pattern, regex, what in _DESCRIBED:
        found = pattern.search(window)
        if found and found.start() < 60:
            region.use(end + found.start(), end + found.end())
            return regex, f"value rule read as {what}: {regex}"
    email = _EMAIL.search(window)
    if email and email.start() < 60:
        region.use(end + email.start(), end + email.end())
        if email.group(1):
            return f"^[^@\\s]+@{_quote_regex(email.group(1))}$", f"value must be an @{email.group(1)} address"
        return "^[^@\\s]+@[^@\\s]+$", "value must look like an email address"
    return None, None


def _fill(region: Region, noun: str, param: str) -> Filled:
    out = Filled()
    keys = _keys(region, noun)
    items: dict[str, dict[str, Any]] = {}
    for index, (key, _start, end) in enumerate(keys):
        item = items.setdefault(key, {"key": key})
        limit = keys[index + 1][1] if index + 1 < len(keys) else region.end
        regex, note = _values_after(region, end, limit)
        if regex is None:
            # A later mention of the key can carry its value rule ("... and the env value has to match X").
            for later in re.finditer(
                r"(?<![\w./-])" + re.escape(key.lower()) + r"(?![\w/-])", region.text.low[end : region.end]
            ):
                at = end + later.end()
                if not region.text.is_used(end + later.start(), at):
                    regex, note = _values_after(region, at, region.end)
                    if regex:
                        region.use(end + later.start(), at)
                        break
        if regex:
            item["allowedRegex"] = regex
        elif _VALUE_WORDS.match(region.text.low, end, limit):
            out.problems.append(f"the value described for the {noun} {key}")
        if note:
            out.notes.append(f"{key}: {note}")
    if not items:
        out.missing.append(f"which {noun} keys are required (e.g. 'an owner {noun}')")
    out.params[param] = list(items.values())
    return out


@filler("required-labels")
def required_labels(region: Region, meta: dict[str, Any]) -> Filled:
    """labels: [{key, allowedRegex?}] for every label the request requires."""
    return _fill(region, "label", "labels")


@filler("required-annotations")
def required_annotations(region: Region, meta: dict[str, Any]) -> Filled:
    """annotations: [{key, allowedRegex?}] for every annotation the request requires."""
    return _fill(region, "annotation", "annotations")
