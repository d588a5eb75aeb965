"""Intent classification, and the explain / scan intents that answer without drafting a policy."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from agent_support import pod

from copilot.agent import run_request
from copilot.agent.intent import classify
from copilot.llm.mock import MockModel


@pytest.mark.parametrize(
    ("request_text", "has_previous", "intent"),
    [
        ("deny privileged containers except in kube-system", False, "new"),
        ("deny privileged containers except in kube-system", True, "new"),
        ("also exempt the monitoring namespace", True, "refine"),
        ("make it a warning", True, "refine"),
        ("exempt kube-system too", True, "refine"),
        ("also exempt the monitoring namespace", False, "new"),
        ("only allow images from ghcr.io/acme", True, "new"),
        ("check that every image comes from ghcr.io", False, "new"),
        ("why is my deployment denied?", False, "explain"),
        ("explain why pod.yaml is rejected", True, "explain"),
        ("scan ./k8s for violations", False, "scan"),
        ("which of my manifests violate the policies?", False, "scan"),
    ],
)
def test_classify(request_text: str, has_previous: bool, intent: str) -> None:
    assert classify(request_text, has_previous=has_previous) == intent


def test_explain_question_gets_the_verdicts_and_a_pointer(tmp_path: Path) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(yaml.safe_dump(pod("root-shell", privileged=True)))
    model = MockModel()

    result = run_request(f"why is {manifest} denied?", provider=model, checkpoint="memory")

    assert result.status == "answered" and result.intent == "explain"
    assert model.history == []  # no model call, no policy drafted
    assert "kpc explain" in result.explanation
    assert "Pod default/root-shell" in result.explanation and "deny" in result.explanation
    assert "privileged" in result.explanation


def test_scan_request_points_to_kpc_scan() -> None:
    result = run_request("scan my cluster manifests", provider=MockModel(), checkpoint="memory")
    assert result.status == "answered" and result.intent == "scan"
    assert "kpc scan PATH" in result.explanation
    assert result.draft is None and result.report is None
