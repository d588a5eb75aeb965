"""Retrieval quality benchmark: held-out phrasings against the exemplar index.

    .venv/bin/python bench/retrieval_quality.py [--holdout 2] [--out bench/results/retrieval_quality.json]

Prints recall@1, recall@3 and MRR and writes them, with every miss, as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.corpus.load import load_corpus  # noqa: E402
from tools.retrieve import weights  # noqa: E402
from tools.retrieve.quality import evaluate_holdout  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "results" / "retrieval_quality.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout", type=int, default=2, help="phrasings held out per exemplar")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the JSON results")
    args = parser.parse_args(argv)

    corpus = load_corpus()
    with tempfile.TemporaryDirectory(prefix="kpc-quality-") as tmp:
        report = evaluate_holdout(corpus, tmp, holdout=args.holdout)
    print(report.summary())
    for miss in report.misses:
        print(f"  rank {miss.rank}: {miss.exemplar}: {miss.query!r} -> {', '.join(miss.top)}")
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "holdout": args.holdout,
        "weights": {
            "vector": weights.VECTOR,
            "bm25": weights.BM25,
            "best_document_share": weights.BEST_DOCUMENT_SHARE,
            "doc_type": weights.DOC_TYPE_FACTOR,
        },
        **report.model_dump(mode="json", exclude={"outcomes"}),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
