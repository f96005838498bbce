"""Bayesian renormalization kernels: the autoencoder's backward pass and the Fisher against finite
differences and the linear closed form (Isserlis), pruning orders and the removable fraction."""

import numpy as np
import pandas as pd
import pytest
from rgcoarse.bayes_rg.autoencoder import (
    Autoencoder,
    TrainingDiverged,
    initial_autoencoder,
    loss_and_gradients,
    per_sample_encoder_gradients,
    train,
)
from rgcoarse.bayes_rg.data import digits
from rgcoarse.bayes_rg.fisher import (
    fisher_diagonal,
    fisher_matrix,
    linear_fisher_closed_form,
)
from rgcoarse.bayes_rg.pruning import (
    pruned,
    pruning_curve,
    removable_fraction,
    removal_order,
)

RNG = np.random.default_rng(11)


@pytest.mark.parametrize("activation", ["relu", "linear"])
def test_gradients_match_central_finite_differences(activation):
    model = initial_autoencoder(6, 3, RNG, activation)
    x = RNG.random((20, 6))
    _, grad_e, grad_d = loss_and_gradients(model, x)
    h = 1e-6
    for which, grad in (("encoder", grad_e), ("decoder", grad_d)):
        weights = getattr(model, which)
        for index in [(0, 0), (1, 2), (2, 1)]:
            up, down = weights.copy(), weights.copy()
            up[index] += h
            down[index] -= h
            make = (lambda w: Autoencoder(w, model.decoder, activation)) if which == "encoder" else \
                (lambda w: Autoencoder(model.encoder, w, activation))
            numeric = (make(up).loss(x) - make(down).loss(x)) / (2 * h)
            assert grad[index] == pytest.approx(numeric, rel=1e-5, abs=1e-9)
    per_sample = per_sample_encoder_gradients(model, x)
    np.testing.assert_allclose(per_sample.mean(axis=0).reshape(grad_e.shape), grad_e, atol=1e-12)


def test_empirical_fisher_of_a_linear_autoencoder_matches_isserlis():
    """Away from the optimum (a random linear encoder/decoder), on correlated Gaussian data."""
    n, k, m = 5, 2, 400_000
    mixing = RNG.normal(size=(n, n)) / np.sqrt(n)
    covariance = mixing @ mixing.T
    x = RNG.normal(size=(m, n)) @ mixing.T
    model = initial_autoencoder(n, k, RNG, "linear")
    exact = linear_fisher_closed_form(model.encoder, model.decoder, covariance)
    empirical = fisher_matrix(model, x)
    assert np.abs(empirical - exact).max() < 0.03 * np.abs(exact).max()
    np.testing.assert_allclose(fisher_diagonal(model, x, chunk=50_000).ravel(), np.diag(empirical), rtol=1e-10)
    # temperature T scales the Fisher by 1 / T^2
    np.testing.assert_allclose(fisher_diagonal(model, x[:1000], temperature=2.0),
                               fisher_diagonal(model, x[:1000]) / 4.0, rtol=1e-12)


def test_too_large_full_fisher_is_refused_naming_the_diagonal():
    model = initial_autoencoder(300, 20, RNG)
    with pytest.raises(MemoryError, match="use the diagonal"):
        fisher_matrix(model, RNG.random((5, 300)))


def test_latent_width_must_compress():
    with pytest.raises(ValueError, match="bayes_rg.latent: a latent width of 64 is not a compression of 64"):
        initial_autoencoder(64, 64, RNG)


def test_training_is_deterministic_lowers_the_loss_and_stops_on_divergence():
    train_x, test_x = digits(0.2, seed=1)
    first, history = train(train_x, latent=20, epochs=5, batch_size=32, seed=3)
    again, _ = train(train_x, latent=20, epochs=5, batch_size=32, seed=3)
    np.testing.assert_array_equal(first.encoder, again.encoder)
    assert history[-1] < history[0]
    with pytest.raises(TrainingDiverged, match="at step"):
        train(train_x * 1e200, latent=20, epochs=1, batch_size=32, seed=3)
    assert train_x.shape == (1438, 64) and test_x.shape == (359, 64) and train_x.max() == 1.0


def test_always_blank_pixels_have_exactly_zero_fisher_and_go_first():
    train_x, _ = digits(0.2, seed=1)
    model, _ = train(train_x, latent=20, epochs=3, batch_size=32, seed=2)
    fisher = fisher_diagonal(model, train_x)
    blank = np.flatnonzero(train_x.max(axis=0) == 0)
    assert blank.size >= 3 and (fisher[:, blank] == 0).all()
    order = removal_order("magnitude", model, fisher, zeros_first=True)
    n_zero = int(np.sum(fisher == 0))
    assert (fisher.ravel()[order[:n_zero]] == 0).all()


def test_pruning_removes_exactly_the_counted_weights_and_the_fraction_rule():
    model = initial_autoencoder(8, 3, RNG)
    order = removal_order("random", model, np.ones((3, 8)), rng=np.random.default_rng(0))
    assert np.count_nonzero(pruned(model, order, 5).encoder == 0) == 5
    curve = pd.DataFrame({"fraction": [0.0, 0.1, 0.2, 0.3], "test_loss": [1.0, 1.005, 1.02, 1.001]})
    assert removable_fraction(curve, 0.01) == 0.1  # the first excursion ends it, a later dip does not count
    assert pruning_curve(model, order, [0.0, 0.5], RNG.random((4, 8)))["removed"].tolist() == [0, 12]


def test_seed_tables_reproduce_fisher_beating_random_and_magnitude_on_digits():
    from rgcoarse.bayes_rg.experiment import (
        crossover_fraction,
        largest_gap,
        seed_tables,
    )

    train_x, test_x = digits(0.2, seed=1)
    settings = {"latent": 20, "epochs": 30, "batch_size": 32, "learning_rate": 1e-3, "temperature": 1.0,
                "max_fraction": 0.9, "fraction_step": 0.05, "random_draws": 2, "tolerance": 0.01,
                "gap_null_draws": 19}
    tables = seed_tables(train_x, test_x, settings=settings, seed=0)
    summary = tables["summary"].set_index(["scheme", "zeros_first"])["removable_fraction"]
    assert summary[("fisher", False)] > summary[("random", False)]
    assert summary[("fisher", False)] >= summary[("magnitude", False)]
    assert set(tables["pruning"]["scheme"]) == {"fisher", "magnitude", "random"}
    assert tables["fisher"]["zero"].sum() >= 60  # the always-blank pixels' 3 x 20 weights at least
    row = tables["summary"].iloc[0]
    blank = int((train_x.max(axis=0) == 0).sum())
    assert row["zero_blank_pixel"] == 20 * blank and row["zero_dead_unit"] % (64 - blank) == 0
    assert row["zero_blank_pixel"] + row["zero_dead_unit"] + row["zero_other"] == row["zero_fisher"]
    crossing = crossover_fraction(tables["pruning"], seed=0)
    assert np.isnan(crossing) or 0 < crossing < 0.9
    # the full Fisher's eigenvalues over the mean diagonal sum to its trace over the mean: the weight count
    eigen = tables["eigen"]["eigenvalue_over_mean"]
    assert len(eigen) == 1280 and eigen.sum() == pytest.approx(1280, rel=1e-8)
    ratio, where = largest_gap(np.array([0.0, 0.01, 0.012, 1.0, 1.1]))
    assert ratio == pytest.approx(1.0 / 0.012) and where == pytest.approx(np.sqrt(0.012))
