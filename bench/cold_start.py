"""Cold start of `kpc` commands as fresh processes, beside `python -c pass` and `opa version`.

    .venv/bin/python bench/cold_start.py [--repeat 10] [--quick]

Each command runs --repeat times as a new process (the runs of all commands interleave,
so they share the machine's load); the median and p90 wall time, the median CPU time and
the peak RSS are reported. Then each kpc command runs once more in-process under a
watcher that lists the heavy modules it imported (torch, sentence-transformers, chromadb,
langgraph, textual, openai, ...): the list must be empty for every command.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, median, p90, write_result  # noqa: E402

from tools.corpus.load import POLICIES_DIR  # noqa: E402
from tools.engine import tool_path  # noqa: E402
from tools.engine.measure import measure  # noqa: E402

HEAVY = [
    "torch",
    "sentence_transformers",
    "transformers",
    "chromadb",
    "langgraph",
    "langchain_core",
    "textual",
    "openai",
    "numpy",
    "onnxruntime",
]
KPC_BIN = ROOT / ".venv" / "bin" / "kpc"
# Runs the kpc entry point in this interpreter, then prints the heavy modules it loaded.
PROBE = """
import json, sys
sys.argv = ["kpc", *json.loads(sys.argv[1])]
heavy = HEAVY_LIST
from copilot.cli import main
try:
    main()
except SystemExit:
    pass
loaded = sorted({m.split(".")[0] for m in sys.modules} & set(heavy))
sys.stderr.write("KPC-HEAVY " + json.dumps(loaded) + "\\n")
"""


def commands() -> list[tuple[str, list[str], list[str] | None]]:
    """(label, argv, kpc arguments for the import probe or None for anchors)."""
    src = sorted(POLICIES_DIR.glob("pod-security/privileged-containers/src.rego"))[0]
    kpc = [str(KPC_BIN)] if KPC_BIN.exists() else [sys.executable, "-m", "copilot.cli"]
    rel = str(src.relative_to(ROOT))
    return [
        ("python -c pass", [sys.executable, "-c", "pass"], None),
        ("opa version", [str(tool_path("opa")), "version"], None),
        ("kpc --help", [*kpc, "--help"], ["--help"]),
        ("kpc scan --help", [*kpc, "scan", "--help"], ["scan", "--help"]),
        ("kpc lint --help", [*kpc, "lint", "--help"], ["lint", "--help"]),
        ("kpc verify --help", [*kpc, "verify", "--help"], ["verify", "--help"]),
        # The agent (langgraph) loads only when a request runs, never for the help.
        ("kpc ask --help", [*kpc, "ask", "--help"], ["ask", "--help"]),
        (f"kpc lint {rel}", [*kpc, "lint", rel], ["lint", rel]),
    ]


def heavy_imports(args: list[str]) -> list[str] | None:
    code = PROBE.replace("HEAVY_LIST", json.dumps(HEAVY))
    proc = subprocess.run(
        [sys.executable, "-c", code, json.dumps(args)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    for line in proc.stderr.splitlines():
        if line.startswith("KPC-HEAVY "):
            loaded: list[str] = json.loads(line.removeprefix("KPC-HEAVY "))
            return loaded
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="runs per command (median)")
    parser.add_argument("--quick", action="store_true", help="3 runs per command")
    parser.add_argument("--out", type=Path, default=None, help="JSON result file")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else args.repeat
    todo = commands()
    for _, cmd, _ in todo:
        measure(cmd, cwd=ROOT)  # warm the page cache and the .pyc files once
    runs: dict[str, list[Any]] = {label: [] for label, _, _ in todo}
    exits: dict[str, int] = {}
    for _ in range(repeat):
        for label, cmd, _ in todo:
            run = measure(cmd, cwd=ROOT)
            runs[label].append(run)
            exits[label] = run.returncode
    rows = []
    for label, _, probe in todo:
        wall = [r.seconds for r in runs[label]]
        rows.append(
            {
                "command": label,
                "exit": exits[label],
                "median_s": round(median(wall), 4),
                "p90_s": round(p90(wall), 4),
                "cpu_median_s": round(median([r.cpu_seconds for r in runs[label]]), 4),
                "peak_rss_mb": round(max(r.peak_rss_mb for r in runs[label]), 1),
                "heavy_modules": heavy_imports(probe) if probe is not None else None,
            }
        )
    base = rows[0]["median_s"]
    print(f"cold start, {repeat} interleaved runs each (fresh process; wall median/p90, CPU median)")
    print(
        f"{'command':<58} {'median ms':>9} {'p90 ms':>8} {'cpu ms':>8} {'MB':>5} {'x python':>8}  heavy imports"
    )
    for r in rows:
        heavy = "-" if r["heavy_modules"] is None else (", ".join(r["heavy_modules"]) or "none")
        print(
            f"{r['command']:<58} {r['median_s'] * 1000:>9.0f} {r['p90_s'] * 1000:>8.0f} "
            f"{r['cpu_median_s'] * 1000:>8.0f} {r['peak_rss_mb']:>5.0f} {r['median_s'] / base:>8.1f}  {heavy}"
        )
    clean = all(r["heavy_modules"] == [] for r in rows if r["heavy_modules"] is not None)
    print(f"heavy modules imported: {'none' if clean else 'YES (see above)'}")
    write_result(
        "cold_start",
        {"repeat": repeat, "heavy_watch": HEAVY, "rows": rows, "no_heavy_imports": clean},
        args.out,
    )
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
