"""Scores candidate items against a user's feature vector.

`pairwise_diversity` is quadratic in the number of candidates: fine at 20 items, the hot path at 200.
"""

import logging

from .features import normalise
from .telemetry import traced

logger = logging.getLogger(__name__)


def dot(a, b):
    return sum(x * y for x, y in zip(a, b))


@traced
def pairwise_diversity(items):
    logger.info("pairwise diversity over %d candidates: %d comparisons", len(items), len(items) * (len(items) - 1))
    penalty = [0.0] * len(items)
    for i, a in enumerate(items):
        for j, b in enumerate(items):
            if i != j:
                penalty[i] += dot(a["embedding"], b["embedding"])
    return penalty


@traced
def rank(features, items, top_k=10):
    user = normalise(features)
    penalty = pairwise_diversity(items)
    scored = [(dot(user, item["embedding"]) - 0.001 * penalty[i], item) for i, item in enumerate(items)]
    scored.sort(key=lambda pair: pair[0], reverse=True)
    return [{"id": item["id"], "name": item["name"], "score": round(score, 4)} for score, item in scored[:top_k]]
