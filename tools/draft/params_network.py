"""Parameters of the networking and RBAC exemplars: Service types, external IPs, cluster-admin subjects."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from tools.draft.names import SERVICE_TYPE_RE, SERVICE_TYPES
from tools.draft.params_base import Filled, Region, filler, schema_default, split_polarity

_IP = re.compile(r"\b((?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?)\b")
_SUBJECT_WORD = r"(group|user|service\s?account|sa)"
_SUBJECT_NAME = r"[\"'`]?([a-z0-9][a-z0-9:._@/-]*[a-z0-9])[\"'`]?"
# "group platform-admins" first, then "platform-admins group" on what is left.
_SUBJECTS = [
    (
        re.compile(r"\b" + _SUBJECT_WORD + r"s?\s+(?:called\s+|named\s+)?" + _SUBJECT_NAME, re.IGNORECASE),
        1,
        2,
    ),
    (re.compile(_SUBJECT_NAME + r"\s+" + _SUBJECT_WORD + r"\b", re.IGNORECASE), 2, 1),
]
# "Flux's kustomize-controller service account in flux-system": the account and its namespace.
_ACCOUNT_IN = re.compile(
    r"(?<![\w:/-])([a-z0-9][a-z0-9.-]*[a-z0-9])\s+service\s?accounts?\s+(?:in|from)\s+(?:the\s+)?"
    r"([a-z0-9][a-z0-9-]*[a-z0-9])(?:\s+namespace)?\b",
    re.IGNORECASE,
)
_NOT_SUBJECTS = {"may", "can", "must", "is", "the", "that", "and", "or", "should", "cluster-admin", "a", "an", "any",
                 "every", "no", "only", "our", "its"}  # fmt: skip


@filler("service-types")
def service_types(region: Region, meta: dict[str, Any]) -> Filled:
    """disallowedTypes: the types forbidden, or every type but those allowed ('only ClusterIP')."""
    out = Filled()
    found = [
        (SERVICE_TYPES[re.sub(r"[\s-]", "", m.group(1)).rstrip("s")], m.start(), m.end())
        for m in region.finditer(SERVICE_TYPE_RE)
    ]
    allowing = re.search(r"\bonly\b", region.low) is not None
    wanted, forbidden = split_polarity(region, found)
    if allowing and wanted:
        disallowed = [t for t in SERVICE_TYPES.values() if t not in wanted]
        out.removed["disallowedTypes"] = wanted
    else:
        disallowed = list(dict.fromkeys(forbidden + wanted))
        out.wanted["disallowedTypes"] = disallowed
    if not disallowed:
        disallowed = list(schema_default(meta, "disallowedTypes") or ["LoadBalancer", "NodePort"])
        out.defaulted.append("disallowedTypes")
        out.notes.append(f"disallowed Service types: {', '.join(disallowed)}")
    out.params["disallowedTypes"] = disallowed
    return out


_UNNAMED_EXCEPTION = re.compile(
    r"\b(?:except|other\s+than|besides|apart\s+from|only|allow\w*|permit\w*)\b[^.;]{0,60}"
    r"\b(?:ips?|ip\s+addresses|addresses|cidrs?|ranges?)\b"
)


@filler("service-external-ips")
def service_external_ips(region: Region, meta: dict[str, Any]) -> Filled:
    """allowedIPs: the addresses or CIDR ranges allowed; none means every external IP is denied."""
    out = Filled()
    ips = []
    for match in region.finditer(_IP):
        try:
            ipaddress.ip_network(match.group(1), strict=False)
        except ValueError:
            out.problems.append(f"the address {match.group(1)} (not a valid IP or CIDR range)")
            continue
        ips.append(match.group(1))
        region.use(match.start(), match.end())
    out.params["allowedIPs"] = list(dict.fromkeys(ips))
    if not ips and _UNNAMED_EXCEPTION.search(region.low):
        # "except for a couple of IPs the network team reserved": which ones, the policy must be told.
        out.missing.append("which external IPs to allow (e.g. 203.0.113.10 or 198.51.100.0/24)")
    return out


def _subject_kind(word: str) -> str:
    word = word.lower().replace(" ", "")
    return {"group": "Group", "user": "User", "serviceaccount": "ServiceAccount", "sa": "ServiceAccount"}[
        word
    ]


def _allowing(region: Region, start: int, end: int) -> bool:
    """True when a subject is named as allowed ("only X may", "except X"), not in a story ("someone bound X")."""
    before = re.split(r"[;.]", region.before(start, 80))[-1]
    after = region.text.low[end : end + 40]
    return bool(
        re.search(
            r"\b(?:only|except|but|allow\w*|permit\w*|other\s+than|apart\s+from|besides|approved|trusted|save|"
            r"reserved\s+(?:for|to))\b",
            before,
        )
        or re.match(
            r"[\w\s,/-]{0,40}?\b(?:may|can|is\s+allowed|are\s+allowed|should\s+be\s+allowed)\b", after
        )
    )


@filler("cluster-admin-bindings")
def cluster_admin_bindings(region: Region, meta: dict[str, Any]) -> Filled:
    """allowedSubjects: 'Kind:name' for each group, user or service account the request allows."""
    out = Filled()
    found: list[tuple[str, int, int]] = []
    for match in region.finditer(
        r"(?<![\w:-])system:serviceaccount:([a-z0-9-]+):([a-z0-9-]+)|(?<![\w:-])(system:[a-z0-9:-]+)"
    ):
        # system:masters, system:authenticated, ... are groups; system:serviceaccount:ns:name is an account.
        key = (
            f"Group:{match.group(3)}"
            if match.group(3)
            else f"ServiceAccount:{match.group(1)}:{match.group(2)}"
        )
        found.append((key, match.start(), match.end()))
        region.use(match.start(), match.end())
    for match in region.finditer(_ACCOUNT_IN, raw=True):
        if match.group(1).lower() not in _NOT_SUBJECTS and match.group(2).lower() not in _NOT_SUBJECTS:
            found.append((f"ServiceAccount:{match.group(2)}:{match.group(1)}", match.start(), match.end()))
            region.use(match.start(), match.end())
    for pattern, kind_group, name_group in _SUBJECTS:
        for match in region.finditer(pattern, raw=True):
            kind_word, name = match.group(kind_group), match.group(name_group)
            if name.lower() in _NOT_SUBJECTS or region.text.is_used(match.start(), match.end()):
                continue
            kind = _subject_kind(kind_word)
            if kind == "ServiceAccount":
                namespace, _, account = name.replace(":", "/").partition("/")
                if not account:
                    out.problems.append(
                        f"service account {name!r} without its namespace (write namespace/name)"
                    )
                    continue
                name = f"{namespace}:{account}"
            found.append((f"{kind}:{name}", match.start(), match.end()))
            region.use(match.start(), match.end())
    subjects = []
    for key, start, end in sorted(found, key=lambda f: f[1]):
        if _allowing(region, start, end):
            subjects.append(key)
        else:
            out.notes.append(f"{key} is mentioned but not as a subject allowed cluster-admin")
    if not subjects:
        subjects = list(schema_default(meta, "allowedSubjects") or [])
        out.defaulted.append("allowedSubjects")
        out.notes.append(f"subjects allowed cluster-admin: {', '.join(subjects) or 'none'}")
    out.params["allowedSubjects"] = list(dict.fromkeys(subjects))
    return out
