"""`kpc eval` end to end: the real agent (mock and offline providers), the real engines, the real CLI."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from copilot.cli import main
from copilot.evals.compare import compare, load_report
from copilot.evals.models import EvalReport
from copilot.evals.suite import load_suites
from copilot.evals.totals import compute_totals

REPO = Path(__file__).resolve().parents[1]
KPC = str(Path(sys.executable).parent / "kpc")
SCHEMA = json.loads((REPO / "copilot" / "evals" / "report_schema.json").read_text())
EXEMPLAR = REPO / "policies" / "pod-security" / "privileged-containers"
ROUND = re.compile(r"verify round (\d+): (\d+)/(\d+) fixtures pass, (\d+)/(\d+) checks")


def run_kpc(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KPC, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def valid_report(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text())
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    report = EvalReport.model_validate(data)
    recomputed = compute_totals(
        report.cases, planned=report.totals.planned, wall_seconds=report.totals.wall_seconds
    )
    assert recomputed == report.totals
    return data


def test_schema_is_valid_and_matches_the_models() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    pairs = [
        (SCHEMA, "EvalReport"),
        (SCHEMA["$defs"]["case"], "CaseResult"),
        (SCHEMA["$defs"]["totals"], "Totals"),
        (SCHEMA["$defs"]["comparison"], "Comparison"),
        (SCHEMA["$defs"]["verdict_result"], "ManifestVerdict"),
        (SCHEMA["$defs"]["regression"], "Regression"),
    ]
    import copilot.evals.models as models

    for schema, name in pairs:
        fields = set(getattr(models, name).model_fields)
        assert set(schema["properties"]) == fields, name
        assert set(schema["required"]) == fields, name


def test_mock_suite_runs_the_agent_loop(tmp_path: Path) -> None:
    report, markdown = tmp_path / "r.json", tmp_path / "r.md"
    done = run_kpc(
        "eval", "evals/mock", "--provider", "mock", "--jobs", "2",
        "--report", str(report), "--markdown", str(markdown), "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    data = valid_report(report)
    assert json.loads(done.stdout) == data
    cases = {c["case"]: c for c in data["cases"]}
    suite = {c.id: c for c in load_suites([REPO / "evals" / "mock"])}
    assert set(cases) == set(suite)
    assert all(c["met"] for c in cases.values())
    assert data["provider"] == "mock" and data["partial"] is False

    repair = cases["repair-syntax-error-then-fixture-failure-then-pass"]
    rounds = [tuple(int(g) for g in ROUND.search(line).groups()) for line in repair["round_log"]]  # type: ignore[union-attr]
    first, second, third = rounds
    assert first[1] == 0 and first[3] < first[4], "round 1 fails to compile: no fixture can pass"
    assert 0 < second[1] < second[2], "round 2 compiles but gets fixtures wrong"
    assert third[1] == third[2] and third[3] == third[4], "round 3 is green"
    assert repair["repair_rounds"] == 2 and repair["first_round"] is False and repair["correct"] is True

    exhausted = cases["exhaustion-always-failing"]
    assert exhausted["status"] == "not_verified"
    assert exhausted["rounds"] == 1 + (suite["exhaustion-always-failing"].spec.max_rounds or 0)
    assert exhausted["scored"] is False and exhausted["policy_id"] is None

    assert cases["scripted-decline"]["status"] == "declined" and cases["scripted-decline"]["rounds"] == 0
    assert cases["conftest-target"]["verdicts"][0]["engine"] == "conftest"

    cassette = json.loads((REPO / "evals" / "cassettes" / "host-network.json").read_text())
    usage = [i["response"]["usage"] for i in cassette["interactions"]]
    replayed = cases["cassette-host-network"]
    assert replayed["tokens"] == {
        "prompt": sum(u["prompt_tokens"] for u in usage),
        "completion": sum(u["completion_tokens"] for u in usage),
    }
    assert (
        replayed["model_calls"] == len(cassette["interactions"])
        and replayed["policy_kind"] == "K8sDenyHostNetwork"
    )
    assert replayed["verdicts_total"] == len(suite["cassette-host-network"].checks) and replayed["correct"]

    text = markdown.read_text()
    assert text.startswith(f"### :white_check_mark: kpc eval: {len(cases)}/{len(cases)} cases met")
    totals = data["totals"]
    accuracy = f"| verdict accuracy | {totals['accuracy'] * 100:.1f}% ({totals['verdicts_correct']}/{totals['verdicts']}) |"
    assert accuracy in text
    for ref in (f"agent-loop/{case}" for case in cases):
        assert f"`{ref}`" in text
    assert "<details>" not in text


def test_offline_subset_of_the_suites(tmp_path: Path) -> None:
    picked = [
        "pod-security/privileged-terse",
        "declines/vulnerability-scan-gate",
        "declines/friday-afternoon-freeze",
    ]
    report, markdown = tmp_path / "r.json", tmp_path / "r.md"
    args = ["eval", "evals/suites", "--provider", "offline", "--jobs", "2", "--report", str(report)]
    for ref in picked:
        args += ["--case", ref]
    bundles = tmp_path / "bundles"
    done = run_kpc(*args, "--markdown", str(markdown), "--bundles", str(bundles))
    data = valid_report(report)
    assert done.returncode == (0 if data["totals"]["unmet"] == 0 else 2)
    everything = load_suites([REPO / "evals" / "suites"])
    in_suite_order = [c.ref for c in everything if c.ref in picked]
    assert [f"{c['suite']}/{c['case']}" for c in data["cases"]] == in_suite_order
    cases = {f"{c['suite']}/{c['case']}": c for c in data["cases"]}
    for ref in picked[1:]:
        assert cases[ref]["status"] == "declined" and cases[ref]["met"] is True
        assert "configure an LLM provider" in cases[ref]["reason"]
    privileged = cases["pod-security/privileged-terse"]
    checks = next(c for c in everything if c.ref == picked[0]).checks
    assert privileged["status"] == "verified" and privileged["first_round"] is True
    kept = bundles / "pod-security" / "privileged-terse"
    assert privileged["bundle_dir"] == str(kept) and (kept / "template.yaml").is_file()
    assert (kept / "constraint.yaml").is_file() and json.loads((kept / "report.json").read_text())["ok"]
    assert [v["name"] for v in privileged["verdicts"]] == [c.name for c in checks]
    assert data["totals"]["declined_expected"] == 2 and data["model"] == "exemplar-drafter"
    assert "kpc eval:" in done.stdout and "verdict accuracy" in done.stdout
    assert markdown.read_text().count("\n| :") >= len(picked)


def _regress_suite(path: Path, **patch: Any) -> None:
    arguments: dict[str, Any] = {"$bundle": str(EXEMPLAR)}
    if patch:
        arguments["patch"] = patch
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "shell", "namespace": "team-a"},
        "spec": {
            "containers": [
                {"name": "c", "image": "ghcr.io/acme/toolbox:1.2", "securityContext": {"privileged": True}}
            ]
        },
    }
    safe = {**pod, "metadata": {"name": "web", "namespace": "team-a"}}
    safe["spec"] = {"containers": [{"name": "c", "image": "ghcr.io/acme/web:1.0"}]}
    suite = {
        "suite": "regress",
        "cases": [
            {
                "id": "privileged",
                "request": "deny privileged containers",
                "mock_script": [{"tool": "submit_policy", "arguments": arguments}],
                "manifests": [{"verdict": "deny", "object": pod}, {"verdict": "allow", "object": safe}],
            }
        ],
    }
    path.write_text(yaml.safe_dump(suite))


def test_a_wrong_policy_fails_its_case_and_regresses_against_the_baseline(tmp_path: Path) -> None:
    suite, before, after, markdown = (
        tmp_path / n for n in ("regress.yaml", "before.json", "after.json", "after.md")
    )
    _regress_suite(suite)
    good = run_kpc("eval", str(suite), "--provider", "mock", "--report", str(before), "-q")
    assert good.returncode == 0, good.stderr
    assert valid_report(before)["cases"][0]["correct"] is True

    # Still passes its own fixtures (the exemplar exempts node-agent), but lets the toolbox through.
    _regress_suite(
        suite, parameters={"exemptImages": ["registry.example.com/node-agent", "ghcr.io/acme/toolbox"]}
    )
    bad = run_kpc(
        "eval", str(suite), "--provider", "mock", "--baseline", str(before),
        "--report", str(after), "--markdown", str(markdown), "-q",
    )  # fmt: skip
    assert bad.returncode == 2
    data = valid_report(after)
    (case,) = data["cases"]
    assert case["status"] == "verified" and case["met"] is False and case["false_allows"] == 1
    assert [v["name"] for v in case["verdicts"] if v["expected"] != v["actual"]] == ["pod-shell"]
    regressions = {(r["case"], r["what"]) for r in data["comparison"]["regressions"]}
    assert regressions == {("regress/privileged", "no-longer-correct"), ("*", "accuracy-drop")}
    assert data["comparison"]["accuracy_before"] > data["comparison"]["accuracy_after"]
    assert "REGRESSION regress/privileged: no-longer-correct" in bad.stdout
    text = markdown.read_text()
    assert text.startswith("### :x: kpc eval: 0/1 cases met their expectation, 2 regressions")
    assert "| :x: no-longer-correct | `regress/privileged` |" in text
    assert "<details>" in text and "`pod-shell`" in text and "**allow**" in text

    # Against itself nothing regresses: the comparison is over the same results.
    itself = load_report(after)
    assert compare(itself.cases, itself, str(after)).regressions == []


def test_ctrl_c_keeps_finished_cases_in_a_partial_report(tmp_path: Path) -> None:
    report = tmp_path / "partial.json"
    args = [KPC, "eval", "evals/mock", "--provider", "mock", "--jobs", "1", "--report", str(report)]
    args += ["--case", "scripted-decline", "--case", "explore-then-pass-first-round"]
    proc = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("[1/2]"):
            break
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted after 1 cases" in err and str(report) in err and "Traceback" not in err
    data = valid_report(report)
    assert data["partial"] is True
    assert [c["case"] for c in data["cases"]] == ["scripted-decline"]
    assert data["totals"]["planned"] == 2 and data["totals"]["cases"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["evals/nowhere"], "suite evals/nowhere does not exist"),
        (["evals/suites", "--case", "no-such-case"], "no case matches no-such-case"),
        (["evals/suites", "--provider", "mock"], "runs with --provider mock"),
        (["evals/mock", "--provider", "no-such-provider"], "'no-such-provider' is not a known provider"),
        (["evals/suites", "--report", "missing-folder/r.json"], "folder missing-folder does not exist"),
        (["evals/suites", "--baseline", "evals/cassettes/host-network.json"], "is not a kpc eval report"),
    ],
)
def test_usage_errors_are_one_line_exit_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(REPO)
    with pytest.raises(SystemExit) as exited:
        main(["eval", *args])
    _, err = capsys.readouterr()
    assert exited.value.code == 1
    assert message in err and len(err.strip().splitlines()) == 1 and err.startswith("kpc: error: ")


def test_bad_files_are_one_line_exit_1_before_any_case_runs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(REPO)
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"suite: x\n\xa6\xff\x00")
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    one = ["evals/suites", "--case", "pod-security/privileged-terse"]
    for args, message in [
        ([str(junk)], "not UTF-8 text"),
        ([str(empty)], "is empty"),
        ([*one, "--baseline", str(junk)], "is not a kpc eval report"),
        # /proc refuses new files even to root: the run must not start only to fail at the end
        ([*one, "--report", "/proc/kpc-report.json"], "--report /proc/kpc-report.json: cannot write"),
    ]:
        with pytest.raises(SystemExit) as exited:
            main(["eval", "-q", *args])
        out, err = capsys.readouterr()
        assert exited.value.code == 1, args
        assert out == "" and message in err and len(err.strip().splitlines()) == 1, err


def test_help_documents_exit_codes() -> None:
    env = {**os.environ, "COLUMNS": "100"}
    done = subprocess.run([KPC, "eval", "--help"], capture_output=True, text=True, cwd=REPO, env=env)
    assert done.returncode == 0
    for needle in ("--jobs", "--baseline", "--markdown", "--report", "130 interrupted"):
        assert needle in done.stdout
