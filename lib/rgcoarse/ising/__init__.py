"""Monte Carlo sampling of the 2D Ising model (J = 1, k_B = 1, periodic L x L lattice).

Kernels (numba, single-threaded, cached):

* a xoshiro256** random-number generator whose whole state is a ``uint64[4]``
  array owned by one chain, seeded explicitly through splitmix64 (:mod:`.rng`);
* Metropolis single-spin flips in checkerboard order (all even sites, then all
  odd sites, each visited once) with a precomputed acceptance table; one
  *Metropolis sweep* = ``L*L`` flip attempts (:mod:`.metropolis`);
* Wolff single-cluster updates; one *Wolff sweep* = as many cluster flips as
  flip ``L*L`` spins on average, i.e. ``L*L / <C>`` clusters, with the mean
  cluster size ``<C>`` measured in the pilot run (:mod:`.wolff`).

:func:`simulate_ising` (:mod:`.sampler`) turns these into a data set of
decorrelated spin configurations: burn-in, a pilot run that measures the
integrated autocorrelation times of the energy and of ``|m|`` (Sokal
windowing, :mod:`.planning`), then samples spaced by ``spacing_factor`` times
the larger of the two. Chain state lives in :mod:`.chain`; spin checks and
observables in :mod:`.lattice`.

Energy convention (also used by :mod:`rgcoarse.ising.exact`):
``E = -sum_i s_i (s_right(i) + s_down(i))`` with periodic neighbours.
"""

from __future__ import annotations

from ..config.constants import ISING_CRITICAL_TEMPERATURE as CRITICAL_TEMPERATURE
from .lattice import abs_magnetisation, energy_per_spin
from .metropolis import metropolis_acceptance_thresholds, metropolis_sweeps
from .rng import new_rng_state, rng_next_u64
from .sampler import IsingRun, choose_algorithm, simulate_ising
from .wolff import wolff_add_threshold, wolff_update

__all__ = [
    "CRITICAL_TEMPERATURE",
    "IsingRun",
    "new_rng_state",
    "rng_next_u64",
    "metropolis_acceptance_thresholds",
    "metropolis_sweeps",
    "wolff_add_threshold",
    "wolff_update",
    "energy_per_spin",
    "abs_magnetisation",
    "choose_algorithm",
    "simulate_ising",
]
