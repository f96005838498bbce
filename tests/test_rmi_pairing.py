"""The rmi pairing rule (rgcoarse.rmi.pairing): closed forms, discrete exactness, planted recovery."""

import numpy as np
import pytest
from rgcoarse.coarse.coarse_grain import coarse_grain
from rgcoarse.coarse.pairing import correlation_pairs
from rgcoarse.datasets.planted import generate, recovered_fraction
from rgcoarse.rmi.pairing import (
    RmiLoss,
    choose_rmi_estimator,
    dependence_screen,
    dequantised,
    gaussian_rmi_loss,
    rmi_pairs,
)

PLANTED = dict(block_size=4, noise=0.5, field_exponent=0.5)


def _pair_set(pairs):
    return {tuple(sorted(map(int, p))) for p in pairs}


def test_gaussian_loss_is_the_plug_in_entropies_of_a_standardised_pair():
    """H(x_a, x_b) - H(x_a + x_b) + 1/2 ln 2 with Gaussian entropies equals 1/2 ln(2 pi e (1 - rho))."""
    for rho in (-0.9, -0.3, 0.0, 0.4, 0.95):
        joint = 0.5 * np.log(np.linalg.det(2 * np.pi * np.e * np.array([[1, rho], [rho, 1]])))
        total = 0.5 * np.log(2 * np.pi * np.e * (2 + 2 * rho))
        assert gaussian_rmi_loss(rho) == pytest.approx(joint - total + 0.5 * np.log(2), abs=1e-12)


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.9])
def test_knn_loss_agrees_with_the_gaussian_closed_form(rho):
    rng = np.random.default_rng(1)
    values = rng.multivariate_normal([0, 0], [[4.0, 2 * rho], [2 * rho, 1.0]], 20_000)  # unequal variances
    loss = RmiLoss(values, "knn")(0, np.array([1]))[0]
    assert loss == pytest.approx(gaussian_rmi_loss(rho), abs=0.03)


def test_discrete_loss_of_spins_is_the_exact_conditional_entropy():
    """For +-1 spins H(X | Y) = P(a != b) h(P(+- | a != b)), plus the Miller-Madow terms (4 - 3 cells) / (2 m)."""
    rng = np.random.default_rng(2)
    a = rng.choice([-1.0, 1.0], 5000)
    b = np.where(rng.random(5000) < 0.7, a, -a) * np.where(rng.random(5000) < 0.1, -1, 1)
    values = np.column_stack([a, b])
    differ = a != b
    q = np.mean(a[differ] > 0)
    h = -(q * np.log(q) + (1 - q) * np.log(1 - q))
    exact = differ.mean() * h + (4 - 3) / (2 * 5000)
    assert RmiLoss(values, "discrete")(0, np.array([1]))[0] == pytest.approx(exact, abs=1e-12)


def test_rule_pairs_as_correlation_on_planted_correlated_pairs():
    """On Gaussian data with planted correlated pairs, rmi (kNN and Gaussian estimates) picks the correlation rule's pairs."""
    values, truth, _ = generate("blocks", 64, 3000, 3, block_size=2, noise=0.5, field_exponent=0.5)
    expected = _pair_set(correlation_pairs(values))
    assert recovered_fraction(correlation_pairs(values), truth, "blocks") == 1.0
    for estimator in ("knn", "gaussian"):
        assert _pair_set(rmi_pairs(values, estimator=estimator)) == expected


def test_gaussian_estimate_takes_the_most_correlated_unpaired_partner_at_every_step():
    rng = np.random.default_rng(4)
    values = rng.standard_normal((400, 12)) @ rng.standard_normal((12, 12))
    pairs = rmi_pairs(values, estimator="gaussian", width=11)
    correlation = np.corrcoef(values, rowvar=False)
    unpaired = set(range(12))
    for a, b in pairs:
        unpaired -= {int(a)}
        assert correlation[a, b] == pytest.approx(max(correlation[a, c] for c in unpaired))
        unpaired -= {int(b)}


def test_rule_recovers_planted_nonlinear_pairs_that_correlation_misses():
    values, truth, _ = generate("nonlinear", 128, 2000, 5, **PLANTED)
    assert recovered_fraction(rmi_pairs(values), truth, "nonlinear") >= 0.8
    assert recovered_fraction(correlation_pairs(values), truth, "nonlinear") < 0.3


def test_screen_sees_a_quadratic_dependence_that_correlation_misses():
    rng = np.random.default_rng(6)
    x = rng.standard_normal(3000)
    values = np.column_stack([x, x ** 2 - 1 + 0.3 * rng.standard_normal(3000), rng.standard_normal(3000)])
    screen = dependence_screen(values)
    assert abs(np.corrcoef(values[:, 0], values[:, 1])[0, 1]) < 0.1
    assert screen[0, 1] > 0.5 > screen[0, 2]


def test_pairs_do_not_depend_on_the_columns_units():
    values, _, _ = generate("nonlinear", 32, 1500, 7, **PLANTED)
    scaled = values * np.random.default_rng(8).uniform(0.01, 100, 32)
    assert _pair_set(rmi_pairs(values)) == _pair_set(rmi_pairs(scaled))


def test_auto_estimator_and_dequantisation():
    rng = np.random.default_rng(9)
    spins = rng.choice([-1.0, 1.0], (4000, 6))
    assert choose_rmi_estimator(spins, "auto", 8) == "discrete"
    wide = spins @ rng.integers(1, 30, (6, 6)).astype(float)  # up to ~100 values: beyond sqrt(m)
    assert choose_rmi_estimator(rng.standard_normal((100, 3)), "auto", 8) == "knn"
    spread = dequantised(wide)
    assert np.unique(spread[:, 0]).size == 4000
    gaps = [np.min(np.diff(np.unique(column))) for column in wide.T]
    assert np.all(np.abs(spread - wide) <= np.array(gaps) / 2)
    continuous = rng.standard_normal((50, 2))
    np.testing.assert_array_equal(dequantised(continuous), continuous)


def test_rule_runs_through_the_level_loop_on_ising_like_spins():
    rng = np.random.default_rng(10)
    spins = np.sign(rng.standard_normal((600, 64)) + 0.8 * np.repeat(rng.standard_normal((600, 32)), 2, axis=1))
    levels = coarse_grain(spins, "rmi", omega=2 ** -0.5, min_variables=4, seed=1)
    first = levels[1].members
    assert len(levels) == 5
    assert sum(sorted(m) in ([2 * i, 2 * i + 1] for i in range(32)) for m in map(list, first)) >= 28


@pytest.mark.parametrize("kwargs, message", [({"estimator": "binned"}, "estimator"), ({"width": 0}, "width")])
def test_bad_options_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        rmi_pairs(np.random.default_rng(0).standard_normal((50, 4)), **kwargs)
