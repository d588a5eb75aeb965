"""The non-text components of the ranking and how all components combine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tools.features import split_feature
from tools.retrieve import weights

WILDCARD_VALUES = frozenset({"", "*", "any"})


def _norm_key(key: str) -> str:
    return key.strip().lower()


def _value(text: str) -> str:
    return split_feature(text)[1].strip().lower()


def feature_match(
    manifest_features: Iterable[str], exemplar_features: Iterable[str]
) -> tuple[float, list[str]]:
    """How much of what an exemplar concerns the manifest shows, in [0, 1], and the features that matched.

    Each exemplar feature key earns FEATURE_EXACT when the manifest has the same key=value
    (an exemplar value of "*" accepts any value; FEATURE_ABSENT when the value only says
    "missing"/"unset"), FEATURE_KEY_ONLY when the manifest has the key with another value;
    credits combine per key as a noisy-or.
    """
    seen: dict[str, set[str]] = {}
    for text in manifest_features:
        key, value = split_feature(text)
        seen.setdefault(_norm_key(key), set()).add(value.strip().lower())
    # Grouped by key: "image.tag=latest" and "image.tag=missing" are one concern, and
    # a manifest showing one of the values must not also earn a key-only credit.
    by_key: dict[str, list[str]] = {}
    for text in exemplar_features:
        by_key.setdefault(_norm_key(split_feature(text)[0]), []).append(text)
    miss = 1.0
    matched: list[str] = []
    for key, texts in by_key.items():
        values = seen.get(key)
        if values is None:
            continue
        exact = [t for t in texts if _value(t) in WILDCARD_VALUES or _value(t) in values]
        if not exact:
            credit = weights.FEATURE_KEY_ONLY
        elif all(_value(t) in weights.ABSENCE_VALUES for t in exact):
            credit = weights.FEATURE_ABSENT
        else:
            credit = weights.FEATURE_EXACT
        miss *= 1.0 - credit
        # A key-only match is reported as "key=*": the field matters, this value was not listed.
        matched += exact or [split_feature(texts[0])[0] + "=*"]
    return 1.0 - miss, matched


def kind_match(requested: Iterable[str], exemplar_kinds: Iterable[str], constraint_kind: str = "") -> float:
    """1 when the exemplar applies to one of the requested resource kinds (or is that constraint kind)."""
    wanted = {k.strip().lower() for k in requested if k.strip()}
    if not wanted:
        return 0.0
    kinds = {k.strip().lower() for k in exemplar_kinds if k.strip()}
    if constraint_kind.lower() in wanted or "*" in kinds or wanted & kinds:
        return 1.0
    return weights.KIND_UNKNOWN if not kinds else 0.0


def severity_score(severity: str) -> float:
    """critical 1, high 0.75, medium 0.5, low 0.25; unknown counts as medium."""
    return weights.SEVERITY_SCORE.get(severity.strip().lower(), weights.SEVERITY_SCORE["medium"])


def combine(components: Mapping[str, float], active: Iterable[str]) -> float:
    """The weighted mean of the components in play (the others' weights drop out)."""
    table = {
        "vector": weights.VECTOR,
        "bm25": weights.BM25,
        "feature": weights.FEATURE,
        "kind": weights.KIND,
        "severity": weights.SEVERITY,
    }
    names = [name for name in active if name in table]
    total = sum(table[name] for name in names)
    if total <= 0:
        return 0.0
    return sum(table[name] * max(0.0, components.get(name, 0.0)) for name in names) / total
