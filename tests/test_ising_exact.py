"""Exact 2D Ising results against independent exact answers.

References for the series coefficients (OEIS, from Domb 1974 and Sykes & Fisher 1962):
A002908 (high-T energy), A002909 (low-T energy), A002928 (low-T magnetisation).
"""

import itertools
import math

import numpy as np
import pytest

from rgcoarse.ising.exact import (
    CRITICAL_TEMPERATURE,
    enumerate_energy_magnetisation,
    exact_enumeration_averages,
    onsager_energy_per_spin,
    onsager_yang_magnetisation,
)

SQRT2 = math.sqrt(2.0)


# ---------------------------------------------------------------- Onsager u(T)


def test_critical_temperature_value():
    assert CRITICAL_TEMPERATURE == pytest.approx(2.269185314213022, rel=1e-15)
    assert math.sinh(2.0 / CRITICAL_TEMPERATURE) == pytest.approx(1.0, rel=1e-14)


def test_energy_at_critical_point_is_minus_sqrt2():
    assert onsager_energy_per_spin(CRITICAL_TEMPERATURE) == pytest.approx(-SQRT2, abs=1e-12)
    # u is continuous at T_c (the specific heat, not the energy, diverges): u - u_c ~ t ln|t|.
    for t in (1e-7, -1e-7):
        temperature = CRITICAL_TEMPERATURE * (1.0 + t)
        assert onsager_energy_per_spin(temperature) == pytest.approx(-SQRT2, abs=1e-5)


@pytest.mark.parametrize("temperature", [5.0, 10.0, 20.0])
def test_energy_high_temperature_series(temperature):
    # OEIS A002908: -u = sum_k a_k v^(2k-1), v = tanh(1/T).
    coefficients = [2, 4, 8, 24, 84, 328, 1372, 6024, 27412, 128228, 613160, 2985116]
    v = math.tanh(1.0 / temperature)
    series = -sum(a * v ** (2 * k + 1) for k, a in enumerate(coefficients))
    # Next term 14751592 v^25 bounds the truncation error (ratios ~ (1+sqrt2)^2 v^2 << 1 here).
    truncation = 2 * 14751592 * v**25
    assert onsager_energy_per_spin(temperature) == pytest.approx(series, abs=truncation + 1e-14)


@pytest.mark.parametrize("temperature", [0.5, 0.7, 1.0])
def test_energy_low_temperature_series(temperature):
    # OEIS A002909: -u = 2 - 8 z^2 - 24 z^3 - 72 z^4 - 240 z^5 - 896 z^6 - ..., z = exp(-4/T).
    coefficients = [2, 0, -8, -24, -72, -240, -896, -3640, -15688]
    z = math.exp(-4.0 / temperature)
    series = -sum(a * z**n for n, a in enumerate(coefficients))
    truncation = 2 * 70512 * z**9
    assert onsager_energy_per_spin(temperature) == pytest.approx(series, abs=truncation + 1e-14)


@pytest.mark.parametrize("temperature", [1.5, 2.0, 3.0, 5.0])
def test_energy_matches_onsager_double_integral(temperature):
    # Independent route: u = -d/dK of Onsager's
    # ln Z / N = ln 2 + (1/8 pi^2) int int ln[cosh^2 2K - sinh 2K (cos a + cos b)] da db.
    # The integrand is smooth and periodic away from T_c, so the trapezoidal rule
    # converges exponentially.
    k = 1.0 / temperature
    angles = 2.0 * np.pi * np.arange(400) / 400
    cos_sum = np.cos(angles)[:, None] + np.cos(angles)[None, :]
    c2, s2 = math.cosh(2 * k), math.sinh(2 * k)
    d_log = (4 * c2 * s2 - 2 * c2 * cos_sum) / (c2**2 - s2 * cos_sum)
    u_integral = -0.5 * d_log.mean()  # (1/8 pi^2) * (2 pi)^2 * mean = mean / 2
    assert onsager_energy_per_spin(temperature) == pytest.approx(u_integral, abs=1e-10)


def test_energy_limits_and_vectorisation():
    temperatures = np.array([0.05, 1e4])
    u = onsager_energy_per_spin(temperatures)
    assert u.shape == (2,)
    assert u[0] == pytest.approx(-2.0, abs=1e-12)
    assert u[1] == pytest.approx(-2.0 * math.tanh(1e-4), rel=1e-6)


# --------------------------------------------------------- Onsager-Yang m(T)


@pytest.mark.parametrize("temperature", [0.8, 1.0, 1.2])
def test_magnetisation_low_temperature_series(temperature):
    # OEIS A002928: m = 1 - 2 u^2 - 8 u^3 - 34 u^4 - 152 u^5 - 714 u^6 - 3472 u^7, u = exp(-4/T).
    coefficients = [1, 0, -2, -8, -34, -152, -714, -3472]
    u = math.exp(-4.0 / temperature)
    series = sum(a * u**n for n, a in enumerate(coefficients))
    truncation = 2 * 17318 * u**8
    assert onsager_yang_magnetisation(temperature) == pytest.approx(series, abs=truncation + 1e-15)


def test_magnetisation_critical_amplitude():
    # m ~ B (1 - T/T_c)^(1/8), B = (8 sqrt2 K_c)^(1/8) = 2^(5/16) ln(1+sqrt2)^(1/8) = 1.2224...
    amplitude = 2 ** (5 / 16) * math.log1p(SQRT2) ** 0.125
    assert amplitude == pytest.approx(1.22241, abs=1e-5)
    reduced = 1e-6
    m = onsager_yang_magnetisation(CRITICAL_TEMPERATURE * (1.0 - reduced))
    assert m == pytest.approx(amplitude * reduced**0.125, rel=1e-5)


def test_magnetisation_vanishes_at_and_above_tc():
    temperatures = [CRITICAL_TEMPERATURE, 2.3, 3.0, 100.0]
    np.testing.assert_array_equal(onsager_yang_magnetisation(temperatures), 0.0)
    assert onsager_yang_magnetisation(0.01) == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf"), [1.0, -2.0]])
def test_onsager_rejects_bad_temperature(bad):
    with pytest.raises(ValueError, match="temperature"):
        onsager_energy_per_spin(bad)
    with pytest.raises(ValueError, match="temperature"):
        onsager_yang_magnetisation(bad)


# ----------------------------------------------------------- exact enumeration


def test_four_by_four_density_of_states():
    # Exact 4x4 periodic density of states (e.g. Beale, PRL 76, 78 (1996)); E = -32 .. 32.
    energies, magnetisations = enumerate_energy_magnetisation(4)
    values, counts = np.unique(energies, return_counts=True)
    expected = {-32: 2, -24: 32, -20: 64, -16: 424, -12: 1728, -8: 6688, -4: 13568, 0: 20524}
    expected.update({-e: g for e, g in expected.items()})
    assert dict(zip(values.tolist(), counts.tolist())) == expected
    m_values, m_counts = np.unique(magnetisations, return_counts=True)
    np.testing.assert_array_equal(m_values, np.arange(-16, 17, 2))
    np.testing.assert_array_equal(m_counts, [math.comb(16, k) for k in range(17)])


def kaufman_log_partition_function(size: int, temperature: float) -> float:
    """Kaufman (1949) exact ln Z of the periodic size x size lattice (as written by Beale 1996)."""
    k = 1.0 / temperature
    gamma = [2 * k + math.log(math.tanh(k))]
    gamma += [
        math.acosh(math.cosh(2 * k) / math.tanh(2 * k) - math.cos(math.pi * j / size)) for j in range(1, 2 * size)
    ]
    odd = [gamma[2 * r + 1] * size / 2 for r in range(size)]
    even = [gamma[2 * r] * size / 2 for r in range(size)]
    total = (
        math.prod(2 * math.cosh(g) for g in odd)
        + math.prod(2 * math.sinh(g) for g in odd)
        + math.prod(2 * math.cosh(g) for g in even)
        + math.prod(2 * math.sinh(g) for g in even)
    )
    return math.log(0.5 * (2 * math.sinh(2 * k)) ** (size * size / 2) * total)


@pytest.mark.parametrize("temperature", [1.0, 2.0, 3.0, 5.0])
def test_enumeration_matches_kaufman_exact_finite_lattice(temperature):
    energies, _ = enumerate_energy_magnetisation(4)
    log_z = math.log(np.exp(-energies / temperature).sum())
    assert log_z == pytest.approx(kaufman_log_partition_function(4, temperature), rel=1e-12)
    # <E> = T^2 d ln Z / dT, by central differences of Kaufman's formula.
    h = 1e-5
    derivative = (
        kaufman_log_partition_function(4, temperature + h) - kaufman_log_partition_function(4, temperature - h)
    ) / (2 * h)
    averages = exact_enumeration_averages(4, temperature)
    assert averages.energy_per_spin_mean == pytest.approx(temperature**2 * derivative / 16, abs=1e-7)


def brute_force_averages(size: int, temperature: float) -> tuple[float, float, float, float]:
    """Plain loops over all states and all (site, neighbour) pairs; shares no code with the kernel."""
    n = size * size
    weights, energies, abs_ms = [], [], []
    for state in itertools.product((1, -1), repeat=n):
        energy = 0
        for row in range(size):
            for col in range(size):
                s = state[row * size + col]
                energy -= s * state[row * size + (col + 1) % size]
                energy -= s * state[((row + 1) % size) * size + col]
        weights.append(math.exp(-energy / temperature))
        energies.append(energy / n)
        abs_ms.append(abs(sum(state)) / n)
    z = sum(weights)
    e_mean = sum(w * e for w, e in zip(weights, energies)) / z
    m_mean = sum(w * m for w, m in zip(weights, abs_ms)) / z
    e_var = sum(w * (e - e_mean) ** 2 for w, e in zip(weights, energies)) / z
    m_var = sum(w * (m - m_mean) ** 2 for w, m in zip(weights, abs_ms)) / z
    return e_mean, e_var, m_mean, m_var


@pytest.mark.parametrize("size", [2, 3])
@pytest.mark.parametrize("temperature", [1.0, 2.5])
def test_enumeration_matches_brute_force_loops(size, temperature):
    exact = exact_enumeration_averages(size, temperature)
    e_mean, e_var, m_mean, m_var = brute_force_averages(size, temperature)
    assert exact.energy_per_spin_mean == pytest.approx(e_mean, rel=1e-12)
    assert exact.energy_per_spin_var == pytest.approx(e_var, rel=1e-10)
    assert exact.abs_m_mean == pytest.approx(m_mean, rel=1e-12)
    assert exact.abs_m_var == pytest.approx(m_var, rel=1e-10)


def test_enumeration_limits():
    # T -> 0: both ground states, e = -2, |m| = 1, no fluctuations.
    cold = exact_enumeration_averages(4, 0.05)
    assert cold.energy_per_spin_mean == pytest.approx(-2.0, abs=1e-12)
    assert cold.abs_m_mean == pytest.approx(1.0, abs=1e-12)
    # T -> inf: uniform over states; <|M|> = sum_k C(16,k) |16-2k| / 2^16.
    hot = exact_enumeration_averages(4, 1e9)
    expected_abs_m = sum(math.comb(16, k) * abs(16 - 2 * k) for k in range(17)) / 2**16 / 16
    assert hot.abs_m_mean == pytest.approx(expected_abs_m, rel=1e-8)
    assert hot.energy_per_spin_mean == pytest.approx(0.0, abs=1e-8)


@pytest.mark.parametrize("size", [1, 5, 4.0, True])
def test_enumeration_rejects_bad_size(size):
    with pytest.raises(ValueError, match="lattice_size"):
        exact_enumeration_averages(size, 2.0)


def test_enumeration_rejects_bad_temperature():
    with pytest.raises(ValueError, match="temperature"):
        exact_enumeration_averages(4, -2.0)
