"""The paper's pruning experiment (section 4) as tables: train, take the encoder's Fisher, prune three ways.

For each training seed: train the autoencoder, take the diagonal empirical Fisher of its encoder on
the training samples, then remove growing fractions of the encoder's weights by Fisher cutoff, by
magnitude and at random (``random_draws`` orders), each with and without removing the exactly-zero
Fisher elements first, and measure the held-out loss with no fine-tuning. Tables:

- ``pruning``: seed, scheme, draw, zeros_first, fraction, removed, test_loss, cutoff (the Fisher
  value of the last weight removed in units of the mean diagonal element: Lambda of the paper);
- ``fisher``: seed, weight (flat index), fisher, fisher_over_mean, weight value, zero;
- ``eigen``: seed, rank, eigenvalue of the full Fisher over the mean diagonal element (its "shells";
  empty when the encoder has more than ``MAX_FULL_PARAMETERS`` weights: the diagonal is used alone);
- ``summary``: seed, scheme, zeros_first, removable fraction at the loss tolerance (random: the
  median over draws), the unpruned test loss, the count of exact zeros and their causes
  (:func:`zero_causes`), the mean Fisher element and
  the spectrum's widest gap with its test against a smooth spectrum (:func:`gap_test`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.bayes_rg.autoencoder import train
from rgcoarse.bayes_rg.fisher import MAX_FULL_PARAMETERS, fisher_diagonal, fisher_matrix
from rgcoarse.bayes_rg.pruning import (
    SCHEMES,
    pruning_curve,
    removable_fraction,
    removal_order,
)

OVERSMOOTHED = 1.144  # Terrell's maximal-smoothing constant for a Gaussian kernel
GAP_WINDOW = (0.01, 1.0)  # times the mean Fisher element: the decades around the paper's Lambda ~ 0.14 x mean


def seed_tables(train_x, test_x, *, settings: dict, seed: int) -> dict[str, pd.DataFrame]:
    """The four tables of one training seed (module docstring)."""
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
    gap = gap_test(fisher.ravel() / mean, int(settings["gap_null_draws"]), np.random.default_rng(seed + 2))
    causes = zero_causes(model, train_x, fisher)
    summary = [{**row, **causes, **gap} for row in summary]
    weights = pd.DataFrame({"seed": seed, "weight": np.arange(fisher.size), "fisher": fisher.ravel(),
                            "fisher_over_mean": fisher.ravel() / mean, "value": model.encoder.ravel(),
                            "zero": fisher.ravel() == 0})
    return {"pruning": pd.concat(curves, ignore_index=True), "fisher": weights,
            "eigen": fisher_eigenvalues(model, train_x, float(settings["temperature"]), mean, seed),
            "summary": pd.DataFrame(summary)}


def zero_causes(model, train_x, fisher: np.ndarray) -> dict:
    """Where the exactly-zero Fisher elements come from: a pixel blank in every training sample, a unit
    that never fires on them (a dead ReLU; its weights not already counted as blank), or neither."""
    zero = fisher == 0
    blank = np.broadcast_to(train_x.max(axis=0) == 0, zero.shape)
    dead = np.broadcast_to((model.forward(train_x)[0] <= 0).all(axis=0)[:, None], zero.shape)
    return {"zero_blank_pixel": int(np.sum(zero & blank)), "zero_dead_unit": int(np.sum(zero & dead & ~blank)),
            "zero_other": int(np.sum(zero & ~blank & ~dead))}


def experiment_tables(splits, *, settings: dict, seeds) -> dict[str, pd.DataFrame]:
    """The tables of every training seed stacked; ``splits(seed)`` gives that seed's (train, test) rows."""
    per_seed = [seed_tables(*splits(seed), settings=settings, seed=seed) for seed in seeds]
    return {name: pd.concat([tables[name] for tables in per_seed], ignore_index=True) for name in per_seed[0]}


def fisher_eigenvalues(model, x, temperature: float, mean: float, seed: int) -> pd.DataFrame:
    """Eigenvalues of the full Fisher in units of the mean diagonal element, largest first (empty if too large)."""
    if model.encoder.size > MAX_FULL_PARAMETERS:
        return pd.DataFrame({"seed": pd.Series(dtype="int64"), "rank": pd.Series(dtype="int64"),
                             "eigenvalue_over_mean": pd.Series(dtype="float64")})
    values = np.linalg.eigvalsh(fisher_matrix(model, x, temperature))[::-1] / mean
    return pd.DataFrame({"seed": seed, "rank": np.arange(1, values.size + 1), "eigenvalue_over_mean": values})


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


def gap_test(fisher_over_mean: np.ndarray, draws: int, rng: np.random.Generator) -> dict:
    """The widest gap of the non-zero spectrum against a smooth spectrum of the same values.

    The null draws as many values from a Gaussian kernel density of the log values with Terrell's
    oversmoothed bandwidth (1.144 sd n^(-1/5), the largest the spread allows; Terrell 1990): a
    spectrum with the same overall shape and no gap beyond sampling. The statistic
    is the widest log10 gap; p is the rank p-value (1 + #{null gaps >= the data's}) / (draws + 1).
    Two readings: over the whole spectrum (``gap_*``; its widest gaps lie in the sparse far tail)
    and within ``GAP_WINDOW`` times the mean around the paper's Lambda (``window_gap_*``).
    """
    values = np.log10(fisher_over_mean[fisher_over_mean > 0])
    if values.size < 3:
        nan = float("nan")
        return {f"{prefix}gap_{key}": value for prefix in ("", "window_")
                for key, value in (("ratio", nan), ("location", nan), ("p_value", nan), ("null_draws", 0))}
    # Terrell's oversmoothed bandwidth: the smoothest density the values' spread allows, so the null
    # does not inherit the gap it is meant to test (a data-adaptive bandwidth would keep it).
    bandwidth = OVERSMOOTHED * values.std(ddof=1) * values.size ** -0.2
    samples = values[rng.integers(0, values.size, (draws, values.size))] + bandwidth * rng.standard_normal(
        (draws, values.size))
    result = {}
    low, high = np.log10(GAP_WINDOW)
    for prefix, window in (("", (-np.inf, np.inf)), ("window_", (low, high))):
        ratio, location = largest_gap(10 ** values[(values >= window[0]) & (values <= window[1])])
        null_gaps = [_widest_log_gap(row[(row >= window[0]) & (row <= window[1])]) for row in samples]
        p_value = (1 + np.count_nonzero(np.asarray(null_gaps) >= np.log10(ratio))) / (draws + 1) \
            if np.isfinite(ratio) else float("nan")
        result.update({f"{prefix}gap_ratio": ratio, f"{prefix}gap_location": location,
                       f"{prefix}gap_p_value": float(p_value), f"{prefix}gap_null_draws": draws})
    return result


def _widest_log_gap(log_values: np.ndarray) -> float:
    return float(np.max(np.diff(np.sort(log_values)))) if log_values.size >= 2 else 0.0
