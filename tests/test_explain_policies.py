"""Every corpus policy's denied samples through explain, with gator: fields named, fixes re-verified.

For each policy, its example_disallowed* samples go into one multi-document manifest,
explained against that policy alone. The patched manifest is then scanned again,
independently of explain's own re-verification.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.corpus.load import policy_dirs
from tools.explain import explain
from tools.explain import paths as field_paths
from tools.explain.patch import build_patch, read_text
from tools.extract.load import load_manifests
from tools.scan import scan

# Policies whose fix is a person's choice (a version, a digest, a registry, a namespace,
# a volume source, RBAC scope, host names): explain must never invent one.
MANUAL_ONLY = {
    "allowed-registries",
    "cluster-admin-bindings",
    "disallow-default-namespace",
    "disallowed-repositories",
    "host-path-volumes",
    "image-digests",
    "ingress-host-wildcards",
    "latest-tag",
    "rbac-wildcards",
    "volume-types",
}
POLICIES = {d.name: d for d in policy_dirs()}


def _manifest(policy: Path, tmp_path: Path) -> Path:
    examples = sorted(policy.glob("samples/*/example_disallowed*.yaml"))
    assert examples, f"{policy.name} has no disallowed samples"
    target = tmp_path / f"{policy.name}.yaml"
    target.write_text("\n---\n".join(p.read_text() for p in examples))
    return target


@pytest.mark.parametrize("policy_id", sorted(POLICIES))
def test_denied_samples_are_explained_and_fixes_reverified(policy_id: str, tmp_path: Path) -> None:
    policy = POLICIES[policy_id]
    manifest = _manifest(policy, tmp_path)
    result = explain(manifest, policies=[policy])

    assert result.denied, "every disallowed sample is denied"
    violations = [v for o in result.objects for v in o.violations]
    assert violations
    for v in violations:
        assert v.policy_id == policy_id and v.message
        assert v.fix.summary
        if v.fix.kind == "manual":
            assert v.fix.expected and not v.fix.changes
            assert v.status != "unresolved"
        else:
            # A fix that changed something was re-verified by gator and removed its violation.
            assert v.status == "resolved", (v.message, v.fix.summary)
        if v.field:
            field_paths.parse(v.field)  # every reported field is a readable path
    if policy_id in MANUAL_ONLY:
        assert all(v.fix.kind == "manual" for v in violations)
    for item in result.objects:
        if item.violations and all(v.fix.kind != "manual" for v in item.violations):
            assert item.reverification is not None and item.reverification.status == "fixed"
            assert item.reverification.admitted and item.patch


@pytest.mark.parametrize("policy_id", sorted(set(POLICIES) - MANUAL_ONLY))
def test_the_patched_manifest_passes_an_independent_scan(policy_id: str, tmp_path: Path) -> None:
    policy = POLICIES[policy_id]
    manifest = _manifest(policy, tmp_path)
    result = explain(manifest, policies=[policy])
    text, _bom = read_text(str(manifest))
    patch = build_patch(result, text)
    patched = tmp_path / "patched.yaml"
    patched.write_text(patch.text)

    assert len(load_manifests([patched]).objects) == len(result.objects)
    report = scan([patched], policies=[policy])
    for before, after in zip(result.objects, report.results, strict=True):
        if before.reverification is not None and before.reverification.status == "fixed":
            assert after.verdict == "allow", [v.message for v in after.violations]
        if not before.patch:
            assert after.verdict == before.verdict  # objects without a patch are left as they were
