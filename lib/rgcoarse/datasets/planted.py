"""Planted structure: data matrices whose dependence is known by construction, truth kept beside them.

Each structure has N features (columns shuffled with the seed, so column order carries no hint)
and an analytic covariance, so a pairing rule can be scored on what it recovers and its M2
exponent compared with the generator's:

``blocks``
    Perfectly correlated blocks of ``block_size`` features plus independent noise:
    x_i = s_{block(i)} + noise * e_i. Truth: the block of each feature.
``field``
    A stationary Gaussian field on a ring of N sites with power-law correlations
    C(d) = (1 + d)^-gamma, d the ring distance (sampled from the eigen-decomposition of the
    circulant covariance; negative eigenvalues, if any, are set to zero and the covariance
    returned is the one sampled). Truth: each feature's ring position.
``nonlinear``
    Pairs (x, y) with y = (x^2 - 1 + noise * e) / sqrt(2 + noise^2), x ~ N(0, 1): y is a noisy
    even function of x, so the pair is strongly dependent but exactly uncorrelated. Truth: the pair.
``noise``
    i.i.d. N(0, 1): no structure; every rule should find M2 ~ K.

Truth per feature: ``group`` (block or pair index, -1 where none) and ``position`` (ring
position for the field, -1 elsewhere).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

STRUCTURES = ("blocks", "field", "nonlinear", "noise")


def _check(n_features: int, n_samples: int, even: bool = False) -> None:
    if n_features < 4 or (even and n_features % 2):
        raise ValueError(f"n_features: expected {'an even number' if even else 'a number'} >= 4, got {n_features}")
    if n_samples < 2:
        raise ValueError(f"n_samples: expected >= 2, got {n_samples}")


def ring_distance(positions: np.ndarray, n: int) -> np.ndarray:
    d = np.abs(positions[:, None] - positions[None, :])
    return np.minimum(d, n - d)


def field_covariance(n: int, gamma: float) -> np.ndarray:
    """Circulant covariance (1 + d)^-gamma on a ring of n sites, made positive semi-definite."""
    position = np.arange(n)
    covariance = (1.0 + ring_distance(position, n)) ** -float(gamma)
    eigenvalues, vectors = np.linalg.eigh(covariance)
    return (vectors * np.clip(eigenvalues, 0.0, None)) @ vectors.T


def generate(structure: str, n_features: int, n_samples: int, seed: int, *, block_size: int = 4,
             noise: float = 0.5, field_exponent: float = 0.5) -> tuple[np.ndarray, pd.DataFrame, np.ndarray]:
    """``(values, truth, covariance)`` of one planted structure, columns shuffled (module docstring)."""
    if structure not in STRUCTURES:
        raise ValueError(f"structure: expected one of {STRUCTURES}, got {structure!r}")
    rng = np.random.default_rng(seed)
    n, m = int(n_features), int(n_samples)
    group, position = np.full(n, -1), np.full(n, -1)
    if structure == "blocks":
        _check(n, m)
        if block_size < 2 or n % block_size:
            raise ValueError(f"block_size: expected >= 2 and dividing n_features ({n}), got {block_size}")
        group = np.arange(n) // block_size
        values = rng.standard_normal((m, n // block_size))[:, group] + noise * rng.standard_normal((m, n))
        covariance = (group[:, None] == group[None, :]) + noise**2 * np.eye(n)
    elif structure == "field":
        _check(n, m)
        position = np.arange(n)
        covariance = field_covariance(n, field_exponent)
        eigenvalues, vectors = np.linalg.eigh(covariance)
        values = rng.standard_normal((m, n)) * np.sqrt(np.clip(eigenvalues, 0.0, None)) @ vectors.T
    elif structure == "nonlinear":
        _check(n, m, even=True)
        half = n // 2
        group = np.r_[np.arange(half), np.arange(half)]
        x = rng.standard_normal((m, half))
        y = (x**2 - 1 + noise * rng.standard_normal((m, half))) / np.sqrt(2 + noise**2)
        values = np.column_stack([x, y])
        covariance = np.eye(n)  # E[x y] = E[x^3 - x] = 0: uncorrelated, unit variances
    else:
        _check(n, m)
        values = rng.standard_normal((m, n))
        covariance = np.eye(n)
    order = rng.permutation(n)  # column j of the output is feature order[j] of the generator
    truth = pd.DataFrame({"group": group[order], "position": position[order]})
    return values[:, order], truth, covariance[np.ix_(order, order)]


def analytic_covariance(structure: str, truth: pd.DataFrame, *, noise: float = 0.5,
                        field_exponent: float = 0.5) -> np.ndarray:
    """The generator's covariance of the shuffled features, rebuilt from the stored truth."""
    group, position = truth["group"].to_numpy(), truth["position"].to_numpy()
    n = group.size
    if structure == "blocks":
        return (group[:, None] == group[None, :]).astype(float) + noise**2 * np.eye(n)
    if structure == "field":
        full = field_covariance(n, field_exponent)
        return full[np.ix_(position, position)]
    return np.eye(n)


def recovered_fraction(pairs, truth: pd.DataFrame, structure: str) -> float:
    """Fraction of first-level pairs that are planted partners (same block or pair; ring neighbours
    for the field). NaN for ``noise``, which has nothing to recover."""
    pairs = np.asarray(pairs).reshape(-1, 2)
    if structure == "noise" or pairs.size == 0:
        return float("nan")
    if structure == "field":
        position, n = truth["position"].to_numpy(), len(truth)
        d = np.abs(position[pairs[:, 0]] - position[pairs[:, 1]])
        return float(np.mean(np.minimum(d, n - d) == 1))
    group = truth["group"].to_numpy()
    return float(np.mean((group[pairs[:, 0]] == group[pairs[:, 1]]) & (group[pairs[:, 0]] >= 0)))


def analytic_m2_table(levels, covariance: np.ndarray) -> pd.DataFrame:
    """M2(K) of the given clusters under the generator's covariance: mean over the clusters of
    size K of the variance of their raw sum, 1^T C_cc 1 (the expectation of the measured M2 with
    ddof 0, up to the factor (m - 1)/m)."""
    rows = []
    for level in levels:
        sizes = np.array([len(members) for members in level.members])
        for k in np.unique(sizes):
            clusters = [members for members, size in zip(level.members, sizes) if size == k]
            variance = [covariance[np.ix_(c, c)].sum() for c in clusters]
            rows.append({"level": level.level, "cluster_size": int(k), "n_clusters": len(clusters),
                         "m2": float(np.mean(variance))})
    return pd.DataFrame(rows)
