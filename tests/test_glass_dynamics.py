"""ISF, MSD, tau_alpha, D and block averages on synthetic cases with exact answers."""

import numpy as np
import pytest

from rgcoarse.glass_dynamics import (
    block_average,
    crossing_time,
    diffusion_constant,
    lag_frames,
    mean_squared_displacement,
    remove_com_drift,
    self_isf,
)


def _ballistic(n_frames, n_particles, speed, dt, seed=0):
    """r_i(t) = r_i(0) + v t n_i with unit vectors n_i: |Δr| = v t exactly for every pair."""
    rng = np.random.default_rng(seed)
    directions = rng.normal(size=(n_particles, 3))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    times = np.arange(n_frames)[:, None, None] * dt
    return rng.uniform(0, 5, size=(1, n_particles, 3)) + speed * times * directions[None]


def test_ballistic_isf_and_msd_are_exact():
    speed, dt, q = 0.7, 0.25, 7.25
    x = _ballistic(40, 30, speed, dt)
    lags = np.array([0, 1, 2, 5, 13, 39])
    r = speed * lags * dt
    expected_fs = np.ones_like(r)
    expected_fs[1:] = np.sin(q * r[1:]) / (q * r[1:])
    np.testing.assert_allclose(self_isf(x, q, lags), expected_fs, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(mean_squared_displacement(x, lags), r**2, rtol=1e-12, atol=1e-14)
    # Strided time origins change nothing for ballistic motion.
    np.testing.assert_allclose(self_isf(x, q, lags, origin_stride=3), expected_fs, rtol=1e-9, atol=1e-12)


def test_gaussian_random_walk_matches_exp_of_minus_q2_sigma2_over_2():
    """Steps N(0, s^2) per component: after L steps F_s = exp(-q^2 L s^2 / 2), MSD = 3 L s^2.
    One time origin, 20000 independent particles: the estimate must lie within 5 standard
    errors of the exact value."""
    rng = np.random.default_rng(5)
    s, q, n = 0.05, 7.25, 20000
    x = np.cumsum(rng.normal(0.0, s, size=(9, n, 3)), axis=0)
    for lag in (1, 4, 8):
        d = np.linalg.norm(x[lag] - x[0], axis=1)
        terms = np.sinc(q * d / np.pi)
        fs = self_isf(x[[0, lag]], q, [1])[0]
        assert abs(fs - np.exp(-(q**2) * lag * s**2 / 2)) < 5 * terms.std() / np.sqrt(n)
        msd = mean_squared_displacement(x[[0, lag]], [1])[0]
        assert abs(msd - 3 * lag * s**2) < 5 * (d**2).std() / np.sqrt(n)


def test_crossing_time_of_an_exponential_is_exact():
    tau = 3.7
    t = np.array([0.0, 0.3, 1.0, 2.2, 3.0, 5.5, 9.0, 20.0])
    assert crossing_time(t, np.exp(-t / tau)) == pytest.approx(tau, rel=1e-12)
    assert crossing_time(t, np.exp(-((t / tau) ** 2)), level=np.exp(-4.0)) == pytest.approx(
        # between t = 5.5 and 9.0 ln F is quadratic; the linear interpolation of ln F gives:
        5.5 + (4.0 - (5.5 / tau) ** 2) / ((9.0 / tau) ** 2 - (5.5 / tau) ** 2) * 3.5,
        rel=1e-12,
    )


def test_crossing_time_unresolved_and_bad_input():
    t = np.linspace(0, 1, 5)
    assert np.isnan(crossing_time(t, np.linspace(1.0, 0.5, 5)))
    with pytest.raises(ValueError, match="start at or below"):
        crossing_time(t, np.linspace(0.3, 0.1, 5))
    with pytest.raises(ValueError, match="strictly increasing"):
        crossing_time(t[::-1], np.linspace(1.0, 0.1, 5))


def test_diffusion_constant_of_an_exact_line():
    t = np.linspace(0.0, 100.0, 51)
    msd = 6 * 0.0123 * t + 0.4
    d, err = diffusion_constant(t, msd, t_min=10.0)
    assert d == pytest.approx(0.0123, rel=1e-12)
    assert err == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="at least 3 points"):
        diffusion_constant(t, msd, t_min=97.0)


def test_block_average_exact_values():
    # 11 values make 4 blocks of 2; the 3 leading values are dropped.
    series = np.array([99.0, 99.0, 99.0, 1, 1, 2, 2, 3, 3, 4, 4])
    mean, err = block_average(series, 4)
    assert mean == pytest.approx(2.5, rel=1e-15)
    assert err == pytest.approx(np.std([1, 2, 3, 4], ddof=1) / 2, rel=1e-14)
    with pytest.raises(ValueError, match="cannot make"):
        block_average([1.0, 2.0], 3)
    with pytest.raises(ValueError, match="NaN"):
        block_average([1.0, np.nan, 2.0, 3.0], 2)


def test_remove_com_drift_removes_a_uniform_translation_exactly():
    rng = np.random.default_rng(2)
    x = rng.uniform(0, 5, size=(6, 4, 3))
    x -= x.mean(axis=1, keepdims=True) - x[:1].mean(axis=1, keepdims=True)  # fixed centre of mass
    shift = rng.normal(size=(6, 1, 3))
    shift[0] = 0.0
    np.testing.assert_allclose(remove_com_drift(x + shift), x, atol=1e-12)


def test_lag_frames():
    lags = lag_frames(1001, 30, 0.5)
    assert lags[0] == 0 and lags[1] == 1 and lags[-1] == 500
    assert np.all(np.diff(lags) > 0)
    with pytest.raises(ValueError, match="at least 2"):
        lag_frames(1, 10)


def test_isf_refuses_bad_input():
    x = _ballistic(5, 3, 1.0, 1.0)
    with pytest.raises(ValueError, match="wave number"):
        self_isf(x, 0.0, [1])
    with pytest.raises(ValueError, match="lags must be"):
        self_isf(x, 7.25, [5])
