"""Editing fixes into manifest text: the data must come out exactly as intended, comments kept."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tools.explain import diff
from tools.explain.rewrite import DocKey, rewrite
from tools.extract.load import load_text
from tools.extract.models import Limits, LoadResult

Edit = Callable[[dict[str, Any]], None]

DEPLOYMENT = """\
# Web frontend (comment before the document)
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # trailing comment
  labels: {app: web}
spec:
  template:
    spec:
      hostNetwork: true
      containers:
        - name: api            # the main container
          image: "nginx:1.25"
          securityContext:
            privileged: true   # keep this comment
          ports:
            - containerPort: 80
              hostPort: 80
        - name: side
          image: busybox
          securityContext: {runAsUser: 0}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: LoadBalancer
  ports:
  - port: 80
    nodePort: 30080
"""


def _objects(text: str) -> list[Any]:
    loaded = LoadResult()
    load_text(text, "test.yaml", loaded, Limits())
    return loaded.objects


def _edit(text: str, edits: dict[int, Edit]) -> tuple[str, list[int], list[dict[str, Any]]]:
    """Applies python edits to the loaded objects, rewrites the text, and returns the targets too."""
    objects = _objects(text)
    changes: dict[DocKey, list] = {}
    targets = []
    for index, item in enumerate(objects):
        target = copy.deepcopy(item.obj)
        if index in edits:
            edits[index](target)
            changes[(item.doc_index, item.item_index)] = diff.diff(item.obj, target)
        targets.append(target)
    result = rewrite(text, changes)
    return result.text, result.normalised, targets


def _pod(obj: dict[str, Any]) -> dict[str, Any]:
    return obj["spec"]["template"]["spec"]


def _harden(obj: dict[str, Any]) -> None:
    pod = _pod(obj)
    del pod["hostNetwork"]
    pod["containers"][0]["securityContext"]["privileged"] = False
    pod["containers"][0]["securityContext"]["allowPrivilegeEscalation"] = False
    del pod["containers"][0]["ports"][0]["hostPort"]
    pod["containers"][1]["securityContext"] = {"runAsNonRoot": True}
    pod["containers"][1]["resources"] = {"limits": {"cpu": "500m"}}
    pod["automountServiceAccountToken"] = False
    obj["metadata"]["labels"]["owner"] = "team-a"


def _cluster_ip(obj: dict[str, Any]) -> None:
    obj["spec"]["type"] = "ClusterIP"
    del obj["spec"]["ports"][0]["nodePort"]


def test_edits_in_place_keep_comments_and_styles() -> None:
    text, normalised, targets = _edit(DEPLOYMENT, {0: _harden, 1: _cluster_ip})
    assert [o.obj for o in _objects(text)] == targets
    assert normalised == []
    for kept in ("# Web frontend", "# trailing comment", "# the main container", "# keep this comment"):
        assert kept in text
    assert 'image: "nginx:1.25"' in text  # untouched values keep their quoting
    assert "labels: {app: web, owner: team-a}" in text  # a flow mapping stays a flow mapping
    # The container's new key stays inside the container, the pod's new key follows it.
    assert text.index("cpu: 500m") < text.index("automountServiceAccountToken: false")


def test_unchanged_documents_are_byte_for_byte_identical() -> None:
    text, _, _ = _edit(DEPLOYMENT, {1: _cluster_ip})
    first_doc = DEPLOYMENT.split("---\n")[0]
    assert text.startswith(first_doc)


def test_block_lists_follow_the_files_indentation_style() -> None:
    def drop_all(obj: dict[str, Any]) -> None:
        _pod(obj)["containers"][0]["securityContext"]["capabilities"] = {"drop": ["ALL"]}

    text, _, targets = _edit(DEPLOYMENT, {0: drop_all})
    assert [o.obj for o in _objects(text)] == targets
    assert "              drop:\n                - ALL" in text  # indented, like the file's own lists


def test_list_items_of_a_kind_list_are_edited_in_place() -> None:
    source = """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: a}
    spec:
      containers:
        - name: c
          image: nginx:1.25   # pinned
  - apiVersion: v1
    kind: Pod
    metadata: {name: b}
    spec:
      containers:
        - name: c
          image: nginx:1.25
"""

    def ro(obj: dict[str, Any]) -> None:
        obj["spec"]["containers"][0]["securityContext"] = {"readOnlyRootFilesystem": True}

    text, normalised, targets = _edit(source, {1: ro})
    assert [o.obj for o in _objects(text)] == targets
    assert normalised == [] and "# pinned" in text


def test_block_scalars_and_removals_next_to_list_dashes() -> None:
    source = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - securityContext:
        procMount: Unmasked
      name: c
      image: busybox:1.36
      command:
        - sh
        - -c
        - |
          echo one
          echo two
"""

    def fix(obj: dict[str, Any]) -> None:
        container = obj["spec"]["containers"][0]
        del container["securityContext"]
        container["command"][2] = "echo fixed\n"

    text, _, targets = _edit(source, {0: fix})
    assert [o.obj for o in _objects(text)] == targets


def test_crlf_and_bom_free_text_round_trip_through_the_patch_builder(tmp_path) -> None:
    from tools.explain.patch import read_text

    path = tmp_path / "win.yaml"
    path.write_bytes(
        "\ufeffapiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: s\r\nspec:\r\n  type: NodePort\r\n".encode()
    )
    text, bom = read_text(str(path))
    assert bom and "\r\n" in text and not text.startswith("\ufeff")
    new, _, targets = _edit(text.replace("\r\n", "\n"), {0: _cluster_ip_only})
    assert [o.obj for o in _objects(new)] == targets


def _cluster_ip_only(obj: dict[str, Any]) -> None:
    obj["spec"]["type"] = "ClusterIP"


def test_json_documents_are_re_emitted_whole() -> None:
    source = json.dumps(
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"type": "NodePort"}}
    )
    objects = _objects(source)
    target = copy.deepcopy(objects[0].obj)
    target["spec"]["type"] = "ClusterIP"
    result = rewrite(source, {(0, None): diff.diff(objects[0].obj, target)}, as_json=True)
    assert json.loads(result.text) == target and result.normalised == [0]


@pytest.mark.parametrize(
    "source",
    [
        # Anchors and aliases: an edit through an alias must not change the anchored text.
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: &l {a: b}\n  annotations: *l\nspec: {}\n",
        # Everything in flow style on one line.
        "{apiVersion: v1, kind: Pod, metadata: {name: p, labels: {a: b}}, spec: {}}\n",
    ],
)
def test_whatever_the_shape_the_result_parses_to_the_intended_data(source: str) -> None:
    def label(obj: dict[str, Any]) -> None:
        obj["metadata"]["labels"] = {"a": "b", "owner": "team-a"}

    text, _, targets = _edit(source, {0: label})
    assert [o.obj for o in _objects(text)] == targets


def test_replacing_a_whole_mapping_never_leaves_a_repeated_key() -> None:
    source = """\
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: c
      image: busybox:1.36
      securityContext:
        capabilities:
          add: [NET_ADMIN]
"""

    def swap(obj: dict[str, Any]) -> None:
        obj["spec"]["containers"][0]["securityContext"]["capabilities"] = {"drop": ["ALL"]}

    text, _, targets = _edit(source, {0: swap})
    assert [o.obj for o in _objects(text)] == targets
    assert text.count("drop:") == 1 and "add:" not in text


def test_patch_keeps_windows_line_endings_and_the_byte_order_mark(tmp_path) -> None:
    from tools.explain import explain
    from tools.explain.patch import build_patch, read_text, write_file

    service_types = Path(__file__).resolve().parents[1] / "policies" / "networking" / "service-types"
    path = tmp_path / "svc.yaml"
    lines = ["# exposed on purpose?", "apiVersion: v1", "kind: Service", "metadata:", "  name: s", "spec:"]
    lines += ["  type: NodePort", "  ports:", "    - port: 80", "      nodePort: 30080", ""]
    path.write_bytes(("\ufeff" + "\r\n".join(lines)).encode())

    result = explain(path, policies=[service_types])
    text, bom = read_text(str(path))
    patch = build_patch(result, text)
    write_file(str(path), patch.text, bom=bom)

    raw = path.read_bytes().decode()
    assert raw.startswith("\ufeff# exposed on purpose?\r\n")
    assert raw.count("\n") == raw.count("\r\n") and "type: ClusterIP" in raw and "nodePort" not in raw
    assert patch.diff.startswith("--- ") and patch.normalised == []
