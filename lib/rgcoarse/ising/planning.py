"""Burn-in and pilot run: measure autocorrelation times and decide the sample spacing.

Each planner burns a chain in, runs a pilot that records the energy and ``|m|``,
measures their integrated autocorrelation times (Sokal windowing) in sweeps,
and returns a :class:`_SamplingPlan` whose ``collect`` takes the kept samples
spaced by ``spacing_factor`` times the larger of the two. A Metropolis sweep is
``N`` flip attempts; a Wolff sweep is ``N`` flipped spins.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..stats.autocorrelation import integrated_autocorrelation_time
from .chain import _Chain
from .metropolis import _metropolis_block, _metropolis_collect, _metropolis_series, metropolis_acceptance_thresholds
from .wolff import _wolff_collect, _wolff_until, wolff_add_threshold

_PILOT_LENGTH_PER_TAU = 50  # Sokal: the estimate is trustworthy when the pilot spans >> tau


@dataclass(frozen=True)
class _SamplingPlan:
    """What the pilot run decided: autocorrelation times, spacing, and how to take samples."""

    tau_energy: float  # sweeps
    tau_abs_m: float  # sweeps
    sweeps_between_samples: int
    mean_cluster_size: float | None
    collect: Callable[[np.ndarray, np.ndarray, np.ndarray], None]  # (samples, e/N, |m|) rows


def _sweeps_between(tau_energy: float, tau_abs_m: float, spacing_factor: float) -> int:
    return max(1, math.ceil(spacing_factor * max(tau_energy, tau_abs_m)))


def _plan_metropolis(
    chain: _Chain, beta: float, burn_in_sweeps: int, pilot_sweeps: int, spacing_factor: float, random_sign: bool
) -> _SamplingPlan:
    """Burn in, then measure tau_int of E and |m| from one value per sweep."""
    thresholds = metropolis_acceptance_thresholds(beta)
    de, dm = _metropolis_block(chain.flat, chain.size, thresholds, burn_in_sweeps, chain.rng_state)
    chain.energy += int(de)
    chain.magnetisation += int(dm)
    pilot_e, pilot_m = np.empty(pilot_sweeps), np.empty(pilot_sweeps)
    chain.energy, chain.magnetisation = _metropolis_series(
        chain.flat, chain.size, thresholds, pilot_sweeps, chain.rng_state, chain.energy, chain.magnetisation,
        pilot_e, pilot_m,
    )
    tau_e = integrated_autocorrelation_time(pilot_e)
    tau_m = integrated_autocorrelation_time(pilot_m)
    sweeps_between = _sweeps_between(tau_e, tau_m, spacing_factor)

    def collect(samples, e_out, m_out):
        chain.energy, chain.magnetisation = _metropolis_collect(
            chain.flat, chain.size, thresholds, sweeps_between, chain.rng_state, chain.energy,
            chain.magnetisation, samples, random_sign, e_out, m_out,
        )

    return _SamplingPlan(tau_e, tau_m, sweeps_between, None, collect)


def _wolff_pilot(chain: _Chain, add_threshold: np.uint64, min_flipped: int):
    """Record E/N, |m| and the cluster size after every flip until ``min_flipped`` spins flipped."""
    # The number of clusters is not known in advance: fill doubling buffers until enough spins flipped.
    capacity = 4096
    e_parts, m_parts, size_parts = [], [], []
    flipped = 0
    while flipped < min_flipped:
        e_buf, m_buf, size_buf = np.empty(capacity), np.empty(capacity), np.empty(capacity, dtype=np.int64)
        k, f, chain.energy, chain.magnetisation = _wolff_until(
            chain.flat, chain.size, add_threshold, chain.rng_state, min_flipped - flipped, chain.energy,
            chain.magnetisation, e_buf, m_buf, size_buf,
        )
        flipped += f
        e_parts.append(e_buf[:k])
        m_parts.append(m_buf[:k])
        size_parts.append(size_buf[:k])
        capacity *= 2
    return np.concatenate(e_parts), np.concatenate(m_parts), np.concatenate(size_parts)


def _plan_wolff(
    chain: _Chain, beta: float, burn_in_sweeps: int, pilot_sweeps: int, spacing_factor: float, random_sign: bool
) -> _SamplingPlan:
    """Burn in and pilot by flipped spins (a sweep = N flipped spins), one record per cluster."""
    n_spins = chain.size * chain.size
    add_threshold = wolff_add_threshold(beta)
    nothing = np.empty(0)
    _, _, chain.energy, chain.magnetisation = _wolff_until(
        chain.flat, chain.size, add_threshold, chain.rng_state, burn_in_sweeps * n_spins, chain.energy,
        chain.magnetisation, nothing, nothing, np.empty(0, dtype=np.int64),
    )
    pilot_e, pilot_m, pilot_sizes = _wolff_pilot(chain, add_threshold, pilot_sweeps * n_spins)
    mean_cluster_size = float(pilot_sizes.mean())
    # tau in cluster flips -> sweeps: one cluster flip advances <C>/N sweeps on average.
    sweeps_per_cluster = mean_cluster_size / n_spins
    tau_e = integrated_autocorrelation_time(pilot_e) * sweeps_per_cluster
    tau_m = integrated_autocorrelation_time(pilot_m) * sweeps_per_cluster
    sweeps_between = _sweeps_between(tau_e, tau_m, spacing_factor)
    clusters_between = max(1, round(sweeps_between / sweeps_per_cluster))

    def collect(samples, e_out, m_out):
        chain.energy, chain.magnetisation = _wolff_collect(
            chain.flat, chain.size, add_threshold, clusters_between, chain.rng_state, chain.energy,
            chain.magnetisation, samples, random_sign, e_out, m_out,
        )

    return _SamplingPlan(tau_e, tau_m, sweeps_between, mean_cluster_size, collect)


_PLANNERS = {"metropolis": _plan_metropolis, "wolff": _plan_wolff}


def _warn_if_pilot_short(plan: _SamplingPlan, pilot_sweeps: int, temperature: float, size: int, algorithm: str):
    # stacklevel=3 points the warning at the caller of simulate_ising, which chose pilot_sweeps.
    tau_max = max(plan.tau_energy, plan.tau_abs_m)
    if pilot_sweeps < _PILOT_LENGTH_PER_TAU * tau_max:
        warnings.warn(
            f"pilot_sweeps={pilot_sweeps} is less than {_PILOT_LENGTH_PER_TAU} x tau_int={tau_max:.3g} sweeps "
            f"at T={temperature}, L={size} ({algorithm}); the autocorrelation time and hence the sample "
            "spacing may be underestimated. Increase pilot_sweeps.",
            RuntimeWarning,
            stacklevel=3,
        )
