"""The level loop: invariants, lattice block spins, degenerate input, the table form."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rgcoarse.coarse.coarse_grain import (
    Level,
    coarse_grain,
    initial_level,
    levels_from_frame,
    levels_to_frame,
    next_level,
)
from rgcoarse.stats.bootstrap import bootstrap_exponent
from rgcoarse.stats.fits import MIN_CURVATURE_POINTS
from rgcoarse.stats.observables import cod_table, mean_variance_table, silence_probability_table
from rgcoarse.coarse.pairing_rules import pairing_rule_names

METHODS = list(pairing_rule_names())


def lattice_data(rng, n_samples=40, rows=8, cols=8):
    return rng.normal(size=(n_samples, rows * cols))


def check_hierarchy(data, levels, omega):
    """Every level is omega**level times raw cluster sums, built from the previous level's pairs."""
    n_features = data.shape[1]
    for lev in levels:
        assert lev.values.shape == (data.shape[0], len(lev.members))
        assert np.all(np.isfinite(lev.values))
        np.testing.assert_array_equal(np.sort(np.concatenate(lev.members)), np.arange(n_features))
        np.testing.assert_allclose(lev.scale, omega**lev.level)
        raw = np.column_stack([data[:, m].sum(axis=1) for m in lev.members])
        np.testing.assert_allclose(lev.values, lev.scale * raw, rtol=1e-12, atol=1e-12)
    for previous, lev in zip(levels, levels[1:]):
        for k, (a, b) in enumerate(lev.pairs):
            expected = np.sort(np.concatenate([previous.members[a], previous.members[b]]))
            np.testing.assert_array_equal(lev.members[k], expected)


@pytest.mark.parametrize("method", METHODS)
def test_levels_halve_down_to_min_variables_and_keep_the_hierarchy(method):
    rng = np.random.default_rng(0)
    data = lattice_data(rng)
    levels = coarse_grain(data, method, lattice_shape=(8, 8), seed=3, omega=2**-0.5, min_variables=4)
    assert [lev.n_variables for lev in levels] == [64, 32, 16, 8, 4]
    assert [lev.level for lev in levels] == [0, 1, 2, 3, 4]
    assert levels[0].pairs.shape == (0, 2)
    np.testing.assert_array_equal(levels[0].values, data)
    check_hierarchy(data, levels, 2**-0.5)
    for lev in levels:
        np.testing.assert_array_equal(lev.cluster_sizes, 2**lev.level)


@pytest.mark.parametrize("omega", [2**-0.5, 0.8])
def test_lattice_level_two_is_block_sum_times_omega_squared(omega):
    rng = np.random.default_rng(1)
    rows, cols = 8, 8
    data = lattice_data(rng, 30, rows, cols)
    levels = coarse_grain(data, "lattice", lattice_shape=(rows, cols), omega=omega, min_variables=4)
    grid = data.reshape(-1, rows, cols)
    block_sums = grid[:, 0::2, 0::2] + grid[:, 0::2, 1::2] + grid[:, 1::2, 0::2] + grid[:, 1::2, 1::2]
    np.testing.assert_allclose(levels[2].values, omega**2 * block_sums.reshape(-1, 16), rtol=1e-13, atol=1e-14)
    # Variable (i, j) of the 4 x 4 level-2 lattice holds the sites of block (i, j).
    for i in range(4):
        for j in range(4):
            sites = sorted((2 * i + di) * cols + 2 * j + dj for di in (0, 1) for dj in (0, 1))
            np.testing.assert_array_equal(levels[2].members[i * 4 + j], sites)


def test_lattice_alternates_horizontal_and_vertical_pairs():
    data = np.zeros((2, 16))
    levels = coarse_grain(data, "lattice", lattice_shape=(4, 4), min_variables=1, omega=2**-0.5)
    np.testing.assert_array_equal(levels[1].pairs[:2], [[0, 1], [2, 3]])  # along rows
    np.testing.assert_array_equal(levels[2].pairs[:2], [[0, 2], [1, 3]])  # along columns of 4 x 2
    assert [lev.n_variables for lev in levels] == [16, 8, 4, 2, 1]


def test_lattice_shape_errors():
    data = np.zeros((3, 36))
    with pytest.raises(ValueError, match="lattice_shape"):
        coarse_grain(data, "lattice", omega=2**-0.5, min_variables=4)
    with pytest.raises(ValueError, match="lattice_shape"):
        coarse_grain(data, "lattice", lattice_shape=(6, 5), omega=2**-0.5, min_variables=4)
    with pytest.raises(ValueError, match="cannot be halved"):
        coarse_grain(data, "lattice", lattice_shape=(6, 6), min_variables=4, omega=2**-0.5)
    assert len(coarse_grain(data, "lattice", lattice_shape=(6, 6), min_variables=9, omega=2**-0.5)) == 3


@pytest.mark.parametrize("method", ["projection", "correlation", "random"])
def test_odd_counts_carry_the_unpaired_variable_last(method):
    rng = np.random.default_rng(2)
    data = rng.normal(size=(50, 13)) @ rng.normal(size=(13, 13))
    levels = coarse_grain(data, method, min_variables=1, omega=0.9)
    assert [lev.n_variables for lev in levels] == [13, 7, 4, 2, 1]
    check_hierarchy(data, levels, 0.9)
    for previous, lev in zip(levels, levels[1:]):
        paired = set(lev.pairs.ravel().tolist())
        left = sorted(set(range(previous.n_variables)) - paired)
        if previous.n_variables % 2:
            assert len(left) == 1
            np.testing.assert_array_equal(lev.members[-1], previous.members[left[0]])
            np.testing.assert_allclose(lev.values[:, -1], 0.9 * previous.values[:, left[0]])
        else:
            assert left == []
    assert sorted(levels[1].cluster_sizes.tolist()) == [1] + [2] * 6


@pytest.mark.parametrize("method", METHODS)
def test_degenerate_input_gives_no_nan_anywhere(method):
    """A frozen spin and fewer samples than features: finite levels and observables."""
    rng = np.random.default_rng(3)
    data = np.sign(rng.normal(size=(5, 32)))
    data[:, 7] = 1.0  # frozen spin
    data[:, 20] = data[:, 21]  # duplicated feature
    levels = coarse_grain(data, method, lattice_shape=(4, 8), min_variables=2, omega=2**-0.5)
    check_hierarchy(data, levels, 2**-0.5)
    m2 = mean_variance_table(data, levels)
    p0 = silence_probability_table(data < 0, levels)
    cod = cod_table(levels)
    for table in (m2, p0, cod):
        assert np.all(np.isfinite(table.to_numpy(dtype=float)))
    for observable, source in (("m2", data), ("p0", data < 0)):
        estimate = bootstrap_exponent(source, levels, observable, min_clusters=4, n_resamples=20, k_min=1, confidence=0.95)
        fields = estimate.as_dict()
        # slope_change is the curvature test's, NaN exactly when it has too few points to test (documented)
        assert np.isnan(fields.pop("slope_change")) == (estimate.n_points < MIN_CURVATURE_POINTS)
        numbers = [v for v in fields.values() if not isinstance(v, str)]
        assert np.all(np.isfinite(numbers))
        assert estimate.status in ("ok", "too_few_points", "no_valid_resamples")


def test_single_sample_and_single_feature():
    levels = coarse_grain(np.arange(6.0).reshape(1, 6), "projection", min_variables=1, omega=2**-0.5)
    assert [lev.n_variables for lev in levels] == [6, 3, 2, 1]
    assert len(coarse_grain(np.ones((4, 1)), "correlation", omega=2**-0.5, min_variables=4)) == 1


@pytest.mark.parametrize("method", METHODS)
def test_same_seed_same_levels(method):
    rng = np.random.default_rng(4)
    data = lattice_data(rng)
    a = coarse_grain(data, method, lattice_shape=(8, 8), seed=7, omega=2**-0.5, min_variables=4)
    b = coarse_grain(data, method, lattice_shape=(8, 8), seed=7, omega=2**-0.5, min_variables=4)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x.values, y.values)
        np.testing.assert_array_equal(x.pairs, y.pairs)


def test_random_method_depends_on_seed():
    data = np.random.default_rng(5).normal(size=(10, 32))
    a = coarse_grain(data, "random", seed=1, omega=2**-0.5, min_variables=4)
    b = coarse_grain(data, "random", seed=2, omega=2**-0.5, min_variables=4)
    assert not np.array_equal(a[1].pairs, b[1].pairs)


def test_projection_orders_are_selectable():
    rng = np.random.default_rng(6)
    data = rng.normal(size=(60, 16)) @ rng.normal(size=(16, 16))
    index = coarse_grain(data, "projection", order="index", omega=2**-0.5, min_variables=4)
    greedy = coarse_grain(data, "projection", order="greedy", omega=2**-0.5, min_variables=4)
    assert index[1].pairs[0, 0] == 0  # the paper's order starts from variable 0
    check_hierarchy(data, greedy, 2**-0.5)


def test_levels_are_read_only():
    levels = coarse_grain(np.random.default_rng(0).normal(size=(5, 8)), "random", omega=2**-0.5, min_variables=4)
    with pytest.raises(ValueError):
        levels[1].values[0, 0] = 1.0
    with pytest.raises(AttributeError):
        levels[1].level = 3


def test_coarse_grain_rejects_bad_arguments():
    data = np.zeros((3, 8))
    with pytest.raises(ValueError, match="method"):
        coarse_grain(data, "kmeans", omega=2**-0.5, min_variables=4)
    with pytest.raises(ValueError, match="omega"):
        coarse_grain(data, "random", omega=0, min_variables=4)
    with pytest.raises(ValueError, match="omega"):
        coarse_grain(data, "random", omega=float("nan"), min_variables=4)
    with pytest.raises(ValueError, match="min_variables"):
        coarse_grain(data, "random", min_variables=0, omega=2**-0.5)
    with pytest.raises(ValueError, match="seed"):
        coarse_grain(data, "random", seed=-1, omega=2**-0.5, min_variables=4)
    with pytest.raises(ValueError, match="order"):
        coarse_grain(data, "projection", order="random", omega=2**-0.5, min_variables=4)
    with pytest.raises(ValueError, match="values"):
        coarse_grain(np.full((3, 8), np.nan), "random", omega=2**-0.5, min_variables=4)


def test_next_level_checks_the_pairing():
    first = initial_level(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="pairs"):
        next_level(first, [[0, 1], [1, 2]], 0.5)
    with pytest.raises(ValueError, match="pairs"):
        next_level(first, [[0, 1]], 0.5)  # two left out


def assert_same_levels(levels, restored):
    assert len(restored) == len(levels)
    for a, b in zip(levels, restored):
        assert isinstance(b, Level)
        assert a.level == b.level
        np.testing.assert_array_equal(a.pairs, b.pairs)
        np.testing.assert_array_equal(a.scale, b.scale)
        for x, y in zip(a.members, b.members):
            np.testing.assert_array_equal(x, y)
        # Rebuilt from the data as the coarse-graining formed them: bit for bit, except the
        # lattice rule's PyWavelets sums (the same sum, rounded in its own order).
        np.testing.assert_allclose(b.values, a.values, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("method", ["projection", "lattice"])
def test_frame_round_trip_through_parquet(tmp_path, method):
    rng = np.random.default_rng(7)
    data = rng.normal(size=(20, 18 if method == "projection" else 16))
    levels = coarse_grain(data, method, lattice_shape=(4, 4), min_variables=1, omega=2**-0.5)
    frame = levels_to_frame(levels)
    assert list(frame.columns) == ["level", "variable", "cluster_size", "scale", "members"]
    assert frame["level"].dtype == np.int16
    assert frame["variable"].dtype == np.int32
    assert frame["cluster_size"].dtype == np.int32
    assert frame["scale"].dtype == np.float64
    assert len(frame) == sum(lev.n_variables for lev in levels)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    assert table.schema.field("members").type == pa.list_(pa.int32())
    pq.write_table(table, tmp_path / "levels.parquet")
    stored = pq.read_table(tmp_path / "levels.parquet")
    assert_same_levels(levels, levels_from_frame(frame, data))
    assert_same_levels(levels, levels_from_frame(stored.to_pandas(), data))
    assert_same_levels(levels, levels_from_frame(stored.to_pandas(types_mapper=pd.ArrowDtype), data))
    # Row order in the file does not matter.
    assert_same_levels(levels, levels_from_frame(frame.sample(frac=1.0, random_state=0), data))
    if method == "projection":  # not the lattice rule's PyWavelets sums: the same arithmetic, bit for bit
        for a, b in zip(levels, levels_from_frame(frame, data)):
            np.testing.assert_array_equal(b.values, a.values)


def test_levels_from_frame_carries_the_odd_variable_and_checks_the_data():
    data = np.random.default_rng(9).normal(size=(12, 7))
    levels = coarse_grain(data, "projection", min_variables=1, omega=0.6)
    restored = levels_from_frame(levels_to_frame(levels), data)
    assert [lev.n_variables for lev in restored] == [7, 4, 2, 1]
    for a, b in zip(levels, restored):
        np.testing.assert_array_equal(b.values, a.values)
    with pytest.raises(ValueError, match="data: has 6 features but the coarse-graining starts from 7"):
        levels_from_frame(levels_to_frame(levels), data[:, :6])


def test_levels_from_frame_rejects_broken_tables():
    data = np.random.default_rng(8).normal(size=(6, 8))
    levels = coarse_grain(data, "random", min_variables=2, omega=2**-0.5)
    frame = levels_to_frame(levels)
    with pytest.raises(ValueError, match="members"):
        levels_from_frame(frame.drop(columns="members"), data)
    truncated = frame.copy()
    row = frame.index[(frame["level"] == 2) & (frame["variable"] == 0)][0]
    # Three features cannot be the union of one or two level-1 clusters of size 2.
    truncated.at[row, "members"] = frame.at[row, "members"][:3]
    with pytest.raises(ValueError, match="members"):
        levels_from_frame(truncated, data)
    gap = frame[frame["level"] != 1]
    with pytest.raises(ValueError, match="level"):
        levels_from_frame(gap, data)
    renumbered = frame.copy()
    renumbered.loc[renumbered["level"] == 1, "variable"] += 1
    with pytest.raises(ValueError, match="variable"):
        levels_from_frame(renumbered, data)
