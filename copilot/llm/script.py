"""Mock scripts: scripted model replies in YAML or JSON, for tests, evals and `--mock-script`.

A script is a list of replies, or a mapping:

    model: scripted            # optional name shown in progress lines
    repeat_last: false         # keep answering with the last reply once the list is used up
    responses:
      - "plain text reply"
      - tool: submit_policy                  # one tool call
        arguments: {$bundle: policies/pod-security/privileged-containers}
      - tool: submit_policy
        arguments:
          $bundle: policies/pod-security/privileged-containers
          patch: {policy_id: no-privileged}                  # shallow field overrides
          replace: {src_rego: [["== true", "== false"]]}     # text substitutions per field
      - content: "thinking aloud"
        tool_calls: [{name: retrieve_exemplars, arguments: {query: hostPath volumes}}]
      - error: "simulated provider outage"   # this call raises ProviderError

Inside arguments and content, `{$file: PATH}` becomes the file's text, `{$yaml: PATH}` its parsed
YAML, and `{$bundle: DIR}` a PolicyDraft (as JSON) built from a bundle folder (meta.yaml
or constraint, src.rego, src_test.rego, samples/). Relative paths resolve against the
script's folder first, then the working directory.

A recorded cassette (`{"interactions": [{"request": ..., "response": ...}]}`, written by
copilot.llm.cassette) is a script too: its responses replay in order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from copilot.llm.base import ChatResponse, Message, ToolCall
from tools.errors import InputError, ProviderError


def _resolve(path: str, base: Path | None) -> Path:
    candidates = [Path(path)] if Path(path).is_absolute() else []
    if base is not None:
        candidates.append(base / path)
    candidates.append(Path.cwd() / path)
    for candidate in candidates:
        if candidate.exists():
            return candidate
    raise InputError(f"mock script refers to {path}, which does not exist")


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read {path}: {str(exc).splitlines()[0]}") from exc


def _fixture_name(stem: str) -> str:
    """example_disallowed_initcontainer -> initcontainer (the writer adds the prefix back)."""
    rest = stem.removeprefix("example_disallowed").removeprefix("example_allowed").strip("_")
    return rest.replace("_", "-") or "base"


def bundle_as_draft(folder: Path) -> dict[str, Any]:
    """A PolicyDraft (as a dict) from a bundle folder: the corpus layout or one written by `kpc ask`."""
    from tools.bundle import examples, expected_violation, sample_dirs

    meta = _read_yaml(folder / "meta.yaml") if (folder / "meta.yaml").is_file() else {}
    samples = sample_dirs(folder)
    if not samples:
        raise InputError(f"{folder} has no samples/<name>/constraint.yaml")
    constraint = _read_yaml(samples[0] / "constraint.yaml") or {}
    spec = constraint.get("spec") or {}
    fixtures = [
        {
            "name": _fixture_name(example.stem),
            "expected": "deny" if expected_violation(example) else "allow",
            "manifest": _read_yaml(example),
        }
        for example in examples(samples[0])
    ]
    draft: dict[str, Any] = {
        "policy_id": meta.get("id") or (constraint.get("metadata") or {}).get("name") or folder.name,
        "title": meta.get("title") or folder.name,
        "description": " ".join(str(meta.get("description", "")).split()),
        "kind": constraint.get("kind") or meta.get("kind"),
        "src_rego": (folder / "src.rego").read_text(),
        "src_test_rego": (folder / "src_test.rego").read_text(),
        "parameters_schema": meta.get("parameters") or {"type": "object"},
        "parameters": spec.get("parameters") or {},
        "match": spec.get("match") or {},
        "fixtures": fixtures,
        "exemplar_ids": [meta["id"]] if meta.get("id") else [],
    }
    if spec.get("enforcementAction") in ("warn", "dryrun"):
        draft["enforcement_action"] = spec["enforcementAction"]
    return draft


def _apply_edits(draft: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    draft.update(spec.get("patch") or {})
    for field, pairs in (spec.get("replace") or {}).items():
        text = str(draft.get(field, ""))
        for old, new in pairs:
            if old not in text:
                raise InputError(f"mock script: {old!r} does not occur in the draft's {field}")
            text = text.replace(old, new)
        draft[field] = text
    return draft


def expand(value: Any, base: Path | None) -> Any:
    """Replaces $file / $yaml / $bundle references inside `value`."""
    if isinstance(value, dict):
        if "$file" in value:
            return _resolve(str(value["$file"]), base).read_text()
        if "$yaml" in value:
            return _read_yaml(_resolve(str(value["$yaml"]), base))
        if "$bundle" in value:
            return _apply_edits(bundle_as_draft(_resolve(str(value["$bundle"]), base)), value)
        return {k: expand(v, base) for k, v in value.items()}
    if isinstance(value, list):
        return [expand(v, base) for v in value]
    return value


def _call(spec: dict[str, Any], base: Path | None) -> ToolCall:
    if "name" not in spec:
        raise InputError(f"mock script: a tool call needs a name: {spec}")
    args = expand(spec.get("arguments", {}), base)
    raw = args if isinstance(args, str) else json.dumps(args)
    return ToolCall(
        **({"id": str(spec["id"])} if spec.get("id") else {}), name=str(spec["name"]), arguments=raw
    )


def parse_reply(spec: Any, base: Path | None = None) -> ChatResponse | ProviderError:
    """One scripted reply as a ChatResponse (or the ProviderError that call should raise)."""
    if isinstance(spec, ChatResponse):
        return spec.model_copy(deep=True)
    if isinstance(spec, Message):
        return ChatResponse(message=spec.model_copy(deep=True))
    if isinstance(spec, str):
        return ChatResponse(message=Message(role="assistant", content=spec), finish_reason="stop")
    if not isinstance(spec, dict):
        raise InputError(f"mock script: cannot read reply {spec!r}")
    if "error" in spec:
        return ProviderError(str(spec["error"]))
    if "message" in spec:  # a recorded ChatResponse
        return ChatResponse.model_validate(spec)
    calls = [_call(c, base) for c in spec.get("tool_calls", []) or []]
    if "tool" in spec:
        calls.append(_call({"name": spec["tool"], "arguments": spec.get("arguments", {})}, base))
    return ChatResponse(
        message=Message(
            role="assistant", content=str(expand(spec.get("content", ""), base) or ""), tool_calls=calls
        ),
        finish_reason="tool_calls" if calls else "stop",
    )


def load_script(path: str | Path) -> dict[str, Any]:
    """A script file as {"responses": [...], "repeat_last": bool, "model": str | None}."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"mock script {path} does not exist")
    text = path.read_text()
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read mock script {path}: {str(exc).splitlines()[0]}") from exc
    if isinstance(data, list):
        data = {"responses": data}
    if not isinstance(data, dict):
        raise InputError(f"mock script {path} must be a list of replies or a mapping with `responses`")
    if "interactions" in data:
        data = {**data, "responses": [i["response"] for i in data["interactions"]]}
    if not isinstance(data.get("responses"), list):
        raise InputError(f"mock script {path} has no `responses` list")
    return {
        "responses": data["responses"],
        "repeat_last": bool(data.get("repeat_last", False)),
        "model": data.get("model"),
        "base": path.resolve().parent,
    }
