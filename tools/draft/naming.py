"""Names and words of a draft: policy id, constraint kind, title, description."""

from __future__ import annotations

import re
from typing import Any

from tools.draft.plan import Plan
from tools.draft.vocabulary import BY_ID

MAX_ID = 60


# Parameters that make a rule deny much less than its exemplar's name says: the id says so too.
_NARROWED_SLUGS = {("host-path-volumes", "deniedPathPrefixes"): "deny-blocked-host-paths"}


def _slug(exemplar_id: str, params: dict[str, Any] | None = None) -> str:
    for (narrowed_id, key), slug in _NARROWED_SLUGS.items():
        if exemplar_id == narrowed_id and (params or {}).get(key):
            return slug
    concept = BY_ID.get(exemplar_id)
    return concept.slug if concept else f"enforce-{exemplar_id}"


def policy_id(plan: Plan) -> str:
    """A stable kebab-case id from the exemplars and the request ('deny-privileged-and-host-namespaces')."""
    slugs = [_slug(p.exemplar_id, p.params) for p in plan.parts]
    words = slugs[0].split("-")
    for slug in slugs[1:]:
        extra = slug.split("-")
        if extra[0] == words[0]:
            extra = extra[1:]
        words += ["and", *extra]
    for part in plan.parts[:1]:
        keys = [i.get("key", "") for i in part.params.get("labels") or part.params.get("annotations") or []]
        if keys and len(plan.parts) == 1:
            words += re.sub(r"[^a-z0-9]+", "-", "-".join(keys[:2]).lower()).strip("-").split("-")
    if plan.namespaces:
        words += ["in", *re.sub(r"[^a-z0-9]+", "-", plan.namespaces[0].lower()).strip("-").split("-")]
    out = ""
    for word in filter(None, words):
        if len(out) + len(word) + 1 > MAX_ID:
            break
        out = f"{out}-{word}" if out else word
    return out


def kind_for(policy: str, taken: set[str]) -> str:
    """The constraint kind: K8s + CamelCase of the id, never one the corpus already uses."""
    kind = "K8s" + "".join(w.capitalize() for w in policy.split("-"))
    return kind if kind not in taken else kind + "Draft"


def _scope_words(plan: Plan) -> list[str]:
    words = []
    if plan.excluded_namespaces:
        words.append("except in " + ", ".join(plan.excluded_namespaces))
    if plan.namespaces:
        words.append("only in " + ", ".join(plan.namespaces))
    if plan.kinds:
        words.append("for " + ", ".join(plan.kinds))
    return words


def title(plan: Plan, metas: dict[str, dict[str, Any]]) -> str:
    """'Privileged containers + Host namespaces (except in kube-system)'."""
    head = " + ".join(str(metas[p.exemplar_id].get("title", p.exemplar_id)) for p in plan.parts)
    scope = _scope_words(plan)
    return f"{head} ({'; '.join(scope)})" if scope else head


def _first_sentence(text: str) -> str:
    text = " ".join(str(text).split())
    match = re.match(r"(.+?\.)(\s|$)", text)
    return match.group(1) if match else text


def _params_text(params: dict[str, Any]) -> str:
    shown = []
    for key, value in params.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = ", ".join(
                f"{v.get('key')}" + (f" matching {v['allowedRegex']}" if v.get("allowedRegex") else "")
                for v in value
            )
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value) or "none"
        shown.append(f"{key}: {value}")
    return "; ".join(shown)


def description(plan: Plan, metas: dict[str, dict[str, Any]]) -> str:
    """What the policy does, with its parameters, exemptions and enforcement."""
    sentences = []
    for part in plan.parts:
        sentence = _first_sentence(metas[part.exemplar_id].get("description", ""))
        if part.params:
            sentence += f" ({_params_text(part.params)})"
        if part.facets:
            sentence += f" Only these checks apply: {', '.join(part.facets)}."
        sentences.append(sentence)
    if plan.excluded_namespaces:
        sentences.append(f"Namespaces exempt from the policy: {', '.join(plan.excluded_namespaces)}.")
    if plan.namespaces:
        sentences.append(f"It applies only in the namespaces {', '.join(plan.namespaces)}.")
    if plan.kinds:
        sentences.append(f"It checks only {', '.join(plan.kinds)} objects.")
    if plan.enforcement == "warn":
        sentences.append("Violations are returned as warnings; nothing is blocked.")
    elif plan.enforcement == "dryrun":
        sentences.append("Dry run: violations are only recorded by audit; nothing is blocked.")
    return " ".join(sentences)
