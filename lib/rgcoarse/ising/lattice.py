"""Spin configurations: validation, total energy and magnetisation, and storing a sample.

A configuration is a C-contiguous ``int8`` ``L x L`` array of +-1 with periodic
boundaries; the kernels work on its flat (row-major) view. Energy convention
(also used by :mod:`rgcoarse.ising.exact`):
``E = -sum_i s_i (s_right(i) + s_down(i))`` with periodic neighbours.
"""

from __future__ import annotations

import numba
import numpy as np

from .rng import _U1, _U63, _next_u64

__all__ = ["energy_per_spin", "abs_magnetisation"]


def _check_spins(spins) -> np.ndarray:
    if not isinstance(spins, np.ndarray) or spins.dtype != np.int8:
        raise ValueError("spins must be a numpy int8 array")
    if spins.ndim != 2 or spins.shape[0] != spins.shape[1] or spins.shape[0] < 2:
        raise ValueError(f"spins must be a square L x L array with L >= 2, got shape {spins.shape}")
    if not spins.flags.c_contiguous:
        raise ValueError("spins must be C-contiguous")
    if not np.all(np.abs(spins) == 1):
        raise ValueError("spins must contain only -1 and +1")
    return spins


@numba.njit(cache=True)
def _total_energy(flat, size):
    energy = 0
    for row in range(size):
        below = (row + 1) % size
        for col in range(size):
            right = col + 1 if col + 1 < size else 0
            s = np.int64(flat[row * size + col])
            energy -= s * (flat[row * size + right] + flat[below * size + col])
    return energy


@numba.njit(cache=True)
def _total_magnetisation(flat):
    total = 0
    for i in range(flat.size):
        total += flat[i]
    return total


def energy_per_spin(spins: np.ndarray) -> float:
    """Energy per spin ``E / N`` of an ``L x L`` periodic configuration (int8, values +-1)."""
    spins = _check_spins(spins)
    size = spins.shape[0]
    return _total_energy(spins.reshape(-1), size) / (size * size)


def abs_magnetisation(spins: np.ndarray) -> float:
    """Absolute magnetisation per spin ``|M| / N`` of a configuration (int8, values +-1)."""
    spins = _check_spins(spins)
    return abs(_total_magnetisation(spins.reshape(-1))) / spins.size


@numba.njit(cache=True)
def _store_sample(flat, out_row, state, random_sign):
    """Copy the lattice into ``out_row``, with its global sign flipped with probability 1/2."""
    # The coin is drawn only when random_sign is set, so runs above T_c consume no extra numbers.
    if random_sign and (_next_u64(state) >> _U63) == _U1:
        for i in range(flat.size):
            out_row[i] = -flat[i]
    else:
        out_row[:] = flat
