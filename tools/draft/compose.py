"""Composing exemplars into one constraint: library modules, merged parameters, merged schema.

Parameters keep their catalog names. When two exemplars read the same parameter with
different values ("exemptImages" for one rule but not the other), the later exemplar's
library reads a renamed parameter (e.g. latestTagExemptImages) instead.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from tools.draft.params import schema_properties
from tools.draft.rego import lib_name, rename_package

# The ways exemplar sources read a parameter; anything else makes a rename unsafe.
_ACCESS = r'(?:\["parameters",\s*"{key}"|input\.parameters\.{key}\b|input\.parameters\["{key}"\])'
_ANY_ACCESS = re.compile(_ACCESS.format(key=r"\w+"))


@dataclass
class Composition:
    """Library sources, merged parameters and schema of a composed draft."""

    libs: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "object", "properties": {}})
    renamed: dict[tuple[str, str], str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _camel(exemplar_id: str, key: str) -> str:
    words = exemplar_id.split("-")
    return words[0] + "".join(w.capitalize() for w in words[1:]) + key[0].upper() + key[1:]


def _rename(source: str, key: str, new: str) -> str | None:
    """The source reading `new` where it read `key`, or None when it reads parameters some other way."""
    code = "\n".join(line.split("#", 1)[0] for line in source.splitlines())
    if re.search(r"\bparameters\b", _ANY_ACCESS.sub("", code)):
        return None
    return re.sub(_ACCESS.format(key=re.escape(key)), lambda m: m.group(0).replace(key, new), source)


def _value(meta: dict[str, Any], params: dict[str, Any], key: str) -> Any:
    return params.get(key, (schema_properties(meta).get(key) or {}).get("default"))


def compose(parts: list[tuple[str, dict[str, Any], dict[str, Any], str]]) -> Composition:
    """parts: (exemplar id, params, meta, source) in draft order."""
    out = Composition()
    owners: dict[str, tuple[str, Any]] = {}
    for exemplar_id, params, meta, source in parts:
        text = rename_package(source, f"lib.{lib_name(exemplar_id)}")
        for key, prop in schema_properties(meta).items():
            value = _value(meta, params, key)
            if key not in owners:
                owners[key] = (exemplar_id, value)
                out.schema["properties"][key] = copy.deepcopy(prop)
                if key in params:
                    out.parameters[key] = copy.deepcopy(params[key])
                continue
            if owners[key][1] == value:
                if key in params:
                    out.parameters.setdefault(key, copy.deepcopy(params[key]))
                continue
            new = _camel(exemplar_id, key)
            renamed = _rename(text, key, new)
            if renamed is None:
                out.problems.append(f"different {key} values for {owners[key][0]} and {exemplar_id}")
                continue
            text = renamed
            out.renamed[(exemplar_id, key)] = new
            out.schema["properties"][new] = copy.deepcopy(prop)
            out.parameters[new] = copy.deepcopy(value)
        out.libs[lib_name(exemplar_id)] = text
    return out


def split_parameters(
    parameters: dict[str, Any], exemplar_ids: list[str], metas: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """The inverse of compose for refinement: each exemplar's own parameters from a draft's merged ones."""
    out: dict[str, dict[str, Any]] = {}
    for exemplar_id in exemplar_ids:
        own: dict[str, Any] = {}
        for key in schema_properties(metas[exemplar_id]):
            renamed = _camel(exemplar_id, key)
            if renamed in parameters:
                own[key] = copy.deepcopy(parameters[renamed])
            elif key in parameters:
                own[key] = copy.deepcopy(parameters[key])
        out[exemplar_id] = own
    return out
