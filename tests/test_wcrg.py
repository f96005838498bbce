"""Wavelet conditional RG kernels (rgcoarse.wcrg): exact conditioning, the phi^4 sampler, score matching."""

import itertools

import numpy as np
import pytest
from rgcoarse.wcrg.conditioning import (
    conditioning_by_scale,
    conditioning_table,
    dense_conditioning,
    hessian_symbol,
)
from rgcoarse.wcrg.phi4 import (
    binder_cumulant,
    energy,
    gaussian_limit_variance,
    phi4_samples,
)
from rgcoarse.wcrg.score_matching import (
    BONDS,
    POTENTIAL_POWERS,
    detail_basis,
    energy_hessian,
    fit_score_matching,
    haar_coarse,
    hessian_eigenvalues,
    term_gradients,
    term_laplacians,
)
from rgcoarse.wcrg.wavelets import check_lattice_size, wavelet_filters


@pytest.mark.parametrize("size, expected", [(8, 13.66), (16, 52.55), (32, 208.17)])
def test_full_laplacian_condition_number_is_the_closed_form(size, expected):
    full, _ = conditioning_by_scale(size, 2.0, "haar")
    assert full == pytest.approx(2 / np.sin(np.pi / size) ** 2, rel=1e-12)
    assert full == pytest.approx(expected, abs=0.005)


@pytest.mark.parametrize("wavelet, eta", list(itertools.product(["haar", "db2", "db4"], [1.0, 2.0])))
def test_finest_conditional_condition_number_is_two_to_the_eta(wavelet, eta):
    _, conditional = conditioning_by_scale(64, eta, wavelet)
    assert conditional[0] == pytest.approx(2 ** eta, rel=1e-9)


@pytest.mark.parametrize("wavelet", ["haar", "db2"])
def test_conditional_condition_numbers_do_not_depend_on_the_lattice_size(wavelet):
    """kappa_j at fixed j (counted from the finest) is the same at L = 32, 64, 128, 256 (away from the coarsest levels)."""
    by_size = [conditioning_by_scale(size, 2.0, wavelet)[1][:3] for size in (32, 64, 128, 256)]
    np.testing.assert_allclose(by_size, [by_size[0]] * 4, rtol=1e-9)


def test_haar_values_of_the_issue():
    _, eta2 = conditioning_by_scale(64, 2.0, "haar")
    _, eta1 = conditioning_by_scale(64, 1.0, "haar")
    np.testing.assert_allclose(eta2[:5], [4.000, 6.000, 8.000, 9.028, 9.363], atol=5e-4)
    np.testing.assert_allclose(eta1[:5], [2.000, 2.389, 2.777, 3.024, 3.133], atol=5e-4)


@pytest.mark.parametrize("wavelet, size", [("haar", 8), ("db2", 8), ("haar", 16), ("db4", 16)])
def test_fourier_symbol_agrees_with_explicit_matrices(wavelet, size):
    """The per-frequency blocks against K built as a matrix and pywt.dwt2 applied to every unit vector."""
    symbol = conditioning_by_scale(size, 1.5, wavelet)
    dense = dense_conditioning(size, 1.5, wavelet)
    assert symbol[0] == pytest.approx(dense[0], rel=1e-9)
    np.testing.assert_allclose(symbol[1], dense[1], rtol=1e-8)


def test_full_condition_number_grows_as_l_to_the_eta():
    table = conditioning_table([64, 128, 256], [1.0, 2.0], ["haar"])
    for eta, rows in table[table["scale"] == 0].groupby("eta"):
        slope = np.polyfit(np.log(rows["size"]), np.log(rows["kappa"]), 1)[0]
        assert slope == pytest.approx(eta, abs=0.01)


@pytest.mark.parametrize("problem, message", [
    (lambda: wavelet_filters("nosuch"), "does not know"),
    (lambda: wavelet_filters("bior2.2"), "not orthogonal"),
    (lambda: check_lattice_size(24, 4), "not a multiple of 2\\^4"),
    (lambda: check_lattice_size(9), "odd"),
    (lambda: hessian_symbol(8, 0.0), "eta"),
])
def test_bad_wavelet_settings_get_clear_errors(problem, message):
    with pytest.raises(ValueError, match=message):
        problem()


def test_gaussian_limit_of_the_sampler_has_the_exact_variance():
    samples, acceptance = phi4_samples(8, 1.0, 4000, seed=1, potential="gaussian", mass=0.5, burn_in=500, spacing=3)
    exact = gaussian_limit_variance(8, 1.0, 0.5)
    per_sample = (samples ** 2).mean(axis=1)
    error = per_sample.std(ddof=1) / np.sqrt(per_sample.size) * 3  # samples 3 sweeps apart: generous
    assert (samples ** 2).mean() == pytest.approx(exact, abs=max(4 * error, 0.005))
    assert 0.2 < acceptance < 0.8


def test_two_by_two_quartic_moment_matches_quadrature():
    """<x^4> on the 2 x 2 lattice by quadrature against the sampler.

    The 2 x 2 lattice's four bonds (each pair joined twice, right and down, with periodic wrap)
    form the cycle a-b-d-c-a, so Z = tr((F T)^4) on a grid, F = diag(exp(-V)), T = exp(-beta (x - y)^2)
    (each pair's two bonds: beta/2 x 2); <a^4> puts x^4 into one F. The grid sum is checked against
    the energy function of the sampler's reference on random points first.
    """
    beta = 0.5
    grid = np.linspace(-3.0, 3.0, 601)
    f = np.exp(-(grid ** 2 - 1) ** 2)
    t = np.exp(-beta * (grid[:, None] - grid[None, :]) ** 2)
    ft = f[:, None] * t
    cycle = np.linalg.matrix_power(ft, 3)
    exact = float(np.trace((grid ** 4 * f)[:, None] * t @ cycle) / np.trace(ft @ cycle))
    points = np.random.default_rng(2).uniform(-2, 2, (5, 2, 2))
    a, b, c, d = points[:, 0, 0], points[:, 0, 1], points[:, 1, 0], points[:, 1, 1]
    cycle_energy = beta * ((a - b) ** 2 + (b - d) ** 2 + (d - c) ** 2 + (c - a) ** 2) + ((points ** 2 - 1) ** 2).sum(axis=(1, 2))
    np.testing.assert_allclose(energy(points, beta), cycle_energy)
    samples, _ = phi4_samples(2, beta, 40_000, seed=2, burn_in=500, spacing=2, step=1.2)
    assert np.mean(samples ** 4) == pytest.approx(exact, rel=0.03)


def test_sampler_is_deterministic_and_errors_are_named():
    a, _ = phi4_samples(4, 0.9, 5, seed=3, burn_in=10)
    b, _ = phi4_samples(4, 0.9, 5, seed=3, burn_in=10)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="mass"):
        phi4_samples(4, 0.9, 5, seed=3, potential="gaussian")
    with pytest.raises(ValueError, match="potential"):
        phi4_samples(4, 0.9, 5, seed=3, potential="sextic")


def test_binder_cumulant_limits():
    rng = np.random.default_rng(4)
    assert binder_cumulant(rng.standard_normal((20000, 1))) == pytest.approx(0.0, abs=0.03)
    assert binder_cumulant(np.sign(rng.standard_normal((2000, 1))) * np.ones((1, 16))) == pytest.approx(2 / 3)


def _fields(samples, size):
    return samples.reshape(-1, size, size)


@pytest.mark.parametrize("conditional", [False, True])
def test_score_matching_recovers_the_true_energy(conditional):
    """U is inside the ansatz (bonds (0,1), (1,0) at beta; x^2 at -2, x^4 at 1), so the full and the finest
    conditional fits both find it."""
    samples, _ = phi4_samples(16, 0.7, 1500, seed=5, burn_in=1000, spacing=4)
    fit = fit_score_matching(_fields(samples, 16), conditional)
    truth = np.zeros(len(BONDS) + len(POTENTIAL_POWERS))
    truth[:2] = 0.7
    truth[len(BONDS):] = [-2.0, 1.0]
    np.testing.assert_allclose(fit.theta, truth, atol=0.06)


def test_score_matching_terms_match_finite_differences():
    rng = np.random.default_rng(6)
    field = rng.standard_normal((1, 8, 8))
    theta = rng.standard_normal(len(BONDS) + len(POTENTIAL_POWERS))

    def energy_of(f):
        total = sum(w * 0.5 * np.sum((f - np.roll(f, (-a, -b), axis=(1, 2))) ** 2) for w, (a, b) in zip(theta, BONDS))
        return total + sum(w * np.sum(f ** p) for w, p in zip(theta[len(BONDS):], POTENTIAL_POWERS))

    gradient = sum(w * g for w, g in zip(theta, term_gradients(field)))[0].ravel()
    hessian = energy_hessian(field[0], theta)
    numeric = np.zeros(64)
    for i in range(64):
        step = np.zeros(64)
        step[i] = 1e-6
        numeric[i] = (energy_of(field + step.reshape(1, 8, 8)) - energy_of(field - step.reshape(1, 8, 8))) / 2e-6
    np.testing.assert_allclose(gradient, numeric, rtol=1e-6, atol=1e-6)
    def gradient_of(f):
        return sum(w * g for w, g in zip(theta, term_gradients(f)))[0].ravel()

    for i in (0, 9, 63):
        step = np.zeros(64)
        step[i] = 1e-6
        column = (gradient_of(field + step.reshape(1, 8, 8)) - gradient_of(field - step.reshape(1, 8, 8))) / 2e-6
        np.testing.assert_allclose(hessian[:, i], column, rtol=1e-5, atol=1e-6)
    # the Laplacians: tr(P H) with P the detail projector, against the explicit matrices
    basis = detail_basis(8)
    for k, name in enumerate(BONDS + tuple(POTENTIAL_POWERS)):
        unit = np.zeros_like(theta)
        unit[k] = 1.0
        h = energy_hessian(field[0], unit)
        assert term_laplacians(field, True)[0, k] == pytest.approx(np.trace(basis @ h @ basis.T))
        assert term_laplacians(field, False)[0, k] == pytest.approx(np.trace(h))


def test_detail_basis_and_haar_coarse_are_an_orthogonal_split():
    basis = detail_basis(4)
    np.testing.assert_allclose(basis @ basis.T, np.eye(12), atol=1e-12)
    field = np.random.default_rng(7).standard_normal((1, 4, 4))
    coarse = haar_coarse(field)[0].ravel()
    details = basis @ field[0].ravel()
    assert np.sum(coarse ** 2) + np.sum(details ** 2) == pytest.approx(np.sum(field ** 2))


def test_ill_posed_score_matching_is_an_error():
    constant = np.ones((5, 4, 4))
    with pytest.raises(ValueError, match="ill-posed"):
        fit_score_matching(constant, conditional=True)


def test_conditional_hessian_has_fewer_negative_eigenvalues_than_the_full_one():
    samples, _ = phi4_samples(8, 0.93, 200, seed=8, burn_in=1000, spacing=5)
    truth = np.array([0.93, 0.93, 0, 0, 0, 0, -2.0, 1.0])
    fields = _fields(samples, 8)[:20]
    full = np.mean(hessian_eigenvalues(fields, truth, conditional=False) < 0)
    conditional = np.mean(hessian_eigenvalues(fields, truth, conditional=True) < 0)
    assert conditional < full
