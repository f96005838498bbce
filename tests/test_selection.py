"""Stepwise linear selection (COD) and the residual machinery against least squares."""

import numpy as np
import pandas as pd
import pytest
from rgcoarse.coarse.selection import (
    _BlockedResidual,
    correlation_matrix,
    standardised_columns,
    stepwise_cod,
)


def brute_force_cod(values, max_rank):
    """Forward selection by exhaustive least squares: (chosen, cumulative COD)."""
    z = standardised_columns(values)
    total = float(np.sum(z**2))
    chosen, cod = [], []
    for _ in range(max_rank):
        best = None
        for j in range(z.shape[1]):
            if j in chosen:
                continue
            basis = z[:, chosen + [j]]
            coef, *_ = np.linalg.lstsq(basis, z, rcond=None)
            error = float(np.sum((z - basis @ coef) ** 2))
            if best is None or error < best[0]:
                best = (error, j)
        chosen.append(best[1])
        cod.append(total - best[0])
    return np.array(chosen), np.array(cod)


@pytest.mark.parametrize("block_size", [1, 4, 64, None])
def test_stepwise_cod_matches_brute_force_least_squares(block_size):
    rng = np.random.default_rng(21)
    for n in (1, 4, 9, 13):
        values = rng.normal(size=(35, n)) @ rng.normal(size=(n, n))
        table = stepwise_cod(values, block_size=block_size)
        assert list(table.columns) == ["rank", "variable", "cod", "cod_increment", "norm_cod_increment"]
        chosen, cod = brute_force_cod(values, n)
        np.testing.assert_array_equal(table["variable"], chosen)
        np.testing.assert_allclose(table["cod"], cod, atol=1e-9)
        np.testing.assert_allclose(table["cod_increment"], np.diff(cod, prepend=0.0), atol=1e-9)
        np.testing.assert_allclose(table["norm_cod_increment"], table["cod_increment"] / n)
        assert table["cod"].iloc[-1] == pytest.approx(n)  # every target explained at full rank


def test_stepwise_cod_first_pick_is_the_largest_normalised_increment():
    rng = np.random.default_rng(1)
    latent = rng.normal(size=(300, 1))
    values = latent + 0.5 * rng.normal(size=(300, 10))
    table = stepwise_cod(values)
    assert table["norm_cod_increment"].idxmax() == 0
    # One strong common mode: the first variable explains r_1j**2 of every target j.
    corr = np.corrcoef(values.T)
    first = table["variable"].iloc[0]
    assert table["cod_increment"].iloc[0] == pytest.approx(np.sum(corr[first] ** 2))
    assert first == np.argmax(np.sum(corr**2, axis=0))


def test_stepwise_cod_zero_variance_target_contributes_nothing():
    rng = np.random.default_rng(2)
    values = rng.normal(size=(40, 6))
    values[:, 3] = -2.0
    table = stepwise_cod(values)
    assert np.all(np.isfinite(table.to_numpy(dtype=float)))
    assert table["cod"].iloc[-1] == pytest.approx(5.0)
    # Selected last, with increment exactly 0.
    assert table["variable"].iloc[-1] == 3
    assert table["cod_increment"].iloc[-1] == 0.0
    chosen, cod = brute_force_cod(values, 5)
    np.testing.assert_array_equal(table["variable"].iloc[:5], chosen)
    np.testing.assert_allclose(table["cod"].iloc[:5], cod, atol=1e-9)


def test_stepwise_cod_fewer_samples_than_features():
    rng = np.random.default_rng(3)
    values = rng.normal(size=(6, 20))  # standardised rank 5
    table = stepwise_cod(values)
    assert np.all(np.isfinite(table.to_numpy(dtype=float)))
    np.testing.assert_allclose(table["cod"].iloc[4:], 20.0, atol=1e-8)
    np.testing.assert_array_equal(table["cod_increment"].iloc[5:], 0.0)
    # Rank 5 completes the span whichever variable is picked (an exact tie), so compare 4.
    chosen, cod = brute_force_cod(values, 4)
    np.testing.assert_array_equal(table["variable"].iloc[:4], chosen)
    np.testing.assert_allclose(table["cod"].iloc[:4], cod, atol=1e-8)


def test_stepwise_cod_max_rank_truncates():
    rng = np.random.default_rng(4)
    values = rng.normal(size=(50, 12))
    full = stepwise_cod(values)
    short = stepwise_cod(values, max_rank=3)
    assert len(short) == 3
    np.testing.assert_allclose(short.to_numpy(dtype=float), full.iloc[:3].to_numpy(dtype=float))
    assert len(stepwise_cod(values, max_rank=100)) == 12
    with pytest.raises(ValueError, match="max_rank"):
        stepwise_cod(values, max_rank=0)
    with pytest.raises(ValueError, match="max_rank"):
        stepwise_cod(values, max_rank=2.5)


def test_stepwise_cod_first_pick_alone_is_the_largest_sum_of_squared_correlations():
    # Rank 1 only (no Gram product formed): the gain of variable i is sum_j r_ij**2, by hand
    # from NumPy's Pearson matrix; a constant column has gain 0 and is never picked.
    rng = np.random.default_rng(8)
    values = rng.normal(size=(60, 9)) @ rng.normal(size=(9, 9))
    values[:, 4] = 3.0
    with np.errstate(invalid="ignore"):  # the constant column's NaN row and column, zeroed next
        pearson = np.nan_to_num(np.corrcoef(values, rowvar=False))
    gains = np.sum(pearson**2, axis=1)
    first = stepwise_cod(values, max_rank=1)
    assert len(first) == 1 and first["variable"].iloc[0] == np.argmax(gains)
    assert first["cod_increment"].iloc[0] == pytest.approx(gains.max(), rel=1e-12)
    assert first["norm_cod_increment"].iloc[0] == pytest.approx(gains.max() / 9, rel=1e-12)
    assert first["cod_increment"].iloc[0] == pytest.approx(stepwise_cod(values, max_rank=5)["cod_increment"].iloc[0],
                                                           rel=1e-12)


def test_correlation_matrix_equals_pearson_and_zeroes_constant_columns():
    rng = np.random.default_rng(5)
    values = rng.normal(size=(30, 5)) * [1.0, 1e-150, 1e150, 3.0, 1.0]
    values[:, 4] = 0.1  # constant, with a mean that is not exact in floating point
    corr = correlation_matrix(values)
    varying = [0, 1, 2, 3]
    expected = np.corrcoef((values[:, varying] / [1.0, 1e-150, 1e150, 3.0]).T)
    np.testing.assert_allclose(corr[np.ix_(varying, varying)], expected, atol=1e-12)
    np.testing.assert_array_equal(corr[4], 0.0)
    np.testing.assert_array_equal(corr[:, 4], 0.0)


def test_blocked_residual_rows_equal_explicit_projection():
    """After adding pair features, rows of R and G equal the residual covariance and its square."""
    rng = np.random.default_rng(6)
    values = rng.normal(size=(25, 9)) @ rng.normal(size=(9, 9))
    z = standardised_columns(values)
    tracker = _BlockedResidual(z.T @ z, block_size=2)
    features = []
    for a, b in [(0, 5), (2, 7), (1, 3)]:
        sa, sb = tracker.slot_of(a), tracker.slot_of(b)
        ra, rb = tracker.row_R(sa), tracker.row_R(sb)
        ga, gb = tracker.row_G(sa), tracker.row_G(sb)
        v, u = ra + rb, ga + gb
        tracker.retire(sa)
        tracker.retire(sb)
        tracker.add(v, u, v[sa] + v[sb], u[sa] + u[sb])
        features.append(z[:, a] + z[:, b])
    basis = np.stack(features, axis=1)
    residual = z - basis @ np.linalg.lstsq(basis, z, rcond=None)[0]
    r_full = residual.T @ residual
    g_full = r_full @ r_full
    stored = tracker.variables
    for variable in (4, 6, 8):
        slot = tracker.slot_of(variable)
        np.testing.assert_allclose(tracker.row_R(slot), r_full[variable, stored], atol=1e-10)
        np.testing.assert_allclose(tracker.row_G(slot), g_full[variable, stored], atol=1e-10)
    np.testing.assert_allclose(tracker.r_diag[tracker.eligible], np.diag(r_full)[[4, 6, 8]], atol=1e-10)
    np.testing.assert_allclose(tracker.g_diag[tracker.eligible], np.diag(g_full)[[4, 6, 8]], atol=1e-10)


def test_stepwise_cod_rejects_bad_values():
    with pytest.raises(ValueError, match="values"):
        stepwise_cod(np.array([[1.0, np.inf]]))
    with pytest.raises(ValueError, match="values"):
        stepwise_cod(np.zeros((0, 3)))
    with pytest.raises(ValueError, match="values"):
        stepwise_cod([["a", "b"]])


def test_correlation_matrix_is_exactly_symmetric_and_matches_numpy():
    from rgcoarse.coarse.selection import correlation_matrix

    rng = np.random.default_rng(5)
    for values in (rng.normal(size=(50, 130)), rng.choice([-1, 1], size=(40, 67)).astype(np.int8)):
        m = correlation_matrix(values)
        np.testing.assert_array_equal(m, m.T)
        np.testing.assert_allclose(m, np.corrcoef(values, rowvar=False), atol=1e-12)


def test_shared_level_products_give_bit_identical_cod_and_pairs():
    """A null draw makes level 0's correlation and Gram matrices once (LevelProducts) for the
    projection pairing and the stepwise COD: both must equal what each computes alone, bit for bit."""
    from rgcoarse.coarse.pairing import projection_pairs
    from rgcoarse.coarse.selection import LevelProducts

    rng = np.random.default_rng(7)
    values = rng.standard_normal((300, 96)) + rng.standard_normal((300, 1))  # a common mode
    products = LevelProducts(values)
    alone_pairs, alone_gains = projection_pairs(values, return_gains=True, block_size=16)
    shared_pairs, shared_gains = projection_pairs(values, return_gains=True, block_size=16, products=products)
    np.testing.assert_array_equal(shared_pairs, alone_pairs)
    np.testing.assert_array_equal(shared_gains, alone_gains)
    pd.testing.assert_frame_equal(stepwise_cod(values, 40, products=products), stepwise_cod(values, 40))
    assert not products.correlation().flags.writeable and not products.gram().flags.writeable
    with pytest.raises(ValueError, match=r"products: made for values of shape \(300, 96\)"):
        stepwise_cod(values[:, :50], 5, products=products)
