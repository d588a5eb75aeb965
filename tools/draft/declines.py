"""When the offline drafter must say no: conditions the exemplars cannot express.

A decline names what could not be expressed and ends with the hint to configure an LLM
provider. Declining is always better than a policy that does something else than asked.
"""

from __future__ import annotations

import re

from tools.draft.text import FILLER, Text

HINT = "configure an LLM provider (OPENAI_API_KEY / OPENAI_BASE_URL) for this request"

_DAYS = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
# (pattern, what it asks for) — requests no exemplar parameter can express.
UNSUPPORTED: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\b(?:weekends?|weekdays?|(?:business|office|working)\s+hours|at\s+night|overnight|night[\s-]?time|holidays?|"
            r"on\s+"
            + _DAYS
            + r"|"
            + _DAYS
            + r"|during\s+(?:the\s+)?(?:day|night|maintenance|freeze|release)\w*|"
            r"(?:before|after|between)\s+\d{1,2}(?::\d\d)?\s*(?:am|pm|h\b|o'clock)|\d{1,2}\s*(?:am|pm)\b|time\s+of\s+day|"
            r"change\s+freeze|maintenance\s+windows?|until\s+(?:next|the\s+end|\d)|expir\w+|business\s+days?)\b"
        ),
        "time-based conditions",
    ),
    (
        re.compile(
            r"\b(?:vulnerabilit\w*|cve\s+scans?|scan(?:ned|ner|ning)\s+(?:images?|results?|reports?)|(?:image\s+)?scan\s+results?|"
            r"cves?\b(?!-\d)|signed|signatures?|cosign|notary|sboms?|attestations?|provenance\s+attestation|external\s+(?:data|api|services?)|"
            r"call\s+(?:an?\s+)?(?:api|webhook|service)|webhooks?|ldap|active\s+directory|jira|tickets?|"
            r"approved\s+by|approval\s+from|slack|pager\w*)\b"
        ),
        "checks that need data from outside the object (signatures, scans, external systems)",
    ),
    (
        re.compile(
            r"\b(?:mutat\w+|inject\w*|add\s+(?:a\s+)?default|set\s+(?:a\s+)?default|default\s+(?:it|them|the\s+\w+)\s+to|"
            r"automatically\s+(?:add|set|fix|insert)|auto[\s-]?(?:fix|add|set)\w*|patch\s+(?:it|them|the)|rewrite\s+(?:it|them|the))\b"
        ),
        "changing objects (mutation); admission policies here only admit or deny",
    ),
    (
        re.compile(
            r"\b(?:unique|uniqueness|duplicat\w+|already\s+exists?|conflict\w*\s+with\s+(?:another|other|existing)|"
            r"(?:another|other|existing)\s+(?:objects?|ingress\w*|services?|namespaces?|deployments?)\s+(?:in\s+the\s+cluster|"
            r"with\s+the\s+same)|quotas?|rate[\s-]?limit\w*|more\s+than\s+\d+\s+(?:pods|deployments|services|objects)\s+per|"
            r"per\s+(?:namespace|team|cluster)\s+(?:limit|quota|maximum))\b"
        ),
        "rules that compare an object with other objects in the cluster",
    ),
    (
        re.compile(
            r"\b(?:delet\w+|remov(?:e|al|ing)\s+(?:of\s+)?(?:namespaces?|pods?|deployments?|objects?)|on\s+updates?|"
            r"updates?\s+to|immutable\s+fields?|cannot\s+be\s+changed|kubectl\s+exec|exec\s+into|port[\s-]?forward\w*|"
            r"scale\s+down\s+to\s+zero)\b"
        ),
        "rules about operations other than creating an object (deletes, updates, exec)",
    ),
    (
        re.compile(
            r"\b(?:requested\s+by|created\s+by|submitted\s+by|userinfo|user\s+info|who\s+(?:creates|deploys|submits|applies)|"
            r"only\s+(?:the\s+)?[\w-]+\s+(?:team|admins?|sres?|operators?)\s+(?:can|may|is\s+allowed|are\s+allowed))\b"
        ),
        "rules about who makes the request",
    ),
    (
        re.compile(
            r"\b(?:equal|equals|match(?:es)?|same\s+as|correspond\w*\s+to|consistent\s+with)\s+(?:to\s+)?(?:the\s+)?"
            r"(?:[\w.'/-]+\s+){0,4}(?:of|in|from)\s+(?:its|the|their|each|that)\b"
        ),
        "comparing one field of an object with another",
    ),
]
STRONG_CONDITION = re.compile(
    r"\b(?:unless|if|when|whenever|provided(?:\s+that)?|as\s+long\s+as|depending\s+on|in\s+case)\b"
)
CONDITION = re.compile(
    r"\b(?:unless|if|when|whenever|only\s+if|only\s+when|provided(?:\s+that)?|as\s+long\s+as|depending\s+on|in\s+case|"
    r"where(?:ver)?|whose|that\s+(?:have|has|are|is)|with\s+(?:a|an|the)\s+[\w.-]+\s+(?:label|annotation))\b"
)
# Words in a condition that point at something the policy would have to inspect.
_CONCRETE = re.compile(
    r"\b(?:label\w*|annotat\w*|names?|named|team|owner|image|tag|user|group|service\s?account|replicas?|kind|type|"
    r"ports?|value|version|registry|env\w*|prod\w*|node\w*|cpu|memory|size|created|signed|scanned|ticket|"
    r"exception\w*|critical|priority|class|qos|role|status)\b|[\"'`=]"
)


def reason(what: str) -> str:
    """The decline text: what could not be expressed, then the hint."""
    return f"offline mode can't express {what}; {HINT}"


def unsupported(text: Text) -> str | None:
    """What the request asks for that no exemplar can express (None when nothing)."""
    for pattern, what in UNSUPPORTED:
        match = pattern.search(text.low)
        if match and not text.is_used(match.start(), match.end()):
            return f'{what} ("{text.raw[match.start() : match.end()]}")'
    return None


def _tail_end(text: Text, start: int) -> int:
    tail_end = re.search(r"[,;.!?](?:\s|$)|\band\s+(?:deny|block|require|forbid|no)\b|$", text.low[start:])
    return start + (tail_end.start() if tail_end else 0)


def condition_tails(text: Text) -> list[tuple[int, int]]:
    """Spans of what follows "unless" / "if" / "when": concept words there are conditions, not rules."""
    return [(m.end(), _tail_end(text, m.end())) for m in STRONG_CONDITION.finditer(text.low)]


def open_conditions(text: Text, conditional: list[tuple[int, int]]) -> tuple[list[str], list[str]]:
    """Conditions left after extraction: (ones that inspect other fields -> decline, vague ones -> a note).

    `conditional` holds the spans of concept phrases found inside conditions ("... if they run as root").
    """
    hard, soft = [], []
    # Words of a stated reason or aside ("9100 (node-exporter)") are no condition to check.
    asides = text.rationale_spans()
    for match in CONDITION.finditer(text.low):
        if text.is_used(match.start(), match.end()):
            continue
        end = _tail_end(text, match.end())
        tail = text.low[match.end() : end]
        unused = [
            w.group(0)
            for w in re.finditer(r"[\w'\"`=./-]+", tail)
            if not text.is_used(match.end() + w.start(), match.end() + w.end())
            and w.group(0) not in FILLER
            and not any(a <= match.end() + w.start() < b for a, b in asides)
        ]
        snippet = text.raw[match.start() : end].strip()
        nested = any(match.end() <= s < end for s, _ in conditional)
        if nested or (
            unused and (_CONCRETE.search(" ".join(unused)) or re.search(r"[\"'`=]", " ".join(unused)))
        ):
            hard.append(snippet)
        elif unused:
            soft.append(snippet)
    return hard, soft
