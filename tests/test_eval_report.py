"""The runner's API and the reporters on real (scripted) runs: cancelling, skipping, escaping, summaries."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import jsonschema
import pytest
import yaml

from copilot.evals.markdown import render_markdown
from copilot.evals.models import CaseResult
from copilot.evals.runner import EvalOptions, run_eval
from copilot.evals.suite import load_suite
from copilot.evals.text import render_text

REPO = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((REPO / "copilot" / "evals" / "report_schema.json").read_text())
TRICKY = "no <b>bold</b> | pipes and `ticks` in a report, please"


def _decline_case(case_id: str, request: str) -> dict[str, object]:
    return {
        "id": case_id,
        "request": request,
        "mock_script": [{"tool": "decline", "arguments": {"reason": f"cannot do: {request}"}}],
        "expect": {"status": "verified"},
        "manifests": [
            {
                "verdict": verdict,
                "object": {
                    "apiVersion": "v1",
                    "kind": "ConfigMap",
                    "metadata": {"name": f"{case_id}-{verdict}", "namespace": "team-a"},
                    "data": {"k": "v"},
                },
            }
            for verdict in ("deny", "allow")
        ],
    }


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    path = tmp_path / "declines.yaml"
    cases = [_decline_case("tricky", TRICKY), _decline_case("second", "anything else")]
    cases.append({"id": "offline-only", "request": "no privileged pods", "expect": {"status": "declined"}})
    path.write_text(yaml.safe_dump({"suite": "report", "cases": cases}))
    return path


def test_unexpected_declines_are_reported_safely(suite: Path) -> None:
    run = run_eval(load_suite(suite), EvalOptions(provider="mock", jobs=2))
    report = run.report
    jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(report.model_dump_json()))
    assert not run.interrupted and not report.ok
    by_id = {c.case: c for c in report.cases}
    skipped = by_id["offline-only"]
    assert skipped.status == "skipped" and skipped.met is None and "no mock script" in skipped.reason
    tricky = by_id["tricky"]
    assert tricky.status == "declined" and tricky.met is False and not tricky.decline_expected
    assert tricky.problems == [f"expected verified, got declined: cannot do: {TRICKY}"]
    totals = report.totals
    assert (totals.planned, totals.cases, totals.skipped) == (3, 2, 1)
    assert (totals.declined, totals.declined_unexpected, totals.unmet) == (2, 2, 2)
    assert totals.accuracy is None and totals.scored == 0

    markdown = render_markdown(report)
    assert "<b>" not in markdown and "&lt;b&gt;bold&lt;/b&gt;" in markdown
    summary = next(
        line for line in markdown.splitlines() if line.startswith("<summary>") and "tricky" in line
    )
    assert "\\|" in summary and "<code>report/tricky</code>" in summary
    table_rows = [line for line in markdown.splitlines() if line.startswith("| :")]
    assert len(table_rows) == 3 and all(row.count(" | ") == 7 for row in table_rows)
    assert markdown.count("<details>") == markdown.count("</details>") == 2

    text = render_text(report)
    assert "FAIL report/tricky" in text and "offline-only" not in text
    assert "offline-only" in render_text(report, verbose=True)


def test_a_global_mock_script_runs_the_unscripted_cases(suite: Path, tmp_path: Path) -> None:
    script = tmp_path / "decline.yaml"
    script.write_text(
        yaml.safe_dump([{"tool": "decline", "arguments": {"reason": "scripted for every case"}}])
    )
    run = run_eval(load_suite(suite), EvalOptions(provider="mock", mock_script=script))
    by_id = {c.case: c for c in run.report.cases}
    assert run.report.totals.skipped == 0
    assert by_id["offline-only"].status == "declined" and by_id["offline-only"].met is True
    assert by_id["offline-only"].reason == "scripted for every case"
    assert by_id["tricky"].reason.startswith("cannot do:"), "a case's own script wins"


def test_cancel_keeps_only_finished_cases(suite: Path) -> None:
    cancel = threading.Event()
    finished: list[CaseResult] = []

    def first_then_stop(result: CaseResult) -> None:
        finished.append(result)
        cancel.set()

    run = run_eval(
        load_suite(suite), EvalOptions(provider="mock", jobs=1), cancel=cancel, on_finish=first_then_stop
    )
    assert run.interrupted and run.report.partial and not run.report.ok
    ran = [c for c in run.report.cases if c.status != "skipped"]
    assert [c.ref for c in ran] == [finished[0].ref] == ["report/tricky"]
    assert run.report.totals.cases == 1 and run.report.totals.planned == 3
    assert "PARTIAL" in render_text(run.report) and "partial run" in render_markdown(run.report)


def test_openai_provider_on_loopback_never_sees_the_answer_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent_support import good_draft
    from fake_openai import FakeOpenAI, completion

    secret = "answer-key-pod-7f3a"
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": secret, "namespace": "team-a"},
        "spec": {
            "containers": [
                {"name": "c", "image": "ghcr.io/acme/x:1", "securityContext": {"privileged": True}}
            ]
        },
    }
    allowed = {**pod, "metadata": {"name": f"{secret}-ok", "namespace": "kube-system"}}
    path = tmp_path / "online.yaml"
    case = {
        "id": "privileged",
        "request": "no privileged pods",
        "manifests": [{"verdict": "deny", "object": pod}, {"verdict": "allow", "object": allowed}],
    }
    path.write_text(yaml.safe_dump({"suite": "online", "cases": [case]}))
    usage = (1500, 700)
    with FakeOpenAI() as server:
        server.enqueue(completion(tool_calls=[("submit_policy", good_draft())], usage=usage))
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        run = run_eval(load_suite(path), EvalOptions(provider="openai", model="fake-model"))
    (result,) = run.report.cases
    assert run.report.model == "fake-model" and result.status == "verified" and result.met
    assert result.tokens is not None and (result.tokens.prompt, result.tokens.completion) == usage
    assert result.correct and result.verdicts_total == 2
    sent = json.dumps([r["body"] for r in server.requests])
    assert "no privileged pods" in sent and secret not in sent
    assert all(not r["body"].get("stream") for r in server.requests)
