"""Feature optimisation (rgcoarse.rmi.optimise, experiments): exact gradients, Adam, normalisation, tables."""

import numpy as np
import pandas as pd
import pytest
from rgcoarse.rmi.experiments import (
    best_feature_changes,
    feature_comparison_table,
    optimisation_tables,
)
from rgcoarse.rmi.models import twisted_gaussian_density, twisted_gaussian_samples
from rgcoarse.rmi.optimise import (
    GridProblem,
    SampleProblem,
    adam_ascent,
    aligned,
    histogram_entropy_and_gradient,
    initial_parameters,
    knn_entropy_and_gradient,
    normalised_feature,
    square_basis,
)
from rgcoarse.stats.knn_information import kl_entropy

SMALL_OPTIMISATION = dict(alpha=1.0, scales=[1.0, 0.3], runs=3, steps=40, learning_rate=0.02, batch=300, pool=3000,
                          neighbours=10, basis_per_side=3, basis_half_width=2.0, basis_length=1.0, grid_per_side=20,
                          grid_half_width=3.0, histogram_bins=20, evaluation_samples=2000)


def _directional_difference(function, point, direction, step):
    return (function(point + step * direction) - function(point - step * direction)) / (2 * step)


def test_histogram_entropy_gradient_matches_finite_differences_and_the_affine_identities():
    rng = np.random.default_rng(1)
    y, w = rng.standard_normal(300), rng.uniform(0.5, 1.5, 300)
    w /= w.sum()
    value, grad = histogram_entropy_and_gradient(y, w, 15)
    direction = rng.standard_normal(300)
    numeric = _directional_difference(lambda v: histogram_entropy_and_gradient(v, w, 15)[0], y, direction, 1e-7)
    assert grad @ direction == pytest.approx(numeric, rel=1e-5)
    # H(a y + b) = H(y) + ln a: a shift changes nothing, a dilation adds exactly 1 per unit of ln a
    assert grad.sum() == pytest.approx(0.0, abs=1e-9)
    assert grad @ y == pytest.approx(1.0, abs=1e-9)


def test_knn_entropy_gradient_matches_finite_differences_and_the_estimator():
    rng = np.random.default_rng(2)
    y = rng.standard_normal(200)
    value, grad = knn_entropy_and_gradient(y, k=3)
    assert value == pytest.approx(kl_entropy(y, k=3), abs=1e-12)
    direction = rng.standard_normal(200)
    numeric = _directional_difference(lambda v: knn_entropy_and_gradient(v, k=3)[0], y, direction, 1e-8)
    assert grad @ direction == pytest.approx(numeric, rel=1e-5)


@pytest.mark.parametrize("kind", ["grid", "sample"])
def test_rmi_gradient_of_a_basis_feature_matches_finite_differences(kind):
    basis = square_basis(2.0, 3, 1.0)
    if kind == "grid":
        problem = GridProblem.build(lambda p: twisted_gaussian_density(p, 1.0, (1.0, 0.3)), 3.0, 25, basis, 20)
    else:
        problem = SampleProblem.build(twisted_gaussian_samples(np.random.default_rng(3), 150, 1.0, (1.0, 0.3)), basis, 3)
    rng = np.random.default_rng(4)
    theta = initial_parameters(rng, basis.size, 0.1)
    value, grad = problem.rmi_and_gradient(theta)
    direction = rng.standard_normal(theta.size)
    numeric = _directional_difference(lambda t: problem.rmi_and_gradient(t)[0], theta, direction, 1e-8)
    assert grad @ direction == pytest.approx(numeric, rel=1e-4)


def test_basis_gradients_match_finite_differences():
    basis = square_basis(1.0, 2, 0.7)
    x = np.random.default_rng(5).standard_normal((10, 2))
    phi, grad = basis.values_and_gradients(x)
    for axis in (0, 1):
        step = np.zeros(2)
        step[axis] = 1e-6
        numeric = (basis.values_and_gradients(x + step)[0] - basis.values_and_gradients(x - step)[0]) / 2e-6
        np.testing.assert_allclose(grad[:, axis, :], numeric, rtol=1e-6, atol=1e-9)


def test_adam_climbs_a_concave_quadratic_to_its_top():
    peak = np.array([1.0, -2.0, 0.5])
    theta, trace = adam_ascent(lambda t, step: (-np.sum((t - peak) ** 2), -2 * (t - peak)), np.zeros(3),
                               steps=2000, learning_rate=0.05)
    np.testing.assert_allclose(theta, peak, atol=1e-3)
    assert trace[-1] > trace[0]


def test_normalised_feature_is_invariant_under_monotone_maps_and_alignment_flips_decreasing_runs():
    rng = np.random.default_rng(6)
    y, w = rng.standard_normal(500), rng.uniform(0, 1, 500)
    w /= w.sum()
    np.testing.assert_allclose(normalised_feature(np.exp(y), w), normalised_feature(y, w))
    runs = aligned(np.array([normalised_feature(y, w), normalised_feature(-y, w)]), w)
    assert np.corrcoef(runs[0], runs[1])[0, 1] > 0.999


def test_optimisation_tables_are_deterministic_and_the_ascent_helps():
    first = optimisation_tables(SMALL_OPTIMISATION, seed=7)
    second = optimisation_tables(SMALL_OPTIMISATION, seed=7)
    for name in ("trace", "runs", "grid"):
        pd.testing.assert_frame_equal(first[name], second[name])
    runs = first["runs"]
    knn = runs[runs["objective"] == "knn"]
    assert (knn["final_rmi"] > knn["initial_rmi"]).sum() >= 2
    assert set(runs["objective"]) == {"knn", "histogram", "linear"}
    grid = first["grid"]
    assert grid["run0"].between(0, 1).all() and np.isclose(grid["density"].sum(), 1.0)


def test_feature_comparison_levels_draw_their_own_samples():
    model = dict(n_samples=600, n_sites=30, width=3.0, centre_range=[10, 20])
    both = feature_comparison_table("wave_packet", [0.05, 0.5], model, seed=1, n_resamples=4, confidence=0.95,
                                    estimator="knn", bins=10)
    one = feature_comparison_table("wave_packet", [0.5], model, seed=1, n_resamples=4, confidence=0.95,
                                   estimator="knn", bins=10)
    pd.testing.assert_frame_equal(both[both["sigma"] == 0.5].reset_index(drop=True), one)
    assert (both["ci_low"] <= both["rmi"]).all() and (both["rmi"] <= both["ci_high"]).all()


def test_best_feature_changes_reports_the_runner_up_and_separation():
    table = pd.DataFrame({"feature": ["a", "b"] * 2, "sigma": [0.1, 0.1, 1.0, 1.0], "rmi": [2.0, 1.0, 1.0, 1.5],
                          "ci_low": [1.9, 0.9, 0.9, 1.05], "ci_high": [2.1, 1.1, 1.1, 1.95]})
    changes = best_feature_changes(table, "sigma")
    assert changes["best"].tolist() == ["a", "b"]
    assert changes["separated"].tolist() == [True, False]


def test_example_samples_do_not_move_the_comparison_and_cover_the_levels():
    from rgcoarse.rmi.experiments import example_samples

    model = {"n_samples": 300, "n_particles": 4}
    examples = example_samples("drops", [0.0, 0.2, 0.4], model, seed=3)
    assert set(examples["spread"]) == {0.4} and examples["sample"].nunique() == 3
    assert len(examples) == 3 * 2 * 4
    waves = example_samples("wave_packet", [0.01, 0.1, 1.0], {"n_sites": 10, "width": 2.0, "centre_range": [3, 7]}, seed=3)
    assert sorted(waves["sigma"].unique()) == [0.01, 0.1, 1.0]
