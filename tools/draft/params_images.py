"""Parameters of the image exemplars: registries, repositories, pull policies."""

from __future__ import annotations

import re
from typing import Any

from tools.draft.imagerefs import image_refs, is_host_only
from tools.draft.names import PULL_POLICIES
from tools.draft.params_base import Filled, Region, filler, mentions, schema_default, split_polarity
from tools.draft.text import FILLER

_BARE_IMAGE = re.compile(
    r"(?<![\w./:-])(?:the\s+)?[\"'`]?([a-z0-9][a-z0-9._-]*)[\"'`]?\s+(?:container\s+)?images?\b"
)
# Words before "images" that say what is done with them, not which ones ("pulling images from").
_NOT_A_NAME = {"untrusted", "public", "banned", "blocked", "these", "such", "pulling", "pull", "pulls", "pulled",
               "shipping", "ship", "pushing", "push", "building", "build", "their", "own"}  # fmt: skip
_VAGUE = re.compile(r"\b(?:ecr|gcr|acr|artifact\s+registry|harbor|nexus|artifactory|jfrog)\b")


def _registry_entry(ref: str) -> str:
    """A registries entry: a host matches exactly; a path gets a trailing "/" so it ends at a path boundary."""
    if is_host_only(ref) or ref.endswith(("/", "*")):
        return ref.rstrip("/") if is_host_only(ref) else ref
    return ref + "/"


@filler("allowed-registries")
def allowed_registries(region: Region, meta: dict[str, Any]) -> Filled:
    """registries: every image host or prefix the request allows ("only ghcr.io/acme and quay.io")."""
    out = Filled()
    refs = image_refs(region.text, region.start, region.end)
    wanted, forbidden = split_polarity(region, [(r, s, e) for r, s, e in refs])
    if forbidden and not wanted:
        out.problems.append(
            f"the request names registries to deny ({', '.join(forbidden)}) but none to allow"
        )
    registries = [_registry_entry(r) for r in wanted]
    out.wanted["registries"], out.removed["registries"] = registries, [_registry_entry(r) for r in forbidden]
    if forbidden and wanted:
        out.notes.append(f"{', '.join(forbidden)} is not on the allow-list, so it is denied")
    if not registries:
        vague = _VAGUE.search(region.low)
        what = f"the {vague.group(0).upper()} registry host" if vague else "which registries to allow"
        out.missing.append(f"{what} (e.g. ghcr.io/acme or registry.example.com:5000)")
    out.params["registries"] = registries
    return out


@filler("disallowed-repositories")
def disallowed_repositories(region: Region, meta: dict[str, Any]) -> Filled:
    """repositories: the image hosts, repositories or image names the request forbids."""
    out = Filled()
    found = [r for r, _, _ in image_refs(region.text, region.start, region.end)]
    for _ref, start, end in image_refs(region.text, region.start, region.end):
        region.use(start, end)
    for match in region.finditer(_BARE_IMAGE):
        name = match.group(1)
        if name not in FILLER and name not in _NOT_A_NAME:
            found.append(name)
            region.use(match.start(1), match.end(1))
    repositories = list(dict.fromkeys(found))
    out.wanted["repositories"] = repositories
    if not repositories:
        out.missing.append(
            "which image repositories to deny (e.g. docker.io/library/busybox or quay.io/untrusted/)"
        )
    out.params["repositories"] = repositories
    return out


@filler("image-pull-policy")
def image_pull_policy(region: Region, meta: dict[str, Any]) -> Filled:
    """allowedPolicies: the pull policies asked for, or every policy but the forbidden ones."""
    out = Filled()
    found = mentions(region, PULL_POLICIES, r"\b(always|if[\s_-]?not[\s_-]?present|never)\b")
    wanted, forbidden = split_polarity(region, found)
    out.wanted["allowedPolicies"], out.removed["allowedPolicies"] = wanted, forbidden
    if wanted:
        allowed = wanted
    elif forbidden:
        allowed = [p for p in PULL_POLICIES.values() if p not in forbidden]
    else:
        allowed = list(schema_default(meta, "allowedPolicies") or ["Always"])
        out.defaulted.append("allowedPolicies")
        out.notes.append(f"allowed pull policies default to {', '.join(allowed)}")
    out.params["allowedPolicies"] = allowed
    return out
