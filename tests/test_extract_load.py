"""load_manifests: every input form, exact file:line per document, and safe rejection of bad input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from scan_support import BAD, DEMO, pod, write

from tools.errors import InputError
from tools.extract import Limits, LoadResult, load_manifests


def _ids(result: LoadResult) -> list[tuple[str, str, int]]:
    return [(o.kind, o.name, o.line) for o in result.objects]


def test_multi_document_file_gives_each_document_its_own_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "app.yaml",
        """
        # leading comment
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: first}
        ---
        ---
        # second document starts after this comment
        apiVersion: v1
        kind: Secret
        metadata: {name: second}
        """,
    )
    result = load_manifests([path])
    assert _ids(result) == [("ConfigMap", "first", 3), ("Secret", "second", 9)]
    # The comment before the first "---" opens no document; the empty one in between counts.
    assert [o.doc_index for o in result.objects] == [0, 2]
    assert result.notes == []


def test_list_items_are_expanded_with_their_own_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path / "list.yaml",
        """
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: a}
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: b}
        """,
    )
    result = load_manifests([path])
    assert _ids(result) == [("ConfigMap", "a", 4), ("ConfigMap", "b", 7)]
    assert [o.item_index for o in result.objects] == [0, 1]


def test_typed_lists_give_items_their_kind(tmp_path: Path) -> None:
    # `kubectl get pods -o yaml` style output from the API omits kind on items.
    path = write(
        tmp_path / "pods.yaml",
        """
        apiVersion: v1
        kind: PodList
        items:
          - metadata: {name: p1, namespace: x}
            spec: {containers: [{name: c, image: nginx:1.25}]}
        """,
    )
    (item,) = load_manifests([path]).objects
    assert (item.obj["apiVersion"], item.kind, item.name) == ("v1", "Pod", "p1")


def test_json_list_file_cites_each_item(tmp_path: Path) -> None:
    result = load_manifests([DEMO / "legacy" / "debug-pods.json"])
    assert _ids(result) == [("ConfigMap", "debug-scripts", 5), ("Pod", "debug-shell", 11)]


def test_tab_indented_json_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "tabs.json"
    path.write_text('{\n\t"apiVersion": "v1",\n\t"kind": "ConfigMap",\n\t"metadata": {"name": "tabbed"}\n}\n')
    assert _ids(load_manifests([path])) == [("ConfigMap", "tabbed", 1)]


def test_folders_are_recursive_sorted_and_skip_hidden_folders(tmp_path: Path) -> None:
    write(tmp_path / "b" / "two.yml", pod("two"))
    write(tmp_path / "a" / "one.yaml", pod("one"))
    write(tmp_path / ".git" / "hidden.yaml", pod("hidden"))
    write(tmp_path / "notes.txt", "not yaml")
    result = load_manifests([tmp_path])
    assert [o.name for o in result.objects] == ["one", "two"]
    assert result.files == 2


def test_globs_stdin_and_repeated_paths(tmp_path: Path) -> None:
    write(tmp_path / "x" / "one.yaml", pod("one"))
    write(tmp_path / "y" / "two.yaml", pod("two"))
    result = load_manifests(
        [str(tmp_path / "**" / "*.yaml"), str(tmp_path / "x" / "one.yaml"), "-"],
        stdin_text=pod("piped"),
    )
    assert [(o.name, Path(o.file).name) for o in result.objects] == [
        ("one", "one.yaml"),
        ("two", "two.yaml"),
        ("piped", "<stdin>"),
    ]


def test_missing_paths_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_manifests([tmp_path / "absent.yaml"])
    with pytest.raises(InputError, match="no file matches"):
        load_manifests([str(tmp_path / "*.nothing")])
    with pytest.raises(InputError, match="no manifests"):
        load_manifests([])


def test_empty_and_non_kubernetes_documents(tmp_path: Path) -> None:
    result = load_manifests([BAD / "empty.yaml", BAD / "not-kubernetes.yaml"])
    assert result.objects == []
    assert [(n.id, n.level, n.row) for n in result.notes] == [
        ("extract/not-kubernetes", "info", 2),
        ("extract/not-kubernetes", "info", 9),
    ]
    assert result.errors == []


def test_timestamps_and_odd_keys_stay_json_ready(tmp_path: Path) -> None:
    path = write(
        tmp_path / "cm.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: dates
          annotations: {released: 2024-05-01}
        data:
          2: two
          true: yes
        """,
    )
    (item,) = load_manifests([path]).objects
    assert item.obj["metadata"]["annotations"]["released"] == "2024-05-01"
    assert item.obj["data"] == {"2": "two", "true": True}


def test_billion_laughs_is_rejected_quickly() -> None:
    started = time.perf_counter()
    result = load_manifests([BAD / "billion-laughs.yaml"])
    assert time.perf_counter() - started < 1.0
    assert result.objects == []
    (note,) = result.notes
    assert (note.id, note.level) == ("extract/limit", "error")
    assert "expands to more than" in note.message


@pytest.mark.parametrize("name", ["huge-nesting.yaml", "huge-nesting.json"])
def test_deep_nesting_is_rejected(name: str) -> None:
    result = load_manifests([BAD / name])
    assert result.objects == []
    assert [(n.id, n.message) for n in result.notes] == [
        ("extract/limit", "rejected: nesting deeper than 64 levels")
    ]


def test_recursive_alias_is_rejected() -> None:
    (note,) = load_manifests([BAD / "recursive-alias.yaml"]).notes
    assert (note.id, note.row) == ("extract/limit", 7)


def test_alias_count_limit(tmp_path: Path) -> None:
    aliases = ", ".join(["*x"] * 20)
    path = write(
        tmp_path / "aliases.yaml",
        f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: a}}\nx: &x 1\ny: [{aliases}]\n",
    )
    assert load_manifests([path]).objects  # within the default limits
    (note,) = load_manifests([path], limits=Limits(max_aliases=10)).notes
    assert "more than 10 YAML aliases" in note.message


def test_helm_templates_are_skipped_with_a_render_hint() -> None:
    result = load_manifests([BAD / "helm-chart"])
    helm = [n for n in result.notes if n.id == "extract/helm-template"]
    assert sorted(Path(str(n.file)).name for n in helm) == ["deployment.yaml", "service.yaml"]
    assert all("helm template" in n.message and n.level == "warning" for n in helm)
    assert result.objects == []


def test_go_templates_inside_a_configmap_are_data(tmp_path: Path) -> None:
    path = write(
        tmp_path / "alerts.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: alert-templates}
        data:
          slack.tmpl: '{{ range .Alerts }}{{ .Labels.alertname }}{{ end }}'
        """,
    )
    assert _ids(load_manifests([path])) == [("ConfigMap", "alert-templates", 1)]


def test_invalid_yaml_is_reported_with_its_line_and_earlier_documents_kept(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.yaml", pod("good") + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: [\n")
    result = load_manifests([path])
    assert [o.name for o in result.objects] == ["good"]
    (note,) = result.errors
    # libyaml notices the problem at the end of the stream; the row stays on a real line.
    assert note.id == "extract/invalid-yaml" and note.row == 14 and note.file == str(path)


def test_bad_input_corpus_only_yields_notes() -> None:
    result = load_manifests([BAD])
    assert result.objects == []
    by_file = {Path(str(n.file)).name: n.id for n in result.errors}
    assert by_file == {
        "billion-laughs.yaml": "extract/limit",
        "huge-nesting.json": "extract/limit",
        "huge-nesting.yaml": "extract/limit",
        "invalid-object.yaml": "extract/invalid-object",
        "invalid-yaml.yaml": "extract/invalid-yaml",
        "latin1.yaml": "extract/unreadable",
        "recursive-alias.yaml": "extract/limit",
        "unclosed-flow.yaml": "extract/invalid-yaml",
    }


def test_size_document_and_object_limits(tmp_path: Path) -> None:
    path = write(tmp_path / "many.yaml", "---\n".join(pod(f"p{i}") for i in range(5)))
    (note,) = load_manifests([path], limits=Limits(max_file_bytes=100)).notes
    assert note.id == "extract/unreadable" and "byte limit" in note.message
    (note,) = load_manifests([path], limits=Limits(max_documents=3)).notes
    assert "more than 3 YAML documents" in note.message
    result = load_manifests([path], limits=Limits(max_objects=2))
    assert len(result.objects) == 2 and "more than 2 Kubernetes objects" in result.errors[0].message


def test_kustomizations_are_skipped_with_a_render_hint(tmp_path: Path) -> None:
    path = write(
        tmp_path / "kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [app.yaml]\n",
    )
    (note,) = load_manifests([path]).notes
    assert note.id == "extract/kustomize" and "kustomize build" in note.message
