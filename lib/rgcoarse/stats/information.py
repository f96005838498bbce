"""Mutual-information estimators for the information pairing rule (natural logarithms, nats).

Three estimators, one interface (``codes`` from :func:`discretise`, then plug-in counts):

``discrete``
    Exact plug-in entropies of the values as they are (Ising spins, sums of spins, binarised
    activity): H = -sum p ln p over the observed values, I(x; y) = H(x) + H(y) - H(x, y).
``binned``
    Continuous data cut into ``bins`` equal-frequency (quantile) bins per variable, then the
    plug-in estimate with the Miller–Madow bias correction: each entropy gains (B - 1) / (2m),
    B its number of occupied cells. The plug-in MI of independent variables is biased up by about
    (B_x - 1)(B_y - 1) / (2m); the correction removes that to first order.
``gaussian``
    I = -1/2 ln(1 - rho^2) from the Pearson correlation: exact for jointly Gaussian variables, and
    blind to every dependence that is not linear.

All-pairs MI of coded variables is either one matrix product of one-hot indicator matrices (the
joint count table of every pair at once: a few GEMMs) or, when variables have many cells, a direct
count of each pair's table, whichever costs less (:func:`pairwise_mutual_information`).
"""

from __future__ import annotations

import numba
import numpy as np

from rgcoarse.coarse.selection import as_value_matrix

ESTIMATORS = ("discrete", "binned", "gaussian")
DEFAULT_BINS = 8
MAX_DISCRETE_VALUES = 256  # more distinct values than this is continuous data: use binned or gaussian


def entropy_of_counts(counts, miller_madow: bool = False) -> float:
    """Plug-in entropy (nats) of a table of counts; ``miller_madow`` adds (occupied cells - 1) / (2 m)."""
    counts = np.asarray(counts, dtype=np.float64).ravel()
    counts = counts[counts > 0]
    total = counts.sum()
    if total <= 0:
        raise ValueError("counts: need at least one observation")
    p = counts / total
    entropy = float(-np.sum(p * np.log(p)))
    return entropy + (counts.size - 1) / (2.0 * total) if miller_madow else entropy


def codes_of_values(column) -> np.ndarray:
    """Integer codes 0..k-1 of a column's distinct values (exact: the discrete estimator)."""
    return np.unique(np.asarray(column), return_inverse=True)[1].astype(np.int64)


def quantile_codes(column, bins: int) -> np.ndarray:
    """Codes 0..bins-1 of equal-frequency bins (ties share a bin, so fewer bins may be occupied)."""
    column = np.asarray(column, dtype=np.float64)
    edges = np.quantile(column, np.linspace(0.0, 1.0, bins + 1)[1:-1])
    return codes_of_values(np.searchsorted(edges, column, side="right"))


def discretise(values, estimator: str, bins: int = DEFAULT_BINS) -> np.ndarray:
    """(m, N) integer codes of every column for the ``discrete`` or ``binned`` estimator."""
    values = np.asarray(values)
    if estimator == "discrete":
        codes = np.column_stack([codes_of_values(c) for c in values.T])
        if codes.max(initial=0) + 1 > MAX_DISCRETE_VALUES:
            raise ValueError(f"estimator: 'discrete' needs few distinct values per variable (<= {MAX_DISCRETE_VALUES}); "
                             "this data looks continuous: use 'binned' or 'gaussian'")
        return codes
    if estimator == "binned":
        if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 2:
            raise ValueError(f"bins: expected an integer >= 2, got {bins!r}")
        return np.column_stack([quantile_codes(c, bins) for c in values.T])
    raise ValueError(f"estimator: expected one of {ESTIMATORS[:2]} for codes, got {estimator!r}")


def mutual_information_of_codes(x, y, miller_madow: bool = False) -> float:
    """Plug-in I(x; y) (nats) of two code vectors, optionally with the Miller–Madow correction."""
    x, y = np.asarray(x, dtype=np.int64), np.asarray(y, dtype=np.int64)
    joint = np.bincount(x * (y.max() + 1) + y)
    return (entropy_of_counts(np.bincount(x), miller_madow) + entropy_of_counts(np.bincount(y), miller_madow)
            - entropy_of_counts(joint, miller_madow))


PAIRWISE_CHUNK_CELLS = 2048  # rows of the joint count table built at a time (bounds memory, not results)

# Mean cells per variable above which counting each pair's table directly beats the reduced
# indicator product (measured, both routes in one process): glass p_hop, 8 bins, 1,000 x 1,181:
# 2.9 s counted, 5.4 s product; Ising level 3 (9 values, 512 x 4,000): 3.4 s against 5.6 s;
# Ising level 2 (5 values, 1,024 x 4,000): 20 s counted, 5.1 s product (few cells: the counts
# collide in the same few counters).
COUNT_DIRECTLY_ABOVE_CELLS = 5.0


def _reduced_one_hot(codes: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """(m, sum(s - 1)) indicators of every column's cells but its last (float32: exact counts
    below 2^24 samples). The last cell of a pair's table follows from the marginals."""
    m = codes.shape[0]
    offsets = np.r_[0, np.cumsum(sizes - 1)[:-1]]
    dtype = np.float32 if m < 2**24 else np.float64
    indicator = np.zeros((m, int((sizes - 1).sum())), dtype=dtype)
    rows, columns = np.nonzero(codes < (sizes - 1)[None, :])
    indicator[rows, codes[rows, columns] + offsets[columns]] = 1.0
    return indicator


def pairwise_mutual_information(codes, miller_madow: bool = False) -> np.ndarray:
    """(N, N) plug-in MI of every pair of coded columns (diagonal: each column's entropy).

    Two routes to the same counts. Few cells per variable (spins): the counts of every pair's
    cells but the last row and column are a block of ``A.T @ A``, A the indicator matrix of every
    variable's cells but its last, so all pairs cost one matrix product (built a chunk of whole
    variables at a time, so memory stays at a few chunk x cells tables); the rest of each table
    follows from the marginals (:func:`_entropies_from_reduced`). Many cells (8 quantile bins):
    each pair's table counted directly (:func:`_pair_joint_entropies`), N^2 m / 2 increments and
    no cells^2 table. The routes agree to rounding (tested).
    """
    codes = np.asarray(codes, dtype=np.int64)
    m, n = codes.shape
    sizes = codes.max(axis=0) + 1 if n else np.zeros(0, dtype=np.int64)
    if n and sizes.mean() > COUNT_DIRECTLY_ABOVE_CELLS:
        return _counted_mutual_information(codes, sizes, miller_madow)
    table = _plogp_table(m)
    marginals = np.zeros((n, int(sizes.max(initial=1))), dtype=np.int64)
    for j in range(n):
        marginals[j, : sizes[j]] = np.bincount(codes[:, j], minlength=sizes[j])
    indicator = _reduced_one_hot(codes, sizes)
    starts = np.r_[0, np.cumsum(sizes - 1)]  # first reduced cell of each variable, and the end
    joint_entropy = np.empty((n, n))
    first = 0
    while first < n:
        last = int(np.searchsorted(starts, starts[first] + PAIRWISE_CHUNK_CELLS, side="right")) - 1
        last = min(max(last, first + 1), n)
        joint = indicator[:, starts[first]:starts[last]].T @ indicator  # counts of (cell i of the chunk, cell j)
        joint_entropy[first:last] = _entropies_from_reduced(joint, first, last, starts, sizes, marginals, table, m,
                                                            miller_madow)
        first = last
    return _mutual_information_from_joint(joint_entropy)


def _mutual_information_from_joint(joint_entropy: np.ndarray) -> np.ndarray:
    """I(a; b) = H(a) + H(b) - H(a, b); the pair (a, a) holds the cells of a alone, so H(a) is the diagonal."""
    single = np.diagonal(joint_entropy).copy()
    mi = single[:, None] + single[None, :] - joint_entropy
    np.fill_diagonal(mi, single)
    return mi


@numba.njit(cache=True)
def _entropies_from_reduced(joint, first, last, starts, sizes, marginals, plogp, m, miller_madow):
    """Joint entropies of variables ``first..last-1`` with every variable, each table completed from
    its reduced block (cells but the last of each variable) and the two marginals."""
    n = sizes.size
    out = np.empty((last - first, n))
    cells = np.zeros(marginals.shape[1] ** 2, dtype=np.int64)  # one table, row-major: cell (i, j) at i * sb + j
    for a in range(first, last):
        row0, sa = starts[a] - starts[first], sizes[a]
        for b in range(n):
            col0, sb = starts[b], sizes[b]
            for i in range(sa - 1):
                row_sum = 0
                for j in range(sb - 1):
                    count = np.int64(joint[row0 + i, col0 + j])
                    cells[i * sb + j] = count
                    row_sum += count
                cells[i * sb + sb - 1] = marginals[a, i] - row_sum
            for j in range(sb):
                column_sum = 0
                for i in range(sa - 1):
                    column_sum += cells[i * sb + j]
                cells[(sa - 1) * sb + j] = marginals[b, j] - column_sum
            out[a - first, b] = _entropy_of_cells(cells, sa * sb, plogp, m, miller_madow)
    return out


@numba.njit(cache=True, inline="always")
def _entropy_of_cells(cells, n_cells, plogp, m, miller_madow):
    """Plug-in entropy of the first ``n_cells`` counts (``plogp[c] = (c/m) ln(c/m)``), Miller–Madow corrected if asked."""
    entropy, occupied = 0.0, 0
    for cell in range(n_cells):
        if cells[cell] > 0:
            entropy -= plogp[cells[cell]]
            occupied += 1
    if miller_madow:
        entropy += (occupied - 1) / (2.0 * m)
    return entropy


def _plogp_table(m: int) -> np.ndarray:
    """``(c / m) ln(c / m)`` for every count c = 0 .. m (0 at c = 0)."""
    p = np.arange(m + 1, dtype=np.float64) / m
    table = np.zeros(m + 1)
    table[1:] = p[1:] * np.log(p[1:])
    return table


def _counted_mutual_information(codes: np.ndarray, sizes: np.ndarray, miller_madow: bool) -> np.ndarray:
    m = codes.shape[0]
    table = _plogp_table(m)
    return _mutual_information_from_joint(_pair_joint_entropies(np.ascontiguousarray(codes.T), sizes, table, m,
                                                                miller_madow))


@numba.njit(cache=True)
def _pair_joint_entropies(codes_by_variable, sizes, plogp, m, miller_madow):
    """(N, N) plug-in joint entropies (Miller–Madow corrected if asked), each pair's table counted."""
    n = codes_by_variable.shape[0]
    joint = np.empty((n, n))
    counts = np.zeros(sizes.max() ** 2, dtype=np.int64)
    for a in range(n):
        codes_a = codes_by_variable[a]
        for b in range(a, n):
            codes_b = codes_by_variable[b]
            cells = sizes[a] * sizes[b]
            counts[:cells] = 0
            if a == b:
                for t in range(m):
                    counts[codes_a[t]] += 1
            else:
                for t in range(m):
                    counts[codes_a[t] * sizes[b] + codes_b[t]] += 1
            entropy = _entropy_of_cells(counts, cells, plogp, m, miller_madow)
            joint[a, b] = entropy
            joint[b, a] = entropy
    return joint


def gaussian_mutual_information(correlation) -> np.ndarray:
    """-1/2 ln(1 - rho^2) elementwise (rho clipped below 1 so a perfect correlation stays finite)."""
    rho2 = np.minimum(np.asarray(correlation, dtype=np.float64) ** 2, 1.0 - 1e-12)
    return -0.5 * np.log1p(-rho2)


def check_estimator(estimator: str) -> str:
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator: expected one of {ESTIMATORS}, got {estimator!r}")
    return estimator


def standardise(values) -> np.ndarray:
    """Columns centred and scaled to unit variance (constant columns stay zero)."""
    values = as_value_matrix(values, "values")
    centred = values - values.mean(axis=0)
    scale = centred.std(axis=0)
    return centred / np.where(scale > 0, scale, 1.0)
