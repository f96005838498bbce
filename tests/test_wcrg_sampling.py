"""Sampling the fitted WCRG energies: the kernels against NumPy and finite differences, MALA against the
exact Gaussian limit, the coarse part held exactly by the detail moves, and the sampling tables and claims."""

import numpy as np
import pandas as pd
import pytest
from rgcoarse.paper.verdicts import AGREES, DISAGREES, NOT_TESTABLE
from rgcoarse.wcrg.claims import sampling_claims
from rgcoarse.wcrg.generation import (
    radial_power_spectrum,
    sampling_tables,
    sign_aligned,
)
from rgcoarse.wcrg.phi4 import gaussian_limit_variance, phi4_samples
from rgcoarse.wcrg.sampling import (
    MalaChains,
    direct_chains,
    energy_and_gradient,
    haar_coarsen,
    haar_reconstruct,
    initial_step,
    multiscale_chains,
)
from rgcoarse.wcrg.score_matching import (
    BONDS,
    POTENTIAL_POWERS,
    block_average,
    term_gradients,
)

RNG = np.random.default_rng(7)
THETA = np.array([0.9, 0.8, 0.05, -0.03, 0.02, 0.01, -1.5, 0.7])


def _numpy_energy(fields, theta):
    total = np.zeros(len(fields))
    for w, (a, b) in zip(theta, BONDS):
        total += w * 0.5 * ((fields - np.roll(fields, (-a, -b), axis=(1, 2))) ** 2).sum(axis=(1, 2))
    for w, p in zip(theta[len(BONDS):], POTENTIAL_POWERS):
        total += w * (fields ** p).sum(axis=(1, 2))
    return total


def test_energy_and_gradient_equal_the_numpy_ansatz_and_finite_differences():
    fields = RNG.normal(size=(3, 8, 8))
    energies, gradients = energy_and_gradient(fields, THETA)
    np.testing.assert_allclose(energies, _numpy_energy(fields, THETA), rtol=1e-12)
    np.testing.assert_allclose(gradients, sum(w * g for w, g in zip(THETA, term_gradients(fields))), rtol=1e-12, atol=1e-12)
    h = 1e-6
    for r, c in [(0, 0), (3, 5), (7, 7)]:
        up, down = fields.copy(), fields.copy()
        up[:, r, c] += h
        down[:, r, c] -= h
        central = (_numpy_energy(up, THETA) - _numpy_energy(down, THETA)) / (2 * h)
        np.testing.assert_allclose(gradients[:, r, c], central, rtol=1e-6, atol=1e-7)
    _, conditional = energy_and_gradient(fields, THETA, conditional=True)
    np.testing.assert_allclose(conditional, gradients - block_average(gradients), atol=1e-12)


def test_mala_samples_the_exact_gaussian_limit():
    """bond couplings beta on the two axes and x^2 coefficient mass: x ~ N(0, (beta Lap + 2 mass)^-1)."""
    size, beta, mass = 8, 1.0, 0.3
    theta = np.zeros(len(BONDS) + len(POTENTIAL_POWERS))
    theta[:2], theta[len(BONDS)] = beta, mass
    run = direct_chains(theta, RNG.normal(size=(16, size, size)), outputs=400, budget=4000, burn_in=200, seed=3)
    exact = gaussian_limit_variance(size, beta, mass)
    assert run.fields.var() == pytest.approx(exact, rel=0.04)
    assert 0.4 < run.acceptance < 0.75  # adapted towards 0.574


def test_detail_moves_keep_the_coarse_field_exactly():
    fields = np.ascontiguousarray(RNG.normal(size=(4, 8, 8)))
    before = haar_coarsen(fields, 1)
    chains = MalaChains(THETA, conditional=True, step=initial_step(THETA), seed=1)
    acceptance, _ = chains.advance(fields, 50)
    assert acceptance > 0
    np.testing.assert_allclose(haar_coarsen(fields, 1), before, atol=1e-12)
    assert not np.allclose(fields - haar_reconstruct(before), 0)  # the details did move


def test_haar_reconstruction_inverts_coarsening_of_a_smooth_field():
    coarse = RNG.normal(size=(2, 4, 4))
    np.testing.assert_allclose(haar_coarsen(haar_reconstruct(coarse), 1), coarse)


def test_multiscale_magnetisation_is_the_coarse_chains_and_budgets_are_checked():
    fields, _ = phi4_samples(16, 0.8, 40, seed=2, burn_in=300, spacing=4)
    fields = fields.reshape(-1, 16, 16)
    from rgcoarse.wcrg.generation import sampler_fits

    _, thetas = sampler_fits(fields, 2)
    run = multiscale_chains(thetas, fields[:4], scales=2, outputs=5, budget=200, burn_in=20, detail_steps=5, seed=1)
    steps_per_output = run.magnetisation.shape[1] // 5
    np.testing.assert_allclose(run.magnetisation[:, steps_per_output - 1 :: steps_per_output],
                               run.fields.mean(axis=(2, 3)), atol=1e-12)
    assert run.output_cost == 40.0 and run.step_cost == 1 / 16
    with pytest.raises(ValueError, match="budget: 20 gradient evaluations per site cannot pay for 5 outputs"):
        multiscale_chains(thetas, fields[:4], scales=2, outputs=5, budget=20, burn_in=0, detail_steps=5, seed=1)


def test_power_spectrum_of_white_noise_is_flat_at_its_variance():
    spectrum = radial_power_spectrum(RNG.normal(scale=2.0, size=(200, 16, 16)))
    np.testing.assert_allclose(spectrum["power"], 4.0, rtol=0.08)


def test_sign_alignment_makes_every_magnetisation_non_negative():
    aligned = sign_aligned(RNG.normal(size=(50, 4, 4)))
    assert (aligned.mean(axis=(1, 2)) >= 0).all()


def test_sampling_tables_and_claims_on_phi4():
    fields, _ = phi4_samples(16, 0.7, 60, seed=4, burn_in=500, spacing=5)
    settings = {"scales": 2, "chains": 4, "outputs": 10, "budget": 400, "detail_steps": 10, "burn_in": 50}
    tables = sampling_tables(fields.reshape(-1, 16, 16), beta=0.7, settings=settings, omega=2 ** -0.5, seed=5)
    summary = tables["sampling"]
    assert list(summary["sampler"]) == ["data", "direct", "multiscale"]
    assert summary[["energy_per_site", "mean_abs_m", "site_variance"]].notna().all().all()
    assert set(tables["m2"]["source"]) == {"data", "direct", "multiscale"}
    assert tables["m2"]["cluster_size"].max() == 64  # coarse-grained by the lattice rule down to 4 variables
    with pytest.raises(ValueError, match="wcrg.sampling.chains: 80 chains"):
        sampling_tables(fields.reshape(-1, 16, 16), beta=0.7, settings={**settings, "chains": 80}, omega=0.7, seed=5)
    speedup, fidelity = sampling_claims(summary)
    assert speedup.claim_id == "wcrg_multiscale_speedup" and fidelity.claim_id == "wcrg_multiscale_fidelity"


def _summary(direct_tau, multi_tau, length, multi_m=0.5, direct_length=100):
    common = {"beta": 0.9, "chains": 8, "energy_per_site": 0.8}
    return pd.DataFrame([
        {**common, "sampler": "data", "mean_abs_m": 0.5},
        {**common, "sampler": "direct", "mean_abs_m": 0.5, "tau_m_cost": direct_tau, "length_over_tau": direct_length,
         "sign_changing_chains": 0},
        {**common, "sampler": "multiscale", "mean_abs_m": multi_m, "tau_m_cost": multi_tau, "length_over_tau": length,
         "sign_changing_chains": 8},
    ])


@pytest.mark.parametrize("direct_tau, multi_tau, length, multi_m, verdicts", [
    (200.0, 20.0, 50.0, 0.52, (AGREES, AGREES)),
    (20.0, 200.0, 50.0, 0.3, (DISAGREES, DISAGREES)),
    (200.0, 20.0, 5.0, 0.5, (NOT_TESTABLE, AGREES)),
])
def test_sampling_claim_verdicts(direct_tau, multi_tau, length, multi_m, verdicts):
    speedup, fidelity = sampling_claims(_summary(direct_tau, multi_tau, length, multi_m))
    assert (speedup.verdict, fidelity.verdict) == verdicts
    assert "inside one well" in speedup.note


def test_a_short_direct_series_makes_the_speedup_a_lower_bound():
    speedup, _ = sampling_claims(_summary(200.0, 20.0, 50.0, direct_length=10.0))
    assert speedup.verdict == AGREES and "lower bounds" in speedup.note
