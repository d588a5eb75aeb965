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
    return out


def _subject_kind(word: str) -> str:
    word = word.lower().replace(" ", "")
    return {"group": "Group", "user": "User", "serviceaccount": "ServiceAccount", "sa": "ServiceAccount"}[
        word
    ]


@filler("cluster-admin-bindings")
def cluster_admin_bindings(region: Region, meta: dict[str, Any]) -> Filled:
    """allowedSubjects: 'Kind:name' for each group, user or service account the request allows."""
    out = Filled()
    subjects = []
    for match in region.finditer(
        r"(?<![\w:-])system:serviceaccount:([a-z0-9-]+):([a-z0-9-]+)|(?<![\w:-])(system:[a-z0-9:-]+)"
    ):
        if match.group(3):
            subjects.append(f"Group:{match.group(3)}")  # system:masters, system:authenticated, ...
        else:
            subjects.append(f"ServiceAccount:{match.group(1)}:{match.group(2)}")
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
            subjects.append(f"{kind}:{name}")
            region.use(match.start(), match.end())
    if not subjects:
        subjects = list(schema_default(meta, "allowedSubjects") or [])
        out.defaulted.append("allowedSubjects")
        out.notes.append(f"subjects allowed cluster-admin: {', '.join(subjects) or 'none'}")
    out.params["allowedSubjects"] = list(dict.fromkeys(subjects))
    return out
