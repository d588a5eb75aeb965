"""SARIF 2.1.0 for code-scanning tools (GitHub, GitLab, Azure DevOps).

`findings_to_sarif` serves any list of Finding (lint, check, scan); `scan_to_sarif`
adds one rule per policy with its title, description and help from meta.yaml.

Files are located relative to %SRCROOT%, the root of the git work tree holding them
(code scanning resolves relative URIs against the repository root, wherever kpc ran);
files outside it get absolute file:/// URIs, never `..` segments.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from tools.models import Finding
from tools.scan.models import PolicyRef, ScanReport, Violation

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
_STDIN = ("-", "<stdin>")
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# GitHub code scanning ranks security results by this property (0.1 - 10).
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}


class SarifRule(BaseModel):
    """What a SARIF reporting descriptor says about one rule id."""

    id: str
    name: str | None = None
    title: str | None = None
    description: str | None = None
    help: str | None = None
    help_uri: str | None = None
    level: str = "error"
    severity: str | None = None
    tags: list[str] = []


def tool_version() -> str:
    """The installed kube-pac-copilot version, for the SARIF driver."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kube-pac-copilot")
    except PackageNotFoundError:
        return "0.0.0"


def _git_root(folder: Path) -> Path | None:
    """The work tree holding `folder`: the nearest folder with a .git entry (a file in
    worktrees and submodules), found without running git."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _absolute(path: str) -> Path:
    # Lexical (abspath, not resolve): `..` collapses without following symlinks, so a
    # file reached through a symlink inside the repository stays inside it.
    return Path(os.path.abspath(path))


def _under(path: Path, base: Path) -> bool:
    return base in path.parents


def sarif_base(files: Iterable[str]) -> Path:
    """The folder relative URIs start from (%SRCROOT%).

    Code scanning resolves relative URIs against the repository root, so the base is the
    git work tree holding most of the files (the one the command runs in wins ties);
    when no work tree holds any of them, the working folder.
    """
    cwd = Path.cwd()
    located = [_absolute(f) for f in dict.fromkeys(files) if f not in _STDIN]
    candidates: list[Path] = []
    for folder in dict.fromkeys([cwd, *(f.parent for f in located)]):
        root = _git_root(folder)
        if root is not None and root not in candidates:
            candidates.append(root)
    held = {root: sum(_under(f, root) for f in located) for root in candidates}
    best = max(candidates, key=held.__getitem__, default=None)
    return best if best is not None and held[best] else cwd


def artifact_location(path: str, base: Path) -> dict[str, str]:
    """A file as a SARIF artifactLocation: relative to %SRCROOT% (`base`) when under it,
    else an absolute file:/// URI; never `..` segments, always percent-encoded."""
    if path in _STDIN:
        return {"uri": "stdin"}
    absolute = _absolute(path)
    if not _under(absolute, base):
        # The same file may be named through a symlink (macOS /tmp, a linked checkout).
        real, real_base = absolute.resolve(), base.resolve()
        if not _under(real, real_base):
            return {"uri": absolute.as_uri()}
        absolute, base = real, real_base
    relative = PurePosixPath(*absolute.relative_to(base).parts)
    return {"uri": quote(str(relative), safe="/"), "uriBaseId": SRCROOT}


def base_uri(base: Path) -> str:
    """`base` as a file:/// URI ending in a slash, as SARIF requires of base URIs."""
    uri = base.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _descriptor(rule: SarifRule) -> dict[str, Any]:
    descriptor: dict[str, Any] = {"id": rule.id}
    if rule.name:
        descriptor["name"] = rule.name
    descriptor["shortDescription"] = {"text": rule.title or rule.id}
    if rule.description:
        descriptor["fullDescription"] = {"text": rule.description}
    if rule.help:
        descriptor["help"] = {"text": rule.help, "markdown": rule.help}
    if rule.help_uri:
        descriptor["helpUri"] = rule.help_uri
    descriptor["defaultConfiguration"] = {"level": _LEVELS.get(rule.level, rule.level)}
    properties: dict[str, Any] = {}
    if rule.tags:
        properties["tags"] = rule.tags
    if rule.severity:
        properties["severity"] = rule.severity
        if rule.severity in _SECURITY_SEVERITY:
            properties["security-severity"] = _SECURITY_SEVERITY[rule.severity]
    if properties:
        descriptor["properties"] = properties
    return descriptor


def _location(finding: Finding, base: Path) -> dict[str, Any] | None:
    if not finding.file:
        return None
    physical: dict[str, Any] = {"artifactLocation": artifact_location(finding.file, base)}
    if finding.row:
        region: dict[str, Any] = {"startLine": finding.row}
        if finding.col:
            region["startColumn"] = finding.col
        if finding.snippet:
            region["snippet"] = {"text": finding.snippet}
        physical["region"] = region
    return {"physicalLocation": physical}


def _fingerprint(finding: Finding, uri: str, extra: str = "") -> str:
    # Stable across runs so code scanning can track a result over commits: keyed by the
    # base-relative URI, not the path as typed, so the folder kpc ran in does not matter;
    # scan results are keyed by the object rather than the line, so they survive edits
    # above them.
    text = "\x1f".join([finding.id, uri, extra, finding.message])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _result(finding: Finding, rule_index: dict[str, int], base: Path) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.id,
        "ruleIndex": rule_index[finding.id],
        "level": _LEVELS[finding.level],
        "message": {"text": finding.message},
    }
    location = _location(finding, base)
    if location is not None:
        result["locations"] = [location]
    uri = location["physicalLocation"]["artifactLocation"]["uri"] if location else ""
    if isinstance(finding, Violation) and finding.object_kind:
        name = (
            f"{finding.object_namespace}/{finding.object_name}"
            if finding.object_namespace
            else finding.object_name
        )
        qualified = f"{finding.object_kind}/{name}"
        logical = [{"name": name, "fullyQualifiedName": qualified, "kind": "resource"}]
        result.setdefault("locations", [{}])[0]["logicalLocations"] = logical
        result["partialFingerprints"] = {"kpcObject/v1": _fingerprint(finding, uri, qualified)}
    else:
        result["partialFingerprints"] = {"kpcFinding/v1": _fingerprint(finding, uri, str(finding.row or ""))}
    return result


def _notifications(notes: list[Finding], base: Path) -> list[dict[str, Any]]:
    out = []
    for note in notes:
        entry: dict[str, Any] = {"level": _LEVELS[note.level], "message": {"text": note.message}}
        location = _location(note, base)
        if location is not None:
            entry["locations"] = [location]
        entry["descriptor"] = {"id": note.id}
        out.append(entry)
    return out


def findings_to_sarif(
    findings: Sequence[Finding],
    tool_name: str,
    rules: Sequence[SarifRule | dict[str, Any]] | None = None,
    *,
    notes: list[Finding] | None = None,
    information_uri: str | None = None,
    base: Path | None = None,
) -> dict[str, Any]:
    """A SARIF 2.1.0 log (as a dict) with one run of `tool_name` holding `findings` as results.

    `rules` describe the rule ids (SarifRule or a dict of its fields: id, title,
    description, help, help_uri, level, severity, tags); any finding id without a rule
    gets a minimal one. `notes` (inputs skipped, engine trouble) become tool execution
    notifications rather than results. Relative URIs start from `base` (default:
    `sarif_base` of the files), recorded as %SRCROOT% in originalUriBaseIds.
    """
    files = (f.file for f in [*findings, *(notes or [])] if f.file)
    base = sarif_base(files) if base is None else _absolute(str(base))
    described = [r if isinstance(r, SarifRule) else SarifRule.model_validate(r) for r in rules or []]
    known = {rule.id: rule for rule in described}
    for finding in findings:
        known.setdefault(finding.id, SarifRule(id=finding.id, level=finding.level))
    ordered = list(known.values())
    rule_index = {rule.id: i for i, rule in enumerate(ordered)}
    driver: dict[str, Any] = {
        "name": tool_name,
        "version": tool_version(),
        "rules": [_descriptor(rule) for rule in ordered],
    }
    if information_uri:
        driver["informationUri"] = information_uri
    invocation: dict[str, Any] = {"executionSuccessful": not any(n.level == "error" for n in notes or [])}
    if notes:
        invocation["toolExecutionNotifications"] = _notifications(notes, base)
    run = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": base_uri(base)}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, rule_index, base) for f in findings],
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def policy_rule(ref: PolicyRef) -> SarifRule:
    """A policy as a SARIF rule: corpus title, description and severity when known."""
    lines = [ref.description or f"Gatekeeper constraint {ref.key}."]
    lines.append(f"Constraint: {ref.key} (template {ref.template_name or ref.constraint_kind.lower()}).")
    if ref.policy_id:
        lines.append(f"Policy: {ref.policy_id}. See why and the smallest fix with `kpc explain MANIFEST`.")
    return SarifRule(
        id=ref.key,
        name=ref.constraint_kind,
        title=ref.title or ref.key,
        description=ref.description,
        help="\n\n".join(lines),
        level={"warn": "warning", "dryrun": "info"}.get(ref.enforcement_action, "error"),
        severity=ref.severity,
        tags=["kubernetes", "gatekeeper", *(["security"] if ref.severity else [])],
    )


def scan_to_sarif(report: ScanReport) -> dict[str, Any]:
    """The scan as SARIF: one rule per policy, one result per violation, notes as notifications."""
    return findings_to_sarif(
        list(report.violations),
        "kpc",
        [policy_rule(ref) for ref in report.policies],
        notes=report.notes,
    )
