"""BM25, feature and kind matching, score combination and index locations: no model, no Chroma."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.errors import InputError
from tools.retrieve import weights
from tools.retrieve.bm25 import BM25, stem, tokenize
from tools.retrieve.location import normalise_url, resolve_location
from tools.retrieve.scoring import combine, feature_match, kind_match, severity_score


def test_tokenize_splits_camel_case_and_dotted_fields() -> None:
    tokens = tokenize("securityContext.runAsNonRoot must be set")
    assert "securitycontext" in tokens and "security" in tokens and "context" in tokens
    assert stem("runasnonroot") in tokens and "root" in tokens
    assert "must" not in tokens  # a function word


def test_stem_joins_word_forms() -> None:
    assert stem("privileged") == stem("privilege")
    assert stem("containers") == stem("container")
    assert stem("policies") == stem("policy")


def test_bm25_prefers_the_document_with_the_rare_term() -> None:
    bm = BM25(
        {
            "a": "deny privileged containers in pods",
            "b": "deny containers without memory limits",
            "c": "require labels on every namespace",
        }
    )
    scores = bm.normalised("no privileged pods")
    assert max(scores, key=scores.__getitem__) == "a"
    assert scores["a"] == 1.0
    assert scores["c"] == 0.0
    assert bm.scores("") == {"a": 0.0, "b": 0.0, "c": 0.0}


def test_feature_match_exact_beats_key_only_and_absence() -> None:
    exact, matched = feature_match(["securityContext.privileged=true"], ["securityContext.privileged=true"])
    key_only, key_matched = feature_match(["image.tag=v1"], ["image.tag=latest"])
    absent, _ = feature_match(["probes.liveness=missing"], ["probes.liveness=missing"])
    none, nothing = feature_match(["hostNetwork=true"], ["securityContext.privileged=true"])
    assert exact == pytest.approx(weights.FEATURE_EXACT)
    assert matched == ["securityContext.privileged=true"]
    assert key_only == pytest.approx(weights.FEATURE_KEY_ONLY)
    assert key_matched == ["image.tag=*"]
    assert absent == pytest.approx(weights.FEATURE_ABSENT)
    assert exact > absent > key_only > none == 0.0
    assert nothing == []


def test_feature_match_counts_each_key_once_and_rewards_more_keys() -> None:
    same_key, _ = feature_match(["image.tag=latest"], ["image.tag=latest", "image.tag=missing"])
    two_keys, matched = feature_match(
        ["hostNetwork=true", "hostPID=true"], ["hostNetwork=true", "hostPID=true", "hostIPC=true"]
    )
    assert same_key == pytest.approx(weights.FEATURE_EXACT)
    assert two_keys > weights.FEATURE_EXACT
    assert sorted(matched) == ["hostNetwork=true", "hostPID=true"]
    wildcard, _ = feature_match(["labels=team"], ["labels=*"])
    assert wildcard == pytest.approx(weights.FEATURE_EXACT)


def test_kind_match() -> None:
    assert kind_match(["Deployment"], ["Pod", "Deployment"]) == 1.0
    assert kind_match(["deployment"], ["Pod", "Deployment"]) == 1.0
    assert kind_match(["Service"], ["Pod"]) == 0.0
    assert kind_match(["Service"], []) == weights.KIND_UNKNOWN
    assert kind_match(["K8sRequiredLabels"], ["Namespace"], "K8sRequiredLabels") == 1.0
    assert kind_match([], ["Pod"]) == 0.0


def test_combine_uses_only_the_components_in_play() -> None:
    parts = {"vector": 0.8, "bm25": 0.5, "feature": 1.0, "kind": 1.0}
    text_only = combine(parts, ["vector", "bm25"])
    assert text_only == pytest.approx(
        (weights.VECTOR * 0.8 + weights.BM25 * 0.5) / (weights.VECTOR + weights.BM25)
    )
    assert combine(parts, ["feature"]) == pytest.approx(1.0)
    assert combine(parts, []) == 0.0
    assert severity_score("critical") > severity_score("high") > severity_score("low")
    assert severity_score("") == severity_score("medium")


def test_location_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    default = resolve_location()
    assert default.backend == "local" and default.path and default.path.endswith("index")
    monkeypatch.setenv("KPC_INDEX_DIR", str(tmp_path / "env-index"))
    assert resolve_location().path == str((tmp_path / "env-index").resolve())
    monkeypatch.setenv("KPC_CHROMA_URL", "127.0.0.1:9000")
    server = resolve_location()
    assert server.backend == "server" and server.url == "http://127.0.0.1:9000"
    explicit = resolve_location(index_dir=tmp_path / "mine")
    assert explicit.backend == "local" and explicit.path == str((tmp_path / "mine").resolve())
    with pytest.raises(InputError):
        resolve_location(index_dir=tmp_path, chroma_url="http://127.0.0.1:8000")


@pytest.mark.parametrize("url", ["ftp://host:1", "http://", "http://host:notaport"])
def test_bad_server_urls_are_input_errors(url: str) -> None:
    with pytest.raises(InputError):
        normalise_url(url)


def test_url_defaults() -> None:
    assert normalise_url("http://localhost") == "http://localhost:8000"
    assert normalise_url("https://chroma.example.com") == "https://chroma.example.com:443"
