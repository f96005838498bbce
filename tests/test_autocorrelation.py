"""Autocorrelation kernels against exact answers (direct sums, AR(1) processes)."""

import numpy as np
import pytest
from scipy.signal import lfilter

from rgcoarse.stats.autocorrelation import (
    ar1_integrated_autocorrelation_time,
    correlated_standard_error,
    integrated_autocorrelation_time,
    normalised_autocorrelation,
    sokal_window,
)


def ar1_series(phi: float, n: int, seed: int) -> np.ndarray:
    """Stationary AR(1): x_0 ~ N(0, 1/(1-phi^2)), x_{t+1} = phi x_t + N(0, 1)."""
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(n)
    noise[0] /= np.sqrt(1.0 - phi**2)  # start in the stationary law, no burn-in needed
    return lfilter([1.0], [1.0, -phi], noise)


def test_fft_autocorrelation_equals_direct_sum():
    x = np.random.default_rng(0).standard_normal(257).cumsum()
    d = x - x.mean()
    n = x.size
    direct = np.array([np.dot(d[: n - t], d[t:]) / (n - t) for t in range(n)])
    np.testing.assert_allclose(normalised_autocorrelation(x), direct / direct[0], rtol=1e-10, atol=1e-12)


def test_ar1_exact_formula():
    assert ar1_integrated_autocorrelation_time(0.0) == 0.5
    assert ar1_integrated_autocorrelation_time(0.9) == pytest.approx(9.5)
    assert ar1_integrated_autocorrelation_time(-0.5) == pytest.approx(1.0 / 6.0)


@pytest.mark.parametrize("phi", [0.0, 0.5, 0.9, -0.5])
def test_sokal_tau_of_ar1_matches_exact_value(phi):
    n = 2**17
    x = ar1_series(phi, n, seed=12345)
    rho = normalised_autocorrelation(x)
    window = sokal_window(rho)
    tau_hat = integrated_autocorrelation_time(x)
    # Statistical error of the windowed estimator (Madras & Sokal 1988):
    # var(tau_hat) ~= 2 (2W + 1) / n * tau^2.
    tau_truncated = 0.5 + sum(phi**t for t in range(1, window + 1))
    sigma = np.sqrt(2.0 * (2 * window + 1) / n) * max(abs(tau_truncated), 0.5)
    assert abs(tau_hat - tau_truncated) <= 4 * sigma
    # The window bias is the neglected tail sum_{t > W} phi^t, exactly.
    tail = phi ** (window + 1) / (1.0 - phi)
    assert abs(tau_hat - ar1_integrated_autocorrelation_time(phi)) <= 4 * sigma + abs(tail)


def test_sokal_window_on_exact_autocorrelations():
    # Uncorrelated: tau(W) = 1/2 for all W, first W >= 5 * 0.5 is W = 3.
    assert sokal_window(np.r_[1.0, np.zeros(50)]) == 3
    # rho(t) = 2^-t: tau(W) = 3/2 - 2^-W; W = 7 gives 7.46 > 7, W = 8 gives 7.48 <= 8.
    assert sokal_window(0.5 ** np.arange(60)) == 8
    # Never satisfied within the series: fall back to the largest lag.
    assert sokal_window(np.ones(10)) == 9


def test_constant_series_is_uncorrelated_not_nan():
    rho = normalised_autocorrelation(np.full(100, 0.1))
    assert rho[0] == 1.0 and np.all(rho[1:] == 0.0)
    assert integrated_autocorrelation_time(np.full(100, -3.0)) == 0.5


def test_correlated_standard_error():
    x = np.random.default_rng(3).standard_normal(1000)
    plain = x.std(ddof=1) / np.sqrt(x.size)
    assert correlated_standard_error(x, 0.5) == pytest.approx(plain, rel=1e-12)
    assert correlated_standard_error(x, 2.0) == pytest.approx(2.0 * plain, rel=1e-12)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: normalised_autocorrelation(np.zeros((3, 3))), "one-dimensional"),
        (lambda: normalised_autocorrelation([1.0]), "at least 2"),
        (lambda: normalised_autocorrelation([1.0, np.nan, 2.0]), "NaN"),
        (lambda: integrated_autocorrelation_time([1.0, 2.0, 3.0], window_factor=0), "window_factor"),
        (lambda: sokal_window(np.ones(10), window_factor=-1), "window_factor"),
        (lambda: correlated_standard_error([1.0, 2.0], 0.0), "tau_int"),
        (lambda: ar1_integrated_autocorrelation_time(1.0), "phi"),
    ],
)
def test_bad_input_raises(call, match):
    with pytest.raises(ValueError, match=match):
        call()
