"""What the model sees: the first prompt of a turn, with every piece of data fenced and redacted.

Data (manifests, exemplar policies, the previous policy, verification output) goes inside
`<<<DATA name nonce ... DATA nonce>>>` blocks. The nonce is random per turn, so text inside
a manifest cannot close its block early and pose as an instruction.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

import yaml

from copilot.agent import prompts
from copilot.agent.exemplars import exemplar_text, lib_reference
from copilot.agent.redact import redact_manifest, redact_text
from copilot.llm.base import Message
from tools.errors import InputError

FULL_EXEMPLARS = 2  # the closest ones in full, the rest as one line each


def new_nonce() -> str:
    return secrets.token_hex(6)


def data_block(name: str, body: str, nonce: str) -> str:
    """A fenced data block; a forged closing marker inside the body is defused."""
    body = body.replace(f"DATA {nonce}>>>", f"DATA {nonce} >>>")
    return prompts.DATA_BLOCK.format(name=name, nonce=nonce, body=body.rstrip())


def _yaml(value: Any) -> str:
    return yaml.safe_dump(value, sort_keys=False, width=120).rstrip()


def paths_in_request(request: str) -> list[str]:
    """Manifest files the request names that exist ("deny pods like ./bad-pod.yaml")."""
    words = re.findall(r"[\w./~-]+\.(?:ya?ml|json)\b", request)
    return sorted({str(Path(w).expanduser()) for w in words if Path(w).expanduser().is_file()})


def load_manifest_files(paths: list[str | Path]) -> list[dict[str, Any]]:
    """Objects from manifest files as [{"path", "object"}], redacted before anything else sees them."""
    if not paths:
        return []
    from tools.extract import load_manifests

    result = load_manifests([str(p) for p in paths])
    if result.errors and not result.objects:
        raise InputError(f"cannot read manifests: {result.errors[0].file}: {result.errors[0].message}")
    return [{"path": o.file, "object": redact_manifest(o.obj)} for o in result.objects]


def manifest_features(manifests: list[dict[str, Any]]) -> list[str]:
    """Feature strings of the manifests, to steer retrieval (empty when the extractor fails)."""
    if not manifests:
        return []  # most requests name none: skip importing the extractor
    try:
        from tools.extract import extract_features

        return sorted({f for m in manifests for f in extract_features(m["object"]).features})
    except Exception:  # retrieval works from the request alone
        return []


def exemplars_text(exemplars: list[dict[str, Any]], nonce: str) -> str:
    lines = []
    for i, hit in enumerate(exemplars):
        if i < FULL_EXEMPLARS:
            try:
                lines.append(data_block(f"exemplar {hit['id']}", exemplar_text(hit["id"]), nonce))
                continue
            except LookupError:
                pass
        lines.append(f"- {hit['id']}: {hit['title']} ({hit['kind']}); read it with get_exemplar")
    return "\n".join(lines) or "(none found; write the policy from the rules above)"


def previous_text(previous: dict[str, Any], history: list[dict[str, Any]], nonce: str) -> str:
    shown = {
        k: previous.get(k)
        for k in (
            "policy_id",
            "title",
            "kind",
            "enforcement_action",
            "match",
            "parameters",
            "parameters_schema",
        )
    }
    body = _yaml(shown) + "\n\nsrc_rego:\n" + previous.get("src_rego", "").rstrip()
    body += "\n\nsrc_test_rego:\n" + previous.get("src_test_rego", "").rstrip()
    body += "\n\nfixtures:\n" + _yaml(previous.get("fixtures", []))
    asked = "; ".join(redact_text(str(h.get("request", ""))) for h in history[-5:]) or "none"
    return prompts.PREVIOUS_POLICY.format(history=asked, block=data_block("previous policy", body, nonce))


def first_messages(
    *,
    request: str,
    target: str,
    exemplars: list[dict[str, Any]],
    manifests: list[dict[str, Any]],
    previous: dict[str, Any] | None,
    history: list[dict[str, Any]],
    nonce: str,
) -> list[Message]:
    """The system prompt and the user's drafting request for this turn."""
    manifest_part = ""
    if manifests:
        blocks = "\n".join(data_block(f"manifest {m['path']}", _yaml(m["object"]), nonce) for m in manifests)
        manifest_part = prompts.MANIFESTS_INTRO.format(blocks=blocks)
    user = prompts.DRAFT_REQUEST.format(
        request=redact_text(request),
        target=target,
        previous=previous_text(previous, history, nonce) if previous else "",
        manifests=manifest_part,
        exemplars=exemplars_text(exemplars, nonce),
        lib=lib_reference(),
    )
    return [Message(role="system", content=prompts.SYSTEM_PROMPT), Message(role="user", content=user)]


def repair_text(report: Any, nonce: str, round_no: int) -> str:
    """The repair request: the report's failures, plus the formatter's diff the summary alone omits."""
    text = report.failure_text()
    for check in report.failed_checks():
        for finding in check.findings:
            if finding.snippet and check.name == "opa-fmt":
                text += f"\n[opa-fmt diff for {finding.file}]\n{finding.snippet[:1500]}"
    return prompts.REPAIR_REQUEST.format(
        round=round_no, summary=report.summary(), block=data_block("verification output", text, nonce)
    )
