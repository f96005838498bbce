"""Ising Monte Carlo kernels and sampler against exact answers.

* RNG: published splitmix64 outputs and an independent pure-Python xoshiro256**.
* Kernels: deterministic limits (beta = 0 and beta -> inf) and exact energy bookkeeping.
* Sampler, L = 4: exact enumeration of all 2**16 states, both algorithms.
* Sampler, L = 64: Onsager u(T), Onsager-Yang m(T), and the high-temperature
  susceptibility series for <|m|> above T_c.
"""

import json
import math

import numpy as np
import pytest

from rgcoarse.ising import (
    CRITICAL_TEMPERATURE,
    IsingRun,
    abs_magnetisation,
    choose_algorithm,
    energy_per_spin,
    metropolis_acceptance_thresholds,
    metropolis_sweeps,
    new_rng_state,
    rng_next_u64,
    simulate_ising,
    wolff_update,
)
from rgcoarse.ising.exact import exact_enumeration_averages, onsager_energy_per_spin, onsager_yang_magnetisation

MASK64 = (1 << 64) - 1
METADATA_KEYS = {
    "temperature", "lattice_size", "seed", "algorithm", "sweeps_between_samples", "tau_int_energy",
    "tau_int_abs_m", "energy_per_spin_mean", "energy_per_spin_sem", "abs_m_mean", "abs_m_sem", "n_samples",
    "burn_in_sweeps", "pilot_sweeps", "spacing_factor", "wolff_window", "mean_cluster_size",
    "global_sign_flipped",
}


def random_spins(size: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).choice(np.array([-1, 1], dtype=np.int8), size=(size, size))


def loop_energy(spins: np.ndarray) -> int:
    """Total energy by explicit loops over every site's right and lower bond."""
    size = spins.shape[0]
    total = 0
    for r in range(size):
        for c in range(size):
            total -= int(spins[r, c]) * (int(spins[r, (c + 1) % size]) + int(spins[(r + 1) % size, c]))
    return total


# ------------------------------------------------------------------------ RNG


def test_seeding_reproduces_published_splitmix64_outputs():
    # splitmix64 (Steele, Lea & Flood 2014) seeded with 1234567: its first four outputs.
    expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431]
    assert new_rng_state(1234567).tolist() == expected


def reference_xoshiro256starstar(state: list[int], n: int) -> list[int]:
    """Blackman & Vigna's xoshiro256** in plain Python integers."""

    def rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK64

    s = list(state)
    out = []
    for _ in range(n):
        out.append((rotl((s[1] * 5) & MASK64, 7) * 9) & MASK64)
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
    return out


def test_generator_matches_reference_xoshiro256starstar():
    state = new_rng_state(2024)
    expected = reference_xoshiro256starstar(state.tolist(), 1000)
    assert rng_next_u64(state, 1000).tolist() == expected


def test_generator_state_advances_consistently():
    a, b = new_rng_state(5), new_rng_state(5)
    first = rng_next_u64(a, 10)
    np.testing.assert_array_equal(np.concatenate([rng_next_u64(b, 4), rng_next_u64(b, 6)]), first)
    assert not np.array_equal(rng_next_u64(a, 10), first)


# ----------------------------------------------------------------- observables


def test_observables_on_exact_configurations():
    size = 6
    ordered = np.ones((size, size), dtype=np.int8)
    checkerboard = np.where(np.indices((size, size)).sum(axis=0) % 2 == 0, 1, -1).astype(np.int8)
    stripes = np.where(np.arange(size) % 2 == 0, 1, -1).astype(np.int8)[None, :].repeat(size, axis=0)
    assert energy_per_spin(ordered) == -2.0 and abs_magnetisation(-ordered) == 1.0
    assert energy_per_spin(checkerboard) == 2.0 and abs_magnetisation(checkerboard) == 0.0
    assert energy_per_spin(stripes) == 0.0
    for seed in range(5):
        spins = random_spins(7, seed)
        assert energy_per_spin(spins) == loop_energy(spins) / 49
        assert abs_magnetisation(spins) == abs(int(spins.sum(dtype=np.int64))) / 49


def test_acceptance_table_is_metropolis():
    beta = 0.4
    thresholds = metropolis_acceptance_thresholds(beta)
    probabilities = thresholds.astype(float) / 2.0**53
    expected = np.minimum(1.0, np.exp(-2.0 * beta * np.arange(-4, 5, 2)))
    np.testing.assert_allclose(probabilities, expected, rtol=0, atol=2.0**-53)


# -------------------------------------------------------------------- kernels


def test_metropolis_at_infinite_temperature_flips_every_spin():
    # beta = 0 accepts every proposal, so one sweep negates the lattice exactly.
    spins = random_spins(8, 1)
    start = spins.copy()
    de, dm = metropolis_sweeps(spins, 0.0, 1, new_rng_state(1))
    np.testing.assert_array_equal(spins, -start)
    assert (de, dm) == (0, -2 * int(start.sum(dtype=np.int64)))


def test_metropolis_at_zero_temperature_keeps_ground_state():
    spins = np.ones((8, 8), dtype=np.int8)
    assert metropolis_sweeps(spins, 50.0, 20, new_rng_state(2)) == (0, 0)
    assert np.all(spins == 1)


@pytest.mark.parametrize("size", [2, 3, 4, 6, 9])
def test_metropolis_energy_bookkeeping_is_exact(size):
    spins = random_spins(size, size)
    state = new_rng_state(size)
    for _ in range(20):
        e0, m0 = loop_energy(spins), int(spins.sum(dtype=np.int64))
        de, dm = metropolis_sweeps(spins, 0.45, 3, state)
        assert (de, dm) == (loop_energy(spins) - e0, int(spins.sum(dtype=np.int64)) - m0)


def test_wolff_limits():
    # beta = 0: p_add = 0, every cluster is its seed spin.
    spins = random_spins(8, 3)
    start = spins.copy()
    sizes = wolff_update(spins, 0.0, new_rng_state(3), n_clusters=50)
    np.testing.assert_array_equal(sizes, 1)
    assert 1 <= np.count_nonzero(spins != start) <= 50
    # beta -> inf on an ordered lattice: p_add = 1, the cluster is the whole lattice.
    spins = np.ones((8, 8), dtype=np.int8)
    np.testing.assert_array_equal(wolff_update(spins, 50.0, new_rng_state(4), n_clusters=3), 64)
    assert np.all(spins == -1)


@pytest.mark.parametrize("size", [2, 3, 4, 6, 9])
def test_wolff_energy_bookkeeping_is_exact(size):
    from rgcoarse.ising import wolff_add_threshold
    from rgcoarse.ising.wolff import _wolff_clusters

    spins = random_spins(size, 10 + size)
    state = new_rng_state(size)
    sizes = np.empty(1, dtype=np.int64)
    for _ in range(50):
        e0, m0 = loop_energy(spins), int(spins.sum(dtype=np.int64))
        de, dm = _wolff_clusters(spins.reshape(-1), size, wolff_add_threshold(0.45), 1, state, sizes)
        assert (de, dm) == (loop_energy(spins) - e0, int(spins.sum(dtype=np.int64)) - m0)
        assert abs(dm) == 2 * sizes[0]


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: metropolis_sweeps(np.ones((4, 4)), 0.4, 1, new_rng_state(0)), "int8"),
        (lambda: metropolis_sweeps(np.ones((4, 5), np.int8), 0.4, 1, new_rng_state(0)), "square"),
        (lambda: metropolis_sweeps(np.zeros((4, 4), np.int8), 0.4, 1, new_rng_state(0)), "-1 and \\+1"),
        (lambda: metropolis_sweeps(np.ones((4, 4), np.int8), -0.4, 1, new_rng_state(0)), "beta"),
        (lambda: metropolis_sweeps(np.ones((4, 4), np.int8), 0.4, -1, new_rng_state(0)), "n_sweeps"),
        (lambda: metropolis_sweeps(np.ones((4, 4), np.int8), 0.4, 1, np.zeros(4, np.uint64)), "rng_state"),
        (lambda: wolff_update(np.ones((4, 4), np.int8), float("nan"), new_rng_state(0)), "beta"),
        (lambda: wolff_update(np.ones((4, 4), np.int8), 0.4, new_rng_state(0), n_clusters=1.5), "n_clusters"),
        (lambda: wolff_update(np.ones((8, 8), np.int8)[:, ::2], 0.4, new_rng_state(0)), "square"),
        (lambda: wolff_update(np.asfortranarray(random_spins(4, 0)), 0.4, new_rng_state(0)), "C-contiguous"),
        (lambda: new_rng_state(-1), "seed"),
        (lambda: rng_next_u64(new_rng_state(0), -3), "^n: "),
    ],
)
def test_kernels_reject_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ------------------------------------------------- sampler vs exact enumeration


@pytest.mark.parametrize("algorithm", ["metropolis", "wolff"])
@pytest.mark.parametrize("temperature", [2.0, 3.0])
def test_small_lattice_matches_exact_enumeration(algorithm, temperature):
    n_samples = 20000
    run = simulate_ising(
        temperature, 4, n_samples, seed=11, algorithm=algorithm, pilot_sweeps=2000, burn_in_sweeps=200
    )
    md = run.metadata
    exact = exact_enumeration_averages(4, temperature)
    assert md["algorithm"] == algorithm
    assert abs(md["energy_per_spin_mean"] - exact.energy_per_spin_mean) <= 4 * md["energy_per_spin_sem"]
    assert abs(md["abs_m_mean"] - exact.abs_m_mean) <= 4 * md["abs_m_sem"]
    # The SEMs are honest: never below the independent-sample value sigma/sqrt(n)
    # (up to the ~1 % scatter of a sample standard deviation at n = 20000), and,
    # with samples 3 tau_int apart, not inflated by more than a little either.
    for sem, var in ((md["energy_per_spin_sem"], exact.energy_per_spin_var), (md["abs_m_sem"], exact.abs_m_var)):
        independent = math.sqrt(var / n_samples)
        assert 0.95 * independent <= sem <= 1.5 * independent


# --------------------------------------------------- sampler vs Onsager, L = 64

# High-temperature series of the reduced susceptibility T chi = sum_r <s_0 s_r> in v = tanh(1/T)
# (Sykes, Gaunt, Roberts & Wyles, J. Phys. A 5, 624 (1972)).
CHI_SERIES = [1, 4, 12, 36, 100, 276, 740, 1972, 5172, 13492, 34876, 89764]


def reduced_susceptibility_bounds(temperature: float) -> tuple[float, float]:
    """Bounds on T chi: the partial sum plus a geometric tail.

    The coefficient ratios a_{n+1}/a_n decrease towards 1 + sqrt 2 from above
    (a_n ~ n^{3/4} (1 + sqrt 2)^n); the last known ratio 89764/34876 = 2.574 bounds
    the remaining ones from above and 1 + sqrt 2 from below.
    """
    v = math.tanh(1.0 / temperature)
    partial = sum(a * v**n for n, a in enumerate(CHI_SERIES))
    last = CHI_SERIES[-1] * v ** (len(CHI_SERIES) - 1)
    low_ratio, high_ratio = (1 + math.sqrt(2)) * v, CHI_SERIES[-1] / CHI_SERIES[-2] * v
    return partial + last * low_ratio / (1 - low_ratio), partial + last * high_ratio / (1 - high_ratio)


@pytest.mark.parametrize("temperature", [1.5, 2.0, 3.0, 5.0])
def test_large_lattice_matches_onsager(temperature):
    size = 64
    n_spins = size * size
    # spacing_factor = 1 keeps this to a few thousand sweeps; the SEMs account for
    # the residual correlation between kept samples.
    run = simulate_ising(
        temperature, size, 4000, seed=2024, spacing_factor=1.0, pilot_sweeps=1000, burn_in_sweeps=300
    )
    md = run.metadata
    assert md["algorithm"] == "metropolis"
    # Finite-size corrections to u and to <|m|> below T_c are O(exp(-L/xi)); the exact
    # correlation length is xi <= 2.2 at these temperatures (largest at T = 2.0 and 3.0),
    # so L/xi >= 29 and they are below 1e-12: only the statistical error matters.
    u_exact = onsager_energy_per_spin(temperature)
    assert abs(md["energy_per_spin_mean"] - u_exact) <= 4 * md["energy_per_spin_sem"]
    if temperature < CRITICAL_TEMPERATURE:
        m_exact = onsager_yang_magnetisation(temperature)
        assert abs(md["abs_m_mean"] - m_exact) <= 4 * md["abs_m_sem"]
    else:
        # Above T_c, m = M/N is a sum of N spins correlated over xi << L, so it is Gaussian
        # with variance <m^2> = T chi / N (T chi = sum_r <s_0 s_r>, finite-size corrections
        # O(exp(-L/xi))), and <|m|> = sqrt(2 T chi / (pi N)). Non-Gaussian corrections are
        # O(xi^2 / N) ~ 1e-3 relative; allow 1 % for them on top of the series bounds.
        low, high = reduced_susceptibility_bounds(temperature)
        expected_low = math.sqrt(2 * low / (math.pi * n_spins)) * 0.99
        expected_high = math.sqrt(2 * high / (math.pi * n_spins)) * 1.01
        four_sem = 4 * md["abs_m_sem"]
        assert expected_low - four_sem <= md["abs_m_mean"] <= expected_high + four_sem
        # Sanity of the bound itself: far above the ordered value, O(1/L) as it should be.
        assert expected_high < 0.1


def test_susceptibility_bounds_are_tight_enough_to_mean_something():
    for temperature, max_relative_width in ((3.0, 0.05), (5.0, 1e-3)):
        low, high = reduced_susceptibility_bounds(temperature)
        assert 0 < high - low <= max_relative_width * low


# ----------------------------------------------------------- sampler contract


@pytest.mark.parametrize("algorithm", ["metropolis", "wolff"])
def test_run_contract_and_samples_match_recorded_observables(algorithm):
    size, n_samples = 8, 200
    run = simulate_ising(2.0, size, n_samples, seed=3, pilot_sweeps=200, burn_in_sweeps=50, algorithm=algorithm)
    assert isinstance(run, IsingRun)
    assert run.samples.dtype == np.int8 and run.samples.shape == (n_samples, size * size)
    assert set(np.unique(run.samples)) <= {-1, 1}
    assert set(run.metadata) == METADATA_KEYS
    json.dumps(run.metadata)  # JSON-serialisable
    md = run.metadata
    assert md["algorithm"] == algorithm
    assert (md["mean_cluster_size"] is None) == (algorithm == "metropolis")
    assert md["global_sign_flipped"] is True
    assert isinstance(md["sweeps_between_samples"], int)
    assert md["sweeps_between_samples"] >= math.ceil(3.0 * max(md["tau_int_energy"], md["tau_int_abs_m"]))
    # Row-major flattening: each row reshaped to (L, L) is the lattice the observables were measured on.
    lattices = run.samples.reshape(n_samples, size, size)
    energies = [energy_per_spin(np.ascontiguousarray(x)) for x in lattices]
    abs_ms = [abs_magnetisation(np.ascontiguousarray(x)) for x in lattices]
    assert md["energy_per_spin_mean"] == pytest.approx(np.mean(energies), abs=1e-12)
    assert md["abs_m_mean"] == pytest.approx(np.mean(abs_ms), abs=1e-12)


def test_global_sign_is_symmetrised_below_tc_only():
    # At T = 1.5, L = 32 Metropolis never leaves the + phase it starts in; the random
    # global flip must make about half of the kept samples negative: Binomial(n, 1/2).
    n_samples = 1000
    cold = simulate_ising(1.5, 32, n_samples, seed=8, pilot_sweeps=200, burn_in_sweeps=50)
    negative = np.count_nonzero(cold.samples.sum(axis=1, dtype=np.int64) < 0)
    assert abs(negative - n_samples / 2) <= 4 * math.sqrt(n_samples / 4)
    assert cold.metadata["global_sign_flipped"] is True
    hot = simulate_ising(3.0, 8, 20, seed=8, pilot_sweeps=200, burn_in_sweeps=50)
    assert hot.metadata["global_sign_flipped"] is False


def test_wolff_near_tc_records_cluster_size():
    run = simulate_ising(2.27, 16, 50, seed=5, pilot_sweeps=300, burn_in_sweeps=100)
    md = run.metadata
    assert md["algorithm"] == "wolff"
    assert 1.0 <= md["mean_cluster_size"] <= 256.0
    assert md["sweeps_between_samples"] >= 1


def test_short_pilot_warns():
    # Metropolis at T_c on L = 32 has tau_int of order L^2.17 ~ 10^3 sweeps >> 100 / 50.
    with pytest.warns(RuntimeWarning, match="pilot_sweeps"):
        simulate_ising(CRITICAL_TEMPERATURE, 32, 2, seed=1, algorithm="metropolis", pilot_sweeps=100, burn_in_sweeps=0)


def test_algorithm_choice():
    assert choose_algorithm(CRITICAL_TEMPERATURE + 0.2, 0.25) == "wolff"
    assert choose_algorithm(CRITICAL_TEMPERATURE - 0.25, 0.25) == "wolff"
    assert choose_algorithm(2.0, 0.25) == "metropolis"  # |2.0 - T_c| = 0.269
    assert choose_algorithm(2.5, 0.25) == "wolff"  # |2.5 - T_c| = 0.231
    assert choose_algorithm(CRITICAL_TEMPERATURE, 0.0) == "wolff"


@pytest.mark.parametrize("algorithm", ["metropolis", "wolff"])
def test_same_seed_is_bit_identical_and_different_seeds_differ(algorithm):
    kwargs = dict(algorithm=algorithm, pilot_sweeps=200, burn_in_sweeps=20)
    a = simulate_ising(2.3, 8, 30, seed=42, **kwargs)
    b = simulate_ising(2.3, 8, 30, seed=42, **kwargs)
    c = simulate_ising(2.3, 8, 30, seed=43, **kwargs)
    np.testing.assert_array_equal(a.samples, b.samples)
    assert a.metadata == b.metadata
    assert not np.array_equal(a.samples, c.samples)


def test_progress_is_reported_about_every_five_percent():
    calls = []
    simulate_ising(3.0, 8, 100, seed=1, pilot_sweeps=100, burn_in_sweeps=0, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(5 * k, 100) for k in range(1, 21)]
    calls.clear()
    simulate_ising(3.0, 8, 7, seed=1, pilot_sweeps=100, burn_in_sweeps=0, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(k, 7) for k in range(1, 8)]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(temperature=0.0), "temperature"),
        (dict(temperature=-1.0), "temperature"),
        (dict(temperature=float("nan")), "temperature"),
        (dict(temperature="2.0"), "temperature"),
        (dict(lattice_size=5), "lattice_size"),
        (dict(lattice_size=2), "lattice_size"),
        (dict(lattice_size=8.0), "lattice_size"),
        (dict(n_samples=1), "n_samples"),
        (dict(seed=-1), "seed"),
        (dict(seed=1.5), "seed"),
        (dict(wolff_window=-0.1), "wolff_window"),
        (dict(spacing_factor=0.5), "spacing_factor"),
        (dict(spacing_factor=float("inf")), "spacing_factor"),
        (dict(pilot_sweeps=10), "pilot_sweeps"),
        (dict(burn_in_sweeps=-1), "burn_in_sweeps"),
        (dict(progress=3), "progress"),
        (dict(algorithm="heatbath"), "algorithm"),
    ],
)
def test_simulate_rejects_bad_arguments(kwargs, match):
    arguments = dict(temperature=2.0, lattice_size=8, n_samples=10, seed=0)
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=match):
        simulate_ising(**arguments)
