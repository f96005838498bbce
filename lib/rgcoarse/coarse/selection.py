"""Unsupervised stepwise linear selection: the residual machinery shared by the
``projection`` pairing rule and the coefficient-of-determination (COD) curve.

Notation (one coarse-graining level, N variables, standardised):

- ``M``: the N x N correlation matrix (targets = all N variables of the level);
- ``R = M - U``: the residual covariance of the targets after projecting them on the
  span of the features selected so far; the total projection error is ``tr R``;
- ``G = R R``.

Adding a feature ``f = sum_i w_i z_i`` (``z`` the standardised variables) lowers the
projection error by ``gain(w) = (w' G w) / (w' R w)`` and updates

    v = R w,  u = G w,  d = w' R w,  s = w' G w,
    R <- R - v v' / d,
    G <- G - (u v' + v u') / d + s v v' / d**2,

which is exactly ``G = R R`` after the update (expand ``(R - v v'/d)**2`` and use
``R v = u``, ``v'v = s``). Each update is O(N**2) and never recomputes ``R R``.
Only entries between still-eligible candidates are ever needed (``v' v = s`` comes from
``G`` itself), so the matrices shrink as candidates are used up.

:class:`_BlockedResidual` defers the rank-1 updates in blocks: within a block, a row of
the current ``R`` or ``G`` is the stale row plus the pending low-rank corrections
(O(N * block) per row); at the end of a block all pending updates are applied at once as
matrix products (BLAS), on the matrices restricted to the remaining candidates. This is
the same arithmetic as one update per step, reordered so that the O(N**3) work per level
runs at matrix-multiply speed instead of memory bandwidth.

Degenerate candidates: a candidate whose residual variance ``d = w' R w`` is at most
``tol`` (default :data:`RESIDUAL_TOL`, in units of one standardised variable's
variance) is already explained (or has zero variance); its gain is defined as 0 and
selecting it leaves ``R`` and ``G`` unchanged. Nothing is ever divided by such a ``d``.
"""

from __future__ import annotations

import numba
import numpy as np
import pandas as pd
from scipy.linalg import blas

from rgcoarse.checks import as_value_matrix  # noqa: F401  (re-exported: kernels import it from here)

#: Residual variance (in units of one standardised variable's variance) at or below
#: which a candidate feature counts as already explained: gain 0, no update.
RESIDUAL_TOL = 1e-8

#: Rank-1 updates deferred before they are applied as one matrix product.
DEFAULT_BLOCK_SIZE = 256

#: Ranks of a stepwise COD selection kept as deferred updates before any is applied (a row
#: then costs O(N * rank); 512 ranks of N = 4096 hold 2 x 16 MiB).
MAX_DEFERRED_RANKS = 512


def standardised_columns(values) -> np.ndarray:
    """Centre each column and scale it to unit Euclidean norm.

    The result ``Z`` satisfies ``Z.T @ Z == correlation matrix``. A zero-variance column
    (all entries equal) becomes all zeros, so it correlates 0 with everything, including
    itself.

    Parameters
    ----------
    values : array_like, shape (m, N)

    Returns
    -------
    numpy.ndarray, shape (m, N)
    """
    values = as_value_matrix(values, contiguous=False)
    centred = values - values.mean(axis=0)
    varying = np.ptp(values, axis=0) > 0
    with np.errstate(over="ignore", under="ignore"):
        norm = np.sqrt(np.einsum("ij,ij->j", centred, centred))
    # Sums of squares that overflow or underflow (extreme units) are redone on columns
    # divided by their largest magnitude first.
    extreme = varying & ~(np.isfinite(norm) & (norm > 0))
    if np.any(extreme):
        peak = np.max(np.abs(centred[:, extreme]), axis=0)
        centred[:, extreme] /= peak
        norm[extreme] = np.sqrt(np.einsum("ij,ij->j", centred[:, extreme], centred[:, extreme]))
    scale = np.zeros_like(norm)
    scale[varying] = 1.0 / norm[varying]
    centred *= scale
    return centred


def correlation_matrix(values) -> np.ndarray:
    """Pearson correlation matrix of the columns; zero-variance columns give zero rows.

    Parameters
    ----------
    values : array_like, shape (m, N)

    Returns
    -------
    numpy.ndarray, shape (N, N)
        Symmetric; the diagonal is 1 for varying columns and 0 for constant ones.
    """
    z = standardised_columns(values)
    # z.T @ z on the same buffer lets NumPy use the symmetric BLAS kernel (syrk). Whatever
    # kernel ran, the copy makes m exactly symmetric in one blocked pass (a no-op after syrk).
    m = np.ascontiguousarray(z.T @ z)
    _copy_upper_to_lower(m)
    return m


@numba.njit(cache=True)
def _copy_upper_to_lower(matrix, block=64):
    n = matrix.shape[0]
    for i0 in range(0, n, block):
        for j0 in range(0, i0 + 1, block):
            for i in range(i0, min(i0 + block, n)):
                for j in range(j0, min(j0 + block, i)):
                    matrix[i, j] = matrix[j, i]


class LevelProducts:
    """The correlation matrix ``M`` of one level's values and its Gram product ``M M``, each made on
    first use and then shared.

    The projection pairing and the stepwise COD of the same level both start from these and only
    read them, so a caller that runs both (a null draw: the pairing, then the level-0 COD statistics)
    makes each O(N**3) product once. ``values`` must be the level's values as the kernels see them:
    C-ordered float64 (:func:`as_value_matrix`), as the coarse-graining's level 0 holds them.
    """

    def __init__(self, values):
        self.values = as_value_matrix(values)
        self._correlation = self._gram = None

    def check(self, values) -> None:
        if np.shape(values) != self.values.shape:
            raise ValueError(f"products: made for values of shape {self.values.shape}, used for {np.shape(values)}")

    def correlation(self) -> np.ndarray:
        if self._correlation is None:
            self._correlation = correlation_matrix(self.values)
            self._correlation.flags.writeable = False  # shared: every user only reads it
        return self._correlation

    def gram(self) -> np.ndarray:
        if self._gram is None:
            m = self.correlation()
            self._gram = m.T @ m  # as _BlockedResidual makes it: the same syrk
            self._gram.flags.writeable = False
        return self._gram


class _BlockedResidual:
    """``R`` and ``G`` on the eligible candidates, with rank-1 updates deferred in blocks.

    Candidates are addressed by *slot*: the position of a variable in
    :attr:`variables` (the sorted original indices of the candidates stored). Slots are
    renumbered only inside :meth:`add`, when a block is applied, so a caller must look
    slots up again (:meth:`slot_of`) after every :meth:`add`.
    """

    def __init__(self, m: np.ndarray, block_size: int = DEFAULT_BLOCK_SIZE, *, gram=True):
        n = m.shape[0]
        self.R = np.asarray(m, dtype=np.float64)  # read only: each block builds new compacted matrices
        self.variables = np.arange(n)
        self.eligible = np.ones(n, dtype=bool)
        self.r_diag = np.diag(self.R).copy()
        if isinstance(gram, np.ndarray):  # M M made already (LevelProducts)
            self.G = gram
            self.g_diag = np.diag(self.G).copy()
        elif gram:
            # G = M M; M is symmetric, and M.T @ M lets NumPy use syrk.
            self.G = self.R.T @ self.R
            self.g_diag = np.diag(self.G).copy()
        else:
            # Only the first pick is wanted: diag(M M) is the rows' squared norms, O(N**2)
            # instead of the O(N**3) product. No row (rows()) and no update (add()) is then possible.
            self.G = None
            self.g_diag = np.einsum("ij,ij->i", self.R, self.R)
        self.block_size = int(block_size)
        self._V = np.empty((self.block_size, n))
        self._U = np.empty((self.block_size, n))
        self._d = np.empty(self.block_size)
        self._s = np.empty(self.block_size)
        self._t = 0
        self._slot = np.arange(n)

    @classmethod
    def of(cls, values, block_size: int, *, gram: bool = True, products: LevelProducts | None = None):
        """The tracker of ``values``' correlation matrix: made here, and then held by the tracker
        alone (it frees it once compacted), or shared through ``products``."""
        if products is None:
            return cls(correlation_matrix(values), block_size, gram=gram)
        products.check(values)
        return cls(products.correlation(), block_size, gram=products.gram() if gram else False)

    def slot_of(self, variable: int) -> int:
        """Current slot of an original variable index (it must still be stored)."""
        return int(self._slot[variable])

    def rows(self, slot: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows ``slot`` of the current ``R`` and ``G = R R`` (over all stored slots).

        Both are the stale rows plus the pending corrections; the ``R`` row's and the ``G``
        row's corrections along the deferred ``v`` are one (2 x t) @ (t x n) product, so the
        pending updates are read twice per call instead of three times.
        """
        t = self._t
        row_r, row_g = self.R[slot].copy(), self.G[slot].copy()
        if t:
            v, u, d, s = self._V[:t], self._U[:t], self._d[:t], self._s[:t]
            v_slot = v[:, slot] / d
            along_v = np.stack([-v_slot, v_slot * s / d - u[:, slot] / d]) @ v
            row_r += along_v[0]
            row_g += along_v[1]
            row_g -= v_slot @ u
        return row_r, row_g

    def row_R(self, slot: int) -> np.ndarray:
        """Row ``slot`` of the current residual ``R`` (over all stored slots)."""
        return self.rows(slot)[0]

    def row_G(self, slot: int) -> np.ndarray:
        """Row ``slot`` of the current ``G = R R`` (over all stored slots)."""
        return self.rows(slot)[1]

    def retire(self, slot: int) -> None:
        """Mark a candidate as no longer eligible (it stays a target through ``G``)."""
        self.eligible[slot] = False

    def add(self, v: np.ndarray, u: np.ndarray, d: float, s: float) -> None:
        """Record the feature with ``v = R w, u = G w, d = w'Rw, s = w'Gw`` (``d > tol``)."""
        t = self._t
        self._V[t], self._U[t], self._d[t], self._s[t] = v, u, d, s
        self._t = t + 1
        self.r_diag -= v * v / d
        self.g_diag += (s * v / d - 2.0 * u) * v / d
        if self._t == self.block_size:
            self.apply_pending()

    def apply_pending(self) -> None:
        """Apply the deferred updates and drop retired candidates from storage."""
        keep = np.flatnonzero(self.eligible)
        t = self._t
        # Two one-axis takes copy about twice as fast as one np.ix_ gather. Each old matrix is let
        # go before the next is built: at most three N x N matrices and an intermediate at a time.
        R = self.R.take(keep, axis=0).take(keep, axis=1)
        self.R = None
        G = self.G.take(keep, axis=0).take(keep, axis=1)
        self.G = None
        if t:
            v = self._V[:t, keep]
            u = self._U[:t, keep]
            d = self._d[:t, None]
            s = self._s[:t, None]
            _add_symmetric_product(R, -(v / d), v)
            a = 0.5 * v * s / d**2 - u / d
            # G += a'v + v'a as one product with inner dimension 2t.
            _add_symmetric_product(G, np.concatenate([a, v]), np.concatenate([v, a]))
        self.R, self.G = R, G
        self.variables = self.variables[keep]
        self.r_diag = self.r_diag[keep]
        self.g_diag = self.g_diag[keep]
        self.eligible = np.ones(keep.size, dtype=bool)
        self._slot[:] = -1
        self._slot[self.variables] = np.arange(keep.size)
        self._V = np.empty((self.block_size, keep.size))
        self._U = np.empty((self.block_size, keep.size))
        self._t = 0


def _add_symmetric_product(target: np.ndarray, left: np.ndarray, right: np.ndarray) -> None:
    """``target += left' right`` in place, for a symmetric C-ordered ``target`` and ``left' right``.

    One BLAS call with beta = 1 on ``target``'s buffer, through its Fortran-ordered transpose
    (``target.T += right' left``, the same products term by term): no N x N temporary and no
    second pass over memory.
    """
    if target.size == 0 or left.shape[0] == 0:
        return
    gemm = blas.get_blas_funcs("gemm", (target,))
    result = gemm(1.0, right, left, beta=1.0, c=target.T, trans_a=1, overwrite_c=1)
    if not np.shares_memory(result, target):  # a BLAS wrapper that would not write in place
        target[...] = result.T


def stepwise_cod(
    values, max_rank: int | None = None, *, tol: float = RESIDUAL_TOL, block_size: int | None = None,
    products: LevelProducts | None = None,
) -> pd.DataFrame:
    """Unsupervised forward stepwise linear selection of single variables.

    Candidates are the level's single variables and the targets are all of that level's
    variables, standardised. At each rank the variable whose addition explains the most
    of the targets' remaining variance is selected (gain ``G_jj / R_jj``; ties go to the
    lowest variable index).

    Parameters
    ----------
    values : array_like, shape (m, N)
        One level's variables (samples x variables).
    max_rank : int, optional
        Number of selection steps (default N; larger values are cut to N). Each step
        costs O(N**2).
    tol : float
        Residual variance at or below which a candidate counts as explained
        (gain 0); see :data:`RESIDUAL_TOL`.
    block_size : int, optional
        Updates deferred per block (performance only; the result does not depend on it
        beyond rounding). Default: every update deferred up to :data:`MAX_DEFERRED_RANKS`
        ranks. Only the diagonals and the selected rows of ``R`` and ``G`` are read, so a
        short selection never needs the N x N updates applied.
    products : LevelProducts, optional
        The correlation and Gram matrices of these values, made already (shared with the
        projection pairing of the same level); computed here if omitted.

    Returns
    -------
    pandas.DataFrame
        One row per rank ``r = 1..max_rank`` with columns ``rank``, ``variable`` (the
        selected column), ``cod`` (cumulative ``COD(r) = sum_j R^2_j`` over the N
        targets, between 0 and N), ``cod_increment`` (``COD(r) - COD(r-1)``) and
        ``norm_cod_increment`` (``cod_increment / N``). The largest normalised COD is
        ``max_r cod_increment / N``; it is normally the first row (explained variance is
        not submodular, so a later increment can exceed it in rare suppressor cases).
        Zero-variance targets contribute 0 to every ``R^2``.
    """
    values = as_value_matrix(values, contiguous=False)
    n = values.shape[1]
    max_rank = _check_max_rank(max_rank, n)
    tol = check_tolerance(tol)
    block_size = min(max_rank, MAX_DEFERRED_RANKS) if block_size is None else check_block_size(block_size)
    tracker = _BlockedResidual.of(values, block_size, gram=max_rank > 1, products=products)
    chosen = np.empty(max_rank, dtype=np.int64)
    gains = np.empty(max_rank)
    for r in range(max_rank):
        rd = tracker.r_diag
        gain = np.zeros(rd.size)
        ok = rd > tol
        gain[ok] = tracker.g_diag[ok] / rd[ok]
        gain[~tracker.eligible] = -np.inf
        slot = int(np.argmax(gain))
        chosen[r] = tracker.variables[slot]
        gains[r] = gain[slot]
        d, s = float(rd[slot]), float(tracker.g_diag[slot])
        tracker.retire(slot)
        if d > tol and r + 1 < max_rank:  # the last pick's update would never be read
            tracker.add(*tracker.rows(slot), d, s)
    cod = np.cumsum(gains)
    return pd.DataFrame(
        {
            "rank": np.arange(1, max_rank + 1, dtype=np.int64),
            "variable": chosen,
            "cod": cod,
            "cod_increment": gains,
            "norm_cod_increment": gains / n,
        }
    )


def _check_max_rank(max_rank, n: int) -> int:
    if max_rank is None:
        return n
    if isinstance(max_rank, bool) or not isinstance(max_rank, (int, np.integer)):
        raise ValueError(f"max_rank: expected a positive integer or None, got {max_rank!r}")
    if max_rank < 1:
        raise ValueError(f"max_rank: must be at least 1, got {max_rank}")
    return int(min(max_rank, n))


def check_tolerance(tol) -> float:
    """Validate a residual tolerance: a finite number >= 0."""
    try:
        tol = float(tol)
    except (TypeError, ValueError):
        raise ValueError(f"tol: expected a non-negative number, got {tol!r}") from None
    if not np.isfinite(tol) or tol < 0:
        raise ValueError(f"tol: expected a finite non-negative number, got {tol!r}")
    return tol


def check_block_size(block_size) -> int:
    """Validate a block size: a positive integer."""
    if isinstance(block_size, bool) or not isinstance(block_size, (int, np.integer)) or block_size < 1:
        raise ValueError(f"block_size: expected a positive integer, got {block_size!r}")
    return int(block_size)
