"""Exact results for the 2D nearest-neighbour Ising model (J = 1, k_B = 1, square lattice).

* Onsager (1944): internal energy per spin of the infinite lattice,
  ``u(T) = -coth(2K) [1 + (2/pi) (2 tanh^2(2K) - 1) K(k)]``, ``K = 1/T``,
  ``k = 2 sinh(2K) / cosh^2(2K)`` and ``K(k)`` the complete elliptic integral of
  the first kind with modulus ``k`` (``scipy.special.ellipk`` takes ``m = k**2``).
* Onsager-Yang (Yang 1952): spontaneous magnetisation
  ``m(T) = (1 - sinh(2K)**-4)**(1/8)`` below ``T_c = 2 / ln(1 + sqrt 2)``, 0 above.
* Exact enumeration of all ``2**(L*L)`` states of a small periodic lattice
  (``L <= 4``: 65536 states), vectorised in NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ellipk

from ..config.constants import ISING_CRITICAL_TEMPERATURE

__all__ = [
    "CRITICAL_TEMPERATURE",
    "onsager_energy_per_spin",
    "onsager_yang_magnetisation",
    "EnumerationAverages",
    "enumerate_energy_magnetisation",
    "exact_enumeration_averages",
]

CRITICAL_TEMPERATURE = ISING_CRITICAL_TEMPERATURE
"""Onsager's critical temperature ``T_c = 2 / ln(1 + sqrt 2) = 2.269185...`` (J = k_B = 1).

An alias of :data:`rgcoarse.config.constants.ISING_CRITICAL_TEMPERATURE`, so T_c is defined once."""

_MAX_ENUMERATION_SIZE = 4  # 2**16 states; L = 5 would need 2**25 states x 25 spins


def _as_temperatures(temperature) -> np.ndarray:
    t = np.asarray(temperature, dtype=np.float64)
    if not np.all(np.isfinite(t)) or np.any(t <= 0):
        raise ValueError(f"temperature must be finite and > 0, got {temperature!r}")
    return t


def _scalar_or_array(values: np.ndarray):
    return float(values) if values.ndim == 0 else values


def onsager_energy_per_spin(temperature):
    """Exact internal energy per spin of the infinite square lattice.

    Parameters
    ----------
    temperature : float or array_like
        Temperatures ``T > 0`` in units of ``J / k_B``.

    Returns
    -------
    float or numpy.ndarray
        ``u(T)``; ``u -> -2`` as ``T -> 0``, ``u(T_c) = -sqrt 2``, ``u -> 0`` as ``T -> inf``.
    """
    t = _as_temperatures(temperature)
    two_k = 2.0 / t
    modulus = 2.0 * np.sinh(two_k) / np.cosh(two_k) ** 2
    prefactor = 2.0 * np.tanh(two_k) ** 2 - 1.0
    parameter = np.minimum(modulus**2, 1.0)
    # At T_c, K(k) diverges logarithmically while its prefactor vanishes linearly,
    # so the product tends to 0; set it explicitly to avoid 0 * inf.
    with np.errstate(divide="ignore", invalid="ignore"):
        elliptic_term = np.where(parameter < 1.0, prefactor * ellipk(parameter), 0.0)
    u = -(1.0 / np.tanh(two_k)) * (1.0 + (2.0 / np.pi) * elliptic_term)
    return _scalar_or_array(u)


def onsager_yang_magnetisation(temperature):
    """Exact spontaneous magnetisation per spin of the infinite square lattice.

    Parameters
    ----------
    temperature : float or array_like
        Temperatures ``T > 0``.

    Returns
    -------
    float or numpy.ndarray
        ``(1 - sinh(2/T)**-4)**(1/8)`` for ``T < T_c``, ``0`` for ``T >= T_c``.
    """
    t = _as_temperatures(temperature)
    inverse_fourth = np.sinh(2.0 / t) ** -4.0
    m = np.where(t < CRITICAL_TEMPERATURE, np.clip(1.0 - inverse_fourth, 0.0, None) ** 0.125, 0.0)
    return _scalar_or_array(m)


@dataclass(frozen=True)
class EnumerationAverages:
    """Exact canonical averages of a finite periodic lattice.

    Attributes
    ----------
    energy_per_spin_mean, energy_per_spin_var : float
        Mean and variance of ``E / N``.
    abs_m_mean, abs_m_var : float
        Mean and variance of ``|M| / N``.
    """

    energy_per_spin_mean: float
    energy_per_spin_var: float
    abs_m_mean: float
    abs_m_var: float


def _check_enumeration_size(lattice_size) -> int:
    if isinstance(lattice_size, bool) or not isinstance(lattice_size, (int, np.integer)):
        raise ValueError(f"lattice_size must be an integer, got {lattice_size!r}")
    if not 2 <= lattice_size <= _MAX_ENUMERATION_SIZE:
        raise ValueError(
            f"lattice_size must be between 2 and {_MAX_ENUMERATION_SIZE} for exact "
            f"enumeration (2**(L*L) states), got {lattice_size}"
        )
    return int(lattice_size)


def enumerate_energy_magnetisation(lattice_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Total energy and magnetisation of every state of a periodic ``L x L`` lattice.

    Energy convention: ``E = -sum_i s_i (s_right(i) + s_down(i))`` with periodic
    neighbours, i.e. every site couples to its right and lower neighbour. For
    ``L >= 3`` this counts each nearest-neighbour bond once; for ``L = 2`` the right
    and left neighbours coincide, so each pair is coupled twice (as in the MC kernels).

    Parameters
    ----------
    lattice_size : int
        ``L`` with ``2 <= L <= 4``.

    Returns
    -------
    energies, magnetisations : numpy.ndarray of int64, shape (2**(L*L),)
        State ``k`` has spin ``f`` (row ``f // L``, column ``f % L``) equal to
        ``+1`` if bit ``f`` of ``k`` is 0 and ``-1`` otherwise.
    """
    size = _check_enumeration_size(lattice_size)
    n_spins = size * size
    states = np.arange(2**n_spins, dtype=np.int64)
    bits = (states[:, None] >> np.arange(n_spins, dtype=np.int64)) & 1
    spins = (1 - 2 * bits).reshape(-1, size, size).astype(np.int8)
    bond_sum = spins * (np.roll(spins, -1, axis=2) + np.roll(spins, -1, axis=1))
    energies = -bond_sum.reshape(len(states), -1).sum(axis=1, dtype=np.int64)
    magnetisations = spins.reshape(len(states), -1).sum(axis=1, dtype=np.int64)
    return energies, magnetisations


def exact_enumeration_averages(lattice_size: int, temperature: float) -> EnumerationAverages:
    """Exact mean and variance of ``E/N`` and ``|M|/N`` by summing over all states.

    Parameters
    ----------
    lattice_size : int
        ``L`` with ``2 <= L <= 4`` (periodic ``L x L`` lattice).
    temperature : float
        ``T > 0``.

    Returns
    -------
    EnumerationAverages
    """
    t = float(_as_temperatures(temperature))
    energies, magnetisations = enumerate_energy_magnetisation(lattice_size)
    n_spins = lattice_size * lattice_size
    # Boltzmann weights relative to the ground state, so nothing overflows.
    weights = np.exp(-(energies - energies.min()) / t)
    weights /= weights.sum()
    e = energies / n_spins
    abs_m = np.abs(magnetisations) / n_spins
    e_mean = float(weights @ e)
    m_mean = float(weights @ abs_m)
    return EnumerationAverages(
        energy_per_spin_mean=e_mean,
        energy_per_spin_var=float(weights @ (e - e_mean) ** 2),
        abs_m_mean=m_mean,
        abs_m_var=float(weights @ (abs_m - m_mean) ** 2),
    )
