"""Scan throughput: `kpc scan` beside `gator test` and `conftest test` on the same generated manifests.

    .venv/bin/python bench/scan_throughput.py [--sizes 1000,2500,5000] [--repeat 1] [--quick]

Inputs: bench/scan_bench.py's seeded generator (workloads, Services, Ingresses, RBAC,
ConfigMaps; some compliant, some not), at each size. Policies: the whole corpus.
  kpc scan       the generated folder, every corpus policy (as `kpc scan` reads them)
  gator test     the same objects as one YAML stream, every template + first sample constraint
  conftest test  the same stream, every policy's conftest variant (generated main.rego,
                 src.rego and libs from tools.bundle.conftest_policy_paths), in ONE run: the
                 variants all say `package main`, so each entry point is copied with its own
                 package (kpcbench.<id>) and conftest runs with --all-namespaces.
All three run in the same process of this script, one after the other per size. Reports
objects/second, wall, CPU (process + children) and peak RSS, the violation count, and the
linearity of each tool (seconds per 1,000 objects at each size, relative to the smallest).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, median, write_result  # noqa: E402
from scan_bench import KPC, _clean_copy, generate_repo  # noqa: E402

from tools.bundle import conftest_policy_paths  # noqa: E402
from tools.corpus.load import POLICIES_DIR  # noqa: E402
from tools.engine import tool_path  # noqa: E402
from tools.engine.measure import Measured, gator_test_argv, measure  # noqa: E402
from tools.scan.policies import policy_files  # noqa: E402

_PACKAGE_MAIN = re.compile(r"^package main\s*$", re.MULTILINE)


def conftest_policies(work: Path) -> tuple[list[Path], int]:
    """Every corpus conftest variant as --policy paths for one conftest run (entry points renamed)."""
    paths: list[Path] = []
    seen: set[Path] = set()
    count = 0
    for bundle in sorted(p.parent.parent for p in POLICIES_DIR.glob("*/*/conftest/policy")):
        entry, *rest = conftest_policy_paths(bundle)
        package = "kpcbench." + bundle.name.replace("-", "_")
        renamed = work / f"{bundle.name}.rego"
        source = (entry / "main.rego").read_text()
        renamed.write_text(_PACKAGE_MAIN.sub(f"package {package}", source, count=1))
        count += 1
        for path in [renamed, *rest]:
            if path not in seen:
                seen.add(path)
                paths.append(path)
    return paths, count


def conftest_argv(policies: list[Path], inputs: Path) -> list[str]:
    argv = [str(tool_path("conftest")), "test", "-o", "json", "--no-color", "--all-namespaces"]
    for path in policies:
        argv += ["--policy", str(path)]
    return [*argv, str(inputs)]


def violations(run: Measured, tool: str) -> int | None:
    try:
        payload = json.loads(run.stdout or b"null")
    except json.JSONDecodeError:
        return None
    if payload is None:
        return None
    if tool == "kpc":
        return int(payload["summary"]["violations"])
    if tool == "conftest":
        return sum(len(item.get("failures") or []) for item in payload)
    return len(payload)


def bench_size(tmp: Path, size: int, repeat: int, conftest_paths: list[Path]) -> list[dict[str, Any]]:
    folder = generate_repo(tmp / f"generated-{size}", size)
    stream = _clean_copy(folder, tmp / f"generated-{size}.yaml")
    gator_files = [str(p) for p in policy_files(POLICIES_DIR)]
    cases = [
        ("kpc scan", "kpc", [*KPC, "scan", str(folder), "--format", "json", "-q"]),
        ("gator test", "gator", gator_test_argv([*gator_files, stream])),
        ("conftest test", "conftest", conftest_argv(conftest_paths, stream)),
    ]
    rows: list[dict[str, Any]] = []
    for name, tool, argv in cases:
        print(f"… {size} objects: {name}", file=sys.stderr, flush=True)
        runs = [measure(argv, cwd=ROOT) for _ in range(repeat)]
        last = runs[-1]
        found = violations(last, tool)
        wall = median([r.seconds for r in runs])
        rows.append(
            {
                "objects": size,
                "command": name,
                "ok": found is not None and last.returncode in (0, 1, 2),
                "exit": last.returncode,
                "seconds_median": round(wall, 3),
                "seconds_all": [round(r.seconds, 3) for r in runs],
                "cpu_seconds_median": round(median([r.cpu_seconds for r in runs]), 3),
                "peak_rss_mb": round(max(r.peak_rss_mb for r in runs), 1),
                "objects_per_second": round(size / wall, 1),
                "violations": found,
                "error": "" if found is not None else last.stderr.decode("utf-8", "replace").strip()[-300:],
            }
        )
    return rows


def linearity(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Seconds per 1,000 objects at each size, and that figure relative to the smallest size."""
    out: dict[str, dict[str, Any]] = {}
    for command in dict.fromkeys(r["command"] for r in rows):
        mine = sorted((r for r in rows if r["command"] == command), key=lambda r: r["objects"])
        per_k = {str(r["objects"]): r["seconds_median"] * 1000 / r["objects"] for r in mine}
        base = next(iter(per_k.values()))
        out[command] = {
            "seconds_per_1000": {k: round(v, 3) for k, v in per_k.items()},
            "relative_to_smallest": {k: round(v / base, 2) for k, v in per_k.items()},
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2500,5000", help="comma-separated object counts")
    parser.add_argument("--repeat", type=int, default=1, help="runs per command and size (median)")
    parser.add_argument("--quick", action="store_true", help="sizes 100,250,500")
    parser.add_argument("--out", type=Path, default=None, help="JSON result file")
    args = parser.parse_args(argv)
    sizes = [100, 250, 500] if args.quick else [int(s) for s in args.sizes.split(",")]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="kpc-scan-throughput-") as tmp:
        conftest_paths, variants = conftest_policies(Path(tmp))
        for size in sizes:
            rows += bench_size(Path(tmp), size, args.repeat, conftest_paths)
    gatekeeper = len(policy_files(POLICIES_DIR)) // 2
    print(
        f"scan throughput: {gatekeeper} corpus policies (gator/kpc), {variants} conftest variants in one "
        f"conftest run; median of {args.repeat}; CPU = process + children"
    )
    print(
        f"{'objects':>7}  {'command':<14} {'obj/s':>8} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'violations':>10}"
    )
    for r in rows:
        tail = f"{r['violations']:>10}" if r["ok"] else f"  failed: {r['error'][-120:]}"
        print(
            f"{r['objects']:>7}  {r['command']:<14} {r['objects_per_second']:>8.1f} {r['seconds_median']:>8.2f}"
            f" {r['cpu_seconds_median']:>8.2f} {r['peak_rss_mb']:>8.0f} {tail}"
        )
    lin = linearity(rows)
    print("linearity (wall seconds per 1,000 objects; 1.00 = linear):")
    for command, entry in lin.items():
        cells = ", ".join(
            f"{k}: {v:.2f}s ({entry['relative_to_smallest'][k]:.2f})"
            for k, v in entry["seconds_per_1000"].items()
        )
        print(f"  {command:<14} {cells}")
    write_result(
        "scan_throughput",
        {
            "sizes": sizes,
            "repeat": args.repeat,
            "conftest_variants": variants,
            "rows": rows,
            "linearity": lin,
        },
        args.out,
    )
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
