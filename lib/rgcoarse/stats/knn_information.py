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


_POINTS_PER_CELL = 0.3  # grid fineness: 3.4x faster than a sorted-strip scan on the glass p_hop pairs


@numba.njit(cache=True)
def _kth_joint_distance(x, y, k):
    """Max-norm distance of every point (x[i], y[i]) to its k-th nearest other point.

    The points are binned on a g x g grid (about ``_POINTS_PER_CELL`` per cell on average) and each
    point's search grows ring by ring of cells until its k-th distance is no larger than the
    distance to the searched square's edge. The result is exact: it equals a brute-force search
    (tests/test_knn_information.py), only the order of the comparisons differs.
    """
    m = x.size
    g = max(1, int(np.sqrt(m / _POINTS_PER_CELL)))
    x0, y0 = x.min(), y.min()
    hx, hy = (x.max() - x0) / g, (y.max() - y0) / g
    hx, hy = hx if hx > 0 else 1.0, hy if hy > 0 else 1.0  # a constant coordinate: one row of cells
    cell_x, cell_y = np.empty(m, np.int64), np.empty(m, np.int64)
    start = np.zeros(g * g + 1, np.int64)
    for i in range(m):
        cell_x[i] = min(int((x[i] - x0) / hx), g - 1)
        cell_y[i] = min(int((y[i] - y0) / hy), g - 1)
        start[cell_x[i] * g + cell_y[i] + 1] += 1
    for c in range(g * g):
        start[c + 1] += start[c]
    fill = start[:-1].copy()
    x_cells, y_cells = np.empty(m), np.empty(m)  # the points grouped by cell
    for i in range(m):
        c = cell_x[i] * g + cell_y[i]
        x_cells[fill[c]], y_cells[fill[c]] = x[i], y[i]
        fill[c] += 1
    margin = 1e-9 * (hx + hy)  # a point binned across an edge by rounding is still searched
    eps = np.empty(m)
    best = np.empty(k)
    for p in range(m):
        px, py, a, b = x[p], y[p], cell_x[p], cell_y[p]
        found, self_seen, r = 0, False, 0
        while True:
            for i in range(max(a - r, 0), min(a + r, g - 1) + 1):
                on_edge = i == a - r or i == a + r
                for j in range(max(b - r, 0), min(b + r, g - 1) + 1):
                    if not on_edge and j != b - r and j != b + r:
                        continue  # inside the ring: searched at a smaller r
                    for t in range(start[i * g + j], start[i * g + j + 1]):
                        if not self_seen and x_cells[t] == px and y_cells[t] == py:
                            self_seen = True  # the point itself (or one exact duplicate of it)
                            continue
                        d = max(abs(x_cells[t] - px), abs(y_cells[t] - py))
                        if found < k:
                            found += 1
                        elif d >= best[k - 1]:
                            continue
                        q = found - 1  # insert d into the sorted k best
                        while q > 0 and best[q - 1] > d:
                            best[q] = best[q - 1]
                            q -= 1
                        best[q] = d
            reach = np.inf  # every point closer than this lies in the searched square
            if a - r > 0:
                reach = min(reach, px - (x0 + (a - r) * hx))
            if a + r + 1 < g:
                reach = min(reach, x0 + (a + r + 1) * hx - px)
            if b - r > 0:
                reach = min(reach, py - (y0 + (b - r) * hy))
            if b + r + 1 < g:
                reach = min(reach, y0 + (b + r + 1) * hy - py)
            if (found == k and best[k - 1] <= reach - margin) or reach == np.inf:
                break
            r += 1
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
    second = z[:, 1] if d == 2 else np.zeros(z.shape[0])  # 0: the 1-D distance
    eps = _kth_joint_distance(z[:, 0], second, k)
    h = digamma(z.shape[0]) - digamma(k) + d * np.log(2.0) + d * np.mean(np.log(eps))
    return float(h if standardise else h + np.sum(np.log(columns.std(axis=0))))
