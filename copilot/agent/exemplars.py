"""The exemplar corpus as the agent sees it: search, one exemplar's full text, the shared Rego lib.

Search uses the Chroma index (tools.retrieve) when it is available and falls back to a
keyword ranking over the corpus files, so drafting never fails for want of an index.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from tools.bundle import CORPUS_LIB_DIR, examples, expected_violation, sample_dirs

_LOG = logging.getLogger("kpc.agent")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an the and or of to in on for with that this is are be not no any all every from by as at it its "
    "i we you my our want need please make sure must should can may deny allow policy policies".split()
)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


@lru_cache(maxsize=1)
def _corpus() -> tuple[Any, ...]:
    from tools.corpus.load import load_corpus

    return tuple(load_corpus())


def _keyword_text(ex: Any) -> str:
    meta = ex.meta
    parts = [ex.id.replace("-", " "), str(meta.get("title", "")), str(meta.get("description", ""))]
    parts += [str(p) for p in meta.get("phrasings", []) or []]
    parts += [str(t) for t in meta.get("tags", []) or []] + [str(f) for f in meta.get("features", []) or []]
    return " ".join(parts)


def keyword_search(query: str, k: int = 3) -> list[dict[str, Any]]:
    """Exemplars ranked by word overlap with the query (the fallback when there is no index)."""
    wanted = _words(query)
    docs = [(ex, _words(_keyword_text(ex))) for ex in _corpus()]
    # Rare words decide: "privileged" says more about a request than "containers".
    idf = {w: math.log((1 + len(docs)) / (1 + sum(w in have for _, have in docs))) + 1 for w in wanted}
    total = sum(idf.values()) or 1.0
    scored = []
    for ex, have in docs:
        overlap = sum(idf[w] for w in wanted & have)
        if overlap:
            scored.append((overlap / total, ex))
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    return [_summary(ex, score) for score, ex in scored[:k]]


def _summary(ex: Any, score: float) -> dict[str, Any]:
    return {
        "id": ex.id,
        "title": str(ex.meta.get("title", ex.id)),
        "category": ex.category,
        "kind": ex.kind,
        "score": round(float(score), 3),
    }


def index_ready() -> bool:
    """True when a built, reachable exemplar index exists (checked without loading the embedding model)."""
    try:
        from tools.retrieve import index_status

        status = index_status()
    except Exception:  # no index support at all: keywords it is
        return False
    return bool(status.exists and status.reachable and status.documents)


def search_exemplars(
    query: str, *, k: int = 3, mode: str = "auto", manifest_features: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """The k exemplars closest to `query`.

    mode "index" uses the Chroma index (building it on first use), "keyword" the keyword
    ranking, and "auto" the index when one is already built, else keywords: building the
    index takes minutes on a fresh machine, which a single request should not pay for.
    """
    if mode == "index" or (mode == "auto" and index_ready()):
        try:
            from tools.retrieve import retrieve

            hits = retrieve(query, manifest_features=list(manifest_features or []) or None, k=k)
            return [
                {
                    "id": h.id,
                    "title": h.title,
                    "category": h.category,
                    "kind": h.kind,
                    "score": round(h.score, 3),
                }
                for h in hits
            ]
        except Exception as exc:  # any index problem: fall back rather than fail the request
            if mode == "index":
                raise
            _LOG.info("exemplar index unavailable (%s); using keyword search", exc)
    return keyword_search(query, k)


def find_exemplar(policy_id: str) -> Any | None:
    """The corpus exemplar with this id, or None."""
    return next((ex for ex in _corpus() if ex.id == policy_id), None)


def exemplar_text(policy_id: str, *, with_tests: bool = True) -> str:
    """One exemplar as text for a model: meta, src.rego, tests, the sample constraint, one example each way."""
    ex = find_exemplar(policy_id)
    if ex is None:
        known = ", ".join(sorted(e.id for e in _corpus()))
        raise LookupError(f"no exemplar with id '{policy_id}'; known ids: {known}")
    meta = ex.meta
    lines = [
        f"id: {ex.id}",
        f"title: {meta.get('title', '')}",
        f"kind: {ex.kind}",
        f"description: {' '.join(str(meta.get('description', '')).split())}",
        f"parameters schema: {json.dumps(meta.get('parameters', {}))}",
        "",
        "src.rego:",
        ex.source.rstrip(),
    ]
    path: Path = ex.path
    if with_tests and (path / "src_test.rego").is_file():
        lines += ["", "src_test.rego:", (path / "src_test.rego").read_text().rstrip()]
    for sample in sample_dirs(path)[:1]:
        lines += ["", "samples constraint.yaml:", (sample / "constraint.yaml").read_text().rstrip()]
        found = examples(sample)
        for want_deny in (True, False):
            pick = next((e for e in found if expected_violation(e) == want_deny), None)
            if pick is not None:
                lines += [
                    "",
                    f"{pick.name} ({'denied' if want_deny else 'allowed'}):",
                    pick.read_text().rstrip(),
                ]
    return "\n".join(lines)


@lru_cache(maxsize=1)
def lib_reference(lib_dir: Path = CORPUS_LIB_DIR) -> str:
    """The public functions of policies/lib (their comments and rule heads), for the system context."""
    out: list[str] = []
    for path in sorted(lib_dir.glob("*.rego")):
        if path.name.endswith("_test.rego"):
            continue
        comment: list[str] = []
        seen: set[str] = set()
        for line in path.read_text().splitlines():
            if line.startswith("package "):
                out += ["", f"import data.{line.split()[1]}  # {path.name}"]
            elif line.startswith("#"):
                comment.append(line)
            elif line and not line[0].isspace() and not line.startswith(("_", "import", "}", "]", ")")):
                head = re.split(r"\s(:=|if)\s|\s\{$", line)[0].strip()
                if head not in seen:
                    out += [*comment, f"  {head}"]
                    seen.add(head)
                comment = []
            elif not line.strip():
                comment = []
    return "\n".join(out).strip()
