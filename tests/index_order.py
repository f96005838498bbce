"""The pairing rules' step order, shared by the exhaustive references of the information-rule tests."""

import numpy as np


def index_order_pairs(n: int, score) -> tuple[np.ndarray, float]:
    """Index order, full search: the lowest unpaired variable a takes the unpaired b with the largest
    ``score(a, b)`` (ties: the lowest b); an odd variable out stays unpaired. Returns the (pairs, 2)
    array and the smallest gap between a step's best and second-best score (inf: never two)."""
    unpaired, pairs, gap = set(range(n)), [], np.inf
    for a in range(n):
        if a not in unpaired:
            continue
        unpaired.discard(a)
        if not unpaired:
            break
        candidates = sorted(unpaired)
        scores = [score(a, c) for c in candidates]
        if len(scores) > 1:
            ranked = np.sort(scores)[::-1]
            gap = min(gap, ranked[0] - ranked[1])
        b = candidates[int(np.argmax(scores))]
        unpaired.discard(b)
        pairs.append((a, b))
    return np.array(pairs).reshape(-1, 2), gap
