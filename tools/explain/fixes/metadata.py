"""Fixes for metadata policies: required labels and annotations, and the default namespace."""

from __future__ import annotations

from typing import Any

from tools.explain import paths
from tools.explain.fixes import regex_values
from tools.explain.fixes.base import FixContext, Proposal, automatic, manual, placeholder, strategy

# Keys that name the same fact under different conventions, compared by the part after
# the last "/" ("app.kubernetes.io/name" and "name" both end in "name").
_SYNONYMS = [
    {"app", "name", "application", "k8s-app"},
    {"team", "owner", "owned-by", "squad"},
    {"env", "environment", "stage"},
    {"version", "release-version"},
    {"component"},
    {"part-of", "system"},
    {"instance", "release"},
    {"managed-by"},
    {"contact", "email", "maintainer"},
]


def _base(key: str) -> str:
    return key.rsplit("/", 1)[-1].lower()


def _image_tag(obj: dict[str, Any], pod: dict[str, Any] | None) -> str | None:
    for container in (pod or {}).get("containers") or []:
        image = str((container or {}).get("image", "")).split("@")[0]
        tail = image.rsplit("/", 1)[-1]
        if ":" in tail and tail.rsplit(":", 1)[1] != "latest":
            return tail.rsplit(":", 1)[1]
    return None


def _candidates(ctx: FixContext, section: str, key: str) -> list[tuple[str, str]]:
    """(value, where it came from) that could fill `key`, most specific first."""
    meta = ctx.obj.get("metadata") or {}
    pod_tokens = ctx.pod_spec_tokens()
    template_meta = (
        paths.get(ctx.obj, [*pod_tokens[:-1], "metadata"]) if pod_tokens and len(pod_tokens) > 1 else None
    )
    maps = [
        (f"metadata.{section}", meta.get(section)),
        ("metadata.annotations" if section == "labels" else "metadata.labels",
         meta.get("annotations" if section == "labels" else "labels")),
        (f"the pod template's {section}", (template_meta or {}).get(section) if isinstance(template_meta, dict) else None),
    ]  # fmt: skip
    group = next((g for g in _SYNONYMS if _base(key) in g), {_base(key)})
    found: list[tuple[str, str]] = []
    for where, values in maps:
        if not isinstance(values, dict):
            continue
        if values.get(key) is not None and where != f"metadata.{section}":
            found.append((str(values[key]), f"{where}[{key!r}]"))
        for other, value in values.items():
            if other != key and _base(other) in group and isinstance(value, str | int):
                found.append((str(value), f"{where}[{other!r}]"))
    if "name" in group and meta.get("name"):
        found.append((str(meta["name"]), "metadata.name"))
    if "env" in group and meta.get("namespace"):
        found.append((str(meta["namespace"]), "metadata.namespace"))
    if "version" in group and (tag := _image_tag(ctx.obj, ctx.pod_spec())):
        found.append((tag, "the image tag"))
    return found


def _required_pattern(ctx: FixContext, section: str, key: str) -> str | None:
    for item in ctx.parameters.get(section) or []:
        if isinstance(item, dict) and item.get("key") == key:
            pattern = item.get("allowedRegex")
            return str(pattern) if pattern else None
    return None


def _fill(ctx: FixContext, section: str) -> Proposal:
    key = ctx.details.get("key")
    if not isinstance(key, str):
        return manual("no automatic fix", None, f"the {section} the constraint requires")
    tokens: paths.Path = ["metadata", section, key]
    field = paths.format_path(tokens)
    found = ctx.details.get("allowedRegex") or _required_pattern(ctx, section, key)
    pattern = str(found) if found else None
    is_label = section == "labels"
    bad_regex = pattern is not None and regex_values.compiled(pattern) is None
    if bad_regex or ("missing" not in ctx.details and "value" not in ctx.details):
        return manual(
            "no automatic fix: the constraint's allowedRegex is not a regular expression",
            field,
            "a valid allowedRegex in the constraint (the constraint must be fixed, not the object)",
        )
    allowed = f" matching {pattern!r}" if pattern else ""
    only = regex_values.literal(pattern) if pattern else None
    if only is not None and regex_values.matches(pattern, only, label=is_label):
        paths.set_value(ctx.obj, tokens, only)
        return automatic(f"set {field}: {only}", field, "the only value the constraint allows")
    for value, source in _candidates(ctx, section, key):
        if regex_values.matches(pattern, value, label=is_label):
            paths.set_value(ctx.obj, tokens, value)
            return automatic(f"set {field}: {value}", field, f"derived from {source}; check that it is right")
    options = regex_values.choices(pattern) if pattern else []
    filler = regex_values.placeholder(pattern, label=is_label)
    if filler is None:
        return manual(f"no automatic fix: no value to derive for {key}", field, f"a value{allowed}")
    paths.set_value(ctx.obj, tokens, filler)
    why = f"pick one of {', '.join(options)}" if options else f"replace it with the real value{allowed}"
    return placeholder(f"set {field}: {filler} (PLACEHOLDER)", field, f"{filler!r} is a placeholder: {why}")


@strategy("required-labels")
def required_labels(ctx: FixContext) -> Proposal:
    """The label from the object itself when derivable (a synonym, the name, the namespace), else a placeholder."""
    return _fill(ctx, "labels")


@strategy("required-annotations")
def required_annotations(ctx: FixContext) -> Proposal:
    """The annotation from the object itself when derivable, else a placeholder."""
    return _fill(ctx, "annotations")


@strategy("disallow-default-namespace")
def default_namespace(ctx: FixContext) -> Proposal:
    """Manual: which namespace an application belongs in is a deployment decision."""
    return manual(
        "no automatic fix: choose the application's namespace",
        "metadata.namespace",
        "the name of a dedicated namespace (not default), created before the object",
    )
