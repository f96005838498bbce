"""Metropolis single-spin flips in checkerboard order.

All even sites, then all odd sites, each visited once; one *Metropolis sweep*
= ``L*L`` flip attempts. Acceptance uses a precomputed table of 53-bit
thresholds indexed by the local field, so each attempt is one comparison.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from ..checks import check_integer, check_real
from .lattice import _check_spins, _store_sample
from .rng import _U11, _check_rng_state, _probability_threshold, _xoshiro_next

__all__ = ["metropolis_acceptance_thresholds", "metropolis_sweeps"]


def metropolis_acceptance_thresholds(beta: float) -> np.ndarray:
    """Acceptance table indexed by ``(s * h + 4) // 2``, ``h`` = sum of the 4 neighbours.

    Flipping spin ``s`` costs ``dE = 2 s h``; entry ``k`` is ``floor(min(1, exp(-beta dE)) * 2**53)``
    so a 53-bit uniform draw below it accepts with the Metropolis probability.

    Returns
    -------
    numpy.ndarray of uint64, shape (5,)
    """
    beta = check_real(beta, "beta", minimum=0.0)
    local_products = np.arange(-4, 5, 2)
    return np.array(
        # min(0, .) first: a move that lowers the energy is always accepted, and exp never overflows at low T.
        [_probability_threshold(math.exp(min(0.0, -2.0 * beta * sh))) for sh in local_products],
        dtype=np.uint64,
    )


@numba.njit(cache=True)
def _metropolis_block(flat, size, thresholds, n_sweeps, state):
    """``n_sweeps`` checkerboard sweeps; returns the exact changes (dE, dM) of total E and M.

    Within one half-sweep no updated spin is a neighbour of another (for even L),
    so the loop has no store-to-load dependency; the accept decision is
    branchless because it is unpredictable. Indices are cast to unsigned so numba
    skips its negative-index wraparound checks.
    """
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    delta_e = 0
    delta_m = 0
    last = size - 1
    for _ in range(n_sweeps):
        for parity in range(2):
            for row in range(size):
                base = row * size
                up = (row - 1 if row > 0 else last) * size
                down = (row + 1 if row < last else 0) * size
                start = (row + parity) & 1
                for j in range((size - start + 1) // 2):
                    col = start + 2 * j
                    left = col - 1 if col > 0 else last
                    right = col + 1 if col < last else 0
                    site = np.uint64(base + col)
                    s = flat[site]
                    h = (
                        flat[np.uint64(up + col)]
                        + flat[np.uint64(down + col)]
                        + flat[np.uint64(base + left)]
                        + flat[np.uint64(base + right)]
                    )
                    sh = s * h
                    r, s0, s1, s2, s3 = _xoshiro_next(s0, s1, s2, s3)
                    accept = np.int64((r >> _U11) < thresholds[np.uint64((sh + 4) >> 1)])
                    flat[site] = s - 2 * s * accept
                    delta_e += 2 * sh * accept
                    delta_m -= 2 * s * accept
    state[0] = s0
    state[1] = s1
    state[2] = s2
    state[3] = s3
    return delta_e, delta_m


@numba.njit(cache=True)
def _metropolis_series(flat, size, thresholds, n_sweeps, state, energy, magnetisation, e_out, abs_m_out):
    """One sweep at a time, recording E/N and |M|/N after each; returns final (E, M)."""
    n_spins = size * size
    for k in range(n_sweeps):
        de, dm = _metropolis_block(flat, size, thresholds, 1, state)
        energy += de
        magnetisation += dm
        e_out[k] = energy / n_spins
        abs_m_out[k] = abs(magnetisation) / n_spins
    return energy, magnetisation


@numba.njit(cache=True)
def _metropolis_collect(
    flat, size, thresholds, sweeps_between, state, energy, magnetisation, out, random_sign, e_out, abs_m_out
):
    """Fill each row of ``out`` after ``sweeps_between`` sweeps, recording E/N and |M|/N; returns final (E, M)."""
    n_spins = size * size
    for k in range(out.shape[0]):
        de, dm = _metropolis_block(flat, size, thresholds, sweeps_between, state)
        energy += de
        magnetisation += dm
        _store_sample(flat, out[k], state, random_sign)
        e_out[k] = energy / n_spins
        abs_m_out[k] = abs(magnetisation) / n_spins
    return energy, magnetisation


def metropolis_sweeps(spins: np.ndarray, beta: float, n_sweeps: int, rng_state: np.ndarray) -> tuple[int, int]:
    """Run Metropolis sweeps in place (checkerboard order, one sweep = ``L*L`` attempts).

    Parameters
    ----------
    spins : numpy.ndarray of int8, shape (L, L)
        C-contiguous configuration of +-1, updated in place.
    beta : float
        Inverse temperature ``1/T >= 0``.
    n_sweeps : int
        Number of sweeps, ``>= 0``.
    rng_state : numpy.ndarray of uint64, shape (4,)
        Chain state from :func:`new_rng_state`, advanced in place.

    Returns
    -------
    (int, int)
        Exact change of the total energy and of the total magnetisation.
    """
    spins = _check_spins(spins)
    _check_rng_state(rng_state)
    n_sweeps = check_integer(n_sweeps, "n_sweeps", minimum=0)
    thresholds = metropolis_acceptance_thresholds(beta)
    de, dm = _metropolis_block(spins.reshape(-1), spins.shape[0], thresholds, n_sweeps, rng_state)
    return int(de), int(dm)
