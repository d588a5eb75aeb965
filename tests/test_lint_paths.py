"""lint_paths over real inputs: templates, bundles, folders, parse errors, ignores; Regal included."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tools.corpus.load import POLICIES_DIR, load_corpus
from tools.errors import InputError
from tools.lint import lint_paths

TEMPLATE = """\
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8sreplicalimit
spec:
  crd:
    spec:
      names:
        kind: K8sReplicaLimit
      validation:
        openAPIV3Schema:
          type: object
          properties:
            maxReplicas:
              type: integer
            team:
              type: string
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: Rego
          source:
            version: v1
            rego: |
              package k8sreplicalimit

              violation contains {"msg": msg} if {
                input.review.object.spec.replicas > input.parameters.maxReplicas
                msg := "too many replicas"
              }
"""


def test_template_rego_is_linted_at_the_template_lines(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(TEMPLATE)
    report = lint_paths([template])
    assert report.files == [str(template)]
    by_id = {f.id: f for f in report.findings}
    message = by_id["kpc/message-without-value"]
    assert message.file == str(template)
    assert TEMPLATE.splitlines()[message.row - 1].strip() == 'msg := "too many replicas"'  # type: ignore[operator]
    assert message.col == TEMPLATE.splitlines()[message.row - 1].index('"too') + 1  # type: ignore[operator]
    unused = by_id["kpc/unused-parameter"]
    assert "team" in unused.message and TEMPLATE.splitlines()[unused.row - 1].strip() == "team:"  # type: ignore[operator]
    assert not any(f.id == "kpc/unused-parameter" and "maxReplicas" in f.message for f in report.findings)
    regal = [f for f in report.findings if f.id.startswith("regal/")]
    assert all(f.file == str(template) and f.row and f.row > 20 for f in regal)


def test_legacy_v0_template_is_parsed(tmp_path: Path) -> None:
    legacy = TEMPLATE.replace(
        "      code:\n        - engine: Rego\n          source:\n            version: v1\n", ""
    )
    legacy = legacy.replace(
        '            rego: |\n              package k8sreplicalimit\n\n              violation contains {"msg": msg} if {',
        '      rego: |\n        package k8sreplicalimit\n\n        violation[{"msg": msg}] {',
    )
    legacy = (
        legacy.replace("                input.review", "          input.review")
        .replace('                msg := "too', '          msg := "too')
        .replace("              }\n", "        }\n")
    )
    template = tmp_path / "legacy.yaml"
    template.write_text(legacy)
    report = lint_paths([template])
    assert "kpc/parse-error" not in {f.id for f in report.findings}
    assert "kpc/message-without-value" in {f.id for f in report.findings}
    assert any(f.id == "regal/idiomatic/use-contains" for f in report.findings)


def test_parse_errors_are_one_finding_and_skip_regal(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rego"
    bad.write_text('package k8sbad\n\nviolation contains msg if {\n\tmsg := "x"\n')
    report = lint_paths([bad])
    assert {f.id for f in report.findings} == {"kpc/parse-error"}
    assert report.errors >= 1 and report.exit_code() == 2
    assert report.findings[0].file == str(bad) and report.findings[0].row


def test_ignore_comment_and_disable(tmp_path: Path) -> None:
    rego = tmp_path / "policy.rego"
    rego.write_text(
        textwrap.dedent(
            """\
            package k8signored

            violation contains {"msg": msg} if {
                some c in input.review.object.spec.containers
                # kpc ignore:naive-image-split
                count(split(c.image, ":")) > 2
                msg := sprintf("container %q", [c.name])
            }
            """
        )
    )
    ids = {f.id for f in lint_paths([rego], regal=False).findings}
    assert "kpc/naive-image-split" not in ids and "kpc/containers-only" in ids
    disabled = lint_paths([rego], regal=False, disable=["kpc/containers-only"])
    assert "kpc/containers-only" not in {f.id for f in disabled.findings}


def test_folder_discovery_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.rego").write_text("package one\n\nallow if input.x == 1\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "template.yaml").write_text(TEMPLATE)
    (tmp_path / "b" / "notes.yaml").write_text("just: data\n")
    report = lint_paths([tmp_path], regal=False)
    assert sorted(Path(f).name for f in report.files) == ["one.rego", "template.yaml"]
    with pytest.raises(InputError, match="no such file"):
        lint_paths([tmp_path / "missing.rego"])
    with pytest.raises(InputError, match="not a ConstraintTemplate"):
        lint_paths([tmp_path / "b" / "notes.yaml"])
    with pytest.raises(InputError, match="no Rego"):
        empty = tmp_path / "empty"
        empty.mkdir()
        lint_paths([empty])


CORPUS = load_corpus()


@pytest.mark.skipif(not CORPUS, reason="empty corpus")
def test_the_corpus_is_clean_under_every_rule() -> None:
    report = lint_paths([POLICIES_DIR])
    assert report.findings == [], "\n".join(f"{f.location()}: {f.id}: {f.message}" for f in report.findings)
    assert len(report.files) >= len(CORPUS)


@pytest.mark.skipif(not CORPUS, reason="empty corpus")
def test_a_bundle_resolves_its_lib_imports_for_regal() -> None:
    importing = next((ex for ex in CORPUS if "data.lib." in ex.source), None)
    if importing is None:
        pytest.skip("no exemplar imports a lib")
    report = lint_paths([importing.path])
    assert not [f for f in report.findings if "unresolved" in f.id], report.findings
