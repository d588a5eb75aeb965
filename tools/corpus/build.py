"""Regenerates every derived corpus file: template.yaml, suite.yaml, conftest/, index.jsonl.

python -m tools.corpus.build          # write
python -m tools.corpus.build --check  # exit 1 and list stale files (CI)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tools.bundle import generated_files
from tools.corpus.load import POLICIES_DIR, Exemplar, load_corpus, load_exemplar
from tools.engine.opa import opa_format

INDEX_FILE = POLICIES_DIR / "index.jsonl"
REQUIRED = ("meta.yaml", "src.rego", "src_test.rego")
META_KEYS = (
    "id",
    "title",
    "description",
    "kind",
    "phrasings",
    "tags",
    "kinds",
    "parameters",
    "features",
    "severity",
)


def completeness_problems(ex: Exemplar) -> list[str]:
    """What a policy folder lacks; the generator refuses to run while anything is missing."""
    problems = [f"{ex.path}: missing {name}" for name in REQUIRED if not (ex.path / name).is_file()]
    problems += [f"{ex.path}/meta.yaml: missing key {key!r}" for key in META_KEYS if key not in ex.meta]
    if ex.meta.get("id") != ex.path.name:
        problems.append(f"{ex.path}/meta.yaml: id {ex.meta.get('id')!r} differs from the folder name")
    samples = list((ex.path / "samples").glob("*/constraint.yaml"))
    if not samples:
        problems.append(f"{ex.path}: no samples/<name>/constraint.yaml")
    return problems


def index_line(ex: Exemplar) -> str:
    """One index.jsonl line: the seed's fields plus title and description."""
    record = {
        "id": ex.id,
        "kind": ex.kind,
        "tags": ex.meta.get("tags", []),
        "features": ex.meta.get("features", []),
        "reliability": float(ex.meta.get("reliability", 1.0)),
        "title": ex.meta.get("title", ""),
        "description": " ".join(str(ex.meta.get("description", "")).split()),
        "category": ex.category,
        "path": str(ex.path.relative_to(POLICIES_DIR.parent)),
    }
    return json.dumps(record, sort_keys=False, ensure_ascii=False)


def expected_files(corpus: list[Exemplar], *, with_index: bool = True) -> dict[Path, str]:
    """Every generated file with the content it should have."""
    expected: dict[Path, str] = {}
    for ex in corpus:
        for rel, content in generated_files(ex.path, ex.meta).items():
            expected[ex.path / rel] = opa_format(content) if rel.endswith(".rego") else content
    if with_index:
        expected[INDEX_FILE] = "".join(index_line(ex) + "\n" for ex in corpus)
    return expected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="fail when a generated file is stale")
    parser.add_argument("paths", nargs="*", type=Path, help="policy folders (default: the whole corpus)")
    args = parser.parse_args(argv)
    corpus = [load_exemplar(p) for p in args.paths] if args.paths else load_corpus()
    problems = [p for ex in corpus for p in completeness_problems(ex)]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    stale = []
    for path, content in expected_files(corpus, with_index=not args.paths).items():
        current = path.read_text() if path.is_file() else None
        if current == content:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content)
    if args.check and stale:
        print("stale generated files (run `make generate`):", file=sys.stderr)
        print("\n".join(f"  {p.relative_to(POLICIES_DIR.parent)}" for p in stale), file=sys.stderr)
        return 1
    if not args.check:
        print(f"{len(corpus)} policies; {len(stale)} files written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
