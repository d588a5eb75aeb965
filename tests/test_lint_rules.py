"""Each kpc/ lint rule with a failing and a passing policy, parsed by the real `opa parse`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tools.lint import lint_paths, rule_infos

DEPLOYMENT_CONSTRAINT = """
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sExample
metadata:
  name: example
spec:
  match:
    kinds:
      - apiGroups: ["apps"]
        kinds: ["Deployment", "StatefulSet"]
"""
POD_CONSTRAINT = DEPLOYMENT_CONSTRAINT.replace('["apps"]', '[""]').replace(
    '["Deployment", "StatefulSet"]', '["Pod"]'
)


def bundle(tmp_path: Path, rego: str, **files: str) -> Path:
    """A policy folder with src.rego and any of constraint.yaml / meta.yaml / template.yaml."""
    folder = tmp_path / "policy"
    folder.mkdir(exist_ok=True)
    (folder / "src.rego").write_text(textwrap.dedent(rego).lstrip())
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(textwrap.dedent(text).lstrip())
    return folder


def ids(folder: Path, rule: str) -> list[int | None]:
    """The rows of `rule`'s findings when linting `folder` with our rules only."""
    report = lint_paths([folder], regal=False)
    return [f.row for f in report.findings if f.id == rule]


def test_every_rule_is_documented() -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "lint-rules.md").read_text()
    for rule in rule_infos():
        assert f"## {rule.id}" in docs, rule.id
        assert rule.id.startswith("kpc/") and rule.level in ("error", "warning")


# kpc/containers-only ---------------------------------------------------------------


def test_containers_only_flags_a_rule_that_skips_init_containers(tmp_path: Path) -> None:
    folder = bundle(
        tmp_path,
        """
        package k8sexample

        violation contains {"msg": msg} if {
            obj := input.review.object
            some c in obj.spec.containers
            c.securityContext.privileged
            msg := sprintf("container %q is privileged", [c.name])
        }
        """,
    )
    assert ids(folder, "kpc/containers-only") == [5]


@pytest.mark.parametrize(
    "body",
    [
        # every container field, iterated by name
        """
        violation contains {"msg": msg} if {
            some field in ["containers", "initContainers", "ephemeralContainers"]
            some c in object.get(input.review.object.spec, field, [])
            c.securityContext.privileged
            msg := sprintf("container %q is privileged", [c.name])
        }
        """,
        # the shared library
        """
        import data.lib.pods

        violation contains {"msg": msg} if {
            some entry in pods.containers(input.review.object)
            entry.container.securityContext.privileged
            msg := sprintf("%s is privileged", [entry.path])
        }
        """,
    ],
)
def test_containers_only_passes_when_all_containers_are_read(tmp_path: Path, body: str) -> None:
    folder = bundle(tmp_path, "package k8sexample\n" + textwrap.dedent(body))
    assert ids(folder, "kpc/containers-only") == []


# kpc/kind-path-mismatch ------------------------------------------------------------

POD_PATH_RULE = """
package k8sexample

violation contains {"msg": msg} if {
    some field in ["containers", "initContainers"]
    some c in input.review.object.spec[field]
    c.securityContext.privileged
    msg := sprintf("container %q is privileged", [c.name])
}
"""


def test_kind_path_mismatch_pod_path_with_deployment_constraint(tmp_path: Path) -> None:
    folder = bundle(tmp_path, POD_PATH_RULE, constraint=DEPLOYMENT_CONSTRAINT)
    report = lint_paths([folder], regal=False)
    found = [f for f in report.findings if f.id == "kpc/kind-path-mismatch"]
    assert len(found) == 1 and found[0].level == "error"
    assert "Deployment" in found[0].message and "spec.template.spec" in found[0].message


def test_kind_path_mismatch_template_path_with_pod_constraint(tmp_path: Path) -> None:
    rego = POD_PATH_RULE.replace(
        "input.review.object.spec[field]", "input.review.object.spec.template.spec[field]"
    )
    folder = bundle(tmp_path, rego, constraint=POD_CONSTRAINT)
    assert len(ids(folder, "kpc/kind-path-mismatch")) == 1


def test_kind_path_mismatch_passes_when_path_fits_the_kinds(tmp_path: Path) -> None:
    assert ids(bundle(tmp_path, POD_PATH_RULE, constraint=POD_CONSTRAINT), "kpc/kind-path-mismatch") == []


def test_kind_path_mismatch_uses_meta_kinds_without_a_constraint(tmp_path: Path) -> None:
    folder = bundle(tmp_path, POD_PATH_RULE, meta="id: example\nkind: K8sExample\nkinds: [Pod, CronJob]\n")
    report = lint_paths([folder], regal=False)
    found = [f for f in report.findings if f.id == "kpc/kind-path-mismatch"]
    assert len(found) == 1 and "CronJob" in found[0].message and "meta.yaml" in found[0].message


def test_kind_path_mismatch_needs_context(tmp_path: Path) -> None:
    assert ids(bundle(tmp_path, POD_PATH_RULE), "kpc/kind-path-mismatch") == []


# kpc/naive-image-split -------------------------------------------------------------


@pytest.mark.parametrize(
    "expr",
    [
        'tag := split(c.image, ":")[1]',
        'indexof(c.image, ":") > 0',
        'img := c.image\n    not contains(img, ":")',
    ],
)
def test_naive_image_split_flags_whole_reference_parsing(tmp_path: Path, expr: str) -> None:
    rego = f"""
    package k8sexample

    violation contains {{"msg": msg}} if {{
        some c in input.review.object.spec.containers
        {expr}
        msg := sprintf("container %q", [c.name])
    }}
    """
    assert len(ids(bundle(tmp_path, rego), "kpc/naive-image-split")) == 1


def test_naive_image_split_passes_on_the_last_path_component(tmp_path: Path) -> None:
    rego = """
    package k8sexample

    violation contains {"msg": msg} if {
        some c in input.review.object.spec.containers
        parts := split(c.image, "/")
        name := parts[count(parts) - 1]
        not contains(name, ":")
        msg := sprintf("container %q has no tag", [c.name])
    }
    """
    assert ids(bundle(tmp_path, rego), "kpc/naive-image-split") == []


# kpc/message-without-value ---------------------------------------------------------


@pytest.mark.parametrize(
    "rego",
    [
        'package k8sexample\n\nviolation contains {"msg": "privileged containers are not allowed"} if {\n'
        "    input.review.object.spec.hostNetwork\n}\n",
        'package k8sexample\n\nviolation contains {"msg": msg} if {\n    input.review.object.spec.hostNetwork\n'
        '    msg := sprintf("host network is not allowed", [])\n}\n',
        'package main\n\ndeny contains msg if {\n    input.spec.hostNetwork\n    msg := "no host network"\n}\n',
    ],
)
def test_message_without_value_flags_constant_messages(tmp_path: Path, rego: str) -> None:
    assert len(ids(bundle(tmp_path, rego), "kpc/message-without-value")) == 1


def test_message_without_value_passes_with_sprintf_of_a_value(tmp_path: Path) -> None:
    rego = (
        'package k8sexample\n\nviolation contains {"msg": msg} if {\n    obj := input.review.object\n'
        "    obj.spec.hostNetwork\n"
        '    msg := sprintf("%s %s uses the host network", [obj.kind, obj.metadata.name])\n}\n'
    )
    assert ids(bundle(tmp_path, rego), "kpc/message-without-value") == []


# kpc/unused-parameter --------------------------------------------------------------

META_WITH_PARAMS = """
id: example
kind: K8sExample
parameters:
  type: object
  properties:
    exemptImages:
      type: array
      items: {type: string}
    maxReplicas:
      type: integer
"""


def _replicas_rule(extra: str = "") -> str:
    return (
        'package k8sexample\n\nviolation contains {"msg": msg} if {\n'
        "    obj := input.review.object\n"
        "    obj.spec.replicas > input.parameters.maxReplicas\n"
        f"{extra}"
        '    msg := sprintf("%s has %d replicas", [obj.metadata.name, obj.spec.replicas])\n}\n'
    )


def test_unused_parameter_points_at_the_declaration(tmp_path: Path) -> None:
    folder = bundle(tmp_path, _replicas_rule(), meta=META_WITH_PARAMS)
    report = lint_paths([folder], regal=False)
    found = [f for f in report.findings if f.id == "kpc/unused-parameter"]
    assert len(found) == 1 and "exemptImages" in found[0].message
    assert found[0].file and found[0].file.endswith("meta.yaml") and found[0].row == 6


@pytest.mark.parametrize(
    "extra",
    [
        '    not startswith(obj.spec.image, object.get(input, ["parameters", "exemptImages"], []))\n',
        "    params := input.parameters\n    count(params.exemptImages) >= 0\n",
    ],
)
def test_unused_parameter_passes_when_every_parameter_is_read(tmp_path: Path, extra: str) -> None:
    folder = bundle(tmp_path, _replicas_rule(extra), meta=META_WITH_PARAMS)
    assert ids(folder, "kpc/unused-parameter") == []
