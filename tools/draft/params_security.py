"""Parameters of the pod-security exemplars: ports, capabilities, profiles, sysctls, volume types."""

from __future__ import annotations

import re
from typing import Any

from tools.draft.names import PROFILE_TYPES, VOLUME_ALIASES, VOLUME_TYPES, capabilities_in
from tools.draft.params_base import ALLOWING, Filled, Region, filler, mentions, schema_default, split_polarity

# A sentence-ending dot still ends a port ("... or 8443."); "1.2" is a version, not a port.
_PORT = re.compile(r"(?<![\w./:-])(\d{1,5})(?![\w/:%-]|\.\w)")
_SYSCTL = re.compile(r"(?<![\w.])((?:kernel|net|vm|fs|user|abi|dev)\.[a-z0-9_.*]*[a-z0-9_*])")
_SELINUX_TYPE = re.compile(r"\b([a-z][a-z0-9_]*_t)\b")
_SOME_CAPS = re.compile(
    r"\b(?:specific|certain|particular|some|selected|listed|named|given|these|those|following|our)\s+"
    r"(?:linux\s+|kernel\s+)?capabilit(?:y|ies)\b"
)
_NOTHING_ADDED = re.compile(
    r"\b(?:add\s+nothing|nothing\s+(?:may|can)\s+be\s+added|no\s+capabilit\w+\s+(?:may|can)\s+be\s+added|"
    r"not\s+add\s+any|add\s+no\s+capabilit\w*|none\s+(?:may|can)\s+be\s+added\s+back)\b"
)


@filler("host-ports")
def host_ports(region: Region, meta: dict[str, Any]) -> Filled:
    """allowedPorts: host ports the request allows ("only 80 and 443"); none means every host port is denied."""
    out = Filled()
    found = [(m.group(1), m.start(), m.end()) for m in region.finditer(_PORT)]
    invalid = [p for p, _, _ in found if not 0 < int(p) < 65536]
    if invalid:
        out.problems.append(f"host port {invalid[0]} (ports are 1-65535)")
        found = [f for f in found if f[0] not in invalid]
    wanted, forbidden = split_polarity(region, found)
    if forbidden and not ALLOWING.search(region.low):
        out.problems.append("forbidding single host ports (the host-ports exemplar is an allow-list)")
    out.params["allowedPorts"] = [int(p) for p in wanted]
    if not wanted and re.search(
        r"\b(?:approved|allowed|allow[\s-]?list(?:ed)?|whitelist(?:ed)?)\s+(?:list\s+of\s+)?(?:host\s*)?ports?\b|\blist\s+of\s+ports\b",
        region.low,
    ):
        out.missing.append("which host ports to allow (e.g. 'only 80 and 443')")
    out.wanted["allowedPorts"], out.removed["allowedPorts"] = (
        out.params["allowedPorts"],
        [int(p) for p in forbidden],
    )
    return out


def _caps(region: Region) -> list[tuple[str, int, int]]:
    return [
        (name, start, end)
        for name, start, end in capabilities_in(region.text.raw)
        if region.start <= start < region.end
    ]


@filler("capabilities-allowed")
def capabilities_allowed(region: Region, meta: dict[str, Any]) -> Filled:
    """allowedCapabilities: the capabilities containers may add; the PSS baseline list when none is named."""
    out = Filled()
    wanted, forbidden = split_polarity(region, [c for c in _caps(region) if c[0] != "ALL"])
    out.wanted["allowedCapabilities"], out.removed["allowedCapabilities"] = wanted, forbidden
    if wanted:
        out.params["allowedCapabilities"] = wanted
    else:
        out.params["allowedCapabilities"] = list(schema_default(meta, "allowedCapabilities") or [])
        out.defaulted.append("allowedCapabilities")
        out.notes.append("allowed capabilities default to the Pod Security Standards baseline list")
    clash = set(forbidden) & set(out.params["allowedCapabilities"])
    if clash:
        out.problems.append(f"capabilities {', '.join(sorted(clash))} are both allowed and forbidden")
    return out


@filler("capabilities-disallowed")
def capabilities_disallowed(region: Region, meta: dict[str, Any]) -> Filled:
    """disallowedCapabilities: the capabilities named (ALL only spelt upper-case); a default dangerous list otherwise."""
    out = Filled()
    found = _caps(region)
    for _, start, end in found:
        region.use(start, end)
    named = list(dict.fromkeys(name for name, _, _ in found))
    out.wanted["disallowedCapabilities"] = named
    if named:
        out.params["disallowedCapabilities"] = named
    elif _SOME_CAPS.search(region.low):
        # "blacklist specific capabilities": the request has a list in mind; the default one is a guess.
        out.missing.append("which capabilities to deny (e.g. SYS_ADMIN and NET_RAW)")
        out.params["disallowedCapabilities"] = []
    else:
        out.params["disallowedCapabilities"] = list(schema_default(meta, "disallowedCapabilities") or [])
        out.defaulted.append("disallowedCapabilities")
        out.notes.append(
            "no capability named, so the usual dangerous set is denied: "
            + ", ".join(out.params["disallowedCapabilities"])
        )
    return out


@filler("capabilities-drop-all")
def capabilities_drop_all(region: Region, meta: dict[str, Any]) -> Filled:
    """allowedCapabilities: capabilities that may be added back after dropping ALL (NET_BIND_SERVICE by default)."""
    out = Filled()
    found = [c for c in _caps(region) if c[0] != "ALL"]
    wanted, forbidden = split_polarity(region, found)
    out.wanted["allowedCapabilities"], out.removed["allowedCapabilities"] = wanted, forbidden
    if _NOTHING_ADDED.search(region.low):
        out.params["allowedCapabilities"] = []
    elif wanted:
        out.params["allowedCapabilities"] = wanted
    else:
        out.params["allowedCapabilities"] = list(
            schema_default(meta, "allowedCapabilities") or ["NET_BIND_SERVICE"]
        )
        out.defaulted.append("allowedCapabilities")
        out.notes.append("containers may still add back " + ", ".join(out.params["allowedCapabilities"]))
    if forbidden:
        out.notes.append(f"{', '.join(forbidden)} may not be added back")
    return out


def _profiles(region: Region, meta: dict[str, Any], kind: str) -> Filled:
    out = Filled()
    found = mentions(
        region, PROFILE_TYPES, r"\b(runtime[\s/_-]?default|docker/default|localhost|unconfined)\b"
    )
    found = [("RuntimeDefault" if "default" in n.lower() else n, s, e) for n, s, e in found]
    wanted, forbidden = split_polarity(region, found)
    default = list(schema_default(meta, "allowedProfiles") or ["RuntimeDefault", "Localhost"])
    out.wanted["allowedProfiles"], out.removed["allowedProfiles"] = wanted, forbidden
    if not wanted and not forbidden:
        out.defaulted.append("allowedProfiles")
    if wanted:
        out.params["allowedProfiles"] = [w for w in wanted if w not in forbidden]
    else:
        out.params["allowedProfiles"] = [p for p in default if p not in forbidden] or default
        out.notes.append(f"allowed {kind} profiles: {', '.join(out.params['allowedProfiles'])}")
    return out


@filler("apparmor")
def apparmor(region: Region, meta: dict[str, Any]) -> Filled:
    """allowedProfiles: AppArmor profile types allowed (RuntimeDefault, Localhost by default)."""
    return _profiles(region, meta, "AppArmor")


@filler("seccomp-restricted")
def seccomp_restricted(region: Region, meta: dict[str, Any]) -> Filled:
    """allowedProfiles: seccomp profile types allowed (RuntimeDefault, Localhost by default)."""
    return _profiles(region, meta, "seccomp")


@filler("selinux")
def selinux(region: Region, meta: dict[str, Any]) -> Filled:
    """allowedTypes: SELinux types named in an allowing phrase; the default container types otherwise."""
    out = Filled()
    found = [(m.group(1), m.start(), m.end()) for m in region.finditer(_SELINUX_TYPE)]
    wanted, forbidden = split_polarity(region, found)
    default = list(schema_default(meta, "allowedTypes") or [])
    out.wanted["allowedTypes"], out.removed["allowedTypes"] = wanted, forbidden
    if not wanted and not forbidden:
        out.defaulted.append("allowedTypes")
    if wanted and not forbidden:
        out.params["allowedTypes"] = wanted
    else:
        out.params["allowedTypes"] = [t for t in default if t not in forbidden]
        out.notes.append(f"allowed SELinux types: {', '.join(out.params['allowedTypes'])}")
    return out


@filler("sysctls")
def sysctls(region: Region, meta: dict[str, Any]) -> Filled:
    """allowedSysctls: sysctls named in an allowing phrase, added to the safe set unless the request says 'only'."""
    out = Filled()
    found = [(m.group(1), m.start(), m.end()) for m in region.finditer(_SYSCTL)]
    wanted, forbidden = split_polarity(region, found)
    default = list(schema_default(meta, "allowedSysctls") or [])
    out.wanted["allowedSysctls"], out.removed["allowedSysctls"] = wanted, forbidden
    if not wanted:
        out.defaulted.append("allowedSysctls")
    if wanted and re.search(r"\bonly\b", region.low) and not re.search(r"\bsafe\b", region.low):
        allowed = wanted
    elif wanted:
        allowed = default + [w for w in wanted if w not in default]
        out.notes.append(f"{', '.join(wanted)} allowed on top of the Kubernetes safe sysctls")
    else:
        allowed = default
        out.notes.append("allowed sysctls: the Kubernetes safe set")
    clash = set(forbidden) & set(allowed)
    if clash:
        out.problems.append(
            f"sysctls {', '.join(sorted(clash))} are in the safe set the request asks to keep"
        )
    out.params["allowedSysctls"] = allowed
    return out


def _volume_mentions(region: Region) -> list[tuple[str, int, int]]:
    names = {
        **{k: v for k, v in VOLUME_TYPES.items()},
        **{k.replace(" ", ""): v for k, v in VOLUME_ALIASES.items()},
    }
    alternation = "|".join(
        sorted([re.escape(k) for k in VOLUME_TYPES] + [k.replace(" ", r"\s") for k in VOLUME_ALIASES], key=len,
               reverse=True)
    )  # fmt: skip
    found = mentions(region, names, r"\b(" + alternation + r")\b")
    return [
        (n, s, e)
        for n, s, e in found
        if not (n == "image" and not re.match(r"\s*volume", region.text.low[e:]))
    ]


@filler("volume-types")
def volume_types(region: Region, meta: dict[str, Any]) -> Filled:
    """allowedTypes: volume types allowed; "no nfs volumes" allows every type but the forbidden ones."""
    out = Filled()
    wanted, forbidden = split_polarity(region, _volume_mentions(region))
    default = list(schema_default(meta, "allowedTypes") or [])
    out.wanted["allowedTypes"], out.removed["allowedTypes"] = wanted, forbidden
    if not wanted and not forbidden:
        out.defaulted.append("allowedTypes")
    if wanted:
        allowed = wanted
    elif forbidden:
        allowed = [t for t in VOLUME_TYPES.values() if t not in forbidden]
        out.notes.append(f"every volume type except {', '.join(forbidden)} stays allowed")
    else:
        allowed = default
        out.notes.append("allowed volume types: the Pod Security Standards restricted list")
    out.params["allowedTypes"] = allowed
    return out
