"""Pairing rules against exact answers: brute-force least squares, hand-made lattices."""

import numpy as np
import pytest

from rgcoarse.coarse.pairing import (
    correlation_pairs,
    haar_block_values,
    lattice_axis,
    lattice_pairs,
    projection_pairs,
    random_pairs,
    unpaired_variable,
)
from rgcoarse.coarse.selection import standardised_columns


def correlated_data(rng, n_samples, n_features):
    """Gaussian data with a random dense covariance (no exact ties between candidates)."""
    return rng.normal(size=(n_samples, n_features)) @ rng.normal(size=(n_features, n_features))


def projection_error(z, features):
    """Total squared residual of every column of z after least squares on ``features``."""
    if not features:
        return float(np.sum(z**2))
    basis = np.stack(features, axis=1)
    coef, *_ = np.linalg.lstsq(basis, z, rcond=None)
    return float(np.sum((z - basis @ coef) ** 2))


def brute_force_projection(values, order):
    """The stepwise rule by exhaustive least squares: (pairs, error after each step)."""
    z = standardised_columns(values)
    free = list(range(z.shape[1]))
    features, pairs, errors = [], [], []
    while len(free) >= 2:
        if order == "index":
            candidates = [(free[0], b) for b in free[1:]]
        else:
            candidates = [(a, b) for i, a in enumerate(free) for b in free[i + 1 :]]
        scores = [projection_error(z, features + [z[:, a] + z[:, b]]) for a, b in candidates]
        best = int(np.argmin(scores))
        a, b = candidates[best]
        pairs.append((a, b))
        errors.append(scores[best])
        features.append(z[:, a] + z[:, b])
        free.remove(a)
        free.remove(b)
    return np.array(pairs, dtype=np.int64).reshape(-1, 2), np.array(errors)


def assert_valid_pairing(pairs, n):
    assert pairs.shape == (n // 2, 2)
    assert np.all(pairs[:, 0] < pairs[:, 1])
    assert np.unique(pairs).size == pairs.size
    assert pairs.min(initial=0) >= 0 and pairs.max(initial=0) < n


@pytest.mark.parametrize("order", ["index", "greedy"])
@pytest.mark.parametrize("block_size", [1, 3, 64])
def test_projection_matches_brute_force_least_squares(order, block_size):
    rng = np.random.default_rng(11)
    for n in (2, 3, 5, 8, 11, 16):
        values = correlated_data(rng, 40, n)
        pairs, gains = projection_pairs(values, order, block_size=block_size, return_gains=True)
        expected_pairs, expected_errors = brute_force_projection(values, order)
        np.testing.assert_array_equal(pairs, expected_pairs)
        # Initial error is tr M = n (all variables vary); each gain is the drop.
        np.testing.assert_allclose(n - np.cumsum(gains), expected_errors, rtol=0, atol=1e-9)


@pytest.mark.parametrize("order", ["index", "greedy"])
def test_projection_with_a_zero_variance_feature_matches_brute_force(order):
    rng = np.random.default_rng(5)
    values = correlated_data(rng, 30, 9)
    values[:, 4] = 1.5  # a frozen spin
    pairs, gains = projection_pairs(values, order, return_gains=True)
    expected_pairs, expected_errors = brute_force_projection(values, order)
    np.testing.assert_array_equal(pairs, expected_pairs)
    # The frozen variable is no target: the starting error is 8, not 9.
    np.testing.assert_allclose(8 - np.cumsum(gains), expected_errors, atol=1e-9)


@pytest.mark.parametrize("order", ["index", "greedy"])
def test_projection_with_two_frozen_features_matches_brute_force(order):
    # A frozen variable paired with b scores exactly as b alone, so (frozen, b) ties with
    # (other frozen, b); both implementations take the lexicographically first.
    rng = np.random.default_rng(2)
    values = correlated_data(rng, 50, 8)
    values[:, 2] = 0.0
    values[:, 6] = -3.0
    pairs, gains = projection_pairs(values, order, return_gains=True)
    expected_pairs, expected_errors = brute_force_projection(values, order)
    np.testing.assert_array_equal(pairs, expected_pairs)
    np.testing.assert_allclose(6 - np.cumsum(gains), expected_errors, atol=1e-9)


def test_projection_frozen_pair_has_gain_zero_and_comes_last():
    # Two positively correlated variables and two frozen ones: pairing the varying two
    # explains 1 + c, more than either alone (1 + c**2); the frozen pair then scores 0.
    rng = np.random.default_rng(6)
    x = rng.normal(size=(400, 1))
    values = np.column_stack([np.zeros(400), x + rng.normal(size=(400, 1)), np.ones(400), x])
    for order in ("index", "greedy"):
        pairs, gains = projection_pairs(values, order, return_gains=True)
        if order == "greedy":
            np.testing.assert_array_equal(pairs, [[1, 3], [0, 2]])
            assert gains[0] == pytest.approx(1 + np.corrcoef(values[:, 1], values[:, 3])[0, 1])
            assert gains[1] == 0.0
        else:  # frozen 0 goes first and scores its partner alone: (0, 1) ties (0, 3)
            c = np.corrcoef(values[:, 1], values[:, 3])[0, 1]
            np.testing.assert_array_equal(pairs, [[0, 1], [2, 3]])
            assert gains[0] == pytest.approx(1 + c**2)
            assert gains[1] == pytest.approx(1 - c**2)


@pytest.mark.parametrize("order", ["index", "greedy"])
def test_projection_with_fewer_samples_than_features_is_finite_and_exhausts_the_rank(order):
    rng = np.random.default_rng(3)
    values = rng.normal(size=(5, 24))  # rank of the standardised data: 4
    pairs, gains = projection_pairs(values, order, return_gains=True)
    assert_valid_pairing(pairs, 24)
    assert np.all(np.isfinite(gains))
    assert np.all(gains >= -1e-9)
    # The explained variance cannot exceed the rank; once it is reached gains are 0.
    assert np.sum(gains) == pytest.approx(24.0, abs=1e-6)
    assert np.count_nonzero(gains > 1e-9) <= 4


def test_projection_all_constant_columns_pair_in_index_order():
    values = np.ones((10, 6))
    for order in ("index", "greedy"):
        pairs, gains = projection_pairs(values, order, return_gains=True)
        np.testing.assert_array_equal(pairs, [[0, 1], [2, 3], [4, 5]])
        np.testing.assert_array_equal(gains, 0.0)


def test_projection_odd_count_leaves_one_variable():
    rng = np.random.default_rng(4)
    values = correlated_data(rng, 30, 7)
    pairs = projection_pairs(values, "index")
    assert pairs.shape == (3, 2)
    left = unpaired_variable(pairs, 7)
    assert left not in pairs


def test_projection_rejects_bad_arguments():
    values = np.zeros((4, 4))
    with pytest.raises(ValueError, match="order"):
        projection_pairs(values, "sideways")
    with pytest.raises(ValueError, match="values"):
        projection_pairs(np.array([[1.0, np.nan], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="values"):
        projection_pairs(np.zeros(5))
    with pytest.raises(ValueError, match="tol"):
        projection_pairs(values, tol=-1)
    with pytest.raises(ValueError, match="block_size"):
        projection_pairs(values, block_size=0)


def brute_force_correlation_pairs(values):
    z = standardised_columns(values)
    corr = z.T @ z
    free = list(range(values.shape[1]))
    pairs = []
    while len(free) >= 2:
        cands = [(a, b) for i, a in enumerate(free) for b in free[i + 1 :]]
        a, b = cands[int(np.argmax([corr[a, b] for a, b in cands]))]
        pairs.append((a, b))
        free.remove(a)
        free.remove(b)
    return np.array(pairs).reshape(-1, 2)


def test_correlation_pairs_follow_the_largest_pearson_correlation():
    rng = np.random.default_rng(8)
    for n in (2, 6, 9, 14):
        values = correlated_data(rng, 60, n)
        np.testing.assert_array_equal(correlation_pairs(values), brute_force_correlation_pairs(values))


def test_correlation_pairs_hand_made_structure():
    rng = np.random.default_rng(0)
    base = rng.normal(size=(500, 2))
    noise = 0.05 * rng.normal(size=(500, 5))
    # 0 ~ 3 strongly, 1 ~ 4 strongly (opposite sign to 2), 2 independent of both.
    values = np.column_stack([base[:, 0], base[:, 1], rng.normal(size=500), base[:, 0], base[:, 1]]) + noise
    pairs = correlation_pairs(values)
    assert {tuple(p) for p in pairs} == {(0, 3), (1, 4)}
    assert unpaired_variable(pairs, 5) == 2


def test_correlation_pairs_zero_variance_correlates_zero():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 1))
    values = np.column_stack([np.full(200, 7.0), x, -x + 0.01 * rng.normal(size=(200, 1)), np.full(200, 7.0)])
    # Only negative or zero correlations: the frozen pair (0, 3) ties with (0, 1), (0, 2),
    # (1, 3), (2, 3) at 0; the lexicographically first, (0, 1), wins.
    pairs = correlation_pairs(values)
    np.testing.assert_array_equal(pairs, [[0, 1], [2, 3]])


def test_random_pairs_are_seeded_and_valid():
    values = np.zeros((3, 11))
    a = random_pairs(values, np.random.default_rng(42))
    b = random_pairs(values, np.random.default_rng(42))
    c = random_pairs(values, np.random.default_rng(43))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert_valid_pairing(a, 11)
    expected_left = np.random.default_rng(42).permutation(11)[-1]
    assert unpaired_variable(a, 11) == expected_left
    with pytest.raises(ValueError, match="rng"):
        random_pairs(values, 42)


def test_lattice_pairs_by_hand():
    values = np.zeros((2, 8))  # a 2 x 4 lattice: sites 0 1 2 3 / 4 5 6 7
    pairs, shape = lattice_pairs(values, (2, 4), axis=1)
    np.testing.assert_array_equal(pairs, [[0, 1], [2, 3], [4, 5], [6, 7]])
    assert shape == (2, 2)
    pairs, shape = lattice_pairs(values, (2, 4), axis=0)
    np.testing.assert_array_equal(pairs, [[0, 4], [1, 5], [2, 6], [3, 7]])
    assert shape == (1, 4)


def test_lattice_axis_alternates_and_falls_back():
    assert lattice_axis((4, 4), 0) == 1
    assert lattice_axis((4, 2), 1) == 0
    assert lattice_axis((4, 1), 2) == 0  # columns odd: rows instead
    assert lattice_axis((3, 3), 0) is None


@pytest.mark.parametrize("omega", [2**-0.5, 0.3, 1.0])
@pytest.mark.parametrize("axis", [0, 1])
def test_haar_block_values_are_scaled_pair_sums(omega, axis):
    rng = np.random.default_rng(9)
    values = rng.normal(size=(7, 24))
    pairs, _ = lattice_pairs(values, (4, 6), axis)
    expected = omega * (values[:, pairs[:, 0]] + values[:, pairs[:, 1]])
    np.testing.assert_allclose(haar_block_values(values, (4, 6), axis, omega), expected, rtol=1e-13, atol=1e-14)


def test_lattice_rejects_bad_shapes():
    values = np.zeros((2, 12))
    with pytest.raises(ValueError, match="lattice_shape"):
        lattice_pairs(values, (3, 5), 1)  # 15 sites for 12 variables
    with pytest.raises(ValueError, match="odd length"):
        lattice_pairs(values, (4, 3), 1)
    with pytest.raises(ValueError, match="lattice_shape"):
        lattice_pairs(values, (4, -3), 1)
    with pytest.raises(ValueError, match="axis"):
        lattice_pairs(values, (4, 3), 2)


def test_unpaired_variable_validates():
    assert unpaired_variable(np.array([[0, 2], [1, 3]]), 4) is None
    assert unpaired_variable(np.array([[0, 2]]), 3) == 1
    with pytest.raises(ValueError, match="pairs"):
        unpaired_variable(np.array([[0, 1], [1, 2]]), 4)
    with pytest.raises(ValueError, match="pairs"):
        unpaired_variable(np.array([[0, 1]]), 4)
    with pytest.raises(ValueError, match="pairs"):
        unpaired_variable(np.array([[0, 9]]), 4)
