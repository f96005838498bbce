"""Null models keep what they must and destroy what they must (rgcoarse.datasets.nulls)."""

import numpy as np
import pytest
from rgcoarse.datasets.kinds import kind_of_dataset, source_dataset
from rgcoarse.datasets.nulls import (
    null_condition,
    null_dataset_name,
    null_matrix,
    persistence_null,
    selection_bias_nulls,
    split_null_condition,
    split_null_dataset,
    time_ordered_nulls,
)
from scipy.signal import lfilter


def _correlated_series(m=3000, n=6, phi=0.9, seed=0):
    """n AR(1) series driven by one shared noise plus their own: strongly cross-correlated in time."""
    rng = np.random.default_rng(seed)
    shared = rng.standard_normal(m)
    noise = shared[:, None] + 0.3 * rng.standard_normal((m, n))
    return lfilter([1.0], [1.0, -phi], noise, axis=0)


def _off_diagonal_max(values):
    corr = np.corrcoef(values, rowvar=False)
    return np.max(np.abs(corr - np.diag(np.diag(corr))))


def test_permute_keeps_every_marginal_and_destroys_cross_correlation():
    data = _correlated_series()
    null = null_matrix(data, "permute", seed=1)
    assert np.array_equal(np.sort(null, axis=0), np.sort(data, axis=0))  # marginals exactly
    assert _off_diagonal_max(data) > 0.9
    assert _off_diagonal_max(null) < 5 / np.sqrt(data.shape[0])
    spins = np.where(data > 0, 1, -1).astype(np.int8)
    assert null_matrix(spins, "permute", seed=1).dtype == np.int8


def test_shift_keeps_each_series_and_its_autocorrelation_and_destroys_alignment():
    data = _correlated_series()
    null = null_matrix(data, "shift", seed=2)
    m = data.shape[0]
    for j in range(data.shape[1]):
        # The null column is the data column rotated: same values, same circular autocorrelation.
        offsets = [k for k in range(m) if np.array_equal(np.roll(data[:, j], k), null[:, j])]
        assert len(offsets) == 1
        lag = 5
        circular = lambda x: np.mean((x - x.mean()) * (np.roll(x, lag) - x.mean()))  # noqa: E731
        assert circular(null[:, j]) == pytest.approx(circular(data[:, j]), rel=1e-12)
    assert _off_diagonal_max(data) > 0.9
    # Independent offsets: the series no longer move together (an AR(1) of tau ~ 10 frames
    # over 3000 frames leaves cross-correlations of order sqrt(2 tau / m) ~ 0.1).
    assert _off_diagonal_max(null) < 0.35


def test_three_seam_control_has_three_breaks_per_series_where_shift_has_one():
    from rgcoarse.datasets.nulls import seam_control_matrix, three_seam_series

    m = 50
    ramp = np.arange(m)[:, None] + 1000 * np.arange(8)[None, :]  # each column counts up: a break is a step != 1
    for name, draw, breaks in (("shift", null_matrix(ramp, "shift", seed=4), 1),
                               ("three seams", three_seam_series(ramp, np.random.default_rng(4)), 3)):
        assert np.array_equal(np.sort(draw, axis=0), ramp), name  # every value once
        steps = np.roll(draw, -1, axis=0) - draw  # around the circle: the end of the data is a break too
        assert np.all(np.sum(steps != 1, axis=0) == breaks), name
    assert seam_control_matrix(ramp, "permute", seed=1) is None  # no seam: no control
    assert np.array_equal(seam_control_matrix(ramp, "shift", seed=1), three_seam_series(ramp, np.random.default_rng(1)))


def test_covgauss_keeps_the_covariance_and_destroys_nonlinear_dependence():
    rng = np.random.default_rng(20261202)  # not one of the nulls' seeds below (a shared stream would correlate them)
    m = 2000
    x = rng.standard_normal(m)
    y = x**2 - 1 + 0.1 * rng.standard_normal(m)  # dependent on x but linearly uncorrelated with it
    z = 0.8 * x + 0.6 * rng.standard_normal(m)  # linearly correlated with x
    data = np.column_stack([x, y, z])
    draws = np.stack([null_matrix(data, "covgauss", seed=100 + s) for s in range(10)])
    mean_cov = np.mean([np.cov(d, rowvar=False) for d in draws], axis=0)
    # Unbiased: the mean over draws of the null's covariance is the data's, to the draws' sampling error.
    assert np.allclose(mean_cov, np.cov(data, rowvar=False), atol=0.06)  # sd of a variance of 2 over 10 draws: 0.02
    assert np.allclose(draws.mean(axis=(0, 1)), data.mean(axis=0), atol=0.03)
    dependence = lambda d: abs(np.corrcoef(d[:, 0] ** 2, d[:, 1])[0, 1])  # noqa: E731
    assert dependence(data) > 0.9
    assert max(dependence(d) for d in draws) < 0.1
    assert draws.dtype == np.float64


def test_draws_are_seeded_and_differ():
    data = _correlated_series(m=200)
    for model in ("permute", "shift", "covgauss"):
        assert np.array_equal(null_matrix(data, model, 7), null_matrix(data, model, 7))
        assert not np.array_equal(null_matrix(data, model, 7), null_matrix(data, model, 8))


def test_names_round_trip_and_bad_input_is_named():
    assert null_dataset_name("glass", "shift") == "glass-shift"
    assert split_null_dataset("glass-shift") == ("glass", "shift")
    assert split_null_dataset("glass") is None
    assert null_condition("T0.400_r0", 2) == "T0.400_r0_n2"
    assert split_null_condition("T0.400_r0_n2") == ("T0.400_r0", 2)
    assert source_dataset("ising-permute") == "ising" and kind_of_dataset("ising-permute").name == "ising"
    assert kind_of_dataset("my_data-permute").name == "user"
    with pytest.raises(ValueError, match="not a null model"):
        split_null_dataset("glass-reverse")
    with pytest.raises(ValueError, match="not a null model"):
        null_matrix(np.zeros((4, 4)), "reverse", 0)
    with pytest.raises(ValueError, match="shape"):
        null_matrix(np.zeros(5), "permute", 0)
    with pytest.raises(ValueError, match="_n<draw>"):
        split_null_condition("T0.400_r0")


def test_phase_null_keeps_each_features_mean_and_periodogram_exactly():
    rng = np.random.default_rng(11)
    for m in (64, 65):  # the Nyquist term of an even length is real
        values = np.cumsum(rng.standard_normal((m, 4)), axis=0)
        null = null_matrix(values, "phase", seed=3)
        spectrum = lambda x: np.abs(np.fft.rfft(x - x.mean(axis=0), axis=0))  # noqa: E731
        np.testing.assert_allclose(null.mean(axis=0), values.mean(axis=0), atol=1e-12)
        np.testing.assert_allclose(spectrum(null), spectrum(values), atol=1e-10)
        assert not np.allclose(null, values)


def test_phase_null_destroys_the_alignment_of_identical_features():
    base = np.cumsum(np.random.default_rng(12).standard_normal(4000))
    values = np.column_stack([base, base])
    null = null_matrix(values, "phase", seed=4)
    assert abs(np.corrcoef(np.diff(null, axis=0).T)[0, 1]) < 0.1  # increments of two copies: independent after


def test_the_registry_knows_which_nulls_keep_time_order():
    assert persistence_null() == "shift"
    assert set(time_ordered_nulls()) == {"shift", "phase", "local"}
    assert selection_bias_nulls() == ("shift", "permute")


def _ring_field(rng, m, n, half_width):
    """A local field: each of n sites on a ring averages white noise over 2 half_width + 1 sites."""
    noise = rng.standard_normal((m, n))
    return sum(np.roll(noise, s, axis=1) for s in range(-half_width, half_width + 1))


def _neighbour_mean(values, partners):
    c = np.corrcoef(values, rowvar=False)
    return float(np.mean(c[np.arange(c.shape[0])[:, None], partners]))


def test_local_null_keeps_the_neighbour_correlation_and_nothing_beyond():
    from rgcoarse.datasets.nulls import LOCAL_PARTNERS
    rng = np.random.default_rng(11)
    values = _ring_field(rng, 3000, 120, 3) + 1.0 * rng.standard_normal((3000, 1))  # local field + a common mode
    c = np.corrcoef(values, rowvar=False)
    np.fill_diagonal(c, -np.inf)
    partners = np.argsort(-c, axis=1, kind="stable")[:, :LOCAL_PARTNERS]
    null = null_matrix(values, "local", seed=3)
    assert _neighbour_mean(null, partners) == pytest.approx(_neighbour_mean(values, partners), abs=0.01)
    # far apart on the ring (no shared neighbourhood): the data keep the common mode, the null has none
    far = [(i, (i + 60) % 120) for i in range(120)]
    null_c = np.corrcoef(null, rowvar=False)
    assert np.mean([c[i, j] for i, j in far]) > 0.1
    assert abs(np.mean([null_c[i, j] for i, j in far])) < 0.03


def test_the_local_null_control_can_fail_and_can_pass():
    """The M2 slope between the two largest cluster sizes: above the local null's with a common
    mode, and not above it for a purely local field (the control is not an identity)."""
    from rgcoarse.coarse.coarse_grain import coarse_grain
    from rgcoarse.stats.null_draws import m2_slopes
    from rgcoarse.stats.observables import mean_variance_table

    def local_slope(values, seed):
        levels = coarse_grain(values, "projection", seed=seed, omega=1.0, min_variables=4)
        return m2_slopes(mean_variance_table(values, levels))["m2_local_slope"]

    rng = np.random.default_rng(12)
    local = _ring_field(rng, 2000, 128, 3)
    common = local + 1.5 * rng.standard_normal((2000, 1))
    for values, exceeds in ((common, True), (local, False)):
        data = local_slope(values, 0)
        null = [local_slope(null_matrix(values, "local", seed=s), s) for s in range(5)]
        assert (data > max(null) + 0.1) is exceeds, (data, null)
