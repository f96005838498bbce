"""Pairing rules: which variables of a coarse-graining level are summed together.

Every rule takes one level's variables (``values``, samples x variables) and returns an
int64 array ``pairs`` of shape (n_pairs, 2): row ``k`` holds the two variables (``a < b``)
that form the next level's variable ``k``. With an odd number of variables one variable
stays unpaired (:func:`unpaired_variable`); which one is rule-specific and documented on
each rule.

- :func:`projection_pairs`: the paper's stepwise rule (Sec. II.B): each pair feature
  ``z_a + z_b`` of standardised variables is chosen to lower the total projection error
  of all the level's variables the most (see :mod:`rgcoarse.coarse.selection`).
- :func:`correlation_pairs`: Meshulam et al., PRL 123, 178103 (2019): the two most
  correlated unpaired variables, repeatedly.
- :func:`lattice_pairs` / :func:`haar_block_values`: Kadanoff block spins on a periodic
  lattice via the Haar low-pass of PyWavelets.
- :func:`random_pairs`: a seeded random pairing, the control.
"""

from __future__ import annotations

import numba
import numpy as np
import pywt

from rgcoarse.coarse.pair_checks import (  # noqa: F401  (PROJECTION_ORDERS, lattice_axis: re-exported)
    PROJECTION_ORDERS,
    check_lattice_shape,
    lattice_axis,
    unpaired_variable,
)
from rgcoarse.coarse.selection import (
    DEFAULT_BLOCK_SIZE,
    RESIDUAL_TOL,
    _BlockedResidual,
    as_value_matrix,
    check_block_size,
    check_tolerance,
    correlation_matrix,
)

# --------------------------------------------------------------------------- projection


def projection_pairs(
    values,
    order: str = "index",
    *,
    tol: float = RESIDUAL_TOL,
    block_size: int = DEFAULT_BLOCK_SIZE,
    return_gains: bool = False,
    products=None,
):
    """Stepwise projection pairing (the paper's rule, Sec. II.B, eqs. 22-23).

    The candidate feature of a pair ``(a, b)`` is ``z_a + z_b`` of the standardised
    variables; its gain is the drop of the total projection error ``tr R`` of all the
    level's (standardised) variables onto the span of the pair features chosen so far,
    ``(G_aa + G_bb + 2 G_ab) / (R_aa + R_bb + 2 R_ab)``.

    Parameters
    ----------
    values : array_like, shape (m, N)
        The level's variables.
    order : {"index", "greedy"}
        ``"index"`` (the paper): the lowest-index unpaired variable takes the unpaired
        partner of largest gain (ties: lowest index). ``"greedy"``: the unpaired pair of
        largest gain overall (ties: lexicographically smallest ``(a, b)``).
    tol : float
        A candidate whose residual variance ``R_aa + R_bb + 2 R_ab`` is at most ``tol``
        (already explained, or two zero-variance variables) gets gain 0 and, if chosen,
        leaves the residual unchanged. Zero-variance variables have zero rows in ``R``
        and ``G`` (they are no targets), so pairing one with ``b`` scores exactly as
        adding ``b`` alone (equal scores: lowest index first); two of them together
        score 0, so that pair is chosen only when no candidate open to the rule scores
        more. No score is ever NaN.
    block_size : int
        Performance only (order ``"index"``): rank-1 updates deferred per block.
    return_gains : bool
        Also return each step's gain (drop in ``tr R``; the error before the first step
        is the number of varying variables).
    products : rgcoarse.coarse.selection.LevelProducts, optional
        Order ``"index"``: the correlation and Gram matrices of these values, made already
        (shared with the stepwise COD of the same level); computed here if omitted.

    Returns
    -------
    pairs : numpy.ndarray of int64, shape (N // 2, 2)
        In the order they were chosen, each row sorted. With odd N the variable left
        over after the last step is unpaired.
    gains : numpy.ndarray of float64, shape (N // 2,)
        Only if ``return_gains``.
    """
    values = as_value_matrix(values)
    if order not in PROJECTION_ORDERS:
        raise ValueError(f"order: expected one of {PROJECTION_ORDERS}, got {order!r}")
    tol = check_tolerance(tol)
    block_size = check_block_size(block_size)
    if values.shape[1] < 2:
        pairs, gains = np.empty((0, 2), dtype=np.int64), np.empty(0)
    elif order == "index":
        pairs, gains = _index_order_projection(_BlockedResidual.of(values, block_size, products=products), tol)
    else:
        r = np.ascontiguousarray(correlation_matrix(values))
        pairs, gains = _greedy_projection_kernel(r, r.T @ r, tol)
    return (pairs, gains) if return_gains else pairs


def _index_order_projection(tracker: _BlockedResidual, tol: float):
    n = tracker.variables.size
    pairs = np.empty((n // 2, 2), dtype=np.int64)
    gains = np.empty(n // 2)
    unpaired = np.ones(n, dtype=bool)
    lowest = 0
    for step in range(n // 2):
        while not unpaired[lowest]:
            lowest += 1
        sa = tracker.slot_of(lowest)
        row_r, row_g = tracker.rows(sa)
        rd, gd = tracker.r_diag, tracker.g_diag
        den = rd[sa] + rd + 2.0 * row_r
        num = gd[sa] + gd + 2.0 * row_g
        gain = np.zeros(den.size)
        ok = den > tol
        gain[ok] = num[ok] / den[ok]
        gain[~tracker.eligible] = -np.inf
        gain[sa] = -np.inf
        # Slots are in increasing variable order, so argmax breaks ties by lowest index.
        sb = int(np.argmax(gain))
        partner = int(tracker.variables[sb])
        pairs[step] = lowest, partner
        gains[step] = gain[sb]
        unpaired[lowest] = unpaired[partner] = False
        d, s = float(den[sb]), float(num[sb])
        tracker.retire(sa)
        tracker.retire(sb)
        if d > tol:
            row_rb, row_gb = tracker.rows(sb)
            tracker.add(row_r + row_rb, row_g + row_gb, d, s)
    return pairs, gains


@numba.njit(cache=True)
def _best_pair(R, G, rd, gd, var, size, tol):
    """Largest gain over slot pairs i < j of the leading block; ties: smallest (a, b)."""
    best = -np.inf
    bi = -1
    bj = -1
    for i in range(size):
        best, bi, bj = _scan_row(R, G, rd, gd, var, size, tol, i, best, bi, bj)
    return best, bi, bj


@numba.njit(cache=True, inline="always")
def _scan_row(R, G, rd, gd, var, size, tol, i, best, bi, bj):
    for j in range(i + 1, size):
        den = rd[i] + rd[j] + 2.0 * R[i, j]
        gain = (gd[i] + gd[j] + 2.0 * G[i, j]) / den if den > tol else 0.0
        if gain > best or (gain == best and _pair_before(var[i], var[j], var[bi], var[bj])):
            best, bi, bj = gain, i, j
    return best, bi, bj


@numba.njit(cache=True, inline="always")
def _pair_before(a, b, c, e):
    lo1, hi1 = min(a, b), max(a, b)
    lo2, hi2 = min(c, e), max(c, e)
    return lo1 < lo2 or (lo1 == lo2 and hi1 < hi2)


@numba.njit(cache=True)
def _swap_remove(R, G, rd, gd, var, v, u, p, size):
    """Drop slot ``p`` by moving the last slot of the leading ``size`` block into it."""
    last = size - 1
    if p == last:
        return
    for j in range(last):
        if j != p:
            R[p, j] = R[last, j]
            R[j, p] = R[last, j]
            G[p, j] = G[last, j]
            G[j, p] = G[last, j]
    R[p, p] = R[last, last]
    G[p, p] = G[last, last]
    rd[p] = rd[last]
    gd[p] = gd[last]
    var[p] = var[last]
    v[p] = v[last]
    u[p] = u[last]


@numba.njit(cache=True)
def _greedy_projection_kernel(R, G, tol):
    """Greedy-order projection pairing; ``R`` (= M) and ``G`` (= M M) are overwritten.

    The eligible candidates are kept in the leading ``size`` x ``size`` block (a retired
    slot is filled by the last one), and each step's rank-1 updates of ``R`` and ``G``
    and the scan for the next best pair share one pass over that block.
    """
    n = R.shape[0]
    n_pairs = n // 2
    pairs = np.empty((n_pairs, 2), dtype=np.int64)
    gains = np.empty(n_pairs)
    var = np.arange(n)
    v = np.empty(n)
    u = np.empty(n)
    rd = np.empty(n)
    gd = np.empty(n)
    for i in range(n):
        rd[i] = R[i, i]
        gd[i] = G[i, i]
    size = n
    best, a, b = _best_pair(R, G, rd, gd, var, size, tol)
    for step in range(n_pairs):
        pairs[step, 0] = min(var[a], var[b])
        pairs[step, 1] = max(var[a], var[b])
        gains[step] = best
        d = rd[a] + rd[b] + 2.0 * R[a, b]
        s = gd[a] + gd[b] + 2.0 * G[a, b]
        for i in range(size):
            v[i] = R[i, a] + R[i, b]
            u[i] = G[i, a] + G[i, b]
        _swap_remove(R, G, rd, gd, var, v, u, max(a, b), size)
        size -= 1
        _swap_remove(R, G, rd, gd, var, v, u, min(a, b), size)
        size -= 1
        if size < 2:
            break
        if not d > tol:
            best, a, b = _best_pair(R, G, rd, gd, var, size, tol)
            continue
        for i in range(size):
            rd[i] -= v[i] * v[i] / d
            gd[i] += (s * v[i] / d - 2.0 * u[i]) * v[i] / d
        best = -np.inf
        a = -1
        b = -1
        for i in range(size):
            ai = v[i] / d
            ci = s * v[i] / (d * d) - u[i] / d
            for j in range(size):
                R[i, j] -= ai * v[j]
                G[i, j] += ci * v[j] - ai * u[j]
            R[i, i] = rd[i]
            G[i, i] = gd[i]
            best, a, b = _scan_row(R, G, rd, gd, var, size, tol, i, best, a, b)
    return pairs, gains


# -------------------------------------------------------------------------- correlation


def correlation_pairs(values) -> np.ndarray:
    """Pair the two most correlated unpaired variables, repeatedly (Meshulam et al. 2019).

    Correlation is the signed Pearson coefficient; zero-variance variables correlate 0
    with everything. Ties go to the lexicographically smallest pair ``(a, b)``. With odd
    N the variable left after the last pair is unpaired.

    Parameters
    ----------
    values : array_like, shape (m, N)

    Returns
    -------
    numpy.ndarray of int64, shape (N // 2, 2)
        In order of decreasing correlation, each row sorted.
    """
    values = as_value_matrix(values)
    n = values.shape[1]
    corr = correlation_matrix(values)
    rows, cols = np.triu_indices(n, k=1)
    # Stable sort keeps the lexicographic order of equal correlations.
    order = np.argsort(-corr[rows, cols], kind="stable")
    return _first_free_pairs(rows[order], cols[order], n)


@numba.njit(cache=True)
def _first_free_pairs(first, second, n):
    """Walk candidate pairs in order, keeping each whose two variables are still free."""
    pairs = np.empty((n // 2, 2), dtype=np.int64)
    free = np.ones(n, dtype=np.bool_)
    k = 0
    for idx in range(first.size):
        if k == n // 2:
            break
        a, b = first[idx], second[idx]
        if free[a] and free[b]:
            free[a] = False
            free[b] = False
            pairs[k, 0] = a
            pairs[k, 1] = b
            k += 1
    return pairs


# ------------------------------------------------------------------------------- random


def random_pairs(values, rng: np.random.Generator) -> np.ndarray:
    """Random pairing (the control): consecutive entries of a random permutation.

    With odd N the last entry of the permutation is unpaired.

    Parameters
    ----------
    values : array_like, shape (m, N)
        Only the number of variables is used.
    rng : numpy.random.Generator

    Returns
    -------
    numpy.ndarray of int64, shape (N // 2, 2)
        Each row sorted.
    """
    values = as_value_matrix(values)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng: expected a numpy.random.Generator, got {type(rng).__name__}")
    n = values.shape[1]
    perm = rng.permutation(n)
    return np.sort(perm[: 2 * (n // 2)].reshape(-1, 2), axis=1).astype(np.int64)


# ------------------------------------------------------------------------------ lattice




def lattice_pairs(values, lattice_shape, axis: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Nearest-neighbour pairs along one axis of a row-major lattice (Kadanoff blocks).

    Parameters
    ----------
    values : array_like, shape (m, rows * cols)
        Variables on the lattice, row-major (variable ``r * cols + c`` at site (r, c)).
    lattice_shape : (int, int)
        Current (rows, cols).
    axis : {0, 1}
        1 pairs columns (2c, 2c + 1) in every row; 0 pairs rows (2r, 2r + 1).

    Returns
    -------
    pairs : numpy.ndarray of int64, shape (rows * cols / 2, 2)
        Row ``k`` forms site ``k`` (row-major) of the halved lattice.
    new_shape : (int, int)
    """
    values = as_value_matrix(values)
    rows, cols = check_lattice_shape(lattice_shape, values.shape[1])
    if axis not in (0, 1):
        raise ValueError(f"axis: expected 0 or 1, got {axis!r}")
    length = (rows, cols)[axis]
    if length % 2:
        raise ValueError(f"lattice_shape: axis {axis} has odd length {length} and cannot be halved")
    site = np.arange(rows * cols, dtype=np.int64).reshape(rows, cols)
    if axis == 1:
        first, second = site[:, 0::2], site[:, 1::2]
    else:
        first, second = site[0::2, :], site[1::2, :]
    pairs = np.stack([first.ravel(), second.ravel()], axis=1)
    return pairs, first.shape


def haar_block_values(values, lattice_shape, axis: int, omega: float) -> np.ndarray:
    """Next level's lattice variables ``omega * (x_a + x_b)`` via PyWavelets' Haar low-pass.

    The Haar approximation coefficient is ``(x_2k + x_2k+1) / sqrt(2)``; multiplying it
    by ``omega * sqrt(2)`` gives the pair sum with factor ``omega``. The column order
    matches :func:`lattice_pairs`.

    Parameters
    ----------
    values : array_like, shape (m, rows * cols)
    lattice_shape : (int, int)
    axis : {0, 1}
    omega : float

    Returns
    -------
    numpy.ndarray, shape (m, rows * cols / 2)
    """
    values = as_value_matrix(values)
    rows, cols = check_lattice_shape(lattice_shape, values.shape[1])
    _, new_shape = lattice_pairs(values[:1], (rows, cols), axis)
    grid = values.reshape(values.shape[0], rows, cols)
    approx, _ = pywt.dwt(grid, "haar", axis=1 + axis)
    return np.ascontiguousarray(approx.reshape(values.shape[0], -1) * (omega * np.sqrt(2.0)))


