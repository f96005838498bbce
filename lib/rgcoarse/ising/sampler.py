"""The sampler: decorrelated equilibrium configurations of the 2D Ising model.

:func:`simulate_ising` validates its arguments, picks Metropolis or Wolff
(:func:`choose_algorithm`), burns in and pilots a chain (:mod:`.planning`),
collects samples spaced by ``spacing_factor`` times the larger integrated
autocorrelation time of the energy and ``|m|``, and returns them as an
:class:`IsingRun` with JSON-serialisable metadata (means and error bars over
the kept samples).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..stats.autocorrelation import correlated_standard_error, integrated_autocorrelation_time
from ..checks import check_choice, check_integer, check_positive_real, check_real
from ..config.constants import ISING_CRITICAL_TEMPERATURE
from .chain import _Chain
from .planning import _PLANNERS, _warn_if_pilot_short
from .rng import _check_seed

__all__ = ["IsingRun", "choose_algorithm", "simulate_ising"]


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


def choose_algorithm(temperature: float, wolff_window: float) -> str:
    """``"wolff"`` if ``|T - T_c| <= wolff_window`` (critical slowing down), else ``"metropolis"``."""
    return "wolff" if abs(temperature - ISING_CRITICAL_TEMPERATURE) <= wolff_window else "metropolis"


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
    temperature = check_positive_real(temperature, "temperature")
    size = check_integer(lattice_size, "lattice_size", minimum=4)
    if size % 2:
        raise ValueError(f"lattice_size must be even, got {size}")
    n_samples = check_integer(n_samples, "n_samples", minimum=2)
    seed = _check_seed(seed)
    wolff_window = check_real(wolff_window, "wolff_window", minimum=0.0)
    spacing_factor = check_real(spacing_factor, "spacing_factor", minimum=1.0)
    pilot_sweeps = check_integer(pilot_sweeps, "pilot_sweeps", minimum=100)
    burn_in_sweeps = check_integer(burn_in_sweeps, "burn_in_sweeps", minimum=0)
    if progress is not None and not callable(progress):
        raise ValueError(f"progress must be callable or None, got {progress!r}")
    algorithm = check_choice(algorithm, "algorithm", _ALGORITHMS)
    if algorithm == "auto":
        algorithm = choose_algorithm(temperature, wolff_window)

    # Below T_c the chain stays in one magnetised phase; a random global sign restores the Z2 symmetry.
    random_sign = temperature < ISING_CRITICAL_TEMPERATURE
    chain = _Chain.start(size, temperature, seed)
    make_plan = _PLANNERS[algorithm]
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
