"""The eval suites themselves: they load, their answer keys are valid Kubernetes objects, and they cover what they claim."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from copilot.evals.spec import Case
from copilot.evals.suite import exempt_copies, load_suite, load_suites, schema_problems
from tools.corpus.load import load_corpus
from tools.errors import InputError
from tools.kube import validation_error

REPO = Path(__file__).resolve().parents[1]
SUITES = load_suites([REPO / "evals" / "suites"])
MOCK = load_suites([REPO / "evals" / "mock"])
# Requests written without reading the drafter: scored, not tuned for (see evals/heldout/README.md).
HELDOUT = load_suites([REPO / "evals" / "heldout"])


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _all_containers(obj: dict) -> list[str]:
    """Where containers sit in the object, as the field names (for coverage checks)."""
    text = yaml.safe_dump(obj)
    return [field for field in ("initContainers", "containers") if f"{field}:" in text]


def test_enough_cases_of_our_own() -> None:
    assert len(SUITES) >= 30
    assert len({c.ref for c in SUITES}) == len(SUITES)


def test_heldout_cases_are_their_own() -> None:
    assert len(HELDOUT) >= 40
    assert not {c.ref for c in HELDOUT} & {c.ref for c in SUITES}


@pytest.mark.parametrize("case", SUITES + MOCK + HELDOUT, ids=[c.ref for c in SUITES + MOCK + HELDOUT])
def test_acceptance_manifests_are_valid_kubernetes_objects(case: Case) -> None:
    for check in case.checks:
        assert validation_error(check.object) is None, f"{check.name}: {validation_error(check.object)}"
    assert schema_problems(case) == []


def test_shared_manifest_files_are_valid() -> None:
    files = sorted((REPO / "evals" / "manifests").glob("*.yaml"))
    assert files
    for path in files:
        assert validation_error(yaml.safe_load(path.read_text())) is None, path.name


def test_answerable_cases_have_both_verdicts() -> None:
    for case in SUITES + MOCK:
        if "verified" not in case.spec.expect.statuses("default"):
            continue
        verdicts = {c.expected for c in case.checks}
        assert "allow" in verdicts and verdicts - {"allow"}, f"{case.ref} needs deny and allow manifests"


def test_requests_are_not_corpus_phrasings() -> None:
    phrasings = {_words(p) for ex in load_corpus() for p in ex.meta.get("phrasings", [])}
    copied = [c.ref for c in SUITES if _words(c.spec.request) in phrasings]
    assert copied == []


def test_suites_cover_the_shapes_engineers_use() -> None:
    kinds = {check.kind for case in SUITES for check in case.checks}
    assert {"Deployment", "StatefulSet", "CronJob", "DaemonSet", "Pod"} <= kinds
    assert any("initContainers" in _all_containers(c.object) for case in SUITES for c in case.checks)
    assert any(case.spec.expect.exempt_namespaces for case in SUITES)
    assert any(case.spec.target == "conftest" for case in SUITES)
    assert any(" and no " in case.spec.request for case in SUITES), "a compound request"
    declines = [c for c in SUITES if "declined" in c.spec.expect.statuses("offline")]
    assert len(declines) >= 4
    lengths = sorted(len(c.spec.request.split()) for c in SUITES)
    assert lengths[0] <= 4 and lengths[-1] >= 40, "terse and long requests"
    assert any(re.search(r"\d+(m|Mi|Gi)\b", c.spec.request) for c in SUITES), "quantities with units"
    assert any("^" in c.spec.request for c in SUITES), "a label regex"


def test_mock_suite_scenarios() -> None:
    by_id = {c.id: c for c in MOCK}
    assert by_id["repair-syntax-error-then-fixture-failure-then-pass"].spec.expect.rounds == 3
    assert by_id["exhaustion-always-failing"].spec.expect.statuses("mock") == ["not_verified"]
    assert by_id["scripted-decline"].spec.expect.statuses("mock") == ["declined"]
    cassette = by_id["cassette-host-network"].spec.mock_script
    assert isinstance(cassette, str) and (REPO / "evals" / "mock" / cassette).is_file()
    assert all(c.spec.mock_script is not None for c in MOCK)
    assert all(c.spec.mock_script is None for c in SUITES)


def test_exempt_namespaces_add_allowed_copies() -> None:
    case = next(c for c in SUITES if c.id == "privileged-except-system-and-monitoring")
    originals = [c for c in case.checks if not c.derived and c.expected == "deny"]
    copies = [c for c in case.checks if c.derived]
    assert len(copies) == 2 * len(originals)
    assert {c.namespace for c in copies} == {"kube-system", "monitoring"}
    assert all(c.expected == "allow" and c.object["metadata"]["namespace"] == c.namespace for c in copies)
    # The originals are untouched by the copying.
    assert all(c.object["metadata"]["namespace"] not in ("kube-system", "monitoring") for c in originals)


def test_cluster_scoped_objects_get_no_namespace_copies() -> None:
    case = next(c for c in SUITES if c.id == "rbac-no-star-verbs-or-resources")
    cluster_role = [c for c in case.checks if c.kind == "ClusterRole"]
    assert cluster_role and exempt_copies(cluster_role, ["kube-system"]) == []


def _suite(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "suite.yaml"
    path.write_text(body)
    return path


POD = "{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: team-a}, spec: {containers: [{name: c, image: nginx:1.25}]}}"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "suite: s\ncases:\n  - {id: a, request: x, manifests: [{verdict: deny, object: "
            + POD
            + "}], colour: red}\n",
            "colour",
        ),
        ("suite: s\ncases:\n  - {id: Bad_Id, request: x}\n", "kebab-case"),
        (
            "suite: s\ncases:\n  - {id: a, request: x, manifests: [{verdict: deny, object: "
            + POD
            + "}, {verdict: allow, object: "
            + POD
            + "}]}\n",
            "both Pod team-a/p",
        ),
        (
            "suite: s\ncases:\n  - {id: a, request: x, expect: {exempt_namespaces: [team-a]}, "
            "manifests: [{verdict: deny, object: " + POD + "}]}\n",
            "exempt namespace team-a",
        ),
        (
            "suite: s\ncases:\n  - {id: a, request: x, manifests: [{verdict: deny, object: "
            "{apiVersion: v1, kind: Pod, metadata: {namespace: a}, spec: {}}}]}\n",
            "metadata.name is required",
        ),
        (
            "suite: s\ncases:\n  - {id: a, request: x, manifests: [{verdict: deny, file: nowhere.yaml}]}\n",
            "nowhere.yaml",
        ),
        ("suite: s\ncases: [\n", "cannot read suite"),
        (
            "suite: s\ncases:\n  - {id: a, request: x, expect: {status: declined}}\n  - {id: a, request: y, expect: {status: declined}}\n",
            "duplicate case ids",
        ),
    ],
)
def test_malformed_suites_are_one_line_input_errors(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        load_suite(_suite(tmp_path, body))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_cases_without_manifests_and_status_by_provider(tmp_path: Path) -> None:
    body = (
        "suite: s\ncases:\n"
        "  - {id: a, request: x, expect: {status: declined}}\n"
        "  - {id: b, request: y, expect: {status: {offline: declined, default: [verified, declined]}}, "
        "manifests: [{verdict: deny, object: " + POD + "}]}\n"
    )
    first, second, third = load_suite(_suite(tmp_path, body + "  - {id: c, request: z}\n"))
    assert first.checks == [] and first.spec.expect.statuses("openai") == ["declined"]
    assert third.checks == [] and third.spec.expect.statuses("offline") == ["verified"]
    assert second.spec.expect.statuses("offline") == ["declined"]
    assert second.spec.expect.statuses("openai") == ["verified", "declined"]


def test_invalid_object_is_reported_per_case(tmp_path: Path) -> None:
    body = (
        "suite: s\ncases:\n  - {id: a, request: x, manifests: [{verdict: deny, object: "
        "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: x, colour: red}]}}}]}\n"
    )
    (case,) = load_suite(_suite(tmp_path, body))
    problems = schema_problems(case)
    assert len(problems) == 1 and "colour" in problems[0]


def test_suite_folders_and_missing_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_suites([tmp_path / "missing.yaml"])
    with pytest.raises(InputError, match="no \\*.yaml suite files"):
        load_suites([tmp_path])
    assert len(load_suites([REPO / "evals" / "suites" / "images.yaml"])) == len(
        [c for c in SUITES if c.suite == "images"]
    )


def test_manifest_files_with_several_objects_and_key_aliases(tmp_path: Path) -> None:
    docs = [
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": f"p{i}", "namespace": "a"},
            "spec": {"containers": []},
        }
        for i in range(3)
    ]
    (tmp_path / "two.yaml").write_text(yaml.safe_dump_all(docs[:2]))
    (tmp_path / "list.yaml").write_text(
        yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": docs[2:]})
    )
    body = (
        "suite: s\ncases:\n  - id: a\n    prompt: no pods\n    manifests:\n"
        "      - {expected: deny, path: two.yaml, name: pair}\n"
        "      - {verdict: allow, file: list.yaml}\n"
        "      - {expected: allow, manifest: {apiVersion: v1, kind: Namespace, metadata: {name: a}}}\n"
    )
    (case,) = load_suite(_suite(tmp_path, body))
    assert case.spec.request == "no pods"
    assert [(c.name, c.expected, c.object_name) for c in case.checks] == [
        ("pair-1", "deny", "p0"),
        ("pair-2", "deny", "p1"),
        ("pod-p2", "allow", "p2"),
        ("namespace-a", "allow", "a"),
    ]
