"""kpc scan finds exactly what a plain gator run finds on the same objects and policies."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType

from scan_support import DEMO, REPO

from tools.engine.measure import gator_test_argv, measure
from tools.scan import scan
from tools.scan.policies import default_policy_root, policy_files


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scan_bench", REPO / "bench" / "scan_bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gator_violations(files: list[str]) -> Counter[tuple[str, str, str, str]]:
    run = measure(gator_test_argv(files))
    assert run.returncode in (0, 1), run.stderr.decode()[-500:]
    found: Counter[tuple[str, str, str, str]] = Counter()
    for item in json.loads(run.stdout or b"[]") or []:
        obj = item["violatingObject"]
        found[
            (item["constraint"]["metadata"]["name"], obj["kind"], obj["metadata"]["name"], item["msg"])
        ] += 1
    assert run.peak_rss_mb > 0 and run.seconds > 0
    return found


def test_generated_repository_matches_plain_gator(tmp_path: Path) -> None:
    bench = _bench()
    repo = bench.generate_repo(tmp_path / "repo", 40)
    clean = bench._clean_copy(repo, tmp_path / "clean.yaml")
    policies = [str(p) for p in policy_files(default_policy_root())]
    expected = _gator_violations([*policies, str(clean)])
    report = scan([repo])
    got = Counter(
        (v.constraint_name, r.kind, r.name, v.message) for r in report.results for v in r.violations
    )
    assert got == expected
    assert sum(expected.values()) > 0
    # every violation points at the file and line of its own object
    for result in report.results:
        text = Path(result.file).read_text().splitlines()
        assert text[result.line - 1].startswith(("apiVersion:", "kind:", "metadata:", "spec:")), (
            result.location()
        )


def test_demo_repository_matches_plain_gator(tmp_path: Path) -> None:
    clean = _bench()._clean_copy(DEMO, tmp_path / "clean.yaml")
    policies = [str(p) for p in policy_files(default_policy_root())]
    expected = _gator_violations([*policies, str(clean)])
    report = scan([DEMO])
    got = Counter(
        (v.constraint_name, r.kind, r.name, v.message) for r in report.results for v in r.violations
    )
    assert got == expected
