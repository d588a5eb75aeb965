"""The hybrid ranking's weights, all in one place.

How they were chosen: tests/test_retrieve_quality.py (and bench/retrieval_quality.py)
index every exemplar without its last two phrasings and ask with the held-out ones.
VECTOR/BM25 and BEST_DOCUMENT_SHARE come from a coarse grid search on that benchmark
over the whole corpus (BM25 from 0.2 to 0.6 of the vector weight, best-document share
from 0 to 0.5), picking round values in the middle of the flat region rather than the
single best point, so they are not fitted to any one exemplar or phrasing. With 42
exemplars the region spans BM25 at 0.3-0.45 of the vector weight and a share of
0.15-0.35 (recall@3 0.976, MRR 0.85-0.87); vector similarity alone gives recall@3 0.86.
The feature, kind and severity weights cannot be measured by that benchmark (its
queries are text only); they were set so that a manifest whose features match an
exemplar exactly outranks any text-only similarity, a kind match only breaks ties, and
severity orders equally matching exemplars.
"""

from __future__ import annotations

# Combined score = sum(weight * component) / sum(weights of the components in play).
# A component is in play when its input was given: text (vector, bm25), manifest
# features (feature), resource kinds (kind).
VECTOR = 0.75
BM25 = 0.25
FEATURE = 1.0
KIND = 0.15
# Only with manifest features: a manifest usually matches several exemplars equally
# well, and the graver concern should come first.
SEVERITY = 0.2
SEVERITY_SCORE = {"critical": 1.0, "high": 0.75, "medium": 0.5, "low": 0.25}

# The vector score of an exemplar mixes its best document's cosine similarity (after
# a factor for the document's type: the Rego source is a weaker witness of intent than
# the words an engineer would use) with its centroid's. The centroid alone ranks more
# held-out phrasings first; a share of the best document keeps a request that echoes
# one phrasing closely from being averaged away.
BEST_DOCUMENT_SHARE = 0.25
DOC_TYPE_FACTOR = {"card": 1.0, "phrasing": 1.0, "rego": 0.8}

# Feature credit per exemplar feature found in the manifest: the exact "key=value",
# or only the key with another value (the policy concerns that field, maybe not this
# value). Credits combine as a noisy-or, so several matches beat one.
FEATURE_EXACT = 0.9
FEATURE_KEY_ONLY = 0.4
# An exact match on an absence ("resources.limits.cpu=missing", "...=unset") is weaker
# evidence than on a value someone set ("securityContext.privileged=true"): nearly
# every minimal manifest omits probes and limits, few set privileged.
FEATURE_ABSENT = 0.6
ABSENCE_VALUES = frozenset({"missing", "unset", "missing-all"})

# An exemplar that lists no resource kinds is neither a match nor a miss.
KIND_UNKNOWN = 0.5

# Okapi BM25's usual constants.
BM25_K1 = 1.2
BM25_B = 0.75

# How many documents the vector search returns before exemplar-level ranking; more
# than the corpus holds means every exemplar gets a vector score.
VECTOR_CANDIDATES = 500
