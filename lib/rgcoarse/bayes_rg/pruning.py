"""Pruning the encoder by Fisher cutoff, by magnitude and at random, equal counts, no fine-tuning.

Each scheme orders the encoder's weights (Fisher: smallest diagonal Fisher element first;
magnitude: smallest |w| first; random: a seeded permutation) and removes the first ``count``;
:func:`pruning_curve` gives the held-out loss after removing each fraction of a grid.
``zeros_first`` removes the weights whose Fisher element is exactly zero (always-blank pixels,
dead units) first in every scheme, so the schemes are also compared on the weights that matter.
:func:`removable_fraction` is the largest fraction of the grid whose loss stays within
``tolerance`` (relative) of the unpruned loss.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.bayes_rg.autoencoder import Autoencoder

SCHEMES = ("fisher", "magnitude", "random")


def removal_order(scheme: str, model: Autoencoder, fisher: np.ndarray, rng: np.random.Generator | None = None,
                  zeros_first: bool = False) -> np.ndarray:
    """Flat indices of the encoder's weights in the order the scheme removes them."""
    if scheme == "fisher":
        order = np.argsort(fisher.ravel(), kind="stable")
    elif scheme == "magnitude":
        order = np.argsort(np.abs(model.encoder).ravel(), kind="stable")
    elif scheme == "random":
        if rng is None:
            raise ValueError("random pruning needs a seeded generator")
        order = rng.permutation(model.encoder.size)
    else:
        raise ValueError(f"pruning scheme: expected one of {SCHEMES}, got {scheme!r}")
    if zeros_first:
        zero = fisher.ravel()[order] == 0
        order = np.concatenate([order[zero], order[~zero]])
    return order


def pruned(model: Autoencoder, order: np.ndarray, count: int) -> Autoencoder:
    encoder = model.encoder.copy().ravel()
    encoder[order[:count]] = 0.0
    return model.with_encoder(encoder.reshape(model.encoder.shape))


def pruning_curve(model: Autoencoder, order: np.ndarray, fractions, x_test: np.ndarray) -> pd.DataFrame:
    size = model.encoder.size
    rows = []
    for fraction in fractions:
        count = round(fraction * size)
        rows.append({"fraction": count / size, "removed": count, "test_loss": pruned(model, order, count).loss(x_test)})
    return pd.DataFrame(rows)


def removable_fraction(curve: pd.DataFrame, tolerance: float = 0.01) -> float:
    """Largest removed fraction before the loss first exceeds (1 + tolerance) x the unpruned loss."""
    curve = curve.sort_values("fraction")
    base = float(curve["test_loss"].iloc[0])
    if curve["fraction"].iloc[0] != 0:
        raise ValueError("removable_fraction: the curve must start at fraction 0 (the unpruned loss)")
    above = np.flatnonzero(curve["test_loss"].to_numpy() > (1 + tolerance) * base)
    kept = curve["fraction"].to_numpy()[: above[0]] if above.size else curve["fraction"].to_numpy()
    return float(kept[-1])
