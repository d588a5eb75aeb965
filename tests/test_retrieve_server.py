"""The index on a real Chroma server (`chroma run` on a loopback port), reached through HttpClient."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from copilot.cli import main
from tools.corpus.load import load_corpus
from tools.errors import RetrievalError
from tools.retrieve import build_index, index_status, retrieve

CHROMA = Path(sys.executable).with_name("chroma")
EXEMPLARS = [ex for ex in load_corpus() if ex.meta.get("phrasings")][:3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma run exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"chroma server at {url} did not come up within {timeout}s")


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh Chroma server on a free loopback port, stopped after the module."""
    if not CHROMA.exists() and shutil.which("chroma") is None:
        pytest.skip("the chroma CLI is not installed")
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path / "server.log").open("wb")
    proc = subprocess.Popen(
        [
            str(CHROMA if CHROMA.exists() else "chroma"),
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--path",
            str(path / "data"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


pytestmark = pytest.mark.skipif(len(EXEMPLARS) < 2, reason="the corpus has fewer than 2 exemplars")


def test_build_and_query_through_the_server(chroma_url: str) -> None:
    report = build_index(EXEMPLARS, chroma_url=chroma_url)
    assert report.location.backend == "server" and report.location.url == chroma_url
    assert sorted(report.added) == sorted(ex.id for ex in EXEMPLARS)
    again = build_index(EXEMPLARS, chroma_url=chroma_url)
    assert again.embedded == 0 and sorted(again.unchanged) == sorted(ex.id for ex in EXEMPLARS)

    for ex in EXEMPLARS:
        hits = retrieve(ex.meta["phrasings"][0], chroma_url=chroma_url, k=2)
        assert hits[0].id == ex.id

    status = index_status(chroma_url=chroma_url)
    assert status.backend == "server" and status.reachable and status.exists
    assert status.exemplars == len(EXEMPLARS)
    assert status.documents == report.documents


def test_env_var_selects_the_server_for_the_cli(
    chroma_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    build_index(EXEMPLARS, chroma_url=chroma_url)
    monkeypatch.setenv("KPC_CHROMA_URL", chroma_url)
    code = 0
    try:
        main(["index", "query", EXEMPLARS[1].meta["phrasings"][0], "-k", "1", "--format", "json"])
    except SystemExit as exc:
        code = int(exc.code or 0)
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["location"]["url"] == chroma_url
    assert [h["id"] for h in payload["hits"]] == [EXEMPLARS[1].id]


def test_unreachable_server_is_one_clear_error() -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    status = index_status(chroma_url=url)
    assert not status.reachable and status.error and "not reachable" in status.error
    with pytest.raises(RetrievalError, match="not reachable"):
        retrieve("deny privileged containers", chroma_url=url)
