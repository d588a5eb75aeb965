"""--format jsonpatch: RFC 6902 operations that turn each object into its re-verified fix, admitted by gator."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.explain import explain
from tools.explain.jsonpatch import pointer
from tools.explain.patch import build_patch
from tools.extract.models import SourcedObject
from tools.scan import evaluate, load_policies

REPO = Path(__file__).resolve().parents[1]
KPC = [sys.executable, "-c", "import sys; from copilot.cli import main; main(sys.argv[1:])"]
POLICIES = [
    REPO / "policies" / "pod-security" / "privileged-containers",
    REPO / "policies" / "pod-security" / "seccomp-baseline",
]
ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"

MANIFEST = f"""\
apiVersion: v1
kind: ConfigMap
metadata: {{name: settings, namespace: shop}}
data: {{mode: web}}
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  annotations:
    {ANNOTATION}: unconfined
    team: shop
spec:
  containers:
    - name: web
      image: ghcr.io/acme/web:1.0
      securityContext:
        privileged: true
"""


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def apply_patch(doc: Any, ops: list[dict[str, Any]]) -> Any:
    """A minimal RFC 6902 applier (add, remove, replace, test), written independently of tools/explain."""
    doc = copy.deepcopy(doc)
    for op in ops:
        tokens = [_unescape(t) for t in op["path"].split("/")[1:]]
        parent = doc
        for token in tokens[:-1]:
            parent = parent[int(token)] if isinstance(parent, list) else parent[token]
        last = tokens[-1]
        if isinstance(parent, list):
            index = len(parent) if last == "-" else int(last)
            if op["op"] == "add":
                parent.insert(index, copy.deepcopy(op["value"]))
            elif op["op"] == "remove":
                del parent[index]
            elif op["op"] == "replace":
                parent[index] = copy.deepcopy(op["value"])
            else:
                assert parent[index] == op["value"]
            continue
        if op["op"] in ("remove", "replace", "test"):
            assert last in parent, f"{op['path']} must exist for {op['op']}"
        if op["op"] == "remove":
            del parent[last]
        elif op["op"] == "test":
            assert parent[last] == op["value"]
        else:
            parent[last] = copy.deepcopy(op["value"])
    return doc


def test_pointer_escapes_tilde_before_slash() -> None:
    assert pointer(["metadata", "annotations", "a/b~c"]) == "/metadata/annotations/a~1b~0c"
    assert pointer(["spec", "containers", 0, "name"]) == "/spec/containers/0/name"
    assert apply_patch({"a/b~c": 1}, [{"op": "replace", "path": "/a~1b~0c", "value": 2}]) == {"a/b~c": 2}


@pytest.fixture(scope="module")
def explained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    path = tmp_path_factory.mktemp("jsonpatch") / "web.yaml"
    path.write_text(MANIFEST)
    return path, explain(path, policies=POLICIES)


def test_applying_the_patch_gives_exactly_the_fixed_object(explained: tuple[Path, Any]) -> None:
    path, result = explained
    pod = next(o for o in result.objects if o.kind == "Pod")
    ops = pod.json_patch
    assert {"op": "remove", "path": f"/metadata/annotations/{pointer([ANNOTATION])[1:]}"} in ops
    assert any(op["path"].endswith("~1pod") for op in ops)
    fixed = yaml.safe_load_all(build_patch(result, MANIFEST).text)
    expected = list(fixed)[pod.doc_index]
    assert apply_patch(pod.source_object(), ops) == expected
    # The same policies admit the patched object (a real gator run).
    policy_set = load_policies(POLICIES)
    item = SourcedObject(file=str(path), line=pod.line, obj=expected)
    results, _notes, _runs = evaluate([item], policy_set)
    assert results[0].verdict == "allow", results[0].violations


def test_json_carries_the_operations_and_jsonpatch_names_the_object(explained: tuple[Path, Any]) -> None:
    path, result = explained
    run = subprocess.run(
        [*KPC, "explain", str(path), "--format", "jsonpatch", "-q", *[a for p in POLICIES for a in ("-p", str(p))]],
        capture_output=True, text=True, cwd=REPO, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    printed = json.loads(run.stdout)
    assert [entry["location"] for entry in printed] == [f"{path}:6"]
    assert printed[0]["doc_index"] == 1 and printed[0]["object"] == "Pod shop/web"
    pod = next(o for o in result.objects if o.kind == "Pod")
    assert printed[0]["operations"] == pod.json_patch
    dumped = result.model_dump(mode="json")
    assert next(o for o in dumped["objects"] if o["kind"] == "Pod")["json_patch"] == pod.json_patch
