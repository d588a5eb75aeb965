"""A small Okapi BM25 over the exemplars' keyword text.

Tokens are lower-cased words; camelCase and dotted field names also yield their parts
("securityContext.runAsNonRoot" -> securitycontext, security, context, runasnonroot,
run, as, non, root), so a request that spells a field either way still matches.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping

from tools.retrieve.weights import BM25_B, BM25_K1

_WORD_RE = re.compile(r"[A-Za-z0-9]+")
_CAMEL_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")

# Function words only: policy vocabulary ("deny", "allow", "no") is left to IDF.
_STOPWORD_TEXT = """
a an and any are as at be by can do does for from has have how i in into is it its me my of on or
our so that the their them then there these this those to us we what when where which who will
with would you your should must may want make sure
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def stem(word: str) -> str:
    """A light suffix stripper: plurals, -ing, -ed and a final e, so 'privileged' meets 'privilege'."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith("sses"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Stemmed tokens of `text`, with the parts of camelCase words added after the whole word."""
    tokens: list[str] = []
    for raw in _WORD_RE.findall(text):
        parts = _CAMEL_RE.findall(raw)
        words = [raw.lower()]
        if len(parts) > 1:
            words += [p.lower() for p in parts]
        tokens += [stem(w) for w in words if w not in STOPWORDS]
    return tokens


class BM25:
    """BM25 scores of a query against a fixed set of documents, keyed by document id."""

    def __init__(self, documents: Mapping[str, str], k1: float = BM25_K1, b: float = BM25_B) -> None:
        self.k1 = k1
        self.b = b
        self._tf = {key: Counter(tokenize(text)) for key, text in documents.items()}
        self._len = {key: sum(tf.values()) for key, tf in self._tf.items()}
        self._avg = (sum(self._len.values()) / len(self._len)) if self._len else 0.0
        df: Counter[str] = Counter()
        for tf in self._tf.values():
            df.update(tf.keys())
        n = len(self._tf)
        # The "+1" form of IDF stays positive for terms found in most documents.
        self._idf = {term: math.log(1 + (n - f + 0.5) / (f + 0.5)) for term, f in df.items()}

    def scores(self, query: str) -> dict[str, float]:
        """Raw BM25 score per document id (0 for documents sharing no term with the query)."""
        terms = set(tokenize(query))
        out: dict[str, float] = {}
        for key, tf in self._tf.items():
            norm = self.k1 * (1 - self.b + self.b * self._len[key] / self._avg) if self._avg else self.k1
            total = 0.0
            for term in terms:
                freq = tf.get(term, 0)
                if freq:
                    total += self._idf[term] * freq * (self.k1 + 1) / (freq + norm)
            out[key] = total
        return out

    def normalised(self, query: str) -> dict[str, float]:
        """Scores divided by the best one, so they sit in [0, 1] next to cosine similarities."""
        raw = self.scores(query)
        best = max(raw.values(), default=0.0)
        return {key: (value / best if best > 0 else 0.0) for key, value in raw.items()}
