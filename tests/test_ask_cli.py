"""`kpc ask` end to end with the mock provider (script files) and the real engines."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from agent_support import EXEMPLAR, REQUEST, good_draft, inverted_draft, pod

from copilot.cli import main


@pytest.fixture(autouse=True)
def _fast_retrieval(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keyword retrieval (no embedding model to load) and a scratch working directory."""
    monkeypatch.setenv("KPC_RETRIEVAL", "keyword")
    monkeypatch.chdir(tmp_path)


def kpc(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


def script(path: Path, *replies: Any, repeat_last: bool = False) -> str:
    path.write_text(yaml.safe_dump({"responses": list(replies), "repeat_last": repeat_last}))
    return str(path)


def submit_bundle(**patch: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {"$bundle": str(EXEMPLAR)}
    if patch:
        arguments["patch"] = patch
    return {"tool": "submit_policy", "arguments": arguments}


def test_verified_policy_is_written_and_shown(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    mock = script(tmp_path / "s.yaml", submit_bundle())
    code, out, err = kpc(capsys, "ask", REQUEST, "--mock-script", mock, "--out", "out/priv")

    assert code == 0
    bundle = tmp_path / "out" / "priv"
    for name in (
        "template.yaml",
        "constraint.yaml",
        "src.rego",
        "src_test.rego",
        "suite.yaml",
        "report.json",
    ):
        assert (bundle / name).is_file(), name
    assert (bundle / "conftest" / "policy" / "main.rego").is_file()
    assert list((bundle / "samples" / "privileged-containers").glob("example_disallowed_*.yaml"))
    assert json.loads((bundle / "report.json").read_text())["ok"] is True
    constraint = yaml.safe_load((bundle / "constraint.yaml").read_text())
    assert constraint["spec"]["match"]["excludedNamespaces"] == ["kube-system"]
    assert "package k8sprivilegedcontainers" in out and "verified: " in out and "Wrote out/priv/" in out
    assert "… verify round 1: 6/6 fixtures pass" in err
    assert "Traceback" not in out + err


def test_json_output_is_exactly_one_object(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    mock = script(tmp_path / "s.yaml", submit_bundle())
    code, out, _ = kpc(
        capsys, "ask", REQUEST, "--mock-script", mock, "--format", "json", "--target", "gatekeeper"
    )

    assert code == 0
    data = json.loads(out)
    assert data["status"] == "verified" and data["policy_id"] == "privileged-containers"
    assert data["out_dir"] == str(Path("out") / "privileged-containers")
    assert data["report"]["ok"] is True and data["rounds"] == 1 and data["provider"] == "mock"
    assert data["target"] == "gatekeeper"
    assert not (tmp_path / data["out_dir"] / "conftest").exists()
    assert "template.yaml" in data["files"]


def test_default_out_never_overwrites_an_earlier_answer(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    mock = script(tmp_path / "s.yaml", submit_bundle())
    first = json.loads(kpc(capsys, "ask", REQUEST, "--mock-script", mock, "--format", "json")[1])
    second = json.loads(kpc(capsys, "ask", REQUEST, "--mock-script", mock, "--format", "json")[1])

    assert first["out_dir"] == str(Path("out") / "privileged-containers")
    assert second["out_dir"] == str(Path("out") / "privileged-containers-2")
    assert (tmp_path / first["out_dir"] / "report.json").is_file()


def test_not_verified_exits_2_and_writes_only_the_unverified_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    mock = script(
        tmp_path / "s.yaml", {"tool": "submit_policy", "arguments": inverted_draft()}, repeat_last=True
    )
    code, out, _ = kpc(
        capsys,
        "ask",
        REQUEST,
        "--mock-script",
        mock,
        "--out",
        "out/p",
        "--max-rounds",
        "1",
        "--format",
        "json",
    )

    assert code == 2
    data = json.loads(out)
    assert data["status"] == "not_verified" and data["policy_id"] is None and data["out_dir"] is None
    assert data["rounds"] == 2 and data["report"]["ok"] is False
    assert not (tmp_path / "out" / "p").exists()
    unverified = tmp_path / "out" / "p.unverified"
    assert data["unverified_dir"] == str(Path("out") / "p.unverified")
    assert "NOT VERIFIED" in (unverified / "UNVERIFIED.md").read_text()
    assert json.loads((unverified / "report.json").read_text())["ok"] is False


def test_not_verified_text_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    mock = script(
        tmp_path / "s.yaml", {"tool": "submit_policy", "arguments": inverted_draft()}, repeat_last=True
    )
    code, out, _ = kpc(capsys, "ask", REQUEST, "--mock-script", mock, "--max-rounds", "0")

    assert code == 2
    assert out.startswith("NOT verified")
    assert "Best attempt (NOT verified, do not apply) saved to out/privileged-containers.unverified/" in out
    assert "package k8s" not in out.split("What failed")[0]


def test_decline_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    mock = script(
        tmp_path / "s.yaml", {"tool": "decline", "arguments": {"reason": "not a Kubernetes policy"}}
    )
    code, out, _ = kpc(capsys, "ask", "book me a flight", "--mock-script", mock, "--format", "json")

    assert code == 2
    data = json.loads(out)
    assert data["status"] == "declined" and data["reason"] == "not a Kubernetes policy"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["ask", REQUEST, "--target", "bogus"],
        ["ask", REQUEST, "--max-rounds", "-1"],
        ["ask"],
        ["ask", REQUEST, "--provider", "nope"],
        ["ask", REQUEST, "--mock-script", "missing.yaml"],
    ],
)
def test_usage_errors_exit_1_with_one_line(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, err = kpc(capsys, *args)
    assert code == 1
    assert err.startswith("kpc: error: ") and err.count("\n") == 1
    assert out == ""


def test_existing_out_fails_before_the_model_is_called(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine")
    mock = script(tmp_path / "s.yaml", {"error": "the model was called"})
    code, _, err = kpc(capsys, "ask", REQUEST, "--mock-script", mock, "--out", "taken")

    assert code == 1
    assert "taken exists and is not empty" in err and "--overwrite" in err
    assert (tmp_path / "taken" / "keep.txt").read_text() == "mine"


def test_unwritable_out_fails_before_the_model_is_called(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # /proc refuses new entries even to root, where a chmod-ed folder would not
    mock = script(tmp_path / "s.yaml", {"error": "the model was called"})
    code, out, err = kpc(capsys, "ask", REQUEST, "--mock-script", mock, "--out", "/proc/kpc-out")

    assert code == 1 and out == ""
    assert err.startswith("kpc: error: cannot write /proc/kpc-out") and err.count("\n") == 1
    assert "choose a writable --out" in err


def test_unwritable_default_out_is_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mock = script(tmp_path / "s.yaml", submit_bundle())
    monkeypatch.chdir("/proc")  # the default ./out/<policy-id> cannot be created here
    code, out, err = kpc(capsys, "ask", REQUEST, "--mock-script", mock, "--format", "json")

    assert code == 1
    assert json.loads(out) == {"status": "error", "error": json.loads(out)["error"]}
    assert "cannot write out/" in json.loads(out)["error"]
    assert err.startswith("kpc: error: cannot write out/") and err.count("\n") == 1


def test_overwrite_replaces_the_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "old.txt").write_text("old")
    mock = script(tmp_path / "s.yaml", submit_bundle())
    code, _, _ = kpc(capsys, "ask", REQUEST, "--mock-script", mock, "--out", "taken", "--overwrite")

    assert code == 0
    assert not (tmp_path / "taken" / "old.txt").exists() and (tmp_path / "taken" / "src.rego").is_file()


def _refused_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


def test_unreachable_provider_is_one_line_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", _refused_url())
    code, out, err = kpc(capsys, "ask", REQUEST, "--provider", "openai")

    assert code == 1
    errors = [line for line in err.splitlines() if line.startswith("kpc: error")]
    assert len(errors) == 1 and err.splitlines()[-1] == errors[0]
    assert errors[0].startswith("kpc: error: cannot connect to http://127.0.0.1:")
    assert "Traceback" not in err and out == ""
    assert not (tmp_path / "out").exists()

    code, out, _ = kpc(capsys, "ask", REQUEST, "--provider", "openai", "--format", "json")
    assert code == 1
    assert json.loads(out)["status"] == "error"


def test_thread_continues_across_invocations(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    first = script(tmp_path / "one.yaml", submit_bundle())
    assert kpc(capsys, "ask", REQUEST, "--mock-script", first, "--thread", "team-1")[0] == 0

    refined = good_draft()
    refined["match"]["excludedNamespaces"] = ["kube-system", "monitoring"]
    refined["fixtures"].append(
        {
            "name": "monitoring",
            "expected": "allow",
            "manifest": pod("exporter", privileged=True, namespace="monitoring"),
        }
    )
    second = script(tmp_path / "two.yaml", {"tool": "submit_policy", "arguments": refined})
    code, out, _ = kpc(
        capsys,
        "ask",
        "also exempt the monitoring namespace",
        "--mock-script",
        second,
        "--thread",
        "team-1",
        "--format",
        "json",
        "--out",
        "out/refined",
    )

    assert code == 0
    data = json.loads(out)
    assert data["intent"] == "refine" and data["thread_id"] == "team-1"
    constraint = yaml.safe_load((tmp_path / "out" / "refined" / "constraint.yaml").read_text())
    assert constraint["spec"]["match"]["excludedNamespaces"] == ["kube-system", "monitoring"]


def test_real_entry_point_in_a_subprocess(tmp_path: Path) -> None:
    mock = script(tmp_path / "s.yaml", submit_bundle())
    kpc_bin = Path(sys.executable).parent / "kpc"
    done = subprocess.run(
        [str(kpc_bin), "ask", REQUEST, "--provider", "mock", "--mock-script", mock, "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["status"] == "verified" and data["out_dir"] == str(Path("out") / "privileged-containers")
    assert (tmp_path / "out" / "privileged-containers" / "template.yaml").is_file()
