"""k-nearest-neighbour estimators of continuous information (nats), for the information rule.

``ksg_mutual_information``
    Kraskov, Stögbauer and Grassberger's first estimator (Phys. Rev. E 69, 066138, 2004):
    I(x; y) = psi(k) + psi(m) - < psi(n_x + 1) + psi(n_y + 1) >, where eps_i is the max-norm
    distance from point i to its k-th neighbour in the joint space and n_x (n_y) counts the other
    points strictly closer than eps_i in x (y) alone. Both variables are standardised first (the
    max norm is not scale-free). At m = 1,181 samples and k = 3 (the glass series) its bias is
    within 0.002 of zero for independent Gaussians, +0.011 at rho = 0.9 and +0.024 at rho = 0.99,
    against -0.134 for 8 equal-frequency bins at rho = 0.9 (tests/test_knn_information.py).
``kl_entropy``
    Kozachenko and Leonenko's differential entropy of one or two variables:
    h = psi(m) - psi(k) + d ln 2 + d < ln eps_i >, eps_i the max-norm distance to the k-th neighbour.

Both count distances with the same comparisons a k-d tree would make: computing x_i +- eps_i and
searching a sorted array instead rounds the boundary point in or out often enough to bias the
estimate by about -0.02 nats. Exact ties (eps = 0) would make both diverge; tied values are
separated by a deterministic jitter of 1e-10 of the variable's spread, as scikit-learn does with
random noise.
"""

from __future__ import annotations

import numba
import numpy as np
from scipy.special import digamma

DEFAULT_NEIGHBOURS = 3  # k: Kraskov et al.'s recommendation, a balance of bias and variance
_JITTER = 1e-10
_JITTER_SEED = 20040623  # fixed: the same data give the same estimate


def _standardised(column) -> np.ndarray:
    column = np.asarray(column, dtype=np.float64)
    if column.ndim != 1 or column.size < DEFAULT_NEIGHBOURS + 2:
        raise ValueError(f"kNN estimators: expected a 1-D sample of at least {DEFAULT_NEIGHBOURS + 2} values, "
                         f"got shape {column.shape}")
    if not np.all(np.isfinite(column)):
        raise ValueError("kNN estimators: the sample has non-finite values")
    spread = column.std()
    if spread == 0:
        raise ValueError("kNN estimators: the sample is constant; its entropy is not finite")
    z = (column - column.mean()) / spread
    if np.unique(z).size < z.size:  # ties: separate them deterministically
        z = z + _JITTER * np.random.default_rng(_JITTER_SEED).standard_normal(z.size)
    return z


@numba.njit(cache=True)
def _kth_joint_distance(x_sorted, y_by_x, k):
    """Max-norm distance of every point (in x order) to its k-th nearest other point."""
    m = x_sorted.size
    eps = np.empty(m)
    best = np.empty(k)
    for p in range(m):
        found = 0
        lo, hi = p - 1, p + 1
        while lo >= 0 or hi < m:
            d_lo = x_sorted[p] - x_sorted[lo] if lo >= 0 else np.inf
            d_hi = x_sorted[hi] - x_sorted[p] if hi < m else np.inf
            if d_lo <= d_hi:
                dx, j = d_lo, lo
                lo -= 1
            else:
                dx, j = d_hi, hi
                hi += 1
            if found == k and dx >= best[k - 1]:
                break  # every point further out in x is further than the k-th distance
            d = max(dx, abs(y_by_x[j] - y_by_x[p]))
            if found < k:
                found += 1
            elif d >= best[k - 1]:
                continue
            i = found - 1  # insert d into the sorted k best
            while i > 0 and best[i - 1] > d:
                best[i] = best[i - 1]
                i -= 1
            best[i] = d
        eps[p] = best[k - 1]
    return eps


@numba.njit(cache=True)
def _strictly_closer(sorted_values, position, radius):
    """For each point (its index in ``sorted_values``): other points with |difference| < radius."""
    m = sorted_values.size
    counts = np.empty(m, dtype=np.int64)
    for p in range(m):
        r, v, c = radius[p], sorted_values[position[p]], 0
        j = position[p] - 1
        while j >= 0 and v - sorted_values[j] < r:
            c += 1
            j -= 1
        j = position[p] + 1
        while j < m and sorted_values[j] - v < r:
            c += 1
            j += 1
        counts[p] = c
    return counts


def _ksg_counts(x, y, k):
    order = np.argsort(x, kind="stable")
    x_sorted, y_by_x = x[order], y[order]
    eps = _kth_joint_distance(x_sorted, y_by_x, k)
    n_x = _strictly_closer(x_sorted, np.arange(x.size), eps)
    y_order = np.argsort(y_by_x, kind="stable")
    position = np.empty(x.size, dtype=np.int64)
    position[y_order] = np.arange(x.size)
    n_y = _strictly_closer(y_by_x[y_order], position, eps)
    return n_x, n_y


def ksg_mutual_information(x, y, k: int = DEFAULT_NEIGHBOURS) -> float:
    """KSG estimate of I(x; y) in nats (module docstring); may be slightly negative."""
    x, y = _standardised(x), _standardised(y)
    if x.size != y.size:
        raise ValueError(f"kNN estimators: x and y have {x.size} and {y.size} samples")
    n_x, n_y = _ksg_counts(x, y, k)
    return float(digamma(k) + digamma(x.size) - np.mean(digamma(n_x + 1) + digamma(n_y + 1)))


@numba.njit(cache=True)
def _ksg_sums_against_columns(y_sorted, columns_by_y, columns_sorted, rank_by_y, k):
    """Sum of psi-free counts for KSG of y against each column: returns (q, m) n_x and n_y.

    ``y_sorted``: y in ascending order; ``columns_by_y[:, c]``: column c in y's order;
    ``columns_sorted[:, c]``: column c ascending; ``rank_by_y[:, c]``: each point's index in it.
    """
    m, q = columns_by_y.shape
    n_y = np.empty((q, m), dtype=np.int64)
    n_c = np.empty((q, m), dtype=np.int64)
    identity = np.arange(m)
    for c in range(q):
        eps = _kth_joint_distance(y_sorted, columns_by_y[:, c], k)
        n_y[c] = _strictly_closer(y_sorted, identity, eps)
        n_c[c] = _strictly_closer(columns_sorted[:, c], rank_by_y[:, c], eps)
    return n_y, n_c


class KnnColumns:
    """The columns of one level prepared once (standardised, sorted, ranked) for many KSG estimates.

    ``information(y, columns)``: I(y; x_c) for each listed column c, y any sample of the same
    length (the information rule's pair sum, or a column itself).
    """

    def __init__(self, values, k: int = DEFAULT_NEIGHBOURS):
        values = np.asarray(values, dtype=np.float64)
        self.k, self.m = k, values.shape[0]
        self.z = np.column_stack([_standardised(column) for column in values.T])
        order = np.argsort(self.z, axis=0, kind="stable")
        self.sorted = np.take_along_axis(self.z, order, axis=0)
        self.rank = np.empty_like(order)
        np.put_along_axis(self.rank, order, np.arange(self.m)[:, None], axis=0)
        self._constant = digamma(k) + digamma(self.m)
        self._psi = digamma(np.arange(1, self.m + 1))  # psi(n + 1) for n = 0 .. m - 1

    def information(self, y, columns) -> np.ndarray:
        columns = np.asarray(columns, dtype=np.int64)
        y = _standardised(y)
        order = np.argsort(y, kind="stable")
        rows = order[:, None]  # gather only the listed columns, not the whole level, in y's order
        n_y, n_c = _ksg_sums_against_columns(y[order], self.z[rows, columns], np.ascontiguousarray(self.sorted[:, columns]),
                                             self.rank[rows, columns], self.k)
        return self._constant - (self._psi[n_y].mean(axis=1) + self._psi[n_c].mean(axis=1))


def kl_entropy(values, k: int = DEFAULT_NEIGHBOURS, standardise: bool = False) -> float:
    """Kozachenko–Leonenko differential entropy (nats) of a sample of one or two variables.

    ``values``: shape (m,) or (m, d) with d = 1 or 2. With eps_i the max-norm distance to the k-th
    neighbour (a ball of volume (2 eps)^d), h = psi(m) - psi(k) + d ln 2 + d < ln eps_i >.
    Each variable is standardised before the search (the max norm is not scale-free);
    ``standardise=False`` adds back sum_j ln s_j, so h keeps the sample's units (h shifts by
    ln |det A| under y -> A y for diagonal A). The jitter that separates ties is always relative
    to each variable's spread.
    """
    values = np.asarray(values, dtype=np.float64)
    columns = values[:, None] if values.ndim == 1 else values
    if columns.ndim != 2 or columns.shape[1] not in (1, 2):
        raise ValueError(f"kl_entropy: expected shape (m,), (m, 1) or (m, 2), got {values.shape}")
    z = np.column_stack([_standardised(column) for column in columns.T])
    d = z.shape[1]
    order = np.argsort(z[:, 0], kind="stable")
    second = z[order, 1] if d == 2 else np.zeros(z.shape[0])  # 0: the 1-D distance
    eps = _kth_joint_distance(z[order, 0], second, k)
    h = digamma(z.shape[0]) - digamma(k) + d * np.log(2.0) + d * np.mean(np.log(eps))
    return float(h if standardise else h + np.sum(np.log(columns.std(axis=0))))
