"""Mutual-information estimators against hand-computed entropies and each other."""

import numpy as np
import pytest
from rgcoarse.stats import information as inf


def test_entropy_and_mi_of_small_tables_by_hand():
    # x = (0, 0, 1, 1), y = (0, 1, 0, 1): independent fair bits, H = ln 2 each, I = 0.
    x, y = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    assert inf.entropy_of_counts(np.bincount(x)) == pytest.approx(np.log(2))
    assert inf.mutual_information_of_codes(x, y) == pytest.approx(0.0, abs=1e-15)
    assert inf.mutual_information_of_codes(x, x) == pytest.approx(np.log(2))
    # p(x, y) = [[1/2, 1/4], [0, 1/4]]: H(x) = H(1/4), H(y) = H(1/2), H(x, y) = 1.5 ln 2.
    x, y = np.array([0, 0, 0, 0, 1, 1, 0, 0]), np.array([0, 0, 0, 0, 1, 1, 1, 1])
    h = lambda *p: -sum(q * np.log(q) for q in p)  # noqa: E731
    assert inf.mutual_information_of_codes(x, y) == pytest.approx(h(0.75, 0.25) + h(0.5, 0.5) - h(0.5, 0.25, 0.25))
    # Miller-Madow: each entropy + (occupied cells - 1) / (2 m).
    assert inf.entropy_of_counts([3, 1], miller_madow=True) == pytest.approx(h(0.75, 0.25) + 1 / 8)


@pytest.mark.parametrize("direct_above", [inf.COUNT_DIRECTLY_ABOVE_CELLS, 0.0, np.inf], ids=["auto", "counted", "product"])
def test_pairwise_matrix_equals_pair_by_pair(monkeypatch, direct_above):
    monkeypatch.setattr(inf, "COUNT_DIRECTLY_ABOVE_CELLS", direct_above)  # both routes to the joint counts
    rng = np.random.default_rng(0)
    codes = np.column_stack([rng.integers(0, k, 300) for k in (2, 3, 5, 2, 4)])
    codes[:, 3] = (codes[:, 0] + codes[:, 1]) % 2  # a dependent column
    for mm in (False, True):
        matrix = inf.pairwise_mutual_information(codes, miller_madow=mm)
        for i in range(5):
            for j in range(5):
                expected = (inf.entropy_of_counts(np.bincount(codes[:, i]), mm) if i == j
                            else inf.mutual_information_of_codes(codes[:, i], codes[:, j], mm))
                assert matrix[i, j] == pytest.approx(expected, abs=1e-12)


def test_binned_estimator_is_nearly_unbiased_on_independent_data_and_sees_nonlinear_dependence():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2000, 2))
    codes = inf.discretise(x, "binned", bins=8)
    assert np.all(np.bincount(codes[:, 0]) == 250)  # equal-frequency bins
    plug_in = inf.pairwise_mutual_information(codes)[0, 1]
    corrected = inf.pairwise_mutual_information(codes, miller_madow=True)[0, 1]
    assert plug_in == pytest.approx(49 / 4000, rel=0.5)  # the plug-in bias (B_x - 1)(B_y - 1) / (2m)
    assert abs(corrected) < 0.4 * plug_in
    y = x[:, 0] ** 2 + 0.1 * rng.standard_normal(2000)  # dependent, linearly uncorrelated
    pair = inf.discretise(np.column_stack([x[:, 0], y]), "binned", bins=8)
    assert inf.pairwise_mutual_information(pair, miller_madow=True)[0, 1] > 0.5
    assert inf.gaussian_mutual_information(np.corrcoef(x[:, 0], y)[0, 1]) < 0.01


def test_gaussian_formula_and_bad_input():
    rho = 0.6
    assert inf.gaussian_mutual_information(rho) == pytest.approx(-0.5 * np.log(1 - rho**2))
    assert np.isfinite(inf.gaussian_mutual_information(1.0))
    with pytest.raises(ValueError, match="looks continuous"):
        inf.discretise(np.random.default_rng(2).standard_normal((400, 2)), "discrete")
    with pytest.raises(ValueError, match="bins"):
        inf.discretise(np.zeros((4, 2)), "binned", bins=1)
    with pytest.raises(ValueError, match="estimator"):
        inf.check_estimator("ksg2")


def test_counted_and_product_routes_agree_on_binned_data(monkeypatch):
    values = np.random.default_rng(4).standard_normal((500, 12))
    values[:, 1] += values[:, 0]
    codes = inf.discretise(values, "binned", bins=8)  # 8 cells each: the counted route
    counted = inf.pairwise_mutual_information(codes, miller_madow=True)
    monkeypatch.setattr(inf, "COUNT_DIRECTLY_ABOVE_CELLS", np.inf)
    assert np.allclose(inf.pairwise_mutual_information(codes, miller_madow=True), counted, rtol=0, atol=1e-13)


def test_chunked_pairwise_table_equals_one_chunk(monkeypatch):
    rng = np.random.default_rng(9)
    codes = np.column_stack([rng.integers(0, k, 200) for k in (2, 3, 5, 2, 4, 3, 2)])
    whole = inf.pairwise_mutual_information(codes, miller_madow=True)
    monkeypatch.setattr(inf, "PAIRWISE_CHUNK_CELLS", 4)  # chunks of one or two variables
    assert np.allclose(inf.pairwise_mutual_information(codes, miller_madow=True), whole, atol=1e-14)
