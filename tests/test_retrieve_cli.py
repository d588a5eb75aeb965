"""`kpc index build|query|status` in-process: exit codes, JSON on stdout, notes and progress on stderr."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from copilot.cli import main
from tools.corpus.load import Exemplar, load_corpus

ALL = load_corpus()


def _small_corpus() -> list[Exemplar]:
    """A few exemplars, one of them about Service types when the corpus has one."""
    service = [ex for ex in ALL if any(f.startswith("service.type=") for f in ex.meta.get("features") or [])]
    rest = [ex for ex in ALL if ex not in service and ex.meta.get("phrasings")]
    return (service[:1] + rest)[:4]


CORPUS = _small_corpus()
pytestmark = pytest.mark.skipif(len(CORPUS) < 2, reason="fewer than 2 exemplars in the corpus")


def kpc(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = 0
    try:
        main(args)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def corpus_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the small corpus laid out like policies/<category>/<id>/."""
    root = tmp_path_factory.mktemp("policies")
    for ex in CORPUS:
        target = root / ex.category / ex.id
        target.mkdir(parents=True)
        shutil.copy(ex.path / "meta.yaml", target / "meta.yaml")
        shutil.copy(ex.path / "src.rego", target / "src.rego")
    return root


@pytest.fixture(scope="module")
def built_index(tmp_path_factory: pytest.TempPathFactory, corpus_root: Path) -> Path:
    """The small corpus indexed once through `kpc index build --policies DIR --format json`."""
    path = tmp_path_factory.mktemp("cli-index")
    code = 0
    try:
        main(["index", "build", "--index-dir", str(path), "--policies", str(corpus_root), "--format", "json"])
    except SystemExit as exc:
        code = int(exc.code or 0)
    assert code == 0
    return path


def test_build_json_then_text_is_incremental(
    built_index: Path, corpus_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["index", "build", "--index-dir", str(built_index), "--policies", str(corpus_root)]
    code, out, _ = kpc([*args, "--format", "json"], capsys)
    report = json.loads(out)
    assert code == 0 and report["added"] == [] and report["embedded"] == 0
    assert sorted(report["unchanged"]) == sorted(ex.id for ex in CORPUS)
    code, out, _ = kpc(args, capsys)
    assert code == 0 and f"{len(CORPUS)} unchanged" in out


def test_query_text_json(built_index: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ex = CORPUS[0]
    code, out, err = kpc(
        [
            "index",
            "query",
            ex.meta["phrasings"][0],
            "--index-dir",
            str(built_index),
            "-k",
            "3",
            "--format",
            "json",
        ],
        capsys,
    )
    payload = json.loads(out)
    assert code == 0 and err == ""
    assert len(payload["hits"]) == 3 and ex.id in [h["id"] for h in payload["hits"]]
    assert {"score", "vector", "bm25", "feature", "kind_match"} <= set(payload["hits"][0])


def test_query_by_manifest_text(
    built_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "svc.yaml"
    manifest.write_text(
        textwrap.dedent(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              type: LoadBalancer
              selector: {app: web}
              ports: [{port: 80}]
            """
        )
    )
    code, out, _ = kpc(
        ["index", "query", "--manifest", str(manifest), "--index-dir", str(built_index)], capsys
    )
    assert code == 0
    assert "manifest features:" in out and "service.type=loadbalancer" in out
    listing = [ex for ex in CORPUS if "service.type=loadbalancer" in (ex.meta.get("features") or [])]
    if listing:
        first_row = out.splitlines()[1]
        assert listing[0].id in first_row


def test_status_text_and_json(built_index: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kpc(["index", "status", "--index-dir", str(built_index)], capsys)
    assert code == 0 and "up to date" in out and f"{len(CORPUS)} exemplars" in out
    code, out, _ = kpc(["index", "status", "--index-dir", str(built_index), "--format", "json"], capsys)
    status = json.loads(out)
    assert status["exists"] and not status["stale"] and status["backend"] == "local"
    assert status["corpus_exemplars"] == len(CORPUS)


def test_stale_corpus_is_noted_on_query(
    tmp_path: Path, corpus_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "policies"
    shutil.copytree(corpus_root, root)
    index = tmp_path / "index"
    assert kpc(["index", "build", "--index-dir", str(index), "--policies", str(root)], capsys)[0] == 0
    shutil.rmtree(root / CORPUS[-1].category / CORPUS[-1].id)
    code, out, err = kpc(["index", "query", "anything", "--index-dir", str(index), "-k", "1"], capsys)
    assert code == 0 and "kpc: note: the exemplar index is stale" in err and CORPUS[-1].id in err
    code, out, _ = kpc(["index", "status", "--index-dir", str(index)], capsys)
    assert code == 0 and "stale" in out and "no longer in the corpus" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["index", "query"], "nothing to search for"),
        (["index", "query", "--manifest", "/no/such/file.yaml"], "no such file"),
        (["index", "query", "x", "--index-dir", "/tmp/a", "--chroma-url", "http://127.0.0.1:1"], "not both"),
        (["index", "status", "--chroma-url", "ftp://nowhere"], "not a Chroma server URL"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = kpc(args, capsys)
    assert code == 1 and out == ""
    assert err.startswith("kpc: error: ") and message in err and len(err.strip().splitlines()) == 1


def test_unreachable_server_status_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = kpc(["index", "status", "--chroma-url", "http://127.0.0.1:9", "--format", "json"], capsys)
    assert code == 1 and json.loads(out)["reachable"] is False
