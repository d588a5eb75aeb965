"""`kpc scan`: exit codes, formats, atomic --output, stdin, and one-line errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from scan_support import BAD, DEMO, REPO, TEST_POLICIES, pod, run_kpc, write

Capsys = pytest.CaptureFixture[str]
MP = pytest.MonkeyPatch


def test_denied_objects_exit_2_and_name_file_line(capsys: Capsys, monkeypatch: MP) -> None:
    code, out, err = run_kpc(["scan", str(DEMO), "--policies", str(TEST_POLICIES)], capsys, monkeypatch)
    assert code == 2
    assert f"{DEMO}/legacy/debug-pods.json:11  Pod/debug-shell  K8sTestPrivileged/no-privileged" in out
    assert "17 objects in 9 files, 3 policies: 1 denied, 2 warned, 14 allowed (5 violations" in out
    assert "Traceback" not in err


def test_fail_on_warn_and_none(tmp_path: Path, capsys: Capsys, monkeypatch: MP) -> None:
    only_warn = write(tmp_path / "m.yaml", pod("p").replace("nginx:1.25", "nginx"))
    args = ["scan", str(only_warn), "-p", str(TEST_POLICIES), "-q"]
    assert run_kpc(args, capsys, monkeypatch)[0] == 0
    assert run_kpc([*args, "--fail-on", "warn"], capsys, monkeypatch)[0] == 2
    assert (
        run_kpc(
            ["scan", str(DEMO), "-p", str(TEST_POLICIES), "-q", "--fail-on", "none"], capsys, monkeypatch
        )[0]
        == 0
    )


def test_clean_input_exits_0(tmp_path: Path, capsys: Capsys, monkeypatch: MP) -> None:
    code, out, _ = run_kpc(
        ["scan", str(write(tmp_path / "ok.yaml", pod("ok"))), "-p", str(TEST_POLICIES)], capsys, monkeypatch
    )
    assert code == 0 and "1 object in 1 file, 3 policies: 0 denied" in out


def test_json_is_exactly_one_document_on_stdout(capsys: Capsys, monkeypatch: MP) -> None:
    code, out, _ = run_kpc(
        ["scan", str(DEMO), "-p", str(TEST_POLICIES), "--format", "json"], capsys, monkeypatch
    )
    doc = json.loads(out)
    assert code == 2
    assert doc["summary"]["objects"] == len(doc["results"]) == 17
    denied = [r for r in doc["results"] if r["verdict"] == "deny"]
    assert [(r["kind"], r["name"], r["line"], r["violations"][0]["id"]) for r in denied] == [
        ("Pod", "debug-shell", 11, "K8sTestPrivileged/no-privileged")
    ]


def test_output_file_is_written_atomically(tmp_path: Path, capsys: Capsys, monkeypatch: MP) -> None:
    target = tmp_path / "out" / "kpc.sarif"
    target.parent.mkdir()
    target.write_text("old report")
    code, out, err = run_kpc(
        ["scan", str(DEMO), "-p", str(TEST_POLICIES), "--format", "sarif", "--output", str(target)],
        capsys,
        monkeypatch,
    )
    assert code == 2 and out == ""
    assert f"wrote {target}" in err
    assert json.loads(target.read_text())["version"] == "2.1.0"
    assert [p.name for p in target.parent.iterdir()] == ["kpc.sarif"]  # no temp file left behind


def test_unwritable_output_is_a_one_line_error(tmp_path: Path, capsys: Capsys, monkeypatch: MP) -> None:
    code, out, err = run_kpc(
        ["scan", str(DEMO), "-p", str(TEST_POLICIES), "-o", str(tmp_path / "missing" / "r.txt")],
        capsys,
        monkeypatch,
    )
    assert code == 1
    assert err.strip().splitlines()[-1].startswith("kpc: error: cannot write")
    assert not (tmp_path / "missing").exists()


def test_stdin(capsys: Capsys, monkeypatch: MP) -> None:
    manifest = (DEMO / "legacy" / "debug-pods.json").read_text()
    code, out, _ = run_kpc(["scan", "-", "-p", str(TEST_POLICIES)], capsys, monkeypatch, stdin=manifest)
    assert code == 2 and "<stdin>:11  Pod/debug-shell" in out


def test_markdown_format(capsys: Capsys, monkeypatch: MP) -> None:
    code, out, _ = run_kpc(
        ["scan", str(DEMO), "-p", str(TEST_POLICIES), "--format", "markdown"], capsys, monkeypatch
    )
    assert code == 2 and out.startswith("### :x: kpc scan: 1 of 17 objects denied")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "no/such/dir"], "no/such/dir: no such file or folder"),
        (["scan", str(BAD)], "inputs could not be scanned"),
        (["scan", str(BAD / "billion-laughs.yaml")], "expands to more than"),
        (["scan", str(DEMO), "--policies", "no/such/policies"], "no such policy file or folder"),
        (["scan", str(DEMO), "--policies", str(DEMO)], "no Constraints"),
    ],
)
def test_bad_input_exits_1_with_one_line(
    args: list[str], message: str, capsys: Capsys, monkeypatch: MP
) -> None:
    code, _, err = run_kpc(args, capsys, monkeypatch)
    assert code == 1
    last = err.strip().splitlines()[-1]
    assert last.startswith("kpc: error: ") and message in last
    assert "Traceback" not in err


def test_denials_win_over_unreadable_inputs(tmp_path: Path, capsys: Capsys, monkeypatch: MP) -> None:
    bad = write(tmp_path / "broken.yaml", "a: [\n")
    risky = write(tmp_path / "risky.yaml", pod("r", privileged=True))
    code, out, _ = run_kpc(["scan", str(bad), str(risky), "-p", str(TEST_POLICIES)], capsys, monkeypatch)
    assert code == 2
    assert f"{bad}:1: error: invalid YAML" in out


def test_scan_and_extract_start_without_heavy_imports() -> None:
    heavy = ["torch", "sentence_transformers", "chromadb", "langgraph", "textual", "openai"]
    code = (
        "import sys\n"
        "from copilot.cli import cli\n"
        "import copilot.cli.scan, copilot.cli.extract, tools.scan, tools.report, tools.extract\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_help_documents_formats_and_exit_codes(capsys: Capsys, monkeypatch: MP) -> None:
    code, out, _ = run_kpc(["scan", "--help"], capsys, monkeypatch)
    assert code == 0
    for text in ("--policies DIR", "text|json|sarif|markdown", "--output FILE", "--fail-on", "Exit status"):
        assert text in out


def test_broken_template_is_one_line(tmp_path: Path, capsys: Capsys, monkeypatch: MP) -> None:
    text = (
        (TEST_POLICIES / "privileged.yaml").read_text().replace("privileged == true", "privileged == = true")
    )
    broken = write(tmp_path / "policies" / "p.yaml", text)
    code, _, err = run_kpc(["scan", str(DEMO), "-p", str(broken.parent)], capsys, monkeypatch)
    assert code == 1
    (line,) = err.strip().splitlines()
    assert line.startswith("kpc: error: gator test failed") and "rego_parse_error" in line


def test_unreadable_policy_file_says_why(tmp_path: Path, capsys: Capsys, monkeypatch: MP) -> None:
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"kind: \xa6\xff\x00")
    invalid = write(tmp_path / "invalid.yaml", "a: [1,\n b")
    for policy, message in [(junk, "not UTF-8 text"), (invalid, f"{invalid}:2: invalid YAML")]:
        code, out, err = run_kpc(["scan", str(DEMO), "-p", str(policy)], capsys, monkeypatch)
        assert code == 1 and out == ""
        (line,) = err.strip().splitlines()
        assert line.startswith("kpc: error: cannot read the policies: ") and message in line


@pytest.mark.parametrize(
    "args, message",
    [
        (["scan", str(DEMO), "--format", "xml"], "Invalid value for '--format'"),
        (["scan", str(DEMO), "--output", str(DEMO)], "is a directory"),
        (["scan"], "Missing argument"),
        (["verify", "no/such/bundle"], "does not exist"),
        (["nosuchcommand"], "No such command"),
    ],
)
def test_usage_errors_are_one_kpc_error_line(
    args: list[str], message: str, capsys: Capsys, monkeypatch: MP
) -> None:
    code, out, err = run_kpc(args, capsys, monkeypatch)
    assert code == 1 and out == ""
    (line,) = err.strip().splitlines()  # not click's three-line "Usage: ... Error: ..."
    assert line.startswith("kpc: error: ") and message in line and "--help`" in line
