"""Monte Carlo sampling of the 2D Ising model (J = 1, k_B = 1, periodic L x L lattice).

Kernels (numba, single-threaded, cached):

* a xoshiro256** random-number generator whose whole state is a ``uint64[4]``
  array owned by one chain, seeded explicitly through splitmix64;
* Metropolis single-spin flips in checkerboard order (all even sites, then all
  odd sites, each visited once) with a precomputed acceptance table; one
  *Metropolis sweep* = ``L*L`` flip attempts;
* Wolff single-cluster updates; one *Wolff sweep* = as many cluster flips as
  flip ``L*L`` spins on average, i.e. ``L*L / <C>`` clusters, with the mean
  cluster size ``<C>`` measured in the pilot run.

:func:`simulate_ising` turns these into a data set of decorrelated spin
configurations: burn-in, a pilot run that measures the integrated
autocorrelation times of the energy and of ``|m|`` (Sokal windowing), then
samples spaced by ``spacing_factor`` times the larger of the two.

Energy convention (also used by :mod:`rgcoarse.ising_exact`):
``E = -sum_i s_i (s_right(i) + s_down(i))`` with periodic neighbours.
"""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass
from typing import Callable

import numba
import numpy as np

from .autocorrelation import correlated_standard_error, integrated_autocorrelation_time
from .ising_exact import CRITICAL_TEMPERATURE

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

# --------------------------------------------------------------------------- RNG

_MASK64 = (1 << 64) - 1
_U1 = np.uint64(1)
_U5 = np.uint64(5)
_U7 = np.uint64(7)
_U9 = np.uint64(9)
_U11 = np.uint64(11)
_U17 = np.uint64(17)
_U45 = np.uint64(45)
_U63 = np.uint64(63)
_U64 = np.uint64(64)
_UNIT_53 = 1.0 / 9007199254740992.0  # 2**-53


def _splitmix64(x: int) -> tuple[int, int]:
    """One splitmix64 step (Steele, Lea & Flood 2014): returns (new_state, output)."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x, z ^ (z >> 31)


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    if not 0 <= int(seed) <= _MASK64:
        raise ValueError(f"seed must be between 0 and 2**64 - 1, got {seed}")
    return int(seed)


def new_rng_state(seed: int) -> np.ndarray:
    """Fresh xoshiro256** state for one chain, filled by splitmix64 from ``seed``.

    Parameters
    ----------
    seed : int
        ``0 <= seed < 2**64``.

    Returns
    -------
    numpy.ndarray of uint64, shape (4,)
        Mutated in place by every kernel that draws random numbers.
    """
    x = _check_seed(seed)
    words = []
    for _ in range(4):
        x, out = _splitmix64(x)
        words.append(out)
    return np.array(words, dtype=np.uint64)


def _check_rng_state(rng_state) -> np.ndarray:
    if not (
        isinstance(rng_state, np.ndarray)
        and rng_state.dtype == np.uint64
        and rng_state.shape == (4,)
        and rng_state.flags.c_contiguous
        and rng_state.flags.writeable
    ):
        raise ValueError("rng_state must be a writeable uint64 array of shape (4,) from new_rng_state")
    if not rng_state.any():
        raise ValueError("rng_state must not be all zeros (xoshiro256** would stay at zero)")
    return rng_state


@numba.njit(cache=True, inline="always")
def _xoshiro_next(s0, s1, s2, s3):
    """xoshiro256** (Blackman & Vigna 2018) on a state held in registers."""
    x = s1 * _U5
    result = ((x << _U7) | (x >> (_U64 - _U7))) * _U9
    t = s1 << _U17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << _U45) | (s3 >> (_U64 - _U45))
    return result, s0, s1, s2, s3


@numba.njit(cache=True, inline="always")
def _next_u64(state):
    """Next output of the generator whose state lives in ``state`` (uint64[4])."""
    result, s0, s1, s2, s3 = _xoshiro_next(state[0], state[1], state[2], state[3])
    state[0] = s0
    state[1] = s1
    state[2] = s2
    state[3] = s3
    return result


@numba.njit(cache=True)
def _fill_u64(state, out):
    for i in range(out.size):
        out[i] = _next_u64(state)


def rng_next_u64(rng_state: np.ndarray, n: int) -> np.ndarray:
    """The next ``n`` raw 64-bit outputs of a chain's generator (advances ``rng_state``)."""
    _check_rng_state(rng_state)
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    out = np.empty(int(n), dtype=np.uint64)
    _fill_u64(rng_state, out)
    return out


@numba.njit(cache=True, inline="always")
def _draw53(state):
    """Uniform integer in [0, 2**53): compare against ``floor(p * 2**53)`` to accept with p."""
    return _next_u64(state) >> _U11


@numba.njit(cache=True, inline="always")
def _draw_index(state, n):
    """Uniform integer in [0, n) (53-bit resolution; bias below 2**-53 * n)."""
    return np.int64((_next_u64(state) >> _U11) * _UNIT_53 * n)


def _probability_threshold(p: float) -> np.uint64:
    """Integer ``t`` such that a 53-bit uniform draw ``u`` satisfies ``u < t`` with probability ``p``."""
    return np.uint64(min(1 << 53, math.floor(p * (1 << 53))))


# ----------------------------------------------------------------- observables


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


# ------------------------------------------------------------------ Metropolis


def _check_beta(beta) -> float:
    if isinstance(beta, bool) or not isinstance(beta, numbers.Real) or not math.isfinite(beta) or beta < 0:
        raise ValueError(f"beta must be a finite number >= 0, got {beta!r}")
    return float(beta)


def metropolis_acceptance_thresholds(beta: float) -> np.ndarray:
    """Acceptance table indexed by ``(s * h + 4) // 2``, ``h`` = sum of the 4 neighbours.

    Flipping spin ``s`` costs ``dE = 2 s h``; entry ``k`` is ``floor(min(1, exp(-beta dE)) * 2**53)``
    so a 53-bit uniform draw below it accepts with the Metropolis probability.

    Returns
    -------
    numpy.ndarray of uint64, shape (5,)
    """
    beta = _check_beta(beta)
    local_products = np.arange(-4, 5, 2)
    return np.array(
        [_probability_threshold(min(1.0, math.exp(-2.0 * beta * sh))) for sh in local_products],
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
def _store_sample(flat, out_row, state, random_sign):
    """Copy the lattice into ``out_row``, with its global sign flipped with probability 1/2."""
    if random_sign and (_next_u64(state) >> _U63) == _U1:
        for i in range(flat.size):
            out_row[i] = -flat[i]
    else:
        out_row[:] = flat


@numba.njit(cache=True)
def _metropolis_collect(
    flat, size, thresholds, sweeps_between, state, energy, magnetisation, out, random_sign, e_out, abs_m_out
):
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
    n_sweeps = _check_count(n_sweeps, "n_sweeps", minimum=0)
    thresholds = metropolis_acceptance_thresholds(beta)
    de, dm = _metropolis_block(spins.reshape(-1), spins.shape[0], thresholds, n_sweeps, rng_state)
    return int(de), int(dm)


# ----------------------------------------------------------------------- Wolff


def wolff_add_threshold(beta: float) -> np.uint64:
    """53-bit threshold for the Wolff bond probability ``p_add = 1 - exp(-2 beta)``."""
    return _probability_threshold(-math.expm1(-2.0 * _check_beta(beta)))


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
    n_clusters = _check_count(n_clusters, "n_clusters", minimum=0)
    sizes = np.empty(n_clusters, dtype=np.int64)
    _wolff_clusters(spins.reshape(-1), spins.shape[0], wolff_add_threshold(beta), n_clusters, rng_state, sizes)
    return sizes


# ----------------------------------------------------------- the full sampler


@dataclass(frozen=True)
class IsingRun:
    """Decorrelated Ising configurations and how they were made.

    Attributes
    ----------
    samples : numpy.ndarray of int8, shape (n_samples, L*L)
        Row-major flattened lattices: feature ``f`` is site (``f // L``, ``f % L``).
    metadata : dict
        JSON-serialisable run parameters and measured statistics (see
        :func:`simulate_ising`).
    """

    samples: np.ndarray
    metadata: dict


_ALGORITHMS = ("auto", "metropolis", "wolff")
_PROGRESS_STEPS = 20  # report about every 5 % of the samples
_MIN_SAMPLES_FOR_KEPT_TAU = 100  # below this a windowed tau of the kept series is pure noise
_PILOT_LENGTH_PER_TAU = 50  # Sokal: the estimate is trustworthy when the pilot spans >> tau


def _check_count(value, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def _check_real(value, name: str, minimum: float, strict: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < minimum or (strict and value == minimum):
        raise ValueError(f"{name} must be {'>' if strict else '>='} {minimum}, got {value}")
    return float(value)


def choose_algorithm(temperature: float, wolff_window: float) -> str:
    """``"wolff"`` if ``|T - T_c| <= wolff_window`` (critical slowing down), else ``"metropolis"``."""
    return "wolff" if abs(temperature - CRITICAL_TEMPERATURE) <= wolff_window else "metropolis"


def _initial_spins(size: int, temperature: float, rng_state: np.ndarray) -> np.ndarray:
    """Ordered start below T_c (avoids long-lived stripe domains), random start above."""
    if temperature < CRITICAL_TEMPERATURE:
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


def _kept_sample_tau(series: np.ndarray, tau_sweeps: float, spacing_sweeps: float) -> float:
    """Integrated autocorrelation time of the kept samples, in units of samples.

    Two estimates, the larger wins (conservative): (i) the pilot ``tau`` mapped
    through an exponential (AR(1)) decay, ``phi = (2 tau - 1) / (2 tau + 1)`` per
    sweep and ``phi**spacing`` between kept samples; (ii) Sokal windowing on the
    kept series itself when it is long enough to mean anything.
    """
    phi_sweep = max(0.0, (2.0 * tau_sweeps - 1.0) / (2.0 * tau_sweeps + 1.0))
    phi_kept = phi_sweep**spacing_sweeps
    tau = (1.0 + phi_kept) / (2.0 * (1.0 - phi_kept))
    if series.size >= _MIN_SAMPLES_FOR_KEPT_TAU:
        tau = max(tau, integrated_autocorrelation_time(series))
    return max(tau, 0.5)


def _progress_chunks(n_samples: int) -> list[int]:
    step = max(1, math.ceil(n_samples / _PROGRESS_STEPS))
    return [min(step, n_samples - start) for start in range(0, n_samples, step)]


def _warn_if_pilot_short(plan: _SamplingPlan, pilot_sweeps: int, temperature: float, size: int, algorithm: str):
    tau_max = max(plan.tau_energy, plan.tau_abs_m)
    if pilot_sweeps < _PILOT_LENGTH_PER_TAU * tau_max:
        warnings.warn(
            f"pilot_sweeps={pilot_sweeps} is less than {_PILOT_LENGTH_PER_TAU} x tau_int={tau_max:.3g} sweeps "
            f"at T={temperature}, L={size} ({algorithm}); the autocorrelation time and hence the sample "
            "spacing may be underestimated. Increase pilot_sweeps.",
            RuntimeWarning,
            stacklevel=3,
        )


def simulate_ising(
    temperature: float,
    lattice_size: int,
    n_samples: int,
    seed: int,
    *,
    wolff_window: float = 0.25,
    spacing_factor: float = 3.0,
    pilot_sweeps: int = 2000,
    burn_in_sweeps: int = 1000,
    progress: Callable[[int, int], object] | None = None,
    algorithm: str = "auto",
) -> IsingRun:
    """Decorrelated equilibrium configurations of the periodic 2D Ising model.

    Parameters
    ----------
    temperature : float
        ``T > 0`` in units of ``J / k_B`` (``T_c = 2 / ln(1 + sqrt 2)``).
    lattice_size : int
        ``L``, even and ``>= 4``; the lattice has ``N = L*L`` spins.
    n_samples : int
        Number of configurations to keep, ``>= 2``.
    seed : int
        Seeds the chain's generator (``0 <= seed < 2**64``); the same seed gives
        bit-identical output.
    wolff_window : float
        Use Wolff cluster updates when ``|T - T_c| <= wolff_window``, Metropolis otherwise.
    spacing_factor : float
        Keep one sample every ``ceil(spacing_factor * tau)`` sweeps, ``tau`` the larger
        pilot integrated autocorrelation time of E and |m| (``>= 1``).
    pilot_sweeps : int
        Length of the pilot run that measures ``tau`` (``>= 100``); a RuntimeWarning
        is issued when it is shorter than 50 ``tau``.
    burn_in_sweeps : int
        Sweeps discarded before the pilot (``>= 0``).
    progress : callable, optional
        ``progress(done_samples, total)``, called after about every 5 % of the samples.
    algorithm : {"auto", "metropolis", "wolff"}
        Force an update; ``"auto"`` applies the ``wolff_window`` rule.

    Returns
    -------
    IsingRun
        ``samples`` (int8, ``(n_samples, L*L)``, row-major) and ``metadata`` with keys
        temperature, lattice_size, seed, algorithm, sweeps_between_samples,
        tau_int_energy, tau_int_abs_m (sweeps), energy_per_spin_mean/_sem,
        abs_m_mean/_sem (over kept samples; SEM corrected by their residual
        autocorrelation), n_samples, burn_in_sweeps, pilot_sweeps, spacing_factor,
        wolff_window, mean_cluster_size (``None`` for Metropolis), global_sign_flipped
        (True below ``T_c``: each kept sample's sign is flipped with probability 1/2).

    Notes
    -----
    Starts ordered below ``T_c`` and random above. A Metropolis sweep is ``N`` flip
    attempts; a Wolff sweep is ``N`` flipped spins: burn-in and pilot run until
    ``sweeps * N`` spins have been flipped, and samples are ``round(sweeps * N / <C>)``
    cluster flips apart, ``<C>`` the mean cluster size in the pilot.
    """
    temperature = _check_real(temperature, "temperature", 0.0, strict=True)
    size = _check_count(lattice_size, "lattice_size", minimum=4)
    if size % 2:
        raise ValueError(f"lattice_size must be even, got {size}")
    n_samples = _check_count(n_samples, "n_samples", minimum=2)
    seed = _check_seed(seed)
    wolff_window = _check_real(wolff_window, "wolff_window", 0.0, strict=False)
    spacing_factor = _check_real(spacing_factor, "spacing_factor", 1.0, strict=False)
    pilot_sweeps = _check_count(pilot_sweeps, "pilot_sweeps", minimum=100)
    burn_in_sweeps = _check_count(burn_in_sweeps, "burn_in_sweeps", minimum=0)
    if progress is not None and not callable(progress):
        raise ValueError(f"progress must be callable or None, got {progress!r}")
    if algorithm not in _ALGORITHMS:
        raise ValueError(f"algorithm must be one of {_ALGORITHMS}, got {algorithm!r}")
    if algorithm == "auto":
        algorithm = choose_algorithm(temperature, wolff_window)

    random_sign = temperature < CRITICAL_TEMPERATURE
    chain = _Chain.start(size, temperature, seed)
    make_plan = _plan_metropolis if algorithm == "metropolis" else _plan_wolff
    plan = make_plan(chain, 1.0 / temperature, burn_in_sweeps, pilot_sweeps, spacing_factor, random_sign)
    _warn_if_pilot_short(plan, pilot_sweeps, temperature, size, algorithm)

    samples = np.empty((n_samples, size * size), dtype=np.int8)
    kept_energy = np.empty(n_samples)
    kept_abs_m = np.empty(n_samples)
    done = 0
    for chunk in _progress_chunks(n_samples):
        rows = slice(done, done + chunk)
        plan.collect(samples[rows], kept_energy[rows], kept_abs_m[rows])
        done += chunk
        if progress is not None:
            progress(done, n_samples)

    spacing = plan.sweeps_between_samples
    metadata = {
        "temperature": temperature,
        "lattice_size": size,
        "seed": seed,
        "algorithm": algorithm,
        "sweeps_between_samples": int(spacing),
        "tau_int_energy": float(plan.tau_energy),
        "tau_int_abs_m": float(plan.tau_abs_m),
        "energy_per_spin_mean": float(kept_energy.mean()),
        "energy_per_spin_sem": correlated_standard_error(
            kept_energy, _kept_sample_tau(kept_energy, plan.tau_energy, spacing)
        ),
        "abs_m_mean": float(kept_abs_m.mean()),
        "abs_m_sem": correlated_standard_error(kept_abs_m, _kept_sample_tau(kept_abs_m, plan.tau_abs_m, spacing)),
        "n_samples": n_samples,
        "burn_in_sweeps": burn_in_sweeps,
        "pilot_sweeps": pilot_sweeps,
        "spacing_factor": spacing_factor,
        "wolff_window": wolff_window,
        "mean_cluster_size": plan.mean_cluster_size,
        "global_sign_flipped": bool(random_sign),
    }
    return IsingRun(samples=samples, metadata=metadata)
