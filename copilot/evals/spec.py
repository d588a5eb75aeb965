"""The suite format as models: what a suite file may say, and a case resolved for running.

copilot/evals/suite.py loads files into these; evals/README.md documents the format.
Every spec model forbids unknown keys, so a misspelt field fails the load instead of
being ignored.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

Verdict = Literal["deny", "warn", "dryrun", "allow"]
Status = Literal["verified", "not_verified", "declined"]
Target = Literal["gatekeeper", "conftest", "both"]

# Kinds whose objects have no namespace: an exempt-namespace copy of them would mean nothing.
CLUSTER_SCOPED = frozenset(
    {
        "Namespace",
        "Node",
        "PersistentVolume",
        "ClusterRole",
        "ClusterRoleBinding",
        "StorageClass",
        "PriorityClass",
        "CustomResourceDefinition",
        "IngressClass",
        "RuntimeClass",
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
    }
)
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ManifestSpec(_Strict):
    """One acceptance manifest entry: an inline `object`, or a `file` beside the suite (one or more objects).

    `expected`, `manifest` and `path` are accepted for `verdict`, `object` and `file`.
    """

    verdict: Verdict = Field(validation_alias=AliasChoices("verdict", "expected"))
    name: str | None = None
    object: dict[str, Any] | None = Field(default=None, validation_alias=AliasChoices("object", "manifest"))
    file: str | None = Field(default=None, validation_alias=AliasChoices("file", "path"))
    why: str = ""


class Expectation(_Strict):
    """What a case expects besides the verdicts.

    status: the acceptable outcome(s), for every provider or per provider name with a
    `default` entry. rounds / model_calls / first_round pin the agent loop (mock suites).
    exempt_namespaces: each namespaced deny manifest is also checked, as an allow, in each.
    """

    status: Status | list[Status] | dict[str, Status | list[Status]] = "verified"
    exempt_namespaces: list[str] = Field(default_factory=list)
    rounds: int | None = None
    model_calls: int | None = None
    first_round: bool | None = None

    def statuses(self, provider: str) -> list[Status]:
        """The acceptable statuses under `provider`."""
        value = self.status
        if isinstance(value, dict):
            value = value.get(provider, value.get("default", "verified"))
        return [value] if isinstance(value, str) else list(value)

    @field_validator("status")
    @classmethod
    def _mapping_not_empty(cls, value: Any) -> Any:
        if isinstance(value, dict) and not value:
            raise ValueError("a status mapping needs at least one entry (e.g. default: verified)")
        return value


class CaseSpec(_Strict):
    """One case as written in a suite."""

    id: str
    request: str = Field(validation_alias=AliasChoices("request", "prompt"))
    target: Target = "both"
    expect: Expectation = Field(default_factory=Expectation)
    manifests: list[ManifestSpec] = Field(default_factory=list)
    mock_script: str | list[Any] | dict[str, Any] | None = None
    max_rounds: int | None = Field(default=None, ge=0)
    tags: list[str] = Field(default_factory=list)
    notes: str = ""

    @field_validator("id")
    @classmethod
    def _kebab(cls, value: str) -> str:
        if not _ID.fullmatch(value):
            raise ValueError(f"case id {value!r} must be kebab-case (a-z, 0-9, -)")
        return value

    @field_validator("request")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the request is empty")
        return " ".join(value.split())


class SuiteSpec(_Strict):
    """A suite file."""

    suite: str
    description: str = ""
    cases: list[CaseSpec]


class Check(BaseModel):
    """One acceptance manifest, resolved: the object, its expected verdict and how gator names it."""

    name: str
    expected: Verdict
    object: dict[str, Any]
    kind: str
    namespace: str
    object_name: str
    source: str = "inline"
    derived: bool = False
    why: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.namespace, self.object_name)


class Case(BaseModel):
    """A case ready to run: the spec plus its resolved checks and where it came from."""

    suite: str
    spec: CaseSpec
    checks: list[Check]
    suite_file: Path

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def ref(self) -> str:
        return f"{self.suite}/{self.spec.id}"

    @property
    def base_dir(self) -> Path:
        return self.suite_file.parent
