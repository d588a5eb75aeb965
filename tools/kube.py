"""Validating Kubernetes objects against the pinned Kubernetes version's schemas.

kubernetes_validate.validate reads and parses the schema files (the shared definitions
are 1.4 MB of JSON) on every call, and drafting validates the same few kinds hundreds of
times. So the validator is built once per (version, apiVersion, kind) from the same
files kubernetes_validate picks, with the same strict schemas, validator class and
errors, and kept: validators only read their schema and registry, so threads share them.
"""

from __future__ import annotations

import functools
import re
from typing import Any

# One pinned Kubernetes version for every sample, fixture and acceptance manifest.
KUBERNETES_VERSION = "1.33"

_SCHEMAS = "kubernetes-json-schema"
# apps/v1 -> apps-v1, rbac.authorization.k8s.io/v1 -> rbac-v1 (kubernetes_validate's file names)
_GROUP_DOMAIN = re.compile(r"^([^./]*)(?:\.[^/]*)?/")


def validation_error(obj: Any, version: str = KUBERNETES_VERSION) -> str | None:
    """None when `obj` is a valid Kubernetes object (strict: unknown fields rejected), else a one-line reason."""
    from kubernetes_validate import InvalidSchemaError, SchemaNotFoundError

    if not isinstance(obj, dict) or not obj.get("kind") or not obj.get("apiVersion"):
        return "not a Kubernetes object (apiVersion and kind are required)"
    if not isinstance(obj["kind"], str) or not isinstance(obj["apiVersion"], str):
        return "not a Kubernetes object (apiVersion and kind must be strings)"
    try:
        validator = _validator(version, obj["apiVersion"], obj["kind"])
    except SchemaNotFoundError:
        return f"no schema for {obj.get('apiVersion')}/{obj.get('kind')} in Kubernetes {version}"
    except InvalidSchemaError as exc:
        return f"schema error: {str(exc).splitlines()[0]}"
    # The first error, as Validator.validate (and so kubernetes_validate) raises it.
    error = next(validator.iter_errors(obj), None)
    if error is None:
        return None
    path = ".".join(str(p) for p in error.path)
    first = str(error.message).splitlines()[0]
    return f"{path}: {first}" if path else first


@functools.lru_cache(maxsize=256)
def _validator(version: str, api_version: str, kind: str) -> Any:
    """The strict Draft 2020-12 validator for one kind; SchemaNotFoundError when there is none.

    Failures are not cached: an unknown kind costs one missing-file lookup per call.
    """
    from jsonschema.validators import Draft202012Validator
    from kubernetes_validate import SchemaNotFoundError
    from kubernetes_validate.utils import major_minor, schema_contents
    from referencing import Resource

    version = version.removeprefix("v")  # kubernetes_validate accepts both 1.33 and v1.33
    folder = _schema_folder(version)
    group_version = _GROUP_DOMAIN.sub(r"\1-", api_version)
    try:
        schema = schema_contents(f"{_SCHEMAS}/{folder}/{kind.lower()}-{group_version}.json", version)
    except FileNotFoundError:
        raise SchemaNotFoundError(version=major_minor(version), kind=kind, api_version=api_version) from None
    registry = (Resource.from_contents(schema) @ _definitions(folder, version)).crawl()
    return Draft202012Validator(schema, registry=registry)


@functools.lru_cache(maxsize=8)
def _schema_folder(version: str) -> str:
    """The strict schema folder kubernetes_validate uses for `version`: the newest schemas
    not newer than it; VersionNotSupportedError past the newest it ships."""
    from kubernetes_validate.utils import VersionNotSupportedError, all_versions, latest_version, major_minor

    wanted = major_minor(version)
    # Compared as strings, exactly as kubernetes_validate does, so both pick the same folder.
    if wanted > latest_version():
        raise VersionNotSupportedError(version=wanted)
    chosen = [v for v in all_versions() if major_minor(v) <= wanted][-1]
    return f"v{chosen}-local-strict"


@functools.lru_cache(maxsize=8)
def _definitions(folder: str, version: str) -> Any:
    """A crawled registry holding the folder's shared definitions, which every kind's $refs
    point into; crawled once here so no lookup has to crawl 1.4 MB again."""
    from kubernetes_validate.utils import schema_contents
    from referencing import Registry, Resource

    contents = schema_contents(f"{_SCHEMAS}/{folder}/_definitions.json", version)
    return (Resource.from_contents(contents) @ Registry()).crawl()
