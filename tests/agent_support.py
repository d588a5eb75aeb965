"""Shared pieces for the agent, LLM and ask tests: drafts built from a real exemplar, mock replies."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from copilot.llm.script import bundle_as_draft

REPO = Path(__file__).resolve().parents[1]
EXEMPLAR = REPO / "policies" / "pod-security" / "privileged-containers"
REQUEST = "deny privileged containers except in kube-system"


def good_draft() -> dict[str, Any]:
    """The complete privileged-containers exemplar as a PolicyDraft dict (verifies green)."""
    return bundle_as_draft(EXEMPLAR)


def syntax_error_draft() -> dict[str, Any]:
    """Does not compile: opa check fails."""
    draft = good_draft()
    draft["src_rego"] = draft["src_rego"].replace("privileged == true", "privileged == = true")
    return draft


def inverted_draft() -> dict[str, Any]:
    """Compiles, but denies the wrong containers: tests and fixtures fail."""
    draft = good_draft()
    draft["src_rego"] = draft["src_rego"].replace("privileged == true", "privileged == false")
    return draft


def submit(draft: dict[str, Any]) -> dict[str, Any]:
    """A mock reply that calls submit_policy with `draft`."""
    return {"tool": "submit_policy", "arguments": copy.deepcopy(draft)}


def pod(
    name: str, *, privileged: bool, namespace: str = "default", image: str = "nginx:1.25"
) -> dict[str, Any]:
    """A valid Pod manifest."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "containers": [{"name": "app", "image": image, "securityContext": {"privileged": privileged}}]
        },
    }
