"""`kpc verify` on a folder with just src.rego and manifests that must be denied or admitted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from scan_support import run_kpc

from tools.engine import opa_check
from tools.errors import InputError
from tools.verify import verify_bundle
from tools.verify.fixtures import ManifestFixture, unit_test_module

Capsys = pytest.CaptureFixture[str]
MP = pytest.MonkeyPatch

# A policy a user might write by hand: no meta.yaml, no template, no samples, no tests.
POLICY = """package k8srequiredteam

violation contains {"msg": msg} if {
	team := object.get(input.review.object.metadata, ["labels", "team"], "")
	not team in input.parameters.teams
	msg := sprintf("%s %s: label team=%q is not one of %v", [
		input.review.object.kind,
		input.review.object.metadata.name,
		team,
		input.parameters.teams,
	])
}
"""

CONSTRAINT = {
    "apiVersion": "constraints.gatekeeper.sh/v1beta1",
    "kind": "K8sRequiredTeam",
    "metadata": {"name": "required-team"},
    "spec": {
        "match": {"kinds": [{"apiGroups": ["apps"], "kinds": ["Deployment"]}]},
        "parameters": {"teams": ["payments", "search"]},
    },
}


def _deployment(name: str, team: str | None, annotations: dict[str, str] | None = None) -> dict:
    labels = {"app": name} | ({"team": team} if team else {})
    metadata: dict = {"name": name, "namespace": "shop", "labels": labels}
    if annotations:
        metadata["annotations"] = annotations
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata,
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "app", "image": "registry.example.com/shop/app:1.0"}]},
            },
        },
    }


def _folder(tmp_path: Path, *, conventional: bool = True) -> Path:
    folder = tmp_path / "required-team"
    folder.mkdir()
    (folder / "src.rego").write_text(POLICY)
    (folder / "constraint.yaml").write_text(yaml.safe_dump(CONSTRAINT))
    if conventional:
        (folder / "fixtures" / "deny").mkdir(parents=True)
        (folder / "fixtures" / "allow").mkdir(parents=True)
        two = [_deployment("orphan", None), _deployment("rogue", "marketing")]
        (folder / "fixtures" / "deny" / "bad.yaml").write_text(yaml.safe_dump_all(two))
        (folder / "fixtures" / "allow" / "good.yaml").write_text(
            yaml.safe_dump(_deployment("cart", "payments"))
        )
    return folder


def _second_document_line(path: Path) -> int:
    return path.read_text().splitlines().index("---") + 2


def test_conventional_fixture_folders_are_verified(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    second = _second_document_line(folder / "fixtures" / "deny" / "bad.yaml")
    report = verify_bundle(folder)
    assert report.ok, report.summary()
    assert sorted((f.file, f.expected, f.actual) for f in report.fixtures) == [
        (str(folder / "fixtures" / "allow" / "good.yaml") + ":1", "allow", "allow"),
        (str(folder / "fixtures" / "deny" / "bad.yaml") + ":1", "deny", "deny"),
        (str(folder / "fixtures" / "deny" / "bad.yaml") + f":{second}", "deny", "deny"),
    ]
    checks = {c.name: c for c in report.checks}
    assert checks["opa-test"].summary == "3/3 tests passed"  # generated: one test per fixture
    assert report.coverage == 100
    assert sorted(p.name for p in folder.iterdir()) == [
        "constraint.yaml",
        "fixtures",
        "src.rego",
    ]  # nothing written


def test_deny_and_allow_options(tmp_path: Path, capsys: Capsys, monkeypatch: MP) -> None:
    folder = _folder(tmp_path, conventional=False)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(_deployment("rogue", "marketing")))
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(_deployment("search-api", "search")))
    argv = ["verify", str(folder), "--deny", str(bad), "--allow", str(good), "--format", "json"]
    code, out, _ = run_kpc(argv, capsys, monkeypatch)
    payload = json.loads(out)
    assert code == 0 and payload["ok"]
    assert {f["file"]: f["actual"] for f in payload["fixtures"]} == {f"{bad}:1": "deny", f"{good}:1": "allow"}


def test_a_wrong_expectation_fails_both_engines(tmp_path: Path, capsys: Capsys, monkeypatch: MP) -> None:
    folder = _folder(tmp_path)
    # marketing is not an allowed team, so claiming the policy admits it must fail
    (folder / "fixtures" / "allow" / "wrong.yaml").write_text(yaml.safe_dump(_deployment("ads", "marketing")))
    code, out, _ = run_kpc(["verify", str(folder), "--format", "json"], capsys, monkeypatch)
    payload = json.loads(out)
    assert code == 2 and not payload["ok"]
    wrong = [f for f in payload["fixtures"] if f["expected"] != f["actual"]]
    assert [f["file"] for f in wrong] == [str(folder / "fixtures" / "allow" / "wrong.yaml") + ":1"]
    checks = {c["name"]: c for c in payload["checks"]}
    assert checks["opa-test"]["summary"] == "3/4 tests passed"
    assert not checks["gator-verify"]["ok"]


def test_constraint_parameters_decide(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    constraint = json.loads(json.dumps(CONSTRAINT))
    constraint["spec"]["parameters"]["teams"] = ["marketing"]  # now "rogue" is admitted, "cart" denied
    (folder / "constraint.yaml").write_text(yaml.safe_dump(constraint))
    second = _second_document_line(folder / "fixtures" / "deny" / "bad.yaml")
    report = verify_bundle(folder)
    assert not report.ok
    wrong = sorted(f.file.rsplit("/", 1)[-1] for f in report.fixtures if not f.ok)
    assert wrong == [f"bad.yaml:{second}", "good.yaml:1"]


def test_without_a_constraint_one_matches_the_fixture_kinds(tmp_path: Path) -> None:
    folder = tmp_path / "no-latest"
    folder.mkdir()
    (folder / "src.rego").write_text(
        "package k8snolatest\n\n"
        'violation contains {"msg": "latest tag"} if {\n'
        "\tsome container in input.review.object.spec.containers\n"
        '\tendswith(container.image, ":latest")\n'
        "}\n"
    )
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(pod | {"spec": {"containers": [{"name": "a", "image": "nginx:latest"}]}}))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(pod | {"spec": {"containers": [{"name": "a", "image": "nginx:1.27"}]}}))
    report = verify_bundle(folder, deny=[bad], allow=[good])
    assert report.ok, report.summary()


def test_generated_tests_embed_awkward_values_safely(tmp_path: Path) -> None:
    awkward = {
        "quote": 'say "hi"',
        "backslash": "C:\\temp\\",
        "unicode": "naïve ✓ 日本",
        "rego": '} else := true if { input.x == "',
        "newline": "a\nb",
    }
    fixture = ManifestFixture(_deployment("odd", "payments", awkward), "allow", "odd.yaml:1")
    module = unit_test_module("k8srequiredteam", CONSTRAINT, [fixture])
    (tmp_path / "src.rego").write_text(POLICY)
    (tmp_path / "src_test.rego").write_text(module)
    assert opa_check(["src.rego", "src_test.rego"], cwd=tmp_path).ok
    base = tmp_path / "bundle"
    base.mkdir()
    folder = _folder(base)
    (folder / "fixtures" / "allow" / "odd.yaml").write_text(yaml.safe_dump(fixture.obj, allow_unicode=True))
    report = verify_bundle(folder)
    assert report.ok, report.summary()


def test_unreadable_fixture_is_one_line_input_error(tmp_path: Path, capsys: Capsys, monkeypatch: MP) -> None:
    folder = _folder(tmp_path)
    (folder / "fixtures" / "deny" / "broken.yaml").write_text("kind: Deployment\nmetadata: [unclosed\n")
    with pytest.raises(InputError):
        verify_bundle(folder)
    code, out, err = run_kpc(["verify", str(folder)], capsys, monkeypatch)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) <= 2 and "broken.yaml" in err and "Traceback" not in err


def test_fixture_folder_without_objects_is_an_error(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "fixtures" / "deny" / "bad.yaml").write_text("# nothing here\n")
    with pytest.raises(InputError, match="no Kubernetes objects in the deny fixtures"):
        verify_bundle(folder)


def test_no_fixtures_at_all_says_how_to_add_them(tmp_path: Path) -> None:
    folder = _folder(tmp_path, conventional=False)
    report = verify_bundle(folder)
    gator = next(c for c in report.checks if c.name == "gator-verify")
    assert not report.ok and "fixtures/deny and fixtures/allow" in gator.summary
