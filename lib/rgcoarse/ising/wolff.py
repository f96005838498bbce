"""Wolff single-cluster updates.

A cluster grows from a random seed site over aligned neighbours, each bond
joining with ``p_add = 1 - exp(-2 beta)``, and is flipped as a whole; this
beats critical slowing down near ``T_c``. The kernels track the exact changes
of the total energy and magnetisation so callers never recompute them.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from ..checks import check_integer, check_real
from .lattice import _check_spins, _store_sample
from .rng import _check_rng_state, _draw53, _draw_index, _probability_threshold

__all__ = ["wolff_add_threshold", "wolff_update"]


def wolff_add_threshold(beta: float) -> np.uint64:
    """53-bit threshold for the Wolff bond probability ``p_add = 1 - exp(-2 beta)``."""
    return _probability_threshold(-math.expm1(-2.0 * check_real(beta, "beta", minimum=0.0)))


@numba.njit(cache=True, inline="always")
def _neighbours(site, size, n_spins):
    """Periodic (up, down, left, right) neighbours of a flat site index."""
    row = site // size
    col = site - row * size
    last = size - 1
    up = site - size if row > 0 else site + n_spins - size
    down = site + size if row < last else site - n_spins + size
    left = site - 1 if col > 0 else site + last
    right = site + 1 if col < last else site - last
    return up, down, left, right


@numba.njit(cache=True)
def _wolff_cluster(flat, size, add_threshold, state, queue, in_cluster):
    """Grow and flip one Wolff cluster; returns (cluster size, dE, dM).

    ``queue`` (int64, N) ends up holding the members in growth order;
    ``in_cluster`` (int8, N) must be all 0 on entry and is all 0 again on exit.
    """
    n_spins = size * size
    seed = _draw_index(state, n_spins)
    old = flat[np.uint64(seed)]
    flat[np.uint64(seed)] = -old
    in_cluster[np.uint64(seed)] = 1
    queue[0] = seed
    head = 0
    tail = 1
    while head < tail:
        site = queue[np.uint64(head)]
        head += 1
        for nb in _neighbours(site, size, n_spins):
            # Aligned neighbours not yet flipped join with probability p_add.
            if flat[np.uint64(nb)] == old and _draw53(state) < add_threshold:
                flat[np.uint64(nb)] = -old
                in_cluster[np.uint64(nb)] = 1
                queue[np.uint64(tail)] = nb
                tail += 1
    # Only bonds crossing the cluster boundary change: each costs 2 * old * s_outside.
    # (Branchless: whether a neighbour is outside is unpredictable.)
    outside_sum = 0
    for q in range(tail):
        for nb in _neighbours(queue[np.uint64(q)], size, n_spins):
            outside_sum += (1 - in_cluster[np.uint64(nb)]) * flat[np.uint64(nb)]
    for q in range(tail):
        in_cluster[np.uint64(queue[np.uint64(q)])] = 0
    return tail, 2 * old * outside_sum, -2 * old * tail


@numba.njit(cache=True)
def _wolff_clusters(flat, size, add_threshold, n_clusters, state, sizes_out):
    """Flip ``n_clusters`` clusters, writing each size to ``sizes_out``; returns the total (dE, dM)."""
    queue = np.empty(size * size, dtype=np.int64)
    in_cluster = np.zeros(size * size, dtype=np.int8)
    delta_e = 0
    delta_m = 0
    for k in range(n_clusters):
        c, de, dm = _wolff_cluster(flat, size, add_threshold, state, queue, in_cluster)
        sizes_out[k] = c
        delta_e += de
        delta_m += dm
    return delta_e, delta_m


@numba.njit(cache=True)
def _wolff_until(flat, size, add_threshold, state, min_flipped, energy, magnetisation, e_out, abs_m_out, sizes_out):
    """Flip clusters until ``min_flipped`` spins were flipped or the output buffers are full.

    Records E/N, |M|/N and the cluster size after each flip (buffers may be empty
    when nothing is to be recorded). Returns (clusters done, spins flipped, E, M).
    """
    n_spins = size * size
    queue = np.empty(n_spins, dtype=np.int64)
    in_cluster = np.zeros(n_spins, dtype=np.int8)
    record = e_out.size > 0
    flipped = 0
    k = 0
    while flipped < min_flipped and (not record or k < e_out.size):
        c, de, dm = _wolff_cluster(flat, size, add_threshold, state, queue, in_cluster)
        energy += de
        magnetisation += dm
        flipped += c
        if record:
            e_out[k] = energy / n_spins
            abs_m_out[k] = abs(magnetisation) / n_spins
            sizes_out[k] = c
        k += 1
    return k, flipped, energy, magnetisation


@numba.njit(cache=True)
def _wolff_collect(
    flat, size, add_threshold, clusters_between, state, energy, magnetisation, out, random_sign, e_out, abs_m_out
):
    """Fill each row of ``out`` after ``clusters_between`` cluster flips, recording E/N and |M|/N; returns (E, M)."""
    n_spins = size * size
    queue = np.empty(n_spins, dtype=np.int64)
    in_cluster = np.zeros(n_spins, dtype=np.int8)
    for k in range(out.shape[0]):
        for _ in range(clusters_between):
            c, de, dm = _wolff_cluster(flat, size, add_threshold, state, queue, in_cluster)
            energy += de
            magnetisation += dm
        _store_sample(flat, out[k], state, random_sign)
        e_out[k] = energy / n_spins
        abs_m_out[k] = abs(magnetisation) / n_spins
    return energy, magnetisation


def wolff_update(spins: np.ndarray, beta: float, rng_state: np.ndarray, n_clusters: int = 1) -> np.ndarray:
    """Flip ``n_clusters`` Wolff clusters in place.

    Parameters
    ----------
    spins : numpy.ndarray of int8, shape (L, L)
        C-contiguous configuration of +-1, updated in place.
    beta : float
        Inverse temperature ``1/T >= 0``; bonds join with ``p_add = 1 - exp(-2 beta)``.
    rng_state : numpy.ndarray of uint64, shape (4,)
        Chain state from :func:`new_rng_state`, advanced in place.
    n_clusters : int
        Number of clusters to grow and flip, ``>= 0``.

    Returns
    -------
    numpy.ndarray of int64, shape (n_clusters,)
        The size of each flipped cluster.
    """
    spins = _check_spins(spins)
    _check_rng_state(rng_state)
    n_clusters = check_integer(n_clusters, "n_clusters", minimum=0)
    sizes = np.empty(n_clusters, dtype=np.int64)
    _wolff_clusters(spins.reshape(-1), spins.shape[0], wolff_add_threshold(beta), n_clusters, rng_state, sizes)
    return sizes
