"""Power-law fits and bootstrap exponents on data with known exponents."""

import numpy as np
import pandas as pd
import pytest
from rgcoarse.coarse.coarse_grain import coarse_grain
from rgcoarse.io.tables import write_csv
from rgcoarse.stats.bootstrap import (
    block_bootstrap_counts,
    block_interval,
    bootstrap_exponent,
    min_bootstrap_samples,
    series_block_length,
)
from rgcoarse.stats.fits import (
    STATUSES,
    cod_increment_row,
    fit_cod_increment,
    fit_power_law,
    fit_problem,
    select_fit_range,
)
from rgcoarse.stats.observables import mean_variance_table
from scipy.signal import lfilter

NUMBERS = ("exponent", "prefactor", "ci_low", "ci_high")


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
    np.testing.assert_array_equal(select_fit_range(k, n, k_min=1, min_clusters=16), [True, True, True, False, False, False, False])
    np.testing.assert_array_equal(
        select_fit_range(k, n, k_min=2, k_max=16, min_clusters=4), [False, True, True, True, True, False, False]
    )
    with pytest.raises(ValueError, match="min_clusters"):
        select_fit_range(k, n, min_clusters=0, k_min=1)
    with pytest.raises(ValueError, match="k_max"):
        select_fit_range(k, n, k_min=4, k_max=2, min_clusters=16)
    with pytest.raises(ValueError, match="n_clusters"):
        select_fit_range(k, n[:3], k_min=1, min_clusters=16)


def test_iid_gaussian_m2_exponent_is_one():
    data = np.random.default_rng(0).normal(size=(2000, 256))
    levels = coarse_grain(data, "random", seed=1, omega=2**-0.5, min_variables=4)
    estimate = bootstrap_exponent(data, levels, "m2", n_resamples=200, seed=2, k_min=1, min_clusters=16, confidence=0.95)
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
    levels = coarse_grain(data, "correlation", omega=2**-0.5, min_variables=4)
    for lev in levels[1:4]:  # K = 2, 4, 8: every cluster inside one block
        assert all(np.unique(m // block).size == 1 for m in lev.members)
    estimate = bootstrap_exponent(data, levels, "m2", k_max=block, n_resamples=50, seed=4, k_min=1, min_clusters=16, confidence=0.95)
    assert estimate.exponent == pytest.approx(2.0, abs=1e-9)
    assert estimate.ci_low == pytest.approx(2.0, abs=1e-9)
    assert estimate.ci_high == pytest.approx(2.0, abs=1e-9)
    # Beyond the block size independent blocks add: the exponent falls back towards 1.
    beyond = bootstrap_exponent(data, levels, "m2", k_min=block, n_resamples=50, seed=4, min_clusters=16, confidence=0.95)
    assert beyond.ci_high < 1.2


def test_independent_bernoulli_silence_exponent_is_one():
    rng = np.random.default_rng(5)
    active = rng.random((4000, 256)) < 0.01
    levels = coarse_grain(active.astype(float), "random", seed=6, omega=2**-0.5, min_variables=4)
    estimate = bootstrap_exponent(~active, levels, "p0", n_resamples=200, seed=7, k_min=1, min_clusters=16, confidence=0.95)
    assert estimate.status == "ok"
    assert estimate.ci_low <= 1.0 <= estimate.ci_high
    assert estimate.prefactor == pytest.approx(-np.log(0.99), rel=0.1)


def test_p0_of_zero_and_one_are_excluded_and_counted():
    rng = np.random.default_rng(8)
    # Column-wise silence probability 0.5: P0 = 2**-K reaches 0 in 300 samples near K = 16.
    silent = rng.random((300, 64)) < 0.5
    levels = coarse_grain(silent.astype(float), "random", seed=9, omega=2**-0.5, min_variables=4)
    estimate = bootstrap_exponent(silent, levels, "p0", min_clusters=1, n_resamples=30, seed=1, k_min=1, confidence=0.95)
    assert estimate.n_points < len(levels)
    assert np.isfinite([estimate.exponent, estimate.ci_low, estimate.ci_high]).all()
    always = np.ones((50, 16), dtype=bool)
    levels = coarse_grain(always.astype(float), "random", omega=2**-0.5, min_variables=4)
    flat = bootstrap_exponent(always, levels, "p0", k_min=1, min_clusters=16, confidence=0.95)
    assert flat.status == "no_silence_variation"  # every value silent: P0 = 1 at every K
    assert np.isnan([flat.exponent, flat.ci_low, flat.ci_high, flat.fit_min, flat.fit_max]).all()
    assert flat.n_points == 0  # and P0 = 1 everywhere leaves no point either
    levels = coarse_grain(silent.astype(float), "random", seed=9, omega=2**-0.5, min_variables=4)
    beyond = bootstrap_exponent(silent, levels, "p0", k_min=128, min_clusters=16, confidence=0.95)
    assert beyond.status == "too_few_points"
    assert np.isnan([beyond.exponent, beyond.ci_low, beyond.ci_high, beyond.fit_min, beyond.fit_max]).all()


def test_bootstrap_matrix_products_equal_explicit_resampling():
    """The multinomial-count trick against resampling rows and recomputing the table."""
    rng = np.random.default_rng(10)
    data = rng.normal(size=(60, 32)) @ rng.normal(size=(32, 32))
    levels = coarse_grain(data, "projection", omega=2**-0.5, min_variables=4)
    n_resamples, seed = 25, 11
    estimate = bootstrap_exponent(data, levels, "m2", min_clusters=4, n_resamples=n_resamples, seed=seed, k_min=1, confidence=0.95)
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
    levels = coarse_grain(data, "random", omega=2**-0.5, min_variables=4)
    a = bootstrap_exponent(data, levels, "m2", n_resamples=20, seed=3, k_min=1, min_clusters=16, confidence=0.95)
    b = bootstrap_exponent(data, levels, "m2", n_resamples=20, seed=3, k_min=1, min_clusters=16, confidence=0.95)
    np.testing.assert_equal(a.as_dict(), b.as_dict())  # NaN fields (slope_change of 3 points) compare equal
    assert set(a.as_dict()) >= {"exponent", "ci_low", "ci_high", "status", "fit_min", "fit_max", "prefactor"}
    with pytest.raises(ValueError, match="observable"):
        bootstrap_exponent(data, levels, "m4", k_min=1, min_clusters=16, confidence=0.95)
    with pytest.raises(ValueError, match="n_resamples"):
        bootstrap_exponent(data, levels, "m2", n_resamples=0, k_min=1, min_clusters=16, confidence=0.95)
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_exponent(data, levels, "m2", confidence=1.5, k_min=1, min_clusters=16)
    with pytest.raises(ValueError, match="silent"):
        bootstrap_exponent(data, levels, "p0", k_min=1, min_clusters=16, confidence=0.95)


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
    assert np.isnan([few.exponent, few.prefactor, few.r_squared]).all()  # no number to misread
    assert (few.fit_min, few.fit_max, few.n_points) == (1.0, 1.0, 1)
    with pytest.raises(ValueError, match="cod_increment"):
        fit_cod_increment(rank, delta[:5])


# ----- failed and degenerate fits: a status, and no numbers to misread -------------------------


def assert_failed(estimate, status):
    assert estimate.status == status
    assert status in STATUSES
    assert np.isnan([getattr(estimate, name) for name in NUMBERS]).all()
    assert fit_problem(estimate.as_dict()).startswith(f"{status}: ")


def test_min_bootstrap_samples():
    # C(2m - 1, m) distinct resamples must reach 2 / (1 - confidence): 35 < 40 <= 126 at 95%.
    assert min_bootstrap_samples(0.95) == 5
    assert min_bootstrap_samples(0.99) == 6
    assert min_bootstrap_samples(0.5) == 3  # never fewer than 3
    with pytest.raises(ValueError, match="confidence"):
        min_bootstrap_samples(1.0)


@pytest.mark.parametrize("m", [1, 2])
def test_fit_on_one_or_two_samples_is_too_few_samples(m):
    """One sample has no variance; two samples have one non-degenerate resample (each once),
    which used to give status ok with a zero-width CI."""
    data = np.random.default_rng(20).normal(size=(m, 32))
    levels = coarse_grain(data, "random", seed=1, omega=2**-0.5, min_variables=4)
    estimate = bootstrap_exponent(data, levels, "m2", min_clusters=1, k_min=1, confidence=0.95)
    assert_failed(estimate, "too_few_samples")
    assert estimate.n_resamples == 0
    assert estimate.n_points == (0 if m == 1 else 4)  # the fit range is still reported


def test_sample_threshold_and_distinct_samples():
    rng = np.random.default_rng(21)
    four, five = rng.normal(size=(4, 32)), rng.normal(size=(5, 32))
    assert_failed(bootstrap_exponent(four, coarse_grain(four, "random", seed=1, omega=2**-0.5, min_variables=4), "m2", min_clusters=1, k_min=1, confidence=0.95),
                  "too_few_samples")
    ok = bootstrap_exponent(five, coarse_grain(five, "random", seed=1, omega=2**-0.5, min_variables=4), "m2", min_clusters=1, k_min=1, confidence=0.95)
    assert ok.status == "ok" and ok.ci_low < ok.ci_high
    # Fifty rows but only two distinct ones: every resample gives the same exponent while the
    # data vary, so the interval would have zero width. Identical rows count once.
    two = np.repeat(rng.normal(size=(2, 32)), 25, axis=0)
    assert_failed(bootstrap_exponent(two, coarse_grain(two, "random", seed=1, omega=2**-0.5, min_variables=4), "m2", min_clusters=1, k_min=1, confidence=0.95),
                  "too_few_samples")


def test_identical_resamples_give_a_degenerate_interval():
    data = np.random.default_rng(22).normal(size=(50, 32))
    levels = coarse_grain(data, "random", seed=1, omega=2**-0.5, min_variables=4)
    estimate = bootstrap_exponent(data, levels, "m2", min_clusters=1, n_resamples=1, k_min=1, confidence=0.95)
    assert_failed(estimate, "degenerate_interval")
    assert estimate.n_resamples == 1 and estimate.n_points == 4


def test_exact_exponent_keeps_ok_with_zero_width():
    """A zero-width interval is fine when every (different) resample gives the same exponent."""
    data = np.repeat(np.random.default_rng(23).normal(size=(200, 16)), 4, axis=1)  # blocks of 4
    levels = coarse_grain(data, "correlation", omega=2**-0.5, min_variables=4)
    estimate = bootstrap_exponent(data, levels, "m2", k_max=4, n_resamples=20, k_min=1, min_clusters=16, confidence=0.95)
    assert estimate.status == "ok"
    assert estimate.ci_low == pytest.approx(2.0) and estimate.ci_high == pytest.approx(2.0)


def test_k_min_beyond_the_data_is_too_few_points_with_no_fit_range():
    data = np.random.default_rng(24).normal(size=(100, 64))
    levels = coarse_grain(data, "random", seed=1, omega=2**-0.5, min_variables=4)
    estimate = bootstrap_exponent(data, levels, "m2", k_min=1000, min_clusters=16, confidence=0.95)
    assert_failed(estimate, "too_few_points")
    assert np.isnan([estimate.fit_min, estimate.fit_max]).all() and estimate.n_points == 0
    one = bootstrap_exponent(data, levels, "m2", k_min=4, min_clusters=16, confidence=0.95)  # K = 4 is the last level with 16 clusters
    assert_failed(one, "too_few_points")
    assert (one.fit_min, one.fit_max, one.n_points) == (4.0, 4.0, 1)


def test_fit_problem():
    ok = {"status": "ok", "exponent": 1.0, "prefactor": 1.0, "ci_low": 0.9, "ci_high": 1.1, "fit_min": 1.0,
          "fit_max": 64.0}
    assert fit_problem(ok) is None
    assert fit_problem(None) == "no fit row"
    assert fit_problem(dict(ok, status="no_valid_resamples")).startswith("no_valid_resamples: ")
    assert fit_problem(dict(ok, status="something_new")) == "something_new"
    assert fit_problem(dict(ok, exponent=np.nan)).startswith("invalid fit row")
    assert fit_problem(dict(ok, fit_min=0.0, fit_max=0.0)).startswith("invalid fit row")
    assert fit_problem({k: v for k, v in ok.items() if k != "ci_low"}).startswith("invalid fit row")


def test_failed_fit_rows_are_empty_in_the_csv_table(tmp_path):
    """Non-ok rows: NaN in Parquet, empty cells in the CSV; the COD increment has the regression's interval."""
    rng = np.random.default_rng(25)
    data = rng.normal(size=(2, 16))
    failed = bootstrap_exponent(data, coarse_grain(data, "random", omega=2**-0.5, min_variables=4), "m2", min_clusters=1, k_min=1, confidence=0.95).as_dict()
    cod = pd.DataFrame({"level": 0, "rank": np.arange(1, 9), "cod_increment": 2.0 * np.arange(1, 9) ** -0.5})
    increment = cod_increment_row(cod, (1, 8))
    assert increment["status"] == "ok" and increment["ci_low"] == pytest.approx(-0.5) == increment["ci_high"]
    assert "regression" in increment["ci_method"]
    assert increment["exponent"] == pytest.approx(-0.5)
    write_csv(tmp_path / "exponents.csv", pd.DataFrame([failed, increment]))
    rows = (tmp_path / "exponents.csv").read_text().splitlines()
    header = rows[0].split(",")
    cells = dict(zip(header, rows[1].split(",")))
    assert cells["status"] == "too_few_samples"
    assert all(cells[name] == "" for name in NUMBERS)
    back = pd.read_csv(tmp_path / "exponents.csv")
    assert back.loc[0, list(NUMBERS)].isna().all()


@pytest.mark.parametrize("observable", ["m2", "p0"])
def test_bootstrap_points_equal_the_direct_recomputation(observable):
    from oracle_observables import direct_bootstrap_points, direct_mean_variance
    from rgcoarse.stats.bootstrap import _resampled_points
    from rgcoarse.stats.observables import (
        binarise,
        mean_variance_table,
        silence_probability_table,
    )

    rng = np.random.default_rng(8)
    data = rng.standard_normal((60, 40)) + np.repeat(rng.standard_normal((60, 10)), 4, axis=1)
    levels = coarse_grain(data, "projection", min_variables=2, omega=2**-0.5)
    observed = data if observable == "m2" else binarise(data, 0.0)
    table = mean_variance_table(data, levels) if observable == "m2" else silence_probability_table(observed, levels)
    if observable == "m2":
        np.testing.assert_allclose(table["m2"], direct_mean_variance(data, levels)["m2"], rtol=1e-12)
    counts = rng.multinomial(60, np.full(60, 1 / 60), size=30).astype(np.float64)
    selected = np.arange(len(table))
    np.testing.assert_allclose(_resampled_points(observed, levels, table, selected, observable, counts),
                               direct_bootstrap_points(observed, levels, table, selected, observable, counts),
                               rtol=1e-12, atol=1e-15)


# ----- block bootstrap for time series -------------------------------------------------------


def _ar1(n, phi, rng):
    """A stationary AR(1) series x_t = phi x_{t-1} + e_t with unit-variance noise."""
    noise = rng.standard_normal(n)
    noise[0] /= np.sqrt(1 - phi**2)  # x_0 from the stationary distribution
    return lfilter([1.0], [1.0, -phi], noise)


def test_block_counts_are_whole_circular_blocks():
    counts = block_bootstrap_counts(10, 5, 200, np.random.default_rng(3))
    assert counts.shape == (200, 10) and np.all(counts.sum(axis=1) == 10)
    # Two blocks of 5: every resample is the sum of two circular windows of 5 consecutive samples.
    windows = [np.roll(np.r_[np.ones(5), np.zeros(5)], start) for start in range(10)]
    sums = {tuple(a + b) for a in windows for b in windows}
    assert all(tuple(row) in sums for row in counts)
    assert len({tuple(row) for row in counts}) > 20  # the starts vary
    assert np.array_equal(block_bootstrap_counts(10, 10, 3, np.random.default_rng(1)), np.ones((3, 10)))
    iid = block_bootstrap_counts(10, 1, 50, np.random.default_rng(3))
    assert np.array_equal(iid, np.random.default_rng(3).multinomial(10, np.full(10, 0.1), size=50).astype(float))


def test_block_bootstrap_interval_of_an_ar1_mean_covers_the_truth():
    """Coverage of the 95% interval of the mean of AR(1) series (true mean 0).

    phi = 0.8 (tau_int = 4.5), n = 4000 frames, block length from the measured tau_int with the
    default factor, 200 seeded series. The block bootstrap misses correlations longer than a
    block (relative variance bias ~ tau_int / L, and Sokal's window underestimates tau_int a
    little), so its coverage is below 95%: 0.905 for this seed; with 200 repeats the binomial spread is 0.018, so the stated tolerance is
    0.88 <= coverage <= 0.99. The i.i.d. bootstrap, which ignores the correlation, covers
    about 55% (checked on the first 50 series: below 75%).
    """
    rng = np.random.default_rng(20261202)
    block_covered, iid_covered, repeats = 0, 0, 200

    def covers(x, length):
        low, high = np.percentile(block_bootstrap_counts(x.size, length, 200, rng) @ x / x.size, [2.5, 97.5])
        return bool(low <= 0.0 <= high)

    for repeat in range(repeats):
        x = _ar1(4000, 0.8, rng)
        block_covered += covers(x, series_block_length(x[:, None], block_factor=8.0)[1])
        iid_covered += repeat < 50 and covers(x, 1)
    assert 0.88 <= block_covered / repeats <= 0.99
    assert iid_covered / 50 < 0.75


def test_series_block_length_uses_the_measured_tau():
    rng = np.random.default_rng(5)
    x = np.column_stack([_ar1(20000, 0.8, rng) for _ in range(3)])
    tau, block = series_block_length(x, block_factor=8)
    assert tau == pytest.approx(4.5, rel=0.15)
    assert block == int(np.ceil(8 * tau))
    tau_white, block_white = series_block_length(rng.standard_normal((5000, 3)), block_factor=8.0)
    assert tau_white == pytest.approx(0.5, abs=0.1) and block_white <= 6
    with pytest.raises(ValueError, match="block_factor"):
        series_block_length(x, block_factor=0)


def test_time_series_intervals_are_wider_with_blocks_and_short_series_fail_clearly():
    """A common slow mode shared by every feature: i.i.d. resampling understates its noise."""
    rng = np.random.default_rng(8)
    common = _ar1(2000, 0.95, rng)
    data = common[:, None] + rng.standard_normal((2000, 64))
    levels = coarse_grain(data, "random", seed=1, omega=2**-0.5, min_variables=4)
    _, block = series_block_length(data, block_factor=8.0)
    iid = bootstrap_exponent(data, levels, "m2", seed=2, n_resamples=200, k_min=1, min_clusters=16, confidence=0.95)
    blocked = bootstrap_exponent(data, levels, "m2", seed=2, n_resamples=200, block_length=block, k_min=1, min_clusters=16, confidence=0.95)
    assert blocked.status == "ok" and blocked.exponent == iid.exponent
    assert (blocked.ci_high - blocked.ci_low) > 2 * (iid.ci_high - iid.ci_low)
    short = bootstrap_exponent(data[:25], levels, "m2", seed=2, block_length=10, k_min=1, min_clusters=16, confidence=0.95)
    assert_failed(short, "too_few_blocks")  # 2 whole blocks: a t interval needs 3


def test_few_block_interval_is_a_t_interval_on_the_resampled_spread():
    slopes = np.array([0.9, 1.0, 1.1, 1.0])
    low, high = block_interval(1.0, slopes, n_blocks=5, confidence=0.95)
    half = 2.7764451051977987 * np.std(slopes, ddof=1)  # t(4) quantile at 0.975
    assert (low, high) == pytest.approx((1.0 - half, 1.0 + half))


def test_exponent_interval_covers_on_glass_like_ar1_columns():
    """Independent AR(1) columns (phi = 0.96: tau_int 24.5 frames, the glass at T = 0.4), 1181 frames,
    random pairing: the true M2 exponent is 1. 60 repeats (the benchmark runs 2,000): the t interval
    covers in >= 0.9 of them (binomial spread 0.03 at 0.95); the percentile one covered 0.86 at 2,000."""
    from scipy.signal import lfilter

    rng = np.random.default_rng(24)
    covered = 0
    for _ in range(60):
        noise = rng.standard_normal((1181, 64)) * np.sqrt(1 - 0.96**2)
        data = lfilter([1.0], [1.0, -0.96], noise, axis=0)
        levels = coarse_grain(data, "random", seed=int(rng.integers(1 << 30)), omega=2**-0.5, min_variables=2)
        _, block = series_block_length(data, block_factor=6.0)
        fit = bootstrap_exponent(data, levels, "m2", seed=1, n_resamples=100, block_length=block, k_min=1,
                                 min_clusters=16, confidence=0.95)
        covered += fit.status == "ok" and fit.ci_low <= 1.0 <= fit.ci_high
    assert covered / 60 >= 0.9
    with pytest.raises(ValueError, match="block_length"):
        bootstrap_exponent(data, levels, "m2", block_length=0, k_min=1, min_clusters=16, confidence=0.95)


@pytest.mark.parametrize("common, curved", [(0.0, False), (0.05, True)])
def test_a_curved_m2_is_reported_as_curved_and_a_power_law_is_not(common, curved):
    """Random pairing of features sharing a mode of correlation rho: M2(K) = K (1 + (K - 1) rho), whose
    log-log slope climbs from 1 towards 2 once K rho ~ 1 (curved); with rho = 0 it is K exactly."""
    rng = np.random.default_rng(30)
    data = rng.standard_normal((2000, 1024)) + np.sqrt(common / (1 - common)) * rng.standard_normal((2000, 1))
    levels = coarse_grain(data, "random", seed=1, omega=1.0, min_variables=4)
    fit = bootstrap_exponent(data, levels, "m2", n_resamples=200, seed=2, k_min=1, min_clusters=16, confidence=0.95,
                             max_slope_change=0.1)
    assert (fit.status == "curved") is curved, fit
    if curved:
        assert fit.slope_change > 0.3 and np.isfinite(fit.exponent)  # the numbers stay, for reading
    else:
        assert abs(fit.slope_change) < 0.1 and fit.status == "ok"
