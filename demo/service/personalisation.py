"""Per-user feature crosses for the interaction model (shipped with client release v1.5.0).

`remember_per_user` wraps feature extraction: once a request's features are extracted, their crosses (the
pairwise and triple products the interaction model reads, 4,352 numbers, 34 KiB) are kept per user, keyed by
the features, so a repeated request skips the work. Nothing is ever evicted: every distinct request a user
sends stays in memory for the life of the process. That is the leak "Profile Memory of a Python Process…"
finds (README, "Memory").
"""

import functools
from array import array

_crosses_by_user = {}


def remember_per_user(extract):
    @functools.wraps(extract)
    def extract_and_remember(payload):
        vector = extract(payload)
        seen = _crosses_by_user.setdefault(payload.get("user_id"), {})
        key = tuple(vector)
        if key not in seen:
            pairs = [a * b for a in vector for b in vector]
            seen[key] = array("d", pairs + [p * c for p in pairs for c in vector])
        return vector

    return extract_and_remember
