"""Observables against direct loops over clusters and hand-made cases."""

import numpy as np
import pandas as pd
import pytest
from rgcoarse.coarse.coarse_grain import coarse_grain
from rgcoarse.coarse.pairing import random_pairs
from rgcoarse.stats.observables import (
    binarise,
    cluster_spectrum,
    cluster_sums,
    cod_table,
    mean_variance_table,
    silence_probability_table,
)
from rgcoarse.stats.pair_locality import (
    nearest_neighbour_fraction,
    random_nearest_neighbour_fraction,
)


def test_mean_variance_table_equals_a_direct_loop_with_mixed_cluster_sizes():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(40, 11)) @ rng.normal(size=(11, 11))
    levels = coarse_grain(data, "correlation", min_variables=1, omega=2**-0.5)
    table = mean_variance_table(data, levels)
    for lev in levels:
        sizes = np.array([m.size for m in lev.members])
        for k in np.unique(sizes):
            clusters = [m for m in lev.members if m.size == k]
            expected = np.mean([np.var(data[:, m].sum(axis=1)) for m in clusters])
            row = table[(table["level"] == lev.level) & (table["cluster_size"] == k)]
            assert len(row) == 1
            assert row["n_clusters"].iloc[0] == len(clusters)
            assert row["m2"].iloc[0] == pytest.approx(expected, rel=1e-12)
    assert len(table) == sum(len(np.unique([m.size for m in lev.members])) for lev in levels)


def test_mean_variance_ignores_omega_and_sees_anticorrelation():
    x = np.random.default_rng(1).normal(size=(100, 1))
    data = np.column_stack([x, -x, x, x])
    for omega in (0.5, 1.0):
        levels = coarse_grain(data, "random", omega=omega, min_variables=1, seed=0)
        table = mean_variance_table(data, levels).set_index(["level", "cluster_size"])
        var = np.var(x)
        assert table.loc[(0, 1), "m2"] == pytest.approx(var)
        assert table.loc[(2, 4), "m2"] == pytest.approx(4 * var)  # x - x + x + x = 2x


def test_silence_probability_table_equals_a_direct_loop():
    rng = np.random.default_rng(2)
    silent = rng.random((200, 9)) < 0.7
    levels = coarse_grain(silent.astype(float), "random", min_variables=1, seed=4, omega=2**-0.5)
    table = silence_probability_table(silent, levels)
    for lev in levels:
        for k in np.unique([m.size for m in lev.members]):
            clusters = [m for m in lev.members if m.size == k]
            expected = np.mean([np.all(silent[:, m], axis=1).mean() for m in clusters])
            row = table[(table["level"] == lev.level) & (table["cluster_size"] == k)]
            assert row["p0"].iloc[0] == pytest.approx(expected, rel=1e-12)


def test_binarise_and_silence_input_checks():
    values = np.array([[0.0, 0.5], [1.0, -1.0]])
    np.testing.assert_array_equal(binarise(values, 0.5), [[True, True], [False, True]])
    levels = coarse_grain(values, "random", min_variables=1, omega=2**-0.5)
    with pytest.raises(ValueError, match="silent"):
        silence_probability_table(values, levels)  # not boolean
    with pytest.raises(ValueError, match="silent"):
        silence_probability_table(np.zeros((2, 3), dtype=bool), levels)  # wrong width
    with pytest.raises(ValueError, match="threshold"):
        binarise(values, float("nan"))
    with pytest.raises(ValueError, match="data"):
        mean_variance_table(np.zeros((2, 5)), levels)


def test_cluster_sums_counts_booleans():
    silent = np.array([[True, False, True], [True, True, True]])
    np.testing.assert_array_equal(cluster_sums(silent, [np.array([0, 2]), np.array([1])]), [[2, 0], [2, 1]])
    with pytest.raises(ValueError, match="members"):
        cluster_sums(silent, [np.array([0, 3])])


def test_cluster_spectrum_equals_per_cluster_eigenvalues():
    rng = np.random.default_rng(3)
    data = rng.normal(size=(80, 16)) @ rng.normal(size=(16, 16))
    levels = coarse_grain(data, "projection", omega=2**-0.5, min_variables=4)
    spectrum = cluster_spectrum(data, levels, 2)
    expected = np.mean(
        [np.sort(np.linalg.eigvalsh(np.cov(data[:, m].T, bias=True)))[::-1] for m in levels[2].members], axis=0
    )
    np.testing.assert_allclose(spectrum["eigenvalue"], expected, rtol=1e-10)
    np.testing.assert_array_equal(spectrum["rank"], [1, 2, 3, 4])
    np.testing.assert_allclose(spectrum["rank_fraction"], [0.25, 0.5, 0.75, 1.0])
    assert spectrum["n_clusters"].iloc[0] == 4
    with pytest.raises(ValueError, match="level"):
        cluster_spectrum(data, levels, 9)


@pytest.mark.parametrize("chunk", [1, 8, 12, 1024])  # under one cluster, two, three per chunk, all at once
def test_cluster_spectrum_is_the_same_whatever_its_chunks(monkeypatch, chunk):
    import rgcoarse.stats.observables as observables

    rng = np.random.default_rng(5)
    data = rng.normal(size=(60, 32)) @ rng.normal(size=(32, 32))
    levels = coarse_grain(data, "projection", omega=2**-0.5, min_variables=4)
    whole = cluster_spectrum(data, levels, 2)
    monkeypatch.setattr(observables, "SPECTRUM_CHUNK_FEATURES", chunk)
    pd.testing.assert_frame_equal(cluster_spectrum(data, levels, 2), whole, check_exact=False, rtol=1e-13)


def test_cluster_spectrum_uses_the_modal_cluster_size():
    data = np.random.default_rng(4).normal(size=(30, 7))
    levels = coarse_grain(data, "random", min_variables=1, omega=2**-0.5)  # level 1: three of K=2, one of K=1
    spectrum = cluster_spectrum(data, levels, 1)
    assert spectrum["cluster_size"].iloc[0] == 2
    assert spectrum["n_clusters"].iloc[0] == 3


def test_nearest_neighbour_fraction_on_hand_made_pairs():
    # 4 x 4 periodic lattice, site = 4 * row + col.
    pairs = np.array([[0, 1], [0, 3], [0, 5], [0, 12], [5, 9], [2, 10]])
    # (0,1) right; (0,3) wraps in the row; (0,5) diagonal; (0,12) wraps in the column;
    # (5,9) down; (2,10) two rows apart: four of six.
    assert nearest_neighbour_fraction(pairs, (4, 4)) == pytest.approx(4 / 6)
    with pytest.raises(ValueError, match="pairs"):
        nearest_neighbour_fraction(np.array([[0, 16]]), (4, 4))
    with pytest.raises(ValueError, match="pairs"):
        nearest_neighbour_fraction(np.empty((0, 2), dtype=int), (4, 4))


def test_lattice_pairing_is_all_nearest_neighbours_and_random_matches_expectation():
    data = np.random.default_rng(5).normal(size=(4, 64))
    levels = coarse_grain(data, "lattice", lattice_shape=(8, 8), omega=2**-0.5, min_variables=4)
    assert nearest_neighbour_fraction(levels[1].pairs, (8, 8)) == 1.0
    assert random_nearest_neighbour_fraction((8, 8)) == pytest.approx(4 / 63)
    assert random_nearest_neighbour_fraction((2, 4)) == pytest.approx(3 / 7)  # up = down on 2 rows
    rng = np.random.default_rng(6)
    fractions = [nearest_neighbour_fraction(random_pairs(data, rng), (8, 8)) for _ in range(3000)]
    # Standard error of the mean: sqrt(p (1 - p) / (32 * 3000)) ~ 8e-4.
    assert np.mean(fractions) == pytest.approx(4 / 63, abs=4e-3)


def test_cod_table_stacks_levels():
    data = np.random.default_rng(7).normal(size=(50, 16))
    levels = coarse_grain(data, "projection", omega=2**-0.5, min_variables=4)
    table = cod_table(levels)
    assert list(table.columns) == ["level", "n_variables", "rank", "variable", "cod", "cod_increment", "norm_cod_increment"]
    assert table.groupby("level")["rank"].max().tolist() == [16, 8, 4]
    assert table.groupby("level")["cod"].max().tolist() == pytest.approx([16, 8, 4])
    assert len(cod_table(levels, max_rank=2)) == 6


def test_level0_cod_computed_once_equals_each_rules_own_level0():
    """The data's own COD (rule level0_cod) spliced into a rule's table gives that rule's table bit for bit."""
    from rgcoarse.coarse.levels import levels_from_frame, levels_to_frame
    from rgcoarse.stats.observables import level0_cod_table

    spins = np.where(np.random.default_rng(8).normal(size=(200, 32)) > 0, 1, -1).astype(np.int8)
    data = spins.astype(np.float64)
    level0 = level0_cod_table(spins, 8)
    for method in ("projection", "random"):
        levels = levels_from_frame(levels_to_frame(coarse_grain(data, method, omega=2**-0.5, min_variables=4)), data)
        assert cod_table(levels, 8, level0=level0).equals(cod_table(levels, 8)), method
    with pytest.raises(ValueError, match="level0"):  # a stale file: other variables, or more ranks
        cod_table(levels, 4, level0=level0)
    with pytest.raises(ValueError, match="level0"):
        cod_table(levels[1:], 8, level0=level0)


@pytest.mark.parametrize("method", ["projection", "random", "lattice"])
def test_level_by_level_sums_equal_the_direct_sums_from_the_original_data(method):
    from rgcoarse.stats.observables import (
        all_silent,
        cluster_sums,
        level_all_silent,
        level_sums,
    )

    rng = np.random.default_rng(5)
    spins = rng.choice(np.array([-1, 1], dtype=np.int8), size=(50, 36))  # odd levels: 36 -> 18 -> 9 -> 5 ...
    levels = coarse_grain(spins.astype(float), method, min_variables=1, lattice_shape=(6, 6), seed=3, omega=2**-0.5) \
        if method != "lattice" else coarse_grain(spins.astype(float), method, min_variables=9, lattice_shape=(6, 6), omega=2**-0.5)
    for level, sums in zip(levels, level_sums(spins, levels)):  # integer data: exact
        assert sums.dtype == np.int64
        np.testing.assert_array_equal(sums, cluster_sums(spins.astype(float), level.members))
    noise = rng.standard_normal((50, 36))
    for level, sums in zip(levels, level_sums(noise, levels)):  # floating data: to rounding
        np.testing.assert_allclose(sums, cluster_sums(noise, level.members), rtol=1e-12, atol=1e-12)
    silent = spins < 0
    for level, every in zip(levels, level_all_silent(silent, levels)):
        np.testing.assert_array_equal(every, all_silent(silent, level))
