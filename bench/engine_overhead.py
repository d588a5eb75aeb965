"""Engine wrapper overhead: `tools.engine.opa_test` beside the same `opa test` command run directly.

    .venv/bin/python bench/engine_overhead.py [--repeat 40] [--policy privileged-containers] [--quick]

A corpus policy's src.rego, its libs and a generated _test.rego with 10 fixture tests
(one per sample example, cycled) are copied to a temp dir. The two ways of running the
tests alternate call by call, so both see the same machine load: (a) opa_test(...,
coverage=False) from Python, (b) `opa test --format json` with the same arguments
through subprocess.run. The steps the wrapper adds are then timed one by one
(capabilities file lookup, binary lookup, private temp dir, JSON parsing into models).
Target: median (a) / median (b) <= 1.15.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cpu_seconds, median, ms, p90, write_result  # noqa: E402

from tools.bundle import examples, expected_violation, lib_files, load_yaml_file, rego_package  # noqa: E402
from tools.corpus.load import POLICIES_DIR  # noqa: E402
from tools.engine import opa_test, tool_path  # noqa: E402
from tools.engine.opa import _parse_tests  # noqa: E402
from tools.engine.sandbox import DEFAULT_TIMEOUT, capabilities_file, minimal_env  # noqa: E402

TARGET = 1.15
FIXTURES = 10


def _bundle(policy_id: str) -> Path:
    found = sorted(POLICIES_DIR.glob(f"*/{policy_id}/src.rego"))
    if not found:
        raise SystemExit(f"no corpus policy {policy_id!r}")
    return found[0].parent


def write_workdir(bundle: Path, work: Path) -> list[Path]:
    """src.rego, its libs and a _test.rego with FIXTURES tests built from the policy's samples."""
    source = (bundle / "src.rego").read_text()
    package = rego_package(source)
    files = [work / "src.rego"]
    files[0].write_text(source)
    lib_dir = work / "lib"
    lib_dir.mkdir()
    for lib in lib_files(source):
        shutil.copy(lib, lib_dir / lib.name)
        files.append(lib_dir / lib.name)
    sample = sorted((bundle / "samples").iterdir())[0]
    spec = load_yaml_file(sample / "constraint.yaml").get("spec") or {}
    params = spec.get("parameters") or {}
    excluded = set((spec.get("match") or {}).get("excludedNamespaces") or [])
    # The constraint's namespace match is gator's job, not the Rego's: those examples are left out.
    cases = [
        e
        for e in examples(sample)
        if ((load_yaml_file(e).get("metadata") or {}).get("namespace") or "") not in excluded
    ]
    lines = [f"package {package}_test", "", f"import data.{package}", ""]
    for i in range(FIXTURES):
        example = cases[i % len(cases)]
        review = {
            "review": {"object": load_yaml_file(example), "operation": "CREATE"},
            "parameters": params,
        }
        check = "> 0" if expected_violation(example) else "== 0"
        lines += [
            f"# {example.name}",
            f"test_fixture_{i:02d} if {{",
            f"\tcount({package}.violation) {check} with input as {json.dumps(review)}",
            "}",
            "",
        ]
    test_file = work / "src_test.rego"
    test_file.write_text("\n".join(lines))
    files.append(test_file)
    return files


def _timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run(policy_id: str, repeat: int) -> dict[str, Any]:
    bundle = _bundle(policy_id)
    with tempfile.TemporaryDirectory(prefix="kpc-engine-overhead-") as tmp:
        work = Path(tmp)
        files = write_workdir(bundle, work)
        paths = [str(p.relative_to(work)) for p in files]
        # The exact command opa_test runs, typed by hand.
        argv = [
            str(tool_path("opa")),
            "test",
            "--format",
            "json",
            "--capabilities",
            str(capabilities_file()),
            "--timeout",
            f"{int(DEFAULT_TIMEOUT)}s",
            *paths,
        ]
        home = work / "home"
        home.mkdir()

        def wrapped() -> None:
            result = opa_test(paths, coverage=False, cwd=work)
            if not result.ok or len(result.tests) != FIXTURES:
                raise SystemExit(f"opa_test failed: {[f.message for f in result.findings][:3]}")

        def direct() -> None:
            proc = subprocess.run(
                argv, cwd=work, env=minimal_env(home), capture_output=True, text=True, check=False
            )
            if proc.returncode != 0 or len(json.loads(proc.stdout)) != FIXTURES:
                raise SystemExit(f"opa test failed: {proc.stderr[:300]}")

        wrapped()
        direct()  # warm-up: page cache, capabilities file, cached lookups
        times: dict[str, list[float]] = {"wrapper": [], "direct": []}
        cpu: dict[str, float] = {"wrapper": 0.0, "direct": 0.0}
        for i in range(repeat):
            order = [("wrapper", wrapped), ("direct", direct)]
            for name, fn in order if i % 2 == 0 else order[::-1]:
                before = cpu_seconds()
                times[name].append(_timed(fn))
                cpu[name] += cpu_seconds() - before
        # What the wrapper adds, step by step (each repeated, the median kept).
        stdout = subprocess.run(argv, cwd=work, capture_output=True, text=True, check=False).stdout
        steps = {
            "capabilities_file()": capabilities_file,
            "tool_path('opa') (cached)": lambda: tool_path("opa"),
            "private TemporaryDirectory": lambda: tempfile.TemporaryDirectory(prefix="kpc-opa-").cleanup(),
            "parse JSON into TestCase models": lambda: _parse_tests(stdout),
        }
        step_times = {name: median([_timed(fn) for _ in range(50)]) for name, fn in steps.items()}
    rows = {
        name: {
            "median_s": round(median(values), 4),
            "p90_s": round(p90(values), 4),
            "min_s": round(min(values), 4),
            "cpu_s_total": round(cpu[name], 3),
            "cpu_s_per_call": round(cpu[name] / repeat, 4),
        }
        for name, values in times.items()
    }
    ratio = rows["wrapper"]["median_s"] / rows["direct"]["median_s"]
    return {
        "policy": policy_id,
        "fixtures": FIXTURES,
        "repeat": repeat,
        "argv": argv,
        "rows": rows,
        "ratio_median": round(ratio, 3),
        "ratio_p90": round(rows["wrapper"]["p90_s"] / rows["direct"]["p90_s"], 3),
        "overhead_median_ms": round((rows["wrapper"]["median_s"] - rows["direct"]["median_s"]) * 1000, 2),
        "target": TARGET,
        "target_met": ratio <= TARGET,
        "wrapper_steps_ms": {k: round(v * 1000, 3) for k, v in step_times.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40, help="calls of each kind (alternating)")
    parser.add_argument("--policy", default="privileged-containers", help="corpus policy id")
    parser.add_argument("--quick", action="store_true", help="10 calls of each kind")
    parser.add_argument("--out", type=Path, default=None, help="JSON result file")
    args = parser.parse_args(argv)
    result = run(args.policy, 10 if args.quick else args.repeat)
    print(f"opa test, {FIXTURES} fixture tests of {args.policy}, {result['repeat']} alternating calls each")
    print(f"{'how':<40} {'median ms':>9} {'p90 ms':>8} {'min ms':>8} {'cpu ms/call':>11}")
    labels = {"wrapper": "tools.engine.opa_test(coverage=False)", "direct": "opa test --format json (direct)"}
    for name, row in result["rows"].items():
        print(
            f"{labels[name]:<40} {ms(row['median_s']):>9} {ms(row['p90_s']):>8} {ms(row['min_s']):>8}"
            f" {ms(row['cpu_s_per_call']):>11}"
        )
    print(
        f"ratio wrapper/direct: median {result['ratio_median']:.3f}x, p90 {result['ratio_p90']:.3f}x "
        f"(target <= {TARGET}x: {'met' if result['target_met'] else 'NOT met'}); "
        f"overhead {result['overhead_median_ms']:.1f} ms per call"
    )
    print(
        "wrapper steps (median of 50): "
        + ", ".join(f"{k} {v:.2f} ms" for k, v in result["wrapper_steps_ms"].items())
    )
    write_result("engine_overhead", result, args.out)
    return 0 if result["target_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
