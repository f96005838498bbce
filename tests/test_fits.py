"""Power-law fits and bootstrap exponents on data with known exponents."""

import numpy as np
import pytest

from rgcoarse.coarse_grain import coarse_grain
from rgcoarse.fits import (
    bootstrap_exponent,
    fit_cod_increment,
    fit_power_law,
    select_fit_range,
)
from rgcoarse.observables import mean_variance_table


def test_fit_power_law_recovers_an_exact_power_law():
    x = np.array([1.0, 2.0, 4.0, 8.0, 16.0])
    exponent, prefactor = fit_power_law(x, 3.0 * x**1.7)
    assert exponent == pytest.approx(1.7, abs=1e-12)
    assert prefactor == pytest.approx(3.0, rel=1e-12)


def test_fit_power_law_is_least_squares_in_log_log():
    x = np.array([1.0, 2.0, 3.0, 5.0])
    y = np.array([2.0, 3.5, 7.0, 9.0])
    slope, intercept = np.polyfit(np.log(x), np.log(y), 1)
    fit = fit_power_law(x, y)
    assert fit.exponent == pytest.approx(slope, rel=1e-12)
    assert fit.prefactor == pytest.approx(np.exp(intercept), rel=1e-12)


def test_fit_power_law_rejects_bad_input():
    with pytest.raises(ValueError, match="x"):
        fit_power_law([1.0], [1.0])
    with pytest.raises(ValueError, match="y"):
        fit_power_law([1.0, 2.0], [1.0, 0.0])
    with pytest.raises(ValueError, match="x"):
        fit_power_law([2.0, 2.0], [1.0, 3.0])
    with pytest.raises(ValueError, match="y"):
        fit_power_law([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="x"):
        fit_power_law([1.0, np.nan], [1.0, 2.0])


def test_select_fit_range():
    k = np.array([1, 2, 4, 8, 16, 32, 5])
    n = np.array([64, 32, 16, 8, 4, 2, 1])
    np.testing.assert_array_equal(select_fit_range(k, n), [True, True, True, False, False, False, False])
    np.testing.assert_array_equal(
        select_fit_range(k, n, k_min=2, k_max=16, min_clusters=4), [False, True, True, True, True, False, False]
    )
    with pytest.raises(ValueError, match="min_clusters"):
        select_fit_range(k, n, min_clusters=0)
    with pytest.raises(ValueError, match="k_max"):
        select_fit_range(k, n, k_min=4, k_max=2)
    with pytest.raises(ValueError, match="n_clusters"):
        select_fit_range(k, n[:3])


def test_iid_gaussian_m2_exponent_is_one():
    data = np.random.default_rng(0).normal(size=(2000, 256))
    levels = coarse_grain(data, "random", seed=1)
    estimate = bootstrap_exponent(data, levels, "m2", n_resamples=200, seed=2)
    assert estimate.status == "ok"
    assert estimate.ci_low <= 1.0 <= estimate.ci_high
    assert estimate.ci_high - estimate.ci_low < 0.05
    assert (estimate.fit_min, estimate.fit_max, estimate.n_points) == (1.0, 16.0, 5)
    assert estimate.n_resamples == 200


def test_perfectly_correlated_blocks_give_exponent_two_up_to_block_size():
    rng = np.random.default_rng(3)
    block = 8
    sources = rng.normal(size=(500, 32))
    data = np.repeat(sources, block, axis=1)  # 32 blocks of 8 identical features
    levels = coarse_grain(data, "correlation")
    for lev in levels[1:4]:  # K = 2, 4, 8: every cluster inside one block
        assert all(np.unique(m // block).size == 1 for m in lev.members)
    estimate = bootstrap_exponent(data, levels, "m2", k_max=block, n_resamples=50, seed=4)
    assert estimate.exponent == pytest.approx(2.0, abs=1e-9)
    assert estimate.ci_low == pytest.approx(2.0, abs=1e-9)
    assert estimate.ci_high == pytest.approx(2.0, abs=1e-9)
    # Beyond the block size independent blocks add: the exponent falls back towards 1.
    beyond = bootstrap_exponent(data, levels, "m2", k_min=block, n_resamples=50, seed=4)
    assert beyond.ci_high < 1.2


def test_independent_bernoulli_silence_exponent_is_one():
    rng = np.random.default_rng(5)
    active = rng.random((4000, 256)) < 0.01
    levels = coarse_grain(active.astype(float), "random", seed=6)
    estimate = bootstrap_exponent(~active, levels, "p0", n_resamples=200, seed=7)
    assert estimate.status == "ok"
    assert estimate.ci_low <= 1.0 <= estimate.ci_high
    assert estimate.prefactor == pytest.approx(-np.log(0.99), rel=0.1)


def test_p0_of_zero_and_one_are_excluded_and_counted():
    rng = np.random.default_rng(8)
    # Column-wise silence probability 0.5: P0 = 2**-K reaches 0 in 300 samples near K = 16.
    silent = rng.random((300, 64)) < 0.5
    levels = coarse_grain(silent.astype(float), "random", seed=9)
    estimate = bootstrap_exponent(silent, levels, "p0", min_clusters=1, n_resamples=30, seed=1)
    assert estimate.n_points < len(levels)
    assert np.isfinite([estimate.exponent, estimate.ci_low, estimate.ci_high]).all()
    always = np.ones((50, 16), dtype=bool)
    levels = coarse_grain(always.astype(float), "random")
    flat = bootstrap_exponent(always, levels, "p0")
    assert flat.status == "too_few_points"
    assert (flat.exponent, flat.ci_low, flat.ci_high, flat.n_points) == (0.0, 0.0, 0.0, 0)


def test_bootstrap_matrix_products_equal_explicit_resampling():
    """The multinomial-count trick against resampling rows and recomputing the table."""
    rng = np.random.default_rng(10)
    data = rng.normal(size=(60, 32)) @ rng.normal(size=(32, 32))
    levels = coarse_grain(data, "projection")
    n_resamples, seed = 25, 11
    estimate = bootstrap_exponent(data, levels, "m2", min_clusters=4, n_resamples=n_resamples, seed=seed)
    counts = np.random.default_rng(seed).multinomial(60, np.full(60, 1 / 60), size=n_resamples)
    slopes = []
    for c in counts:
        table = mean_variance_table(data[np.repeat(np.arange(60), c)], levels)
        table = table[table["n_clusters"] >= 4]
        slopes.append(fit_power_law(table["cluster_size"], table["m2"]).exponent)
    low, high = np.percentile(slopes, [2.5, 97.5])
    assert estimate.ci_low == pytest.approx(low, rel=1e-9)
    assert estimate.ci_high == pytest.approx(high, rel=1e-9)


def test_bootstrap_is_deterministic_and_validates():
    data = np.random.default_rng(12).normal(size=(100, 64))
    levels = coarse_grain(data, "random")
    a = bootstrap_exponent(data, levels, "m2", n_resamples=20, seed=3)
    b = bootstrap_exponent(data, levels, "m2", n_resamples=20, seed=3)
    assert a == b
    assert set(a.as_dict()) >= {"exponent", "ci_low", "ci_high", "status", "fit_min", "fit_max", "prefactor"}
    with pytest.raises(ValueError, match="observable"):
        bootstrap_exponent(data, levels, "m4")
    with pytest.raises(ValueError, match="n_resamples"):
        bootstrap_exponent(data, levels, "m2", n_resamples=0)
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_exponent(data, levels, "m2", confidence=1.5)
    with pytest.raises(ValueError, match="silent"):
        bootstrap_exponent(data, levels, "p0")


def test_fit_cod_increment():
    rank = np.arange(1, 41, dtype=float)
    delta = 2.0 * rank**-0.5
    delta[30:] = 0.0  # fully explained tail
    fit = fit_cod_increment(rank, delta)
    assert fit.status == "ok"
    assert fit.exponent == pytest.approx(-0.5, abs=1e-12)
    assert fit.prefactor == pytest.approx(2.0, rel=1e-12)
    assert fit.r_squared == pytest.approx(1.0)
    assert (fit.fit_min, fit.fit_max, fit.n_points) == (1.0, 30.0, 30)
    window = fit_cod_increment(rank, delta, r_min=5, r_max=10)
    assert (window.fit_min, window.fit_max, window.n_points) == (5.0, 10.0, 6)
    few = fit_cod_increment(rank, np.where(rank == 1, 1.0, 0.0))
    assert few.status == "too_few_points"
    assert np.isfinite([few.exponent, few.prefactor, few.r_squared]).all()
    with pytest.raises(ValueError, match="delta_cod"):
        fit_cod_increment(rank, delta[:5])
