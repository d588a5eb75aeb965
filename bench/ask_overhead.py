"""`kpc ask --provider offline` wall time beside the sum of the steps it runs, timed directly.

    .venv/bin/python bench/ask_overhead.py [--repeat 2] [--quick]

For a few corpus requests: `kpc ask --provider offline REQUEST --out FRESH --format json`
as a new process (cold start included; keyword retrieval, a temp KPC_HOME), then the
same steps called directly in this process, one after the other: tools.draft.draft_offline,
tools.bundle_writer.write_bundle, tools.verify.verify_bundle and the agent's contrast check
(copilot.agent.mutation.mutation_check, a tool call every verified answer needs). The agent's own
timings (result seconds, report.json verification seconds) are read back too.
Target: kpc ask wall / sum of the direct steps <= 1.3.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, cpu_seconds, median, write_result  # noqa: E402

from tools.engine.measure import measure  # noqa: E402

TARGET = 1.3
REQUESTS = [
    "deny privileged containers except in kube-system",
    "images must come from registry.example.com:5000 or ghcr.io/acme/",
    "require every container to set cpu and memory limits",
    "block hostPath volumes",
]
KPC_BIN = ROOT / ".venv" / "bin" / "kpc"


def ask_process(request: str, out: Path, env: dict[str, str]) -> dict[str, Any]:
    kpc = [str(KPC_BIN)] if KPC_BIN.exists() else [sys.executable, "-m", "copilot.cli"]
    argv = [*kpc, "ask", "--provider", "offline", request, "--out", str(out), "--format", "json"]
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        run = measure(argv, cwd=ROOT)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    payload: dict[str, Any] = {}
    with contextlib.suppress(json.JSONDecodeError):
        payload = json.loads(run.stdout or b"{}")
    report_file = out / "report.json"
    report = json.loads(report_file.read_text()) if report_file.is_file() else {}
    return {
        "wall_s": round(run.seconds, 3),
        "cpu_s": round(run.cpu_seconds, 3),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
        "exit": run.returncode,
        "status": payload.get("status"),
        "rounds": payload.get("rounds"),
        "agent_seconds": payload.get("seconds"),
        "report_seconds": report.get("seconds"),
        "report_checks_s": {c["name"]: c.get("seconds", 0.0) for c in report.get("checks", [])},
    }


def direct_steps(request: str, out: Path) -> dict[str, Any]:
    from copilot.agent.mutation import mutation_check
    from tools.bundle_writer import write_bundle
    from tools.draft import draft_offline
    from tools.verify import verify_bundle

    times: dict[str, float] = {}
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    outcome = draft_offline(request)
    times["draft_offline"] = time.perf_counter() - started
    if outcome.draft is None:
        return {"status": outcome.status, "steps_s": times, "sum_s": sum(times.values()), "cpu_s": 0.0}
    started = time.perf_counter()
    write_bundle(outcome.draft, out)
    times["write_bundle"] = time.perf_counter() - started
    started = time.perf_counter()
    report = verify_bundle(out)
    times["verify_bundle"] = time.perf_counter() - started
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kpc-bench-mutants-") as mutants:
        mutation_check(outcome.draft, Path(mutants))
    times["mutation_check"] = time.perf_counter() - started
    return {
        "status": "verified" if report.ok else "not_verified",
        "steps_s": {k: round(v, 3) for k, v in times.items()},
        "sum_s": round(sum(times.values()), 3),
        "cpu_s": round(cpu_seconds() - cpu_before, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each request, each way (median)")
    parser.add_argument("--quick", action="store_true", help="two requests, one run each")
    parser.add_argument("--out", type=Path, default=None, help="JSON result file")
    args = parser.parse_args(argv)
    requests = REQUESTS[:2] if args.quick else REQUESTS
    repeat = 1 if args.quick else args.repeat
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="kpc-ask-overhead-") as tmp:
        home = Path(tmp) / "home"
        env = {"KPC_HOME": str(home), "KPC_RETRIEVAL": "keyword"}
        os.environ.update(env)  # the direct steps use the same (empty) state dir
        for i, request in enumerate(requests):
            asks, directs = [], []
            for run in range(repeat):
                print(f"… {request!r} run {run + 1}", file=sys.stderr, flush=True)
                asks.append(ask_process(request, Path(tmp) / f"ask-{i}-{run}", env))
                directs.append(direct_steps(request, Path(tmp) / f"direct-{i}-{run}"))
            ask_wall = median([a["wall_s"] for a in asks])
            steps_sum = median([d["sum_s"] for d in directs])
            rows.append(
                {
                    "request": request,
                    "ask": asks,
                    "direct": directs,
                    "ask_wall_median_s": round(ask_wall, 3),
                    "ask_cpu_median_s": round(median([a["cpu_s"] for a in asks]), 3),
                    "steps_sum_median_s": round(steps_sum, 3),
                    "steps_cpu_median_s": round(median([d["cpu_s"] for d in directs]), 3),
                    "ratio": round(ask_wall / steps_sum, 3) if steps_sum else None,
                }
            )
    ratios = [r["ratio"] for r in rows if r["ratio"]]
    overall = median(ratios) if ratios else 0.0
    print(
        f"kpc ask --provider offline (new process, cold) vs draft + write + verify + contrast check called directly; median of {repeat}"
    )
    print(
        f"{'request':<62} {'ask s':>6} {'cpu s':>6} {'steps s':>7} {'cpu s':>6} {'ratio':>6} "
        f"{'agent s':>7} {'verify s':>8} status"
    )
    for r in rows:
        last = r["ask"][-1]
        print(
            f"{r['request'][:62]:<62} {r['ask_wall_median_s']:>6.2f} {r['ask_cpu_median_s']:>6.2f}"
            f" {r['steps_sum_median_s']:>7.2f} {r['steps_cpu_median_s']:>6.2f} {r['ratio'] or 0:>6.2f}"
            f" {last['agent_seconds'] or 0:>7.2f} {last['report_seconds'] or 0:>8.2f} "
            f"{last['status']}/{r['direct'][-1]['status']} (rounds {last['rounds']})"
        )
    met = bool(ratios) and overall <= TARGET
    print(f"median ratio {overall:.2f}x (target <= {TARGET}x: {'met' if met else 'NOT met'})")
    write_result(
        "ask_overhead",
        {
            "repeat": repeat,
            "target": TARGET,
            "ratio_median": round(overall, 3),
            "target_met": met,
            "rows": rows,
        },
        args.out,
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
