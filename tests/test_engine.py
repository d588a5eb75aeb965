"""tools/engine against the real binaries: checks, tests, capabilities, timeouts, lint, gator, conftest, bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tools.engine import (
    conftest_test,
    conftest_verify,
    gator_test,
    gator_verify,
    opa_check,
    opa_eval,
    opa_fmt,
    opa_test,
    regal_lint,
    tool_path,
)
from tools.engine.binaries import engine_info
from tools.engine.sandbox import minimal_env
from tools.errors import EngineMissing, EngineTimeout

REPO = Path(__file__).resolve().parents[1]
EXEMPLAR = REPO / "policies" / "pod-security" / "privileged-containers"
LIBS = [REPO / "policies" / "lib" / name for name in ("pods.rego", "images.rego", "objects.rego")]


@pytest.fixture
def fresh_tool_cache():
    """tool_path caches per process; tests that move KPC_TOOLS_BIN need a clean cache both ways."""
    tool_path.cache_clear()
    yield
    tool_path.cache_clear()


def test_valid_policy_passes_check_and_test() -> None:
    files = [EXEMPLAR / "src.rego", EXEMPLAR / "src_test.rego", *LIBS]
    assert opa_check(files).ok
    result = opa_test(files)
    assert result.ok and result.passed == len(result.tests) >= 10
    assert result.coverage is not None and result.coverage > 50
    assert any(path.endswith("src.rego") and cov == 100 for path, cov in result.file_coverage.items())


def test_syntax_error_is_a_finding_with_file_and_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rego"
    bad.write_text("package x\n\nviolation contains msg if {\n\tinput.x ==\n}\n")
    result = opa_check([bad])
    assert not result.ok
    finding = result.findings[0]
    assert finding.file and finding.file.endswith("bad.rego")
    assert finding.row in (4, 5)
    assert finding.id.startswith("opa-check/rego_parse_error")


def test_http_send_is_rejected_by_the_capabilities(tmp_path: Path) -> None:
    policy = tmp_path / "net.rego"
    policy.write_text('package x\n\nleak := http.send({"method": "get", "url": "http://127.0.0.1:1"})\n')
    result = opa_check([policy])
    assert not result.ok
    assert any("http.send" in f.message for f in result.findings)
    # the same module is fine for opa without our capabilities: the rejection is the sandbox's doing
    assert opa_check([policy], safe_capabilities=False).ok


def test_opa_runtime_is_rejected_too(tmp_path: Path) -> None:
    policy = tmp_path / "env.rego"
    policy.write_text("package x\n\nenv := opa.runtime().env\n")
    assert not opa_check([policy]).ok


def test_an_expensive_policy_is_stopped_at_the_timeout() -> None:
    query = "count([x | some x in numbers.range(1, 200000000); x % 7 == 0])"
    with pytest.raises(EngineTimeout) as caught:
        opa_eval(query, timeout=1.0)
    assert "did not finish within 1s" in str(caught.value)


def test_eval_returns_the_value() -> None:
    result = opa_eval(
        "data.lib.images.parse(input.image).registry", data=LIBS, input_value={"image": "a.io:5000/b"}
    )
    assert result.defined and result.value == "a.io:5000"


def test_regal_findings_are_parsed(tmp_path: Path) -> None:
    policy = tmp_path / "todo.rego"
    policy.write_text('package x\n\n# TODO: tighten this\nallow if input.user == "admin"\n')
    result = regal_lint([policy])
    todo = [f for f in result.findings if f.id == "regal/style/todo-comment"]
    assert todo and todo[0].row == 3 and todo[0].file and todo[0].file.endswith("todo.rego")
    assert not result.ok


def test_fmt_reports_unformatted_files(tmp_path: Path) -> None:
    policy = tmp_path / "ugly.rego"
    policy.write_text("package x\nallow if {input.a==1}\n")
    result = opa_fmt([policy])
    assert not result.ok and result.changed and "+" in result.diff


def test_gator_verify_passes_a_good_suite_and_fails_a_bad_one(tmp_path: Path) -> None:
    good = gator_verify(EXEMPLAR / "suite.yaml")
    assert good.ok and len(good.cases) >= 4
    broken = tmp_path / "broken"
    shutil.copytree(EXEMPLAR, broken)
    allowed = broken / "samples" / "privileged-containers" / "example_allowed.yaml"
    allowed.write_text(allowed.read_text().replace("privileged: false", "privileged: true"))
    bad = gator_verify(broken / "suite.yaml")
    assert not bad.ok
    assert [c.case for c in bad.cases if not c.passed] == ["example-allowed"]
    assert any("unexpected number of violations" in f.message for f in bad.findings)


def test_gator_test_reports_violations_in_one_batch() -> None:
    sample = EXEMPLAR / "samples" / "privileged-containers"
    violations = gator_test(
        [EXEMPLAR / "template.yaml", sample / "constraint.yaml", *sorted(sample.glob("example_*.yaml"))]
    )
    names = sorted({v.object_name for v in violations})
    assert names == ["init-tuner", "payments", "root-shell"]
    assert all(v.constraint_kind == "K8sPrivilegedContainers" for v in violations)


def test_conftest_runs_a_conftest_policy(tmp_path: Path) -> None:
    policy = tmp_path / "policy"
    policy.mkdir()
    (policy / "main.rego").write_text(
        'package main\n\ndeny contains msg if {\n\tinput.kind == "Service"\n\tinput.spec.type == "NodePort"\n'
        '\tmsg := sprintf("Service %s: NodePort is not allowed", [input.metadata.name])\n}\n\n'
        'test_nodeport_denied if {\n\tcount(deny) == 1 with input as {"kind": "Service", "metadata": {"name": "a"},'
        ' "spec": {"type": "NodePort"}}\n}\n'
    )
    manifest = tmp_path / "svc.yaml"
    manifest.write_text("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n")
    result = conftest_test(policy, [manifest])
    assert not result.ok
    assert result.files[0].failures == ["Service web: NodePort is not allowed"]
    assert conftest_verify(policy).ok


def test_engines_get_a_minimal_environment(tmp_path: Path) -> None:
    env = minimal_env(tmp_path)
    assert set(env) == {"PATH", "HOME", "LANG", "TMPDIR", "NO_COLOR"}


def test_missing_binary_names_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_tool_cache
) -> None:
    monkeypatch.setenv("KPC_TOOLS_BIN", str(tmp_path))
    with pytest.raises(EngineMissing) as caught:
        tool_path("opa")
    assert "make setup" in str(caught.value)


def test_wrong_version_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_tool_cache) -> None:
    # regal embeds an older OPA: as "opa" its build info reports that version, not the pinned one
    shutil.copy(engine_info("regal").path, tmp_path / "opa")  # type: ignore[arg-type]
    monkeypatch.setenv("KPC_TOOLS_BIN", str(tmp_path))
    info = engine_info("opa")
    assert info.version != info.pinned and not info.ok
    with pytest.raises(EngineMissing) as caught:
        tool_path("opa")
    assert f"expected {info.pinned}" in str(caught.value)


def test_non_utf8_rego_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    junk = tmp_path / "junk.rego"
    junk.write_bytes(b"\xff\xfe\x00package x\n")
    result = opa_check([junk])
    assert not result.ok and result.findings


def test_unreadable_path_is_a_finding(tmp_path: Path) -> None:
    result = opa_check([tmp_path / "missing.rego"])
    assert not result.ok
    assert "no such file" in result.findings[0].message


def _kpc(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    code = "from copilot.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO, env=env
    )


def test_cli_bad_inputs_are_one_line_errors(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    shutil.copytree(EXEMPLAR, bundle)
    (bundle / "src.rego").write_bytes(b"\xff\xfe\x00package x\n")
    result = _kpc("verify", str(bundle))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "not UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_missing_engine_is_one_line(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "KPC_TOOLS_BIN": str(tmp_path)}
    result = _kpc("verify", str(EXEMPLAR), env=env)
    assert result.returncode == 1
    assert "kpc: error: opa is not installed" in result.stderr and "make setup" in result.stderr
    assert "Traceback" not in result.stderr
