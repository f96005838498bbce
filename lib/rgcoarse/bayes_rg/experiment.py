"""The paper's pruning experiment (section 4) as tables: train, take the encoder's Fisher, prune three ways.

For each training seed: train the autoencoder, take the diagonal empirical Fisher of its encoder on
the training samples, then remove growing fractions of the encoder's weights by Fisher cutoff, by
magnitude and at random (``random_draws`` orders), each with and without removing the exactly-zero
Fisher elements first, and measure the held-out loss with no fine-tuning. Tables:

- ``pruning``: seed, scheme, draw, zeros_first, fraction, removed, test_loss, cutoff (the Fisher
  value of the last weight removed in units of the mean diagonal element: Lambda of the paper);
- ``fisher``: seed, weight (flat index), fisher, fisher_over_mean, weight value, zero;
- ``summary``: seed, scheme, zeros_first, removable fraction at the loss tolerance (random: the
  median over draws), the unpruned test loss, the count of exact zeros and the mean Fisher element.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.bayes_rg.autoencoder import train
from rgcoarse.bayes_rg.fisher import fisher_diagonal
from rgcoarse.bayes_rg.pruning import (
    SCHEMES,
    pruning_curve,
    removable_fraction,
    removal_order,
)


def seed_tables(train_x, test_x, *, settings: dict, seed: int) -> dict[str, pd.DataFrame]:
    """The three tables of one training seed (module docstring)."""
    model, history = train(train_x, latent=int(settings["latent"]), epochs=int(settings["epochs"]),
                           batch_size=int(settings["batch_size"]), seed=seed,
                           learning_rate=float(settings["learning_rate"]))
    fisher = fisher_diagonal(model, train_x, temperature=float(settings["temperature"]))
    mean = float(fisher.mean())
    if mean <= 0:
        raise ValueError(f"bayes_rg seed {seed}: every Fisher element is zero (a dead encoder); nothing to prune by")
    fractions = np.round(np.arange(0.0, float(settings["max_fraction"]) + 1e-9, float(settings["fraction_step"])), 10)
    sorted_fisher = np.sort(fisher.ravel())
    curves, summary = [], []
    rng = np.random.default_rng(seed + 1)
    for scheme in SCHEMES:
        draws = int(settings["random_draws"]) if scheme == "random" else 1
        for zeros_first in (False, True):
            removable = []
            for draw in range(draws):
                order = removal_order(scheme, model, fisher, rng=rng, zeros_first=zeros_first)
                curve = pruning_curve(model, order, fractions, test_x)
                curve["cutoff"] = [sorted_fisher[r - 1] / mean if r > 0 else 0.0 for r in curve["removed"]]
                curves.append(curve.assign(seed=seed, scheme=scheme, draw=draw, zeros_first=zeros_first))
                removable.append(removable_fraction(curve, float(settings["tolerance"])))
            summary.append({"seed": seed, "scheme": scheme, "zeros_first": zeros_first,
                            "removable_fraction": float(np.median(removable)), "base_test_loss": model.loss(test_x),
                            "train_loss": float(history[-1]), "zero_fisher": int(np.sum(fisher == 0)),
                            "mean_fisher": mean})
    weights = pd.DataFrame({"seed": seed, "weight": np.arange(fisher.size), "fisher": fisher.ravel(),
                            "fisher_over_mean": fisher.ravel() / mean, "value": model.encoder.ravel(),
                            "zero": fisher.ravel() == 0})
    return {"pruning": pd.concat(curves, ignore_index=True), "fisher": weights, "summary": pd.DataFrame(summary)}


def crossover_fraction(pruning: pd.DataFrame, seed: int, zeros_first: bool = False) -> float:
    """First fraction beyond which magnitude pruning's loss stays below Fisher pruning's (NaN if never)."""
    rows = pruning[(pruning["seed"] == seed) & (pruning["zeros_first"] == zeros_first)]
    fisher = rows[rows["scheme"] == "fisher"].set_index("fraction")["test_loss"]
    magnitude = rows[rows["scheme"] == "magnitude"].set_index("fraction")["test_loss"]
    better = (magnitude < fisher).to_numpy()
    fractions = fisher.index.to_numpy()
    for i in range(len(better)):
        if better[i:].all():
            return float(fractions[i])
    return float("nan")


def largest_gap(fisher_over_mean: np.ndarray) -> tuple[float, float]:
    """(ratio, location): the widest empty stretch between consecutive non-zero Fisher elements on a log
    axis, as the ratio of its ends, and its geometric centre in units of the mean."""
    values = np.sort(fisher_over_mean[fisher_over_mean > 0])
    if values.size < 2:
        return float("nan"), float("nan")
    ratios = values[1:] / values[:-1]
    i = int(np.argmax(ratios))
    return float(ratios[i]), float(np.sqrt(values[i] * values[i + 1]))
