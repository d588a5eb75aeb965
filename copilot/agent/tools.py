"""The tools the model may call, and their safe execution.

Tools are plain functions: the name is the function's, the description its docstring's
first line, the JSON schema comes from the signature (a single pydantic-model parameter
means the model fills that model's fields directly). Parameters starting with "_" are
supplied by the agent, not the model.

`run_tool_call` never raises: an unknown tool, arguments that are not JSON, arguments
that fail validation and errors inside a tool all come back as text for the model.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError, create_model

from copilot.agent.exemplars import exemplar_text, search_exemplars
from copilot.agent.prompts import DATA_BLOCK, SUBMITTED
from copilot.llm.base import ToolCall, ToolSpec
from tools.draft.models import PolicyDraft

_KEBAB = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?")
_KIND = re.compile(r"[A-Z][A-Za-z0-9]*")


def retrieve_exemplars(query: str, k: int = 3, *, _mode: str = "auto") -> str:
    """Search the exemplar policy corpus for the policies closest to a description (id, title, kind, score)."""
    hits = search_exemplars(query, k=max(1, min(int(k), 8)), mode=_mode)
    if not hits:
        return "no exemplar matches; write the policy from the rules in the system prompt"
    return "\n".join(
        f"{h['id']}: {h['title']} ({h['kind']}, {h['category']}, score {h['score']})" for h in hits
    )


def get_exemplar(policy_id: str) -> str:
    """Read one exemplar policy in full: meta, src.rego, src_test.rego, sample constraint and examples."""
    return exemplar_text(policy_id)


def submit_policy(draft: PolicyDraft) -> PolicyDraft:
    """Submit the complete policy (Rego, tests, constraint, fixtures) for verification by the real engines."""
    problems = []
    if not _KEBAB.fullmatch(draft.policy_id):
        problems.append(f"policy_id {draft.policy_id!r} must be kebab-case (a-z, 0-9, -)")
    if not _KIND.fullmatch(draft.kind):
        problems.append(f"kind {draft.kind!r} must be CamelCase letters and digits, e.g. K8sDenyPrivileged")
    if not re.search(r"^\s*package\s+\S+", draft.src_rego, re.MULTILINE):
        problems.append("src_rego has no package declaration")
    if not draft.src_test_rego.strip():
        problems.append("src_test_rego is empty; tests are required")
    if not draft.fixtures:
        problems.append("fixtures is empty; give at least one deny and one allow fixture")
    if problems:
        raise ValueError("; ".join(problems))
    return draft


def decline(reason: str) -> str:
    """Decline a request that is not a Kubernetes admission policy (or cannot be one), saying why."""
    return reason


TOOLS: tuple[Callable[..., Any], ...] = (retrieve_exemplars, get_exemplar, submit_policy, decline)


def _inline_refs(schema: Any, defs: dict[str, Any]) -> Any:
    """Inline $ref/$defs and drop titles: some OpenAI-compatible servers cannot follow references."""
    if isinstance(schema, list):
        return [_inline_refs(v, defs) for v in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return _inline_refs(defs[schema["$ref"].split("/")[-1]], defs)
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$defs" or (key == "title" and isinstance(value, str)):
            continue
        if key == "properties" and isinstance(value, dict):
            # Property names are data here: a field may well be called "title".
            out[key] = {name: _inline_refs(sub, defs) for name, sub in value.items()}
        else:
            out[key] = _inline_refs(value, defs)
    return out


def _model_param(fn: Callable[..., Any]) -> tuple[str, type[BaseModel]] | None:
    params = [p for p in inspect.signature(fn).parameters.values() if not p.name.startswith("_")]
    hints = inspect.get_annotations(fn, eval_str=True)
    if len(params) == 1:
        hint = hints.get(params[0].name)
        if isinstance(hint, type) and issubclass(hint, BaseModel):
            return params[0].name, hint
    return None


def _args_model(fn: Callable[..., Any]) -> type[BaseModel]:
    single = _model_param(fn)
    if single is not None:
        return single[1]
    hints = inspect.get_annotations(fn, eval_str=True)
    fields: dict[str, Any] = {}
    for p in inspect.signature(fn).parameters.values():
        if p.name.startswith("_"):
            continue
        default = ... if p.default is inspect.Parameter.empty else p.default
        fields[p.name] = (hints.get(p.name, Any), default)
    model: type[BaseModel] = create_model(f"{fn.__name__}_args", **fields)
    return model


def tool_spec(fn: Callable[..., Any]) -> ToolSpec:
    """The ToolSpec of a tool function."""
    schema = _args_model(fn).model_json_schema()
    doc = (inspect.getdoc(fn) or fn.__name__).splitlines()[0]
    return ToolSpec(
        name=fn.__name__, description=doc, parameters=_inline_refs(schema, schema.get("$defs", {}))
    )


def tool_specs() -> list[ToolSpec]:
    """The specs of every tool the model may call."""
    return [tool_spec(fn) for fn in TOOLS]


@dataclass
class ToolOutcome:
    """The result of one tool call: text for the model, plus a submitted draft or a decline."""

    call: ToolCall
    content: str
    ok: bool
    draft: PolicyDraft | None = None
    declined: str | None = None


def _loosen(args: dict[str, Any]) -> dict[str, Any]:
    """Accept two common model slips: the draft wrapped in {"draft": ...}, manifests as YAML text."""
    if set(args) == {"draft"} and isinstance(args["draft"], dict):
        args = args["draft"]
    for fixture in args.get("fixtures", []) or []:
        if isinstance(fixture, dict) and isinstance(fixture.get("manifest"), str):
            with contextlib.suppress(yaml.YAMLError):  # left as is: validation will say why
                fixture["manifest"] = yaml.safe_load(fixture["manifest"])
    return args


def call_from_text(content: str) -> ToolCall | None:
    """A submit_policy call recovered from a reply that put the draft's JSON in its text.

    Some OpenAI-compatible servers run models without native tool calling; they still
    write the JSON they were asked for, often in a ```json fence.
    """
    fenced = re.findall(r"```(?:json)?\s*(\{.*?\})\s*```", content, re.DOTALL)
    candidates = fenced or ([content[content.find("{") : content.rfind("}") + 1]] if "{" in content else [])
    for text in candidates:
        try:
            value = json.loads(text)
        except ValueError:
            continue
        if isinstance(value, dict):
            if set(value) == {"name", "arguments"} and isinstance(value["arguments"], dict):
                return ToolCall(name=str(value["name"]), arguments=json.dumps(value["arguments"]))
            if "src_rego" in value or "src_rego" in (value.get("draft") or {}):
                return ToolCall(name="submit_policy", arguments=json.dumps(value))
    return None


def _validation_text(exc: ValidationError) -> str:
    lines = [f"{'.'.join(str(p) for p in e['loc']) or '(arguments)'}: {e['msg']}" for e in exc.errors()[:10]]
    return "invalid arguments:\n" + "\n".join(lines)


def run_tool_call(call: ToolCall, *, retrieval: str = "auto", nonce: str = "data") -> ToolOutcome:
    """Executes one tool call; every failure becomes an error text for the model."""
    tools = {fn.__name__: fn for fn in TOOLS}
    fn = tools.get(call.name)
    if fn is None:
        return ToolOutcome(call, f"unknown tool {call.name!r}; the tools are: {', '.join(tools)}", ok=False)
    try:
        args = _loosen(call.parsed_arguments())
    except ValueError as exc:
        return ToolOutcome(call, f"arguments are not a valid JSON object: {exc}", ok=False)
    try:
        single = _model_param(fn)
        if single is not None:
            value = fn(single[1].model_validate(args))
        else:
            checked = _args_model(fn).model_validate(args)
            extra = {"_mode": retrieval} if fn is retrieve_exemplars else {}
            value = fn(**checked.model_dump(), **extra)
    except ValidationError as exc:
        return ToolOutcome(call, _validation_text(exc), ok=False)
    except Exception as exc:  # a tool failure goes back to the model as text
        return ToolOutcome(call, f"{call.name} failed: {exc}", ok=False)
    if fn is submit_policy:
        return ToolOutcome(call, SUBMITTED, ok=True, draft=value)
    if fn is decline:
        return ToolOutcome(call, "Declined.", ok=True, declined=str(value).strip() or "no reason given")
    text = value if isinstance(value, str) else json.dumps(value)
    return ToolOutcome(call, DATA_BLOCK.format(name=call.name, nonce=nonce, body=text), ok=True)
