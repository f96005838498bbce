"""One Markov chain's mutable state and how it starts.

The chain owns its lattice (flat view), its generator state, and the running
total energy and magnetisation, which the update kernels keep exact so they are
never recomputed from the lattice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..config.constants import ISING_CRITICAL_TEMPERATURE
from .lattice import _total_energy, _total_magnetisation
from .rng import new_rng_state, rng_next_u64


def _initial_spins(size: int, temperature: float, rng_state: np.ndarray) -> np.ndarray:
    """Ordered start below T_c (avoids long-lived stripe domains), random start above."""
    if temperature < ISING_CRITICAL_TEMPERATURE:
        return np.ones((size, size), dtype=np.int8)
    bits = rng_next_u64(rng_state, size * size) >> np.uint64(63)
    return (1 - 2 * bits.astype(np.int8)).reshape(size, size)


@dataclass
class _Chain:
    """Mutable state of one Markov chain: lattice (flat view), generator, running E and M."""

    flat: np.ndarray
    size: int
    rng_state: np.ndarray
    energy: int
    magnetisation: int

    @classmethod
    def start(cls, size: int, temperature: float, seed: int) -> "_Chain":
        rng_state = new_rng_state(seed)
        flat = _initial_spins(size, temperature, rng_state).reshape(-1)
        return cls(flat, size, rng_state, int(_total_energy(flat, size)), int(_total_magnetisation(flat)))
