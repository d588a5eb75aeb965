"""The offline rate: the agent (offline provider, keyword retrieval) on every phrasing of every exemplar.

    .venv/bin/python bench/offline_phrasings.py [--workers 2] [--limit N] [--quick]

For each corpus exemplar (policies/*/*/meta.yaml) and each of its phrasings, runs
copilot.agent.run_request(phrasing, provider="offline", retrieval="keyword",
checkpoint="memory") and counts verified / declined / not verified, and whether a
verified policy was built from that exemplar (draft.exemplar_ids, else the first
retrieved exemplar). Prints the rate per exemplar and overall and every phrasing that
did not give a verified policy from its own exemplar. --limit N runs only the first N
phrasings (spread over the exemplars); --quick is --limit 20.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cpu_seconds, median, p90, write_result  # noqa: E402

from tools.corpus.load import load_corpus  # noqa: E402


def cases() -> list[tuple[str, str]]:
    """(exemplar id, phrasing), interleaved over exemplars so a --limit run samples all of them."""
    per: list[tuple[str, list[str]]] = []
    for ex in load_corpus():
        phrasings = [str(p) for p in ex.meta.get("phrasings") or []]
        per.append((ex.id, phrasings))
    out: list[tuple[str, str]] = []
    depth = max((len(p) for _, p in per), default=0)
    for i in range(depth):
        out += [(ex_id, phrasings[i]) for ex_id, phrasings in per if i < len(phrasings)]
    return out


def one(ex_id: str, phrasing: str) -> dict[str, Any]:
    from copilot.agent import run_request

    started = time.perf_counter()
    try:
        result = run_request(phrasing, provider="offline", retrieval="keyword", checkpoint="memory")
    except Exception as exc:  # a crash is a result too: it is reported, not hidden
        return {
            "exemplar": ex_id,
            "phrasing": phrasing,
            "status": "error",
            "reason": f"{type(exc).__name__}: {exc}"[:300],
            "built_from": [],
            "own_exemplar": False,
            "seconds": round(time.perf_counter() - started, 3),
        }
    built = list(result.draft.exemplar_ids) if result.draft is not None else []
    retrieved = [str(e.get("id")) for e in result.exemplars]
    status = "verified" if result.verified else result.status
    return {
        "exemplar": ex_id,
        "phrasing": phrasing,
        "status": status,
        "reason": result.reason[:300],
        "built_from": built,
        "retrieved": retrieved,
        "own_exemplar": ex_id in (built or retrieved[:1]),
        "policy_id": result.policy_id,
        "rounds": result.rounds,
        "seconds": round(time.perf_counter() - started, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="threads running requests")
    parser.add_argument("--limit", type=int, default=0, help="run only the first N phrasings")
    parser.add_argument("--quick", action="store_true", help="same as --limit 20")
    parser.add_argument("--out", type=Path, default=None, help="JSON result file")
    args = parser.parse_args(argv)
    todo = cases()
    limit = 20 if args.quick and not args.limit else args.limit
    if limit:
        todo = todo[:limit]
    print(f"{len(todo)} phrasings, {args.workers} workers", file=sys.stderr, flush=True)
    started, cpu_before = time.perf_counter(), cpu_seconds()
    results: list[dict[str, Any]] = []
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        futures = [pool.submit(one, ex_id, phrasing) for ex_id, phrasing in todo]
        for i, future in enumerate(futures, 1):
            results.append(future.result())
            if i % 20 == 0:
                print(f"… {i}/{len(todo)}", file=sys.stderr, flush=True)
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before

    def good(r: dict[str, Any]) -> bool:
        return r["status"] == "verified" and r["own_exemplar"]

    per: dict[str, dict[str, int]] = {}
    for r in results:
        row = per.setdefault(
            r["exemplar"], {"phrasings": 0, "verified": 0, "own": 0, "declined": 0, "other": 0}
        )
        row["phrasings"] += 1
        if r["status"] == "verified":
            row["verified"] += 1
            row["own"] += r["own_exemplar"]
        elif r["status"] == "declined":
            row["declined"] += 1
        else:
            row["other"] += 1
    counts = {
        "phrasings": len(results),
        "verified": sum(r["status"] == "verified" for r in results),
        "verified_from_own_exemplar": sum(good(r) for r in results),
        "declined": sum(r["status"] == "declined" for r in results),
        "not_verified": sum(r["status"] == "not_verified" for r in results),
        "other": sum(r["status"] not in {"verified", "declined", "not_verified"} for r in results),
    }
    total = max(1, counts["phrasings"])
    print(
        f"{'exemplar':<32} {'phrasings':>9} {'verified':>8} {'own':>4} {'declined':>8} {'other':>5} {'rate':>6}"
    )
    for ex_id, row in sorted(per.items()):
        rate = row["own"] / row["phrasings"]
        print(
            f"{ex_id:<32} {row['phrasings']:>9} {row['verified']:>8} {row['own']:>4} {row['declined']:>8}"
            f" {row['other']:>5} {rate:>6.0%}"
        )
    print(
        f"overall: {counts['verified']}/{total} verified ({counts['verified'] / total:.1%}), "
        f"{counts['verified_from_own_exemplar']}/{total} verified from the asked-for exemplar "
        f"({counts['verified_from_own_exemplar'] / total:.1%}); declined {counts['declined']}, "
        f"not verified {counts['not_verified']}, other {counts['other']}"
    )
    seconds = [r["seconds"] for r in results]
    print(
        f"per request: median {median(seconds):.2f}s, p90 {p90(seconds):.2f}s; "
        f"whole run {wall:.0f}s wall, {cpu:.0f}s CPU"
    )
    failed = [r for r in results if not good(r)]
    if failed:
        print(f"phrasings without a verified policy from their exemplar ({len(failed)}):")
        for r in failed:
            got = ",".join(r["built_from"]) or "-"
            print(f"  [{r['exemplar']}] {r['status']} (built from {got}): {r['phrasing']!r}")
            if r["reason"] and r["status"] != "verified":
                print(f"      {r['reason'][:160]}")
    write_result(
        "offline_phrasings",
        {
            "workers": args.workers,
            "limit": limit,
            "counts": counts,
            "rate_verified": round(counts["verified"] / total, 4),
            "rate_own_exemplar": round(counts["verified_from_own_exemplar"] / total, 4),
            "wall_seconds": round(wall, 1),
            "cpu_seconds": round(cpu, 1),
            "request_seconds_median": round(median(seconds), 3),
            "request_seconds_p90": round(p90(seconds), 3),
            "per_exemplar": per,
            "failed": failed,
            "results": results,
        },
        args.out,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
