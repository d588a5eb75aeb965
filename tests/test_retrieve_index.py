"""Building, updating and querying a real Chroma index with real embeddings."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from tools.corpus.load import Exemplar, load_corpus
from tools.errors import InputError
from tools.retrieve import build_index, index_status, retrieve, retrieve_for_manifest, search
from tools.retrieve.location import resolve_location

REPO = Path(__file__).resolve().parents[1]
CORPUS = load_corpus()


def _diverse(count: int) -> list[Exemplar]:
    """Up to `count` exemplars, spread over the categories, that have phrasings and features."""
    picked: list[Exemplar] = []
    by_category: dict[str, list[Exemplar]] = {}
    for ex in CORPUS:
        if ex.meta.get("phrasings") and ex.meta.get("features"):
            by_category.setdefault(ex.category, []).append(ex)
    while len(picked) < count and any(by_category.values()):
        for group in by_category.values():
            if group and len(picked) < count:
                picked.append(group.pop(0))
    return picked


def _privileged() -> Exemplar | None:
    return next(
        (ex for ex in CORPUS if "securityContext.privileged=true" in ex.meta.get("features", [])), None
    )


SMALL = _diverse(4)
if _privileged() is not None and _privileged() not in SMALL:
    SMALL.append(_privileged())  # type: ignore[arg-type]
pytestmark = pytest.mark.skipif(len(SMALL) < 3, reason="the corpus has fewer than 3 usable exemplars")


def _copy_corpus(root: Path, exemplars: list[Exemplar]) -> Path:
    for ex in exemplars:
        target = root / ex.category / ex.id
        target.mkdir(parents=True)
        shutil.copy(ex.path / "meta.yaml", target / "meta.yaml")
        shutil.copy(ex.path / "src.rego", target / "src.rego")
    return root


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A local index of the small corpus, built once for the module's read-only tests."""
    path = tmp_path_factory.mktemp("index")
    build_index(SMALL, index_dir=path)
    return path


def test_build_reports_progress_and_is_incremental(tmp_path: Path) -> None:
    events: list[tuple[str, int, int]] = []
    first = build_index(SMALL, index_dir=tmp_path, progress=lambda *e: events.append(e))
    assert sorted(first.added) == sorted(ex.id for ex in SMALL)
    assert first.updated == first.removed == first.unchanged == []
    assert first.embedded == first.documents > len(SMALL)
    embedding = [e for e in events if e[0] == "embedding"]
    assert embedding[0][1] == 0 and embedding[-1][1] == embedding[-1][2] > 0
    assert events[-1][0] == "done"

    again = build_index(SMALL, index_dir=tmp_path)
    assert sorted(again.unchanged) == sorted(ex.id for ex in SMALL)
    assert again.embedded == 0 and again.documents == first.documents

    changed = SMALL[0]
    meta = {**changed.meta, "phrasings": [*changed.meta["phrasings"][:1], "a brand new phrasing"]}
    edited = [Exemplar(path=changed.path, meta=meta, source=changed.source), *SMALL[1:-1]]
    third = build_index(edited, index_dir=tmp_path)
    assert third.updated == [changed.id]
    assert third.removed == [SMALL[-1].id]
    assert sorted(third.unchanged) == sorted(ex.id for ex in SMALL[1:-1])
    assert 0 < third.embedded < first.embedded
    status = index_status(index_dir=tmp_path)
    assert status.exemplars == len(edited)
    assert status.documents == third.documents

    rebuilt = build_index(edited, index_dir=tmp_path, rebuild=True)
    assert rebuilt.rebuilt and sorted(rebuilt.added) == sorted(ex.id for ex in edited)


def test_each_exemplar_finds_itself_by_its_own_phrasing(small_index: Path) -> None:
    for ex in SMALL:
        phrasing = ex.meta["phrasings"][0]
        hits = retrieve(phrasing, index_dir=small_index, k=3)
        assert hits[0].id == ex.id, (phrasing, [h.id for h in hits])
        top = hits[0]
        assert top.title == ex.meta["title"] and top.kind == ex.kind and top.category == ex.category
        assert 0 < top.score <= 1 and top.vector > 0 and top.bm25 > 0
        assert top.matched_text
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_manifest_features_find_the_exemplar_that_lists_them(small_index: Path) -> None:
    for ex in SMALL:
        hits = retrieve(manifest_features=list(ex.meta["features"]), index_dir=small_index, k=3)
        assert ex.id in [h.id for h in hits]
        hit = next(h for h in hits if h.id == ex.id)
        assert hit.feature > 0 and hit.matched_features and hit.vector == 0.0


def test_kinds_and_category_narrow_the_results(small_index: Path) -> None:
    ex = SMALL[0]
    kinds = [str(k) for k in ex.meta.get("kinds") or []][:1]
    if kinds:
        hits = retrieve(ex.meta["title"], kinds=kinds, index_dir=small_index, k=len(SMALL))
        assert next(h for h in hits if h.id == ex.id).kind_match == 1.0
    only = retrieve(ex.meta["title"], category=ex.category, index_dir=small_index, k=len(SMALL))
    assert only and {h.category for h in only} == {ex.category}


def test_missing_index_is_built_on_first_use_with_a_note(tmp_path: Path) -> None:
    root = _copy_corpus(tmp_path / "policies", SMALL[:3])
    location = resolve_location(index_dir=tmp_path / "index")
    result = search(SMALL[1].meta["phrasings"][0], location=location, root=root, k=2)
    assert any("building it now" in note for note in result.notes)
    assert result.hits[0].id == SMALL[1].id
    quiet = search(SMALL[1].meta["phrasings"][0], location=location, root=root, k=2)
    assert quiet.notes == []


def test_stale_index_is_reported(tmp_path: Path) -> None:
    root = _copy_corpus(tmp_path / "policies", SMALL[:3])
    index_dir = tmp_path / "index"
    build_index(index_dir=index_dir, root=root)
    assert not index_status(index_dir=index_dir, root=root).stale
    meta_file = root / SMALL[0].category / SMALL[0].id / "meta.yaml"
    meta = yaml.safe_load(meta_file.read_text())
    meta["phrasings"].append("one more way to ask for it")
    meta_file.write_text(yaml.safe_dump(meta))
    status = index_status(index_dir=index_dir, root=root)
    assert status.stale and any(SMALL[0].id in r for r in status.stale_reasons)
    notes: list[str] = []
    result = search("anything at all", index_dir=index_dir, root=root)
    notes += result.notes
    assert any("stale" in n and "kpc index build" in n for n in notes)
    update = build_index(index_dir=index_dir, root=root)
    assert update.updated == [SMALL[0].id]
    assert not index_status(index_dir=index_dir, root=root).stale


def test_status_of_a_missing_index_creates_nothing(tmp_path: Path) -> None:
    status = index_status(index_dir=tmp_path / "nowhere")
    assert not status.exists and status.reachable and status.documents == 0
    assert status.corpus_exemplars == len(CORPUS)
    assert not (tmp_path / "nowhere").exists()
    assert "not built yet" in status.summary()


def test_status_and_import_never_load_the_model(small_index: Path) -> None:
    code = textwrap.dedent(
        f"""
        import sys
        import tools.retrieve
        assert "chromadb" not in sys.modules and "torch" not in sys.modules
        status = tools.retrieve.index_status(index_dir={str(small_index)!r})
        assert status.exists and status.exemplars == {len(SMALL)}, status
        assert "sentence_transformers" not in sys.modules and "torch" not in sys.modules
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_retrieve_for_manifest_reads_features_with_the_extractor(small_index: Path, tmp_path: Path) -> None:
    privileged = _privileged()
    if privileged is None:
        pytest.skip("no exemplar about privileged containers in the corpus")
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(
        textwrap.dedent(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: debug, namespace: tools}
            spec:
              containers:
                - name: shell
                  image: registry.example.com:5000/tools/shell:1.2
                  securityContext: {privileged: true}
            """
        )
    )
    hits = retrieve_for_manifest([manifest], index_dir=small_index, k=3)
    assert hits[0].id == privileged.id
    assert "securityContext.privileged=true" in hits[0].matched_features
    assert hits[0].kind_match == 1.0


def test_a_corpus_folder_without_exemplars_leaves_the_index_alone(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    build_index(index_dir=index_dir, root=_copy_corpus(tmp_path / "policies", SMALL[:2]))
    (tmp_path / "typo").mkdir()
    with pytest.raises(InputError, match="no exemplars in .*typo; the index was left as it was"):
        build_index(index_dir=index_dir, root=tmp_path / "typo")
    assert index_status(index_dir=index_dir, root=tmp_path / "policies").documents > 0
