"""p_hop (paper eq. 30) on synthetic trajectories with exact answers; the glass data matrix
made from it, and the glass_phop workflow script."""

import numpy as np
import pytest
from conftest import run_workflow_script

from rgcoarse.io.datamatrix import read_data_matrix
from rgcoarse.glass import phop_data_matrix
from rgcoarse.glass.lammps_io import Trajectory, read_trajectory, write_trajectory
from rgcoarse.glass.phop import half_window_frames, phop, phop_centres, phop_direct
from rgcoarse.pipeline.snakemake_job import script_job


def _at_rest(n_frames, n_particles, seed=0):
    rng = np.random.default_rng(seed)
    start = rng.uniform(0, 10, size=(1, n_particles, 3))
    return np.repeat(start, n_frames, axis=0)


def _random_walk(n_frames, n_particles, seed, step=0.1, offset=40.0):
    rng = np.random.default_rng(seed)
    steps = rng.normal(0.0, step, size=(n_frames, n_particles, 3))
    return offset + rng.uniform(0, 10, size=(1, n_particles, 3)) + np.cumsum(steps, axis=0)


def test_particles_at_rest_give_exactly_zero():
    x = _at_rest(30, 7)
    assert np.array_equal(phop(x, 4), np.zeros((30 - 8, 7)))
    # The direct formula averages equal numbers, which round-off may leave at ~1e-32.
    np.testing.assert_allclose(phop_direct(x, 4), 0.0, atol=1e-15)


@pytest.mark.parametrize("half_window", [1, 3, 10])
def test_clean_jump_profile_is_exact(half_window):
    """Particle 0 jumps by d between frames c and c + 1 (particle 1 by -d, keeping the
    centre of mass fixed). With j = number of frames of window B spent after the jump, the
    windows give <(r - <r>_B)^2>_A = (p d)^2 and <(r - <r>_A)^2>_B = p d^2 with
    p = j / (h + 1), so p_hop = d^2 p^(3/2); at the centre (j = h) it is d^2 (h/(h+1))^(3/2)."""
    h = half_window
    n_frames, c = 4 * h + 6, 2 * h + 2
    d = np.array([0.3, -0.4, 1.2])  # |d| = 1.3
    x = _at_rest(n_frames, 5, seed=1)
    x[c + 1 :, 0] += d
    x[c + 1 :, 1] -= d
    d2 = float(d @ d)
    expected = np.zeros(n_frames)
    for centre in range(n_frames):
        if c - h < centre <= c:  # jump inside B: j = centre + h - c frames after the jump
            expected[centre] = d2 * ((centre + h - c) / (h + 1)) ** 1.5
        elif c < centre < c + 1 + h:  # mirror image: the jump inside A
            expected[centre] = d2 * ((c + 1 + h - centre) / (h + 1)) ** 1.5
    centres = phop_centres(n_frames, h)
    got = phop(x, h)
    np.testing.assert_allclose(got[:, 0], expected[centres], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(got[:, 1], expected[centres], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(got[:, 2:], 0.0, atol=1e-14)  # round-off of the centre of mass
    peak = got[c - h, 0]  # row k is centre frame k + h
    assert peak == pytest.approx(d2 * (h / (h + 1)) ** 1.5, rel=1e-12)


def test_jump_of_length_one_approaches_d_squared_for_long_windows():
    h = 500
    x = _at_rest(2 * h + 2, 2)
    x[h + 1 :, 0, 0] += 1.0
    x[h + 1 :, 1, 0] -= 1.0
    # (500/501)^1.5 = 0.997009...
    assert phop(x, h)[0, 0] == pytest.approx((500 / 501) ** 1.5, rel=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_prefix_sums_equal_direct_window_formula(dtype):
    x = _random_walk(400, 50, seed=2).astype(dtype)
    for h in (1, 7, 50):
        fast, slow = phop(x, h), phop_direct(x, h)
        assert fast.shape == slow.shape == (400 - 2 * h, 50)
        np.testing.assert_allclose(fast, slow, rtol=1e-10, atol=1e-10)


def test_uniform_drift_is_removed():
    x = _random_walk(200, 20, seed=3)
    drift = np.cumsum(np.random.default_rng(4).normal(0, 0.5, size=(200, 1, 3)), axis=0)
    np.testing.assert_allclose(phop(x + drift, 10), phop(x, 10), rtol=1e-9, atol=1e-12)
    assert not np.allclose(phop(x + drift, 10, remove_drift=False), phop(x, 10))


def test_half_window_from_times():
    assert half_window_frames(10.0, 0.5) == 10
    assert half_window_frames(10.0, 0.1) == 50
    with pytest.raises(ValueError, match="not a positive whole number of frame intervals"):
        half_window_frames(10.0, 0.3)
    with pytest.raises(ValueError, match="must be positive"):
        half_window_frames(-1.0, 0.5)


def test_bad_input_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="too few"):
        phop(_at_rest(8, 3), 4)
    with pytest.raises(ValueError, match=r"shape \(n_frames, n_particles, 3\)"):
        phop(np.zeros((10, 3)), 2)
    x = _at_rest(20, 3)
    x[5, 1, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        phop(x, 2)


# ---------------------------------------------------------------------------- the glass data matrix, and the script


def _trajectory(n_frames=30, n_particles=6):
    x = _random_walk(n_frames, n_particles, seed=5)
    types = np.array([1] * (n_particles - 2) + [2, 2])
    return Trajectory(x, np.arange(3, 3 + n_particles), types, np.arange(n_frames) * 50)


def test_phop_data_matrix_rows_columns_and_metadata():
    trajectory = _trajectory()
    metadata = {"condition": "T0.500_r0", "temperature": 0.5, "frame_interval": 0.25, "timesteps": [0, 50]}
    matrix = phop_data_matrix(trajectory, metadata, phop_window=1.0)  # h = 2 frames
    np.testing.assert_array_equal(matrix.values, phop(trajectory.positions, 2))
    assert matrix.feature_names == [f"p{i}" for i in range(3, 9)]
    assert matrix.feature_metadata["type"].tolist() == ["A"] * 4 + ["B"] * 2
    assert matrix.feature_metadata["particle_id"].tolist() == list(range(3, 9))
    meta = matrix.metadata
    assert meta["dataset"] == "glass" and meta["observable"] == "p_hop" and "timesteps" not in meta
    assert meta["condition"] == "T0.500_r0" and meta["phop_half_window_frames"] == 2
    assert meta["sample_times"] == [0.25 * c for c in range(2, 28)]
    with pytest.raises(ValueError, match="not a positive whole number of frame intervals"):
        phop_data_matrix(trajectory, metadata, phop_window=0.3)


def test_phop_script(tmp_path):
    trajectory = _trajectory()
    source, output = tmp_path / "trajectory.parquet", tmp_path / "glass" / "T0.500_r0.parquet"
    write_trajectory(source, trajectory, {"condition": "T0.500_r0", "temperature": 0.5, "frame_interval": 0.25})
    job = script_job("glass_phop", input=[str(source)], output=[str(output)], params={"phop_window": 1.0},
                     log=[str(tmp_path / "phop.log")])
    run_workflow_script("glass_phop.py", job)
    matrix = read_data_matrix(output)
    stored, metadata = read_trajectory(source)
    expected = phop_data_matrix(stored, metadata, 1.0)
    np.testing.assert_array_equal(matrix.values, expected.values)
    assert matrix.metadata == expected.metadata and matrix.metadata["dataset"] == "glass"
    assert "wrote" in (tmp_path / "phop.log").read_text()
