"""The renormalized mutual information (rgcoarse.rmi): exact Gaussian values, invariances, eq. 6, gradients."""

import numpy as np
import pytest
from rgcoarse.rmi.estimator import (
    feature_entropy,
    finite_difference_jacobian,
    half_log_det,
    half_sample_interval,
    histogram_entropy,
    renormalized_mutual_information,
)
from rgcoarse.rmi.features import (
    DROP_FEATURES,
    WAVE_PACKET_FEATURES,
    drop_feature,
    principal_directions,
    wave_packet_feature,
)
from rgcoarse.rmi.models import (
    drop_samples,
    twist,
    twisted_gaussian_density,
    twisted_gaussian_samples,
    wave_packet_samples,
)
from rgcoarse.stats.knn_information import ksg_mutual_information

TWO_PI_E = 2 * np.pi * np.e


def _gaussian(n, m, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, n))
    covariance = a @ a.T / n + 0.5 * np.eye(n)
    return rng.multivariate_normal(np.zeros(n), covariance, m), covariance, rng


def _linear(x, w):
    return x @ w, np.tile(w, (x.shape[0], 1))


@pytest.mark.parametrize("estimator, tolerance", [("knn", 0.01), ("histogram", 0.02)])
def test_linear_feature_of_gaussian_data_matches_the_closed_form(estimator, tolerance):
    """y = w . x, x ~ N(0, C) in N = 16: I~ = 1/2 ln(2 pi e w^T C w / w^T w), at 10^5 samples."""
    x, covariance, rng = _gaussian(16, 100_000, 1)
    w = rng.standard_normal(16)
    exact = 0.5 * np.log(TWO_PI_E * w @ covariance @ w / (w @ w))
    estimate = renormalized_mutual_information(*_linear(x, w), estimator=estimator, bins=300)
    assert estimate.rmi == pytest.approx(exact, abs=tolerance)
    assert estimate.gradient_term == pytest.approx(np.log(np.linalg.norm(w)))


def test_affine_reparametrisation_leaves_the_estimate_unchanged():
    """Eq. 2 for y -> a y + b: H shifts by ln|a|, the gradient term by the same, exactly."""
    x, _, rng = _gaussian(8, 5000, 2)
    y, jac = wave_packet_feature("intensity", x)
    base = renormalized_mutual_information(y, jac)
    moved = renormalized_mutual_information(-3.7 * y + 11.0, -3.7 * jac)
    assert moved.rmi == pytest.approx(base.rmi, abs=1e-9)
    assert moved.entropy == pytest.approx(base.entropy + np.log(3.7), abs=1e-9)


def test_cubic_reparametrisation_is_invariant_within_the_estimators_error():
    """Eq. 2 for the bijection g(y) = y^3 + y: the entropy and the gradient term move together."""
    x, covariance, rng = _gaussian(6, 100_000, 3)
    w = rng.standard_normal(6)
    y, jac = _linear(x, w)
    y = y / y.std()
    jac = jac / (x @ w).std()
    g, dg = y ** 3 + y, 3 * y ** 2 + 1
    base = renormalized_mutual_information(y, jac).rmi
    curved = renormalized_mutual_information(g, dg[:, None] * jac)
    assert curved.rmi == pytest.approx(base, abs=0.02)
    assert curved.entropy - base > 0.3  # the entropy alone is not invariant


def test_bijective_pair_of_features_gives_the_entropy_of_x():
    """(y1, y2) = (x1, x2 + x1^2) is a volume-preserving bijection of R^2: I~(x, (y1, y2)) = H(x) (eq. 7's case)."""
    x, covariance, _ = _gaussian(2, 50_000, 4)
    y = np.column_stack([x[:, 0], x[:, 1] + x[:, 0] ** 2])
    jac = np.zeros((x.shape[0], 2, 2))
    jac[:, 0, 0] = 1.0
    jac[:, 1, 0] = 2 * x[:, 0]
    jac[:, 1, 1] = 1.0
    exact = 0.5 * np.log(np.linalg.det(TWO_PI_E * covariance))
    estimate = renormalized_mutual_information(y, jac)
    assert estimate.gradient_term == pytest.approx(0.0, abs=1e-9)
    assert estimate.rmi == pytest.approx(exact, abs=0.03)


def test_inequality_of_eq6_on_two_linear_features():
    """I~(x, (y1, y2)) >= I~(x, y1) + I~(x, y2) - I(y1, y2): exactly (Gaussian closed forms) and as estimated."""
    x, covariance, rng = _gaussian(5, 50_000, 5)
    w = rng.standard_normal((2, 5))
    y = x @ w.T
    jac = np.broadcast_to(w, (x.shape[0], 2, 5))
    gram, projected = w @ w.T, w @ covariance @ w.T
    exact_pair = 0.5 * np.log(np.linalg.det(TWO_PI_E * projected) / np.linalg.det(gram))
    exact_single = [0.5 * np.log(TWO_PI_E * projected[i, i] / gram[i, i]) for i in (0, 1)]
    rho = projected[0, 1] / np.sqrt(projected[0, 0] * projected[1, 1])
    exact_mi = -0.5 * np.log(1 - rho ** 2)
    slack = exact_pair - (sum(exact_single) - exact_mi)
    assert slack >= -1e-12
    pair = renormalized_mutual_information(y, jac).rmi
    singles = [renormalized_mutual_information(y[:, i], jac[:, i, :]).rmi for i in (0, 1)]
    estimated_slack = pair - (sum(singles) - ksg_mutual_information(y[:, 0], y[:, 1]))
    assert estimated_slack == pytest.approx(slack, abs=0.04)
    assert estimated_slack > -0.04


def test_metric_form_is_invariant_under_a_change_of_units():
    """Appendix A: x' = D x with the metric D^2 gives the same I~ as x with the identity metric."""
    x, covariance, rng = _gaussian(4, 20_000, 6)
    w = rng.standard_normal(4)
    units = np.array([1.0, 10.0, 0.1, 3.0])
    w_scaled = w / units  # the same feature of x' = D x
    plain = renormalized_mutual_information(*_linear(x, w))
    in_units = renormalized_mutual_information((x * units) @ w_scaled, np.tile(w_scaled, (x.shape[0], 1)),
                                               metric=units ** 2)
    full_matrix = renormalized_mutual_information((x * units) @ w_scaled, np.tile(w_scaled, (x.shape[0], 1)),
                                                  metric=np.diag(units ** 2))
    assert in_units.rmi == pytest.approx(plain.rmi, abs=1e-9)
    assert full_matrix.rmi == pytest.approx(plain.rmi, abs=1e-9)


def test_histogram_entropy_of_a_uniform_and_a_gaussian_sample():
    rng = np.random.default_rng(7)
    assert histogram_entropy(rng.uniform(0, 2, 200_000), bins=200) == pytest.approx(np.log(2.0), abs=0.01)
    z = rng.standard_normal((200_000, 2)) * [1.0, 0.5]
    assert histogram_entropy(z, bins=60) == pytest.approx(np.log(TWO_PI_E * 0.5), abs=0.03)


@pytest.mark.parametrize("problem, message", [
    (lambda: renormalized_mutual_information(np.ones((10, 3)) * np.arange(3), np.zeros((10, 3, 4))), "K = 3"),
    (lambda: renormalized_mutual_information(np.ones(50), np.ones((50, 4))), "-infinity"),
    (lambda: half_log_det(np.vstack([np.zeros(4), np.ones((9, 4))])), "det"),
    (lambda: histogram_entropy(np.arange(20.0), bins=50), "20 samples for 50 bins"),
    (lambda: feature_entropy(np.arange(20.0), estimator="kde"), "entropy estimator"),
    (lambda: half_log_det(np.ones((5, 3)), metric=-np.ones(3)), "positive"),
])
def test_degenerate_features_get_clear_errors(problem, message):
    with pytest.raises(ValueError, match=message):
        problem()


def test_half_sample_intervals_cover_the_exact_value():
    """95% intervals from half-samples cover the closed form in about 95% of replications (>= 0.85 of 60)."""
    covered = 0
    for seed in range(60):
        x, covariance, rng = _gaussian(3, 2000, 100 + seed)
        w = np.array([1.0, -0.5, 0.25])
        exact = 0.5 * np.log(TWO_PI_E * w @ covariance @ w / (w @ w))
        y, jac = _linear(x, w)
        low, high = half_sample_interval(y, half_log_det(jac), n_resamples=30, rng=rng, confidence=0.95)
        covered += low <= exact <= high
    assert covered >= 51


@pytest.mark.parametrize("name", WAVE_PACKET_FEATURES)
def test_wave_packet_jacobians_match_finite_differences(name):
    x = wave_packet_samples(np.random.default_rng(8), 20, 0.3, n_sites=12, width=2.0, centre_low=4, centre_high=8)
    y, jac = wave_packet_feature(name, x)
    if name == "pca":  # the direction is fitted on the samples: differentiate with it held fixed
        u = principal_directions(x, 1)[0]
        numeric = finite_difference_jacobian(lambda v: v @ u, x)[:, 0, :]
    else:
        numeric = finite_difference_jacobian(lambda v: wave_packet_feature(name, v)[0], x)[:, 0, :]
    np.testing.assert_allclose(jac, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", DROP_FEATURES)
def test_drop_jacobians_match_finite_differences(name):
    x = drop_samples(np.random.default_rng(9), 30, 0.2, n_particles=5)
    y, jac = drop_feature(name, x)
    if name == "pca2":
        u = principal_directions(x, 2)
        numeric = finite_difference_jacobian(lambda v: v @ u.T, x)
    else:
        numeric = finite_difference_jacobian(lambda v: drop_feature(name, v)[0], x)
    np.testing.assert_allclose(jac, numeric, rtol=1e-6, atol=1e-8)


def test_drops_have_fixed_area_and_uniform_density():
    """Each drop's second moments: for a uniform ellipse of axes a, b, <u^2> = a^2/4, <v^2> = b^2/4, ab = R^2."""
    x = drop_samples(np.random.default_rng(10), 4000, 0.0, n_particles=50)
    radii2 = x[:, :50] ** 2 + x[:, 50:] ** 2
    assert radii2.max() <= 1.0 + 1e-12
    assert radii2.mean() == pytest.approx(0.5, abs=0.005)  # <r^2> = R^2 / 2 for a uniform disc


def test_wave_packet_has_the_caption_shape():
    x = wave_packet_samples(np.random.default_rng(11), 5000, 1e-9)
    peak = np.argmax(x, axis=1) + 1
    assert 30 <= peak.min() and peak.max() <= 70
    assert x.max() == pytest.approx(1.0, abs=1e-3)


def test_twisted_gaussian_density_is_normalised_and_matches_its_samples():
    """The twist has unit Jacobian: the density integrates to 1 and gives the samples' second moments."""
    side = np.linspace(-4, 4, 321)
    gx, gy = np.meshgrid(side, side, indexing="ij")
    points = np.column_stack([gx.ravel(), gy.ravel()])
    density = twisted_gaussian_density(points, 1.0, (1.0, 0.3))
    cell = (side[1] - side[0]) ** 2
    assert density.sum() * cell == pytest.approx(1.0, abs=1e-3)
    samples = twisted_gaussian_samples(np.random.default_rng(12), 400_000, 1.0, (1.0, 0.3))
    grid_moments = [(density * points[:, i] * points[:, j]).sum() * cell for i, j in ((0, 0), (0, 1), (1, 1))]
    sample_moments = [np.mean(samples[:, i] * samples[:, j]) for i, j in ((0, 0), (0, 1), (1, 1))]
    np.testing.assert_allclose(grid_moments, sample_moments, atol=0.01)
    np.testing.assert_allclose(twist(twist(points, 0.7), -0.7), points, atol=1e-12)
