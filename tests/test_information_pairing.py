"""The information pairing rule against an exhaustive evaluation of its documented score."""

import numpy as np
import pytest
from index_order import index_order_pairs
from rgcoarse.coarse.information_pairing import information_pairs
from rgcoarse.stats.information import (
    discretise,
    entropy_of_counts,
    mutual_information_of_codes,
    quantile_codes,
)
from rgcoarse.stats.knn_information import kl_entropy, ksg_mutual_information


def _reference_pairs(values, estimator, beta, compression="pairwise", bins=8):
    """Index order, every unpaired candidate, the environment every other variable: the score
    [I(x_a; x_b) or -H(x_a + x_b)] + beta * mean_c I(x_a + x_b; x_c), evaluated pair by pair."""
    n = values.shape[1]
    mm = estimator in ("binned", "knn")
    if estimator == "gaussian":
        corr = np.corrcoef(values, rowvar=False)
        gmi = lambda r: -0.5 * np.log1p(-min(r * r, 1 - 1e-12))  # noqa: E731
    else:
        codes = discretise(values, "discrete" if estimator == "discrete" else "binned", bins)
        z = (values - values.mean(axis=0)) / values.std(axis=0)

    def mi(a, b):
        if estimator == "gaussian":
            return gmi(corr[a, b])
        if estimator == "knn":
            return ksg_mutual_information(values[:, a], values[:, b])
        return mutual_information_of_codes(codes[:, a], codes[:, b], mm)

    def minus_sum_entropy(a, b):
        if estimator == "gaussian":
            return -0.5 * np.log(2 * np.pi * np.e * (2 + 2 * corr[a, b]))
        if estimator == "knn":
            return -kl_entropy(z[:, a] + z[:, b])
        source = values if estimator == "discrete" else codes
        return -entropy_of_counts(np.unique(source[:, a] + source[:, b], return_counts=True)[1], mm)

    pair_term = mi if compression == "pairwise" else minus_sum_entropy

    def relevance(a, b):
        others = [c for c in range(n) if c not in (a, b)]
        if estimator == "gaussian":
            return np.mean([gmi((corr[a, c] + corr[b, c]) / np.sqrt(2 * (1 + corr[a, b]))) for c in others])
        total = values[:, a].astype(float) + values[:, b]
        y = np.unique(total, return_inverse=True)[1] if estimator == "discrete" else quantile_codes(total, bins)
        return np.mean([mutual_information_of_codes(y, codes[:, c], mm) for c in others])

    return index_order_pairs(n, lambda a, b: pair_term(a, b) + beta * relevance(a, b))[0]


@pytest.mark.parametrize("compression", ["full", "pairwise"])
@pytest.mark.parametrize("estimator, n", [("discrete", 10), ("binned", 9), ("knn", 8), ("gaussian", 12)])
@pytest.mark.parametrize("beta", [0.0, 1.0, 5.0])
def test_every_step_equals_the_exhaustive_evaluation(estimator, n, beta, compression):
    rng = np.random.default_rng(n + int(10 * beta))
    latent = rng.standard_normal((400, 3))
    mixed = latent @ rng.standard_normal((3, n)) + rng.standard_normal((400, n))
    values = np.sign(mixed).astype(np.int8) if estimator == "discrete" else mixed
    found = information_pairs(values, estimator=estimator, beta=beta, width=n - 1, compression=compression)
    assert np.array_equal(found, _reference_pairs(values, estimator, beta, compression))


def test_shortlist_converges_to_the_full_search():
    rng = np.random.default_rng(3)
    n = 12
    values = np.sign(rng.standard_normal((500, 4)) @ rng.standard_normal((4, n)) + rng.standard_normal((500, n)))
    full = information_pairs(values, estimator="discrete", beta=1.0, width=n - 1)
    agreement = [np.mean([tuple(p) in set(map(tuple, full)) for p in information_pairs(
        values, estimator="discrete", beta=1.0, width=w)]) for w in (1, 2, 4, 8, 11)]
    assert agreement[-1] == 1.0
    assert agreement[-2] >= agreement[0]


def test_gaussian_estimator_orders_candidates_as_correlation_does():
    """beta = 0 with the Gaussian estimator: MI is monotone in |rho|, so each step takes the most
    correlated unpaired partner, as index-order correlation pairing would."""
    rng = np.random.default_rng(4)
    values = rng.standard_normal((2000, 3)) @ np.abs(rng.standard_normal((3, 12))) + rng.standard_normal((2000, 12))
    corr = np.corrcoef(values, rowvar=False)
    unpaired, expected = set(range(12)), []
    for a in range(12):
        if a in unpaired:
            unpaired.discard(a)
            b = max(sorted(unpaired), key=lambda c: corr[a, c])
            unpaired.discard(b)
            expected.append((a, b))
    found = information_pairs(values, estimator="gaussian", beta=0.0, width=11, compression="pairwise")
    assert np.array_equal(found, np.array(expected))


def test_nonlinear_planted_pairs_are_found_and_correlation_misses_them():
    """y = x^2 + noise: strongly dependent, linearly uncorrelated. Planted partners, columns shuffled."""
    rng = np.random.default_rng(5)
    n_pairs, m = 32, 2000
    x = rng.standard_normal((m, n_pairs))
    y = x**2 - 1 + 0.3 * rng.standard_normal((m, n_pairs))
    values = np.column_stack([x, y])
    order = rng.permutation(2 * n_pairs)
    shuffled = values[:, order]
    partner = {}
    for i in range(n_pairs):
        a, b = np.flatnonzero(order == i)[0], np.flatnonzero(order == i + n_pairs)[0]
        partner[a], partner[b] = b, a

    def recovered(pairs):
        return np.mean([partner[a] == b for a, b in pairs])

    for estimator in ("binned", "knn"):
        assert recovered(information_pairs(shuffled, estimator=estimator, beta=0.0, compression="pairwise")) >= 0.8
        assert recovered(information_pairs(shuffled, estimator=estimator, beta=1.0, compression="pairwise")) >= 0.8
    assert recovered(information_pairs(shuffled, estimator="gaussian", beta=0.0, compression="pairwise")) < 0.3


def test_bad_options_are_named():
    values = np.random.default_rng(6).standard_normal((50, 6))
    with pytest.raises(ValueError, match="beta"):
        information_pairs(values, beta=-1)
    with pytest.raises(ValueError, match="width"):
        information_pairs(values, width=0)
    with pytest.raises(ValueError, match="estimator"):
        information_pairs(values, estimator="ksg9")
    with pytest.raises(ValueError, match="compression"):
        information_pairs(values, compression="half")
    with pytest.raises(ValueError, match="looks continuous"):
        information_pairs(np.random.default_rng(7).standard_normal((400, 4)), estimator="discrete")


def test_discrete_sum_codes_equal_the_sorted_unique_values_of_the_sum():
    """The relevance term codes x_a + x_b from the pair's joint codes; that equals np.unique of the sum."""
    from rgcoarse.coarse.information_pairing import _Scorer

    values = np.random.default_rng(0).integers(-2, 3, (500, 6)) * 0.7  # sums like 0.7 + 1.4 need the rounding
    values[:, 5] = 1.0  # a constant column
    scorer = _Scorer(values, "discrete", 8, "pairwise")
    for a in range(6):
        for b in range(6):
            by_sort = np.unique(np.round(scorer.values[:, a] + scorer.values[:, b], 9), return_inverse=True)[1]
            assert np.array_equal(scorer._sum_codes(a, b), by_sort), (a, b)
