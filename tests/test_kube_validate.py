"""`validation_error`: strict schema checks with cached validators, agreeing with kubernetes_validate.

The reference is kubernetes_validate.validate itself (it re-reads the schemas on every
call), so the cache is checked against the library's own answers, not against copies.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tools import kube
from tools.kube import KUBERNETES_VERSION, validation_error

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(REPO.glob("policies/*/*/samples/*/example_*.yaml"))


def reference(obj: dict[str, Any]) -> str | None:
    """What validation_error answered when it called kubernetes_validate.validate per object."""
    try:
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as exc:
        path = ".".join(str(p) for p in exc.path)
        first = str(exc.message).splitlines()[0]
        return f"{path}: {first}" if path else first
    except kubernetes_validate.SchemaNotFoundError:
        return f"no schema for {obj['apiVersion']}/{obj['kind']} in Kubernetes {KUBERNETES_VERSION}"
    return None


def cold() -> None:
    for cached in (kube._validator, kube._schema_folder, kube._definitions):
        cached.cache_clear()


def deployment() -> dict[str, Any]:
    container = {"name": "app", "image": "nginx:1.25", "ports": [{"containerPort": 80}]}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [container]}},
        },
    }


def broken_variants(obj: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The object with an unknown field, a wrong type and a missing required field."""
    extra = copy.deepcopy(obj)
    extra["spec"]["colour"] = "blue"
    yield extra
    wrong = copy.deepcopy(obj)
    wrong["metadata"]["name"] = 7
    yield wrong
    if obj["kind"] == "Deployment":
        missing = copy.deepcopy(obj)
        del missing["spec"]["selector"]
        yield missing


def test_valid_objects_pass() -> None:
    cold()
    assert validation_error(deployment()) is None
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "a"}]},
    }
    assert validation_error(pod) is None
    assert validation_error(deployment(), "v1.33") is None  # kubernetes_validate's "v" prefix


def test_unknown_field_names_its_path() -> None:
    obj = deployment()
    obj["spec"]["template"]["spec"]["containers"][0]["colour"] = "blue"
    error = validation_error(obj)
    assert error is not None
    path, _, message = error.partition(": ")
    assert path == "spec.template.spec.containers.0"
    assert "'colour' was unexpected" in message


def test_unknown_kind_and_non_objects() -> None:
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
    assert validation_error(widget) == "no schema for example.com/v1/Widget in Kubernetes 1.33"
    assert (
        validation_error(["not", "a", "dict"]) == "not a Kubernetes object (apiVersion and kind are required)"
    )
    assert validation_error({"kind": "Pod"}) == "not a Kubernetes object (apiVersion and kind are required)"
    assert validation_error({"apiVersion": "v1", "kind": 3}) == (
        "not a Kubernetes object (apiVersion and kind must be strings)"
    )


def test_unsupported_version_raises_as_kubernetes_validate_does() -> None:
    with pytest.raises(kubernetes_validate.utils.VersionNotSupportedError):
        validation_error(deployment(), "9.99")


def test_agrees_with_kubernetes_validate_cold_and_warm() -> None:
    objects = [yaml.safe_load(p.read_text()) for p in EXAMPLES[::6]]
    objects += [deployment(), *broken_variants(deployment())]
    objects += [v for obj in objects[:8] if obj.get("spec") for v in broken_variants(obj)]
    assert len(objects) > 60 and any(reference(o) for o in objects) and any(not reference(o) for o in objects)
    expected = [reference(o) for o in objects]
    cold()
    assert [validation_error(o) for o in objects] == expected
    assert [validation_error(o) for o in objects] == expected  # warm


def test_threads_share_a_cold_cache_safely() -> None:
    objects = [yaml.safe_load(p.read_text()) for p in EXAMPLES[::10]]
    objects += [v for obj in objects if obj.get("spec") for v in broken_variants(obj)]
    serial = [validation_error(o) for o in objects]
    cold()
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(validation_error, objects * 4))
    assert parallel == serial * 4
