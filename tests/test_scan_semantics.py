"""scan(): Gatekeeper's semantics come from gator, and every verdict lands on the exact object."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from scan_support import DEMO, REPO, TEST_POLICIES, pod, write

from tools.errors import InputError
from tools.scan import ScanReport, scan


def _policies(tmp_path: Path, *constraints: str) -> Path:
    """The test privileged template plus the given K8sTestPrivileged constraints."""
    folder = tmp_path / "policies"
    folder.mkdir()
    template = (TEST_POLICIES / "privileged.yaml").read_text().split("\n---\n")[0]
    (folder / "template.yaml").write_text(template + "\n")
    for i, body in enumerate(constraints):
        write(folder / f"constraint-{i}.yaml", body)
    return folder


def _constraint(name: str, spec: str) -> str:
    head = f"apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sTestPrivileged\nmetadata:\n  name: {name}\nspec:\n"
    return head + "".join(f"  {line}\n" for line in spec.strip("\n").splitlines())


PODS_AND_DEPLOYMENTS = """
  match:
    kinds:
      - apiGroups: [""]
        kinds: [Pod]
      - apiGroups: [apps]
        kinds: [Deployment]
"""


def _hits(report: ScanReport) -> dict[str, list[str]]:
    """constraint name -> names of the objects it flagged."""
    found: dict[str, list[str]] = {}
    for result in report.results:
        for v in result.violations:
            found.setdefault(v.constraint_name, []).append(result.name)
    return {k: sorted(v) for k, v in found.items()}


def _namespace(name: str, labels: str = "") -> str:
    return f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n  labels: {{{labels}}}\n"


def test_constraint_match_is_gators(tmp_path: Path) -> None:
    policies = _policies(
        tmp_path,
        _constraint("kinds", "match: {kinds: [{apiGroups: [''], kinds: [Pod]}]}"),
        _constraint("only-prod", PODS_AND_DEPLOYMENTS + "    namespaces: [prod]"),
        _constraint(
            "not-kube-system",
            "match: {kinds: [{apiGroups: [''], kinds: [Pod]}], excludedNamespaces: [kube-system]}",
        ),
        _constraint(
            "team-a",
            "match: {kinds: [{apiGroups: [''], kinds: [Pod]}], labelSelector: {matchLabels: {team: a}}}",
        ),
        _constraint(
            "env-prod",
            "match: {kinds: [{apiGroups: [''], kinds: [Pod]}], namespaceSelector: {matchLabels: {env: prod}}}",
        ),
    )
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d-prod, namespace: prod}\n"
        "spec:\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n"
        "    spec:\n      containers: [{name: c, image: nginx:1.25, securityContext: {privileged: true}}]\n"
    )
    inputs = write(
        tmp_path / "inputs.yaml",
        "---\n".join(
            [
                _namespace("prod", "env: prod"),
                _namespace("dev", "env: dev"),
                _namespace("kube-system"),
                pod("p-prod", "prod", privileged=True, labels="team: a"),
                pod("p-dev", "dev", privileged=True),
                pod("p-kube", "kube-system", privileged=True),
                pod("p-safe", "prod"),
                deployment,
            ]
        ),
    )
    report = scan([inputs], policies=[policies])
    assert _hits(report) == {
        "kinds": ["p-dev", "p-kube", "p-prod"],
        "only-prod": ["d-prod", "p-prod"],
        "not-kube-system": ["p-dev", "p-prod"],
        "team-a": ["p-prod"],
        "env-prod": ["p-prod"],
    }
    verdicts = {r.name: r.verdict for r in report.results}
    assert verdicts["p-safe"] == "allow" and verdicts["prod"] == "allow"
    assert report.summary.gator_runs == 1 and report.summary.policies == 5


def test_namespace_selector_without_the_namespace_is_a_note_not_a_verdict(tmp_path: Path) -> None:
    policies = _policies(
        tmp_path,
        _constraint(
            "env-prod",
            "match: {kinds: [{apiGroups: [''], kinds: [Pod]}], namespaceSelector: {matchLabels: {env: prod}}}",
        ),
    )
    inputs = write(tmp_path / "pod.yaml", pod("lonely", "prod", privileged=True))
    report = scan([inputs], policies=[policies])
    (result,) = report.results
    assert result.verdict == "allow" and result.violations == []
    assert result.notes and "Namespace" in result.notes[0]
    assert [n.id for n in report.notes] == ["scan/not-evaluated"]


def test_enforcement_actions_become_verdicts(tmp_path: Path) -> None:
    only = "match: {kinds: [{apiGroups: [''], kinds: [Pod]}], namespaces: [%s]}"
    policies = _policies(
        tmp_path,
        _constraint("warned", "enforcementAction: warn\n" + only % "w"),
        _constraint("dry", "enforcementAction: dryrun\n" + only % "d"),
        _constraint(
            "scoped",
            "enforcementAction: scoped\nscopedEnforcementActions:\n"
            "  - action: warn\n    enforcementPoints: [{name: '*'}]\n" + only % "s",
        ),
        _constraint("denied", only % "x"),
    )
    inputs = write(
        tmp_path / "pods.yaml",
        "---\n".join(pod(n, n, privileged=True) for n in ("w", "d", "s", "x")),
    )
    report = scan([inputs], policies=[policies])
    got = {
        r.name: (r.verdict, [(v.enforcement_action, v.level) for v in r.violations]) for r in report.results
    }
    assert got == {
        "w": ("warn", [("warn", "warning")]),
        "d": ("allow", [("dryrun", "info")]),
        "s": ("warn", [("scoped", "warning")]),
        "x": ("deny", [("deny", "error")]),
    }
    assert (report.summary.denied, report.summary.warned, report.summary.allowed) == (1, 2, 1)


def test_same_kind_and_name_in_different_files_map_to_their_own_file(tmp_path: Path) -> None:
    policies = _policies(tmp_path, _constraint("no-priv", PODS_AND_DEPLOYMENTS))
    risky = write(tmp_path / "a" / "web.yaml", "# risky copy\n" + pod("web", "apps", privileged=True))
    safe = write(tmp_path / "b" / "web.yaml", pod("web", "apps"))
    twin = write(
        tmp_path / "c" / "web.yaml", "# twin\n# of a/web.yaml\n" + pod("web", "apps", privileged=True)
    )
    report = scan([tmp_path / "a", tmp_path / "b", tmp_path / "c"], policies=[policies])
    got = [(r.file, r.line, r.verdict) for r in report.results]
    assert got == [(str(risky), 2, "deny"), (str(safe), 1, "allow"), (str(twin), 3, "deny")]
    # the identical twin is evaluated once with its original; the differing one needs its own run
    assert report.summary.gator_runs == 2


def test_multi_document_and_list_objects_keep_their_lines(tmp_path: Path) -> None:
    policies = _policies(tmp_path, _constraint("no-priv", PODS_AND_DEPLOYMENTS))
    inputs = write(
        tmp_path / "many.yaml", "---\n".join([pod("one"), pod("two", privileged=True), pod("three")])
    )
    report = scan([inputs, DEMO / "legacy"], policies=[policies])
    denied = [(Path(r.file).name, r.line, r.name) for r in report.results if r.verdict == "deny"]
    assert denied == [("many.yaml", 12, "two"), ("debug-pods.json", 11, "debug-shell")]


def test_numbers_survive_the_round_trip_through_gator(tmp_path: Path) -> None:
    policies = _policies(tmp_path, _constraint("no-priv", PODS_AND_DEPLOYMENTS))
    text = pod("floaty", privileged=True).replace(
        "      securityContext", "      resources: {limits: {cpu: 1.0, memory: 1e3}}\n      securityContext"
    )
    report = scan([write(tmp_path / "floaty.yaml", text)], policies=[policies])
    assert [r.verdict for r in report.results] == ["deny"]
    assert not [n for n in report.notes if n.id == "scan/unmatched"]


def test_batches_and_parallel_runs_give_the_same_verdicts() -> None:
    one = scan([DEMO], policies=[TEST_POLICIES])
    split = scan([DEMO], policies=[TEST_POLICIES], batch_size=4, jobs=2)
    assert split.summary.gator_runs > 1
    assert [(r.file, r.line, r.verdict, [v.message for v in r.violations]) for r in split.results] == [
        (r.file, r.line, r.verdict, [v.message for v in r.violations]) for r in one.results
    ]


def test_gatekeeper_objects_among_the_inputs_are_not_applied(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(TEST_POLICIES, inputs)
    write(inputs / "pod.yaml", pod("p", privileged=True))
    report = scan([inputs], policies=[_policies(tmp_path, _constraint("no-priv", PODS_AND_DEPLOYMENTS))])
    assert [(r.name, r.verdict) for r in report.results] == [("p", "deny")]
    assert report.summary.policies == 1
    assert sum(n.id == "scan/policy-object" for n in report.notes) == 6


def test_policy_folder_errors(tmp_path: Path) -> None:
    only_template = _policies(tmp_path)
    with pytest.raises(InputError, match="no Constraints"):
        scan([DEMO], policies=[only_template])
    orphan = write(
        tmp_path / "orphan" / "c.yaml",
        _constraint("x", "match: {}").replace("K8sTestPrivileged", "K8sNoTemplate"),
    )
    with pytest.raises(InputError, match="no ConstraintTemplate defines"):
        scan([DEMO], policies=[orphan.parent])
    with pytest.raises(InputError, match="no such policy"):
        scan([DEMO], policies=[tmp_path / "absent"])


def test_bundle_folders_contribute_one_constraint_and_no_examples(tmp_path: Path) -> None:
    corpus_bundle = REPO / "policies" / "pod-security" / "privileged-containers"
    bundle = tmp_path / "bundle"
    shutil.copytree(corpus_bundle, bundle)
    constraint = (bundle / "samples" / "privileged-containers" / "constraint.yaml").read_text()
    (bundle / "constraint.yaml").write_text(
        constraint.replace("name: privileged-containers", "name: from-ask")
    )
    report = scan([DEMO / "legacy"], policies=[bundle])
    assert [(p.constraint_name, p.policy_id) for p in report.policies] == [
        ("from-ask", "privileged-containers")
    ]
    assert report.policies[0].title and report.policies[0].severity
    (violation,) = report.violations
    assert (violation.object_name, violation.policy_id, violation.id) == (
        "debug-shell",
        "privileged-containers",
        "K8sPrivilegedContainers/from-ask",
    )
    # the corpus layout (no root constraint.yaml) uses the first sample's constraint
    report = scan([DEMO / "legacy"], policies=[corpus_bundle])
    assert [p.constraint_name for p in report.policies] == ["privileged-containers"]


def test_default_policies_are_the_corpus() -> None:
    report = scan([DEMO])
    assert report.summary.policies >= 1
    verdicts = {(r.kind, r.name): r for r in report.results}
    assert verdicts[("Pod", "debug-shell")].verdict == "deny"
    assert "privileged-containers" in {v.policy_id for v in verdicts[("Pod", "debug-shell")].violations}
    assert verdicts[("DaemonSet", "kube-proxy")].verdict == "allow"  # kube-system is excluded
    assert verdicts[("ConfigMap", "debug-scripts")].violations == []


def test_expansion_templates_report_on_the_parent_workload(tmp_path: Path) -> None:
    policies = _policies(
        tmp_path, _constraint("pods-only", "match: {kinds: [{apiGroups: [''], kinds: [Pod]}]}")
    )
    write(
        policies / "expansion.yaml",
        """
        apiVersion: expansion.gatekeeper.sh/v1beta1
        kind: ExpansionTemplate
        metadata: {name: expand-deployments}
        spec:
          applyTo: [{groups: [apps], kinds: [Deployment], versions: [v1]}]
          templateSource: spec.template
          generatedGVK: {kind: Pod, group: "", version: v1}
        """,
    )
    deployment = write(
        tmp_path / "deploy.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: apps}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: c, image: nginx:1.25, securityContext: {privileged: true}}]
        """,
    )
    (result,) = scan([deployment], policies=[policies]).results
    assert (result.kind, result.verdict) == ("Deployment", "deny")
    assert result.violations[0].message.startswith("[Implied by expand-deployments]")


def test_namespace_selector_sees_namespaces_from_other_runs(tmp_path: Path) -> None:
    policies = _policies(
        tmp_path,
        _constraint("env-prod", "match: {namespaceSelector: {matchLabels: {env: prod}}}"),
    )
    inputs = write(
        tmp_path / "inputs.yaml",
        "---\n".join([_namespace("prod", "env: prod"), pod("p", "prod", privileged=True)]),
    )
    report = scan([inputs], policies=[policies], batch_size=1)
    assert report.summary.gator_runs == 2
    assert [(r.name, r.verdict, len(r.violations)) for r in report.results] == [
        ("prod", "allow", 0),
        ("p", "deny", 1),
    ]
    assert report.notes == []


def test_a_single_path_is_one_path_not_its_characters() -> None:
    report = scan(str(DEMO / "legacy"), policies=str(TEST_POLICIES))
    assert [(r.name, r.verdict) for r in report.results] == [
        ("debug-scripts", "allow"),
        ("debug-shell", "deny"),
    ]
