"""ISF, MSD, tau_alpha, D and block averages on synthetic cases with exact answers; the same
per species of a Kob–Andersen trajectory, and the glass_dynamics workflow script."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import run_workflow_script

from rgcoarse.glass.correlation_functions import (
    block_average,
    crossing_time,
    diffusion_constant,
    lag_frames,
    mean_squared_displacement,
    remove_com_drift,
    self_isf,
)
from rgcoarse.glass import species_dynamics
from rgcoarse.glass.lammps_io import Trajectory, read_trajectory, write_trajectory
from rgcoarse.pipeline.snakemake_job import script_job
from rgcoarse.io.tables import read_table


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


# ---------------------------------------------------------------------------- per species, and the script


def _two_species(n_frames=41, dt=0.5, speeds=(0.7, 0.3)):
    """Ballistic A particles and B particles (``speeds``) with a fixed centre of mass."""
    a = _ballistic(n_frames, 8, speeds[0], dt, seed=1)
    b = _ballistic(n_frames, 4, speeds[1], dt, seed=2)
    x = np.concatenate([a, b], axis=1)
    x -= x.mean(axis=1, keepdims=True) - x[:1].mean(axis=1, keepdims=True)
    return Trajectory(x, np.arange(1, 13), np.array([1] * 8 + [2] * 4), np.arange(n_frames) * 100)


def test_species_dynamics_splits_a_and_b():
    trajectory, dt = _two_species(), 0.5
    messages = []
    table, summary = species_dynamics(trajectory, dt, 7.25, 10, 0.5, log=messages.append)
    assert list(table.columns) == ["lag_frames", "time", "fs_a", "msd_a", "fs_b", "msd_b"]
    np.testing.assert_allclose(table["time"], table["lag_frames"] * dt)
    positions = remove_com_drift(trajectory.positions)
    lags = table["lag_frames"].to_numpy()
    for name, selected in (("a", positions[:, :8]), ("b", positions[:, 8:])):
        np.testing.assert_allclose(table[f"msd_{name}"], mean_squared_displacement(selected, lags), rtol=1e-12)
        np.testing.assert_allclose(table[f"fs_{name}"], self_isf(selected, 7.25, lags), rtol=1e-12)
        assert summary[f"msd_{name}_final"] == table[f"msd_{name}"].iloc[-1]
    assert summary["longest_lag"] == 10.0 and summary["wavenumber"] == 7.25 and summary["msd_fit_min"] == 0.5
    assert summary["tau_alpha_a"] < summary["tau_alpha_b"]  # the faster species decorrelates first
    # Ballistic MSD is no line: D is whatever the fit gives, but both species have one.
    assert summary["d_a"] is not None and summary["d_b"] is not None
    assert [m.split(":")[0] for m in messages] == ["species A", "species B"]


def test_species_dynamics_unresolved_values_are_none():
    trajectory = _two_species(speeds=(1e-3, 1e-3))  # caged: F_s stays near 1, MSD far below msd_fit_min
    messages = []
    _, summary = species_dynamics(trajectory, 0.5, 7.25, 10, 0.5, log=messages.append)
    assert summary["tau_alpha_a"] is None and summary["tau_alpha_b"] is None
    assert summary["d_a"] is None and summary["d_b_error"] is None
    assert messages[0].startswith("species A: D unresolved (diffusion fit needs at least 3 points")


def test_dynamics_script(tmp_path):
    trajectory = _two_species()
    source = tmp_path / "trajectory.parquet"
    write_trajectory(source, trajectory, {"condition": "T1.000_r0", "temperature": 1.0, "frame_interval": 0.5})
    outputs = {"table": str(tmp_path / "dynamics.parquet"), "summary": str(tmp_path / "dynamics.json")}
    job = script_job("glass_dynamics", input=[str(source)], output=outputs,
                     params={"wavenumber": 7.25, "n_lags": 10, "msd_fit_min": 0.5}, log=[str(tmp_path / "d.log")])
    run_workflow_script("glass_dynamics.py", job)
    summary = json.loads(Path(outputs["summary"]).read_text())
    frame, metadata = read_table(outputs["table"])
    assert metadata == summary and summary["condition"] == "T1.000_r0" and summary["temperature"] == 1.0
    stored, _ = read_trajectory(source)  # positions as stored (float32)
    expected_table, expected = species_dynamics(stored, 0.5, 7.25, 10, 0.5)
    assert {k: summary[k] for k in expected} == expected
    pd.testing.assert_frame_equal(frame, expected_table)
    assert "species A: tau_alpha" in (tmp_path / "d.log").read_text()
