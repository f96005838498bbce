"""kNN information estimators against closed forms: Gaussian MI -1/2 ln(1 - rho^2) and entropies."""

import numpy as np
import pytest
from rgcoarse.stats.information import mutual_information_of_codes, quantile_codes
from rgcoarse.stats.knn_information import (
    KnnColumns,
    _kth_joint_distance,
    kl_entropy,
    ksg_mutual_information,
)

GLASS_FRAMES = 1181  # samples per p_hop series of the default glass run


def _gaussian_pair(rng, rho, m):
    z = rng.standard_normal((m, 2))
    return z[:, 0], rho * z[:, 0] + np.sqrt(1 - rho**2) * z[:, 1]


def _mean_error(estimate, rho, repetitions=100, m=GLASS_FRAMES, seed=0):
    rng = np.random.default_rng(seed)
    exact = -0.5 * np.log1p(-rho**2)
    return np.mean([estimate(*_gaussian_pair(rng, rho, m)) - exact for _ in range(repetitions)])


@pytest.mark.parametrize("rho, tolerance", [(0.0, 0.02), (0.5, 0.02), (0.9, 0.02), (0.99, 0.07)])
def test_ksg_bias_is_small_at_the_glass_sample_size(rho, tolerance):
    assert abs(_mean_error(ksg_mutual_information, rho)) <= tolerance


def test_the_binned_estimator_it_replaces_is_biased_at_strong_correlation():
    """Why survivors get kNN: 8 equal-frequency bins lose about 0.13 nats at rho = 0.9."""
    def binned(x, y):
        return mutual_information_of_codes(quantile_codes(x, 8), quantile_codes(y, 8), miller_madow=True)
    assert _mean_error(binned, 0.9, repetitions=20) < -0.1


def test_ksg_is_unchanged_by_scale_and_shift():
    x, y = _gaussian_pair(np.random.default_rng(1), 0.7, 800)
    assert ksg_mutual_information(3 * x + 2, y / 5 - 1) == pytest.approx(ksg_mutual_information(x, y), abs=1e-9)


@pytest.mark.parametrize("scale", [0.5, 1.0, 3.0])
def test_kozachenko_leonenko_entropy_of_gaussian_and_uniform(scale):
    rng = np.random.default_rng(2)
    gauss = np.mean([kl_entropy(scale * rng.standard_normal(GLASS_FRAMES)) for _ in range(50)])
    uniform = np.mean([kl_entropy(scale * rng.uniform(size=GLASS_FRAMES)) for _ in range(50)])
    assert gauss == pytest.approx(0.5 * np.log(2 * np.pi * np.e * scale**2), abs=0.02)
    assert uniform == pytest.approx(np.log(scale), abs=0.02)


def test_batched_columns_equal_one_pair_at_a_time():
    rng = np.random.default_rng(3)
    values = rng.standard_normal((500, 12))
    values[:, 1] += values[:, 0]
    values[:, 5] = values[:, 4] ** 2 + 0.1 * values[:, 5]
    prepared = KnnColumns(values)
    y = values[:, 0] + values[:, 4]
    batched = prepared.information(y, np.arange(1, 12))
    single = [ksg_mutual_information(y, values[:, c]) for c in range(1, 12)]
    np.testing.assert_allclose(batched, single, atol=1e-12)


def test_ties_are_separated_and_constant_samples_named():
    rng = np.random.default_rng(4)
    counts = rng.poisson(2.0, size=(2000, 2))
    counts[:, 1] += counts[:, 0]
    estimate = ksg_mutual_information(counts[:, 0], counts[:, 1])
    assert np.isfinite(estimate) and estimate > 0.2
    assert ksg_mutual_information(counts[:, 0], counts[:, 1]) == estimate  # deterministic jitter
    with pytest.raises(ValueError, match="constant"):
        kl_entropy(np.ones(100))
    with pytest.raises(ValueError, match="non-finite"):
        ksg_mutual_information(np.r_[np.nan, np.arange(20.0)], np.arange(21.0))


def _brute_force_kth_distance(x, y, k):
    d = np.maximum(np.abs(x[:, None] - x[None, :]), np.abs(y[:, None] - y[None, :]))
    np.fill_diagonal(d, np.inf)
    return np.sort(d, axis=1)[:, k - 1]


@pytest.mark.parametrize("shape", ["gaussian", "correlated", "heavy_tailed", "clumped", "duplicates", "one_dimensional"])
def test_grid_search_finds_the_brute_force_kth_distance(shape):
    """The grid search is exact: the same k-th max-norm distances as comparing every pair."""
    rng = np.random.default_rng(5)
    x, y = rng.standard_normal((2, 700))
    if shape == "correlated":
        y = 0.99 * x + 0.1 * y
    elif shape == "heavy_tailed":
        x, y = rng.standard_cauchy((2, 700))
    elif shape == "clumped":  # most points in a tiny square, a few far away
        x[:650] *= 1e-6
        y[:650] *= 1e-6
    elif shape == "duplicates":
        x[100:200], y[100:200] = x[:100], y[:100]
    elif shape == "one_dimensional":
        y = np.zeros_like(x)
    for k in (1, 3, 8):
        np.testing.assert_array_equal(_kth_joint_distance(x, y, k), _brute_force_kth_distance(x, y, k))
