"""`kpc extract`: text and JSON views of the features, notes on stderr, exit 1 for bad input."""

from __future__ import annotations

import json

import pytest
from scan_support import BAD, DEMO, run_kpc

Capsys = pytest.CaptureFixture[str]
MP = pytest.MonkeyPatch


def test_text_lists_objects_containers_and_features(capsys: Capsys, monkeypatch: MP) -> None:
    code, out, err = run_kpc(["extract", str(DEMO / "shop" / "storefront.yaml")], capsys, monkeypatch)
    assert code == 0 and err == ""
    assert f"{DEMO}/shop/storefront.yaml:2  Deployment shop/storefront" in out
    assert "    web: nginx:latest (containers[0])" in out
    assert "    metrics: ghcr.io/acme/nginx-exporter:0.11 (containers[1], add NET_ADMIN)" in out
    assert "    image.tag=latest" in out and "    ports.hostPort=8080" in out
    assert out.rstrip().endswith("3 objects")


def test_json_is_one_document_with_typed_details(capsys: Capsys, monkeypatch: MP) -> None:
    code, out, err = run_kpc(["extract", str(DEMO), "--format", "json"], capsys, monkeypatch)
    doc = json.loads(out)
    assert code == 0
    pods = {o["name"]: o for o in doc["objects"] if o["pod"]}
    cron = pods["nightly-report"]
    assert cron["pod"]["path"] == "spec.jobTemplate.spec.template.spec"
    init = next(c for c in cron["pod"]["containers"] if c["field"] == "initContainers")
    assert (init["image"]["registry"], init["image"]["repository"], init["image"]["implicit_tag"]) == (
        "docker.io",
        "library/busybox",
        True,
    )
    assert [n["id"] for n in doc["notes"]] == ["extract/not-kubernetes"]
    assert "not-kubernetes" not in out.split("\n}")[-1]  # nothing after the JSON document
    assert "settings.yaml" in err  # notes go to stderr


def test_stdin_and_bad_input(capsys: Capsys, monkeypatch: MP) -> None:
    code, out, _ = run_kpc(
        ["extract", "-"], capsys, monkeypatch, stdin="apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n"
    )
    assert code == 0 and "<stdin>:1  Namespace x" in out
    code, _, err = run_kpc(["extract", str(BAD / "huge-nesting.yaml")], capsys, monkeypatch)
    assert code == 1
    assert err.strip().splitlines()[-1].startswith("kpc: error: 1 input could not be read")
