"""Retrieval latency: `tools.retrieve.retrieve()` beside a raw Chroma query on the same collection.

    .venv/bin/python bench/retrieval_latency.py [--queries 50] [--quick]

The index is built in a temp KPC_HOME by a separate process first, so this process
starts cold: the first retrieve() (model load, Chroma open, BM25 set-up) is reported
on its own. Then ~50 queries (corpus phrasings as text, meta.yaml features as manifest
features, and both together) run through retrieve(), each followed by the anchor: a
raw collection.query with the query's embedding computed beforehand (so the anchor is
the vector search alone). Reports median and p90 per kind of query.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, cpu_seconds, median, p90, write_result  # noqa: E402


def queries(count: int) -> list[tuple[str, str | None, list[str] | None]]:
    from tools.corpus.load import load_corpus

    out: list[tuple[str, str | None, list[str] | None]] = []
    corpus = load_corpus()
    for i in range(count):
        ex = corpus[i % len(corpus)]
        phrasings = [str(p) for p in ex.meta.get("phrasings") or [ex.id]]
        text = phrasings[(i // len(corpus)) % len(phrasings)]
        features = [str(f) for f in ex.meta.get("features") or []] or None
        kind = ("text", "features", "both")[i % 3]
        if kind == "features" and not features:
            kind = "text"
        out.append((kind, text if kind != "features" else None, features if kind != "text" else None))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=50, help="warm queries")
    parser.add_argument("--quick", action="store_true", help="15 warm queries")
    parser.add_argument("--out", type=Path, default=None, help="JSON result file")
    args = parser.parse_args(argv)
    count = 15 if args.quick else args.queries
    with tempfile.TemporaryDirectory(prefix="kpc-retrieval-latency-") as home:
        os.environ["KPC_HOME"] = home
        started = time.perf_counter()
        build = subprocess.run(
            [sys.executable, "-c", "from tools.retrieve import build_index; print(build_index())"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        build_s = time.perf_counter() - started
        if build.returncode != 0:
            print(f"index build failed: {build.stderr.strip()[-300:]}")
            return 1
        from tools.retrieve import resolve_location, retrieve
        from tools.retrieve.embed import embed
        from tools.retrieve.store import open_collection

        todo = queries(count)
        cpu_before = cpu_seconds()
        started = time.perf_counter()
        first = retrieve(todo[0][1], manifest_features=todo[0][2], k=5)
        cold_s = time.perf_counter() - started
        cold_cpu = cpu_seconds() - cpu_before
        collection = open_collection(resolve_location(), create=False)
        vectors = embed([text or " ".join(features or []) for _, text, features in todo])
        times: dict[str, list[float]] = {}
        anchor: list[float] = []
        for (kind, text, features), vector in zip(todo, vectors, strict=True):
            started = time.perf_counter()
            retrieve(text, manifest_features=features, k=5)
            times.setdefault(kind, []).append(time.perf_counter() - started)
            started = time.perf_counter()
            collection.query(query_embeddings=[vector], n_results=5)
            anchor.append(time.perf_counter() - started)
    every = [t for values in times.values() for t in values]
    rows: dict[str, Any] = {
        f"retrieve() {kind}": {"n": len(v), "median_ms": median(v) * 1000, "p90_ms": p90(v) * 1000}
        for kind, v in times.items()
    }
    rows["retrieve() all"] = {"n": len(every), "median_ms": median(every) * 1000, "p90_ms": p90(every) * 1000}
    rows["chroma collection.query (anchor)"] = {
        "n": len(anchor),
        "median_ms": median(anchor) * 1000,
        "p90_ms": p90(anchor) * 1000,
    }
    print(
        f"retrieval latency after warm-up ({count} queries; index built in {build_s:.1f}s by another process)"
    )
    print(f"{'query':<34} {'n':>4} {'median ms':>10} {'p90 ms':>8}")
    for name, row in rows.items():
        print(f"{name:<34} {row['n']:>4} {row['median_ms']:>10.1f} {row['p90_ms']:>8.1f}")
    print(
        f"cold first query (model load included): {cold_s:.2f}s wall, {cold_cpu:.2f}s CPU; top hit {first[0].id}"
    )
    ratio = rows["retrieve() all"]["median_ms"] / max(
        rows["chroma collection.query (anchor)"]["median_ms"], 1e-6
    )
    print(f"retrieve() / raw Chroma query (median): {ratio:.1f}x")
    write_result(
        "retrieval_latency",
        {
            "queries": count,
            "index_build_s": round(build_s, 2),
            "cold_first_query_s": round(cold_s, 3),
            "cold_first_query_cpu_s": round(cold_cpu, 3),
            "rows": {k: {kk: round(vv, 2) for kk, vv in v.items()} for k, v in rows.items()},
            "ratio_median_vs_anchor": round(ratio, 2),
        },
        args.out,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
