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
``hierarchy``
    Two scales of blocks, as a real-space RG would find them: x_i = a_{i // block_size} +
    b_{i // 2} + noise * e_i, pairs nested in blocks of ``block_size`` (even). Pairs are the most
    correlated (2 shared sources), then block mates (1). Truth: the pair.
``noise``
    i.i.d. N(0, 1): no structure; every rule should find M2 ~ K.

Truth per feature: ``group`` (block or pair index, -1 where none) and ``position`` (ring
position for the field, -1 elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from rgcoarse.registry import add_to_registry


@dataclass(frozen=True)
class PlantedStructure:
    """One planted structure: how to draw it, its covariance, and what a pairing should recover.

    ``draw(rng, n, m, **parameters)`` returns ``(values, group, position, covariance)`` in the
    generator's feature order; ``covariance(group, position, **parameters)`` rebuilds the
    covariance of the shuffled features from the stored truth; ``partners(pairs, group, position)``
    says which first-level pairs are planted partners (``None``: nothing to recover).
    ``parameters`` are the planted config keys the structure reads, each required.
    """

    name: str
    draw: Callable
    covariance: Callable
    partners: Callable | None
    parameters: tuple[str, ...]
    even_features: bool = False
    description: str = ""
    marker: str = "o"  # its marker in the planted benchmark's figure


PLANTED_STRUCTURES: dict[str, PlantedStructure] = {}


def register(structure: PlantedStructure) -> PlantedStructure:
    """Add a planted structure to the registry (the one list the schema, wildcards and figures read)."""
    return add_to_registry(PLANTED_STRUCTURES, structure, what="planted structure")


def structure_names() -> tuple[str, ...]:
    return tuple(PLANTED_STRUCTURES)


def planted_structure(name: str) -> PlantedStructure:
    if name not in PLANTED_STRUCTURES:
        raise ValueError(f"structure: expected one of {structure_names()}, got {name!r}")
    return PLANTED_STRUCTURES[name]


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


def _none(n):
    return np.full(n, -1)


def _draw_blocks(rng, n, m, *, block_size, noise):
    if block_size < 2 or n % block_size:
        raise ValueError(f"block_size: expected >= 2 and dividing n_features ({n}), got {block_size}")
    group = np.arange(n) // block_size
    values = rng.standard_normal((m, n // block_size))[:, group] + noise * rng.standard_normal((m, n))
    covariance = (group[:, None] == group[None, :]) + noise**2 * np.eye(n)
    return values, group, _none(n), covariance


def _blocks_covariance(group, position, *, noise, **_):
    return (group[:, None] == group[None, :]).astype(float) + noise**2 * np.eye(group.size)


def _draw_field(rng, n, m, *, field_exponent):
    position = np.arange(n)
    covariance = field_covariance(n, field_exponent)
    eigenvalues, vectors = np.linalg.eigh(covariance)
    values = rng.standard_normal((m, n)) * np.sqrt(np.clip(eigenvalues, 0.0, None)) @ vectors.T
    return values, _none(n), position, covariance


def _field_covariance(group, position, *, field_exponent, **_):
    return field_covariance(position.size, field_exponent)[np.ix_(position, position)]


def _draw_nonlinear(rng, n, m, *, noise):
    half = n // 2
    group = np.r_[np.arange(half), np.arange(half)]
    x = rng.standard_normal((m, half))
    y = (x**2 - 1 + noise * rng.standard_normal((m, half))) / np.sqrt(2 + noise**2)
    covariance = np.eye(n)  # E[x y] = E[x^3 - x] = 0: uncorrelated, unit variances
    return np.column_stack([x, y]), group, _none(n), covariance


def _draw_hierarchy(rng, n, m, *, block_size, noise):
    if block_size < 4 or block_size % 2 or n % block_size:
        raise ValueError(f"block_size: expected an even number >= 4 dividing n_features ({n}), got {block_size}")
    block, group = np.arange(n) // block_size, np.arange(n) // 2
    values = (rng.standard_normal((m, n // block_size))[:, block] + rng.standard_normal((m, n // 2))[:, group]
              + noise * rng.standard_normal((m, n)))
    return values, group, _none(n), _hierarchy_covariance(group, _none(n), block_size=block_size, noise=noise)


def _hierarchy_covariance(group, position, *, block_size, noise, **_):
    # Pairs never straddle blocks (block_size is even): a feature's block is its pair's // (block_size / 2).
    block = group // (block_size // 2)
    same_block, same_pair = block[:, None] == block[None, :], group[:, None] == group[None, :]
    return same_block.astype(float) + same_pair + noise**2 * np.eye(group.size)


def _draw_noise(rng, n, m):
    return rng.standard_normal((m, n)), _none(n), _none(n), np.eye(n)


def _identity(group, position, **_):
    return np.eye(group.size)


def _same_group(pairs, group, position):
    return (group[pairs[:, 0]] == group[pairs[:, 1]]) & (group[pairs[:, 0]] >= 0)


def _ring_neighbours(pairs, group, position):
    d = np.abs(position[pairs[:, 0]] - position[pairs[:, 1]])
    return np.minimum(d, position.size - d) == 1


register(PlantedStructure("blocks", _draw_blocks, _blocks_covariance, _same_group, ("block_size", "noise"), marker="s",
                          description="perfectly correlated blocks plus independent noise"))
register(PlantedStructure("field", _draw_field, _field_covariance, _ring_neighbours, ("field_exponent",),
                          description="power-law correlated Gaussian field on a ring"))
register(PlantedStructure("nonlinear", _draw_nonlinear, _identity, _same_group, ("noise",), even_features=True, marker="^",
                          description="uncorrelated but dependent pairs y = x^2 - 1 + noise"))
register(PlantedStructure("hierarchy", _draw_hierarchy, _hierarchy_covariance, _same_group, ("block_size", "noise"),
                          even_features=True, marker="D", description="pairs nested in blocks: two scales of structure"))
register(PlantedStructure("noise", _draw_noise, _identity, None, (), marker="x",
                          description="i.i.d. N(0, 1): no structure"))


def settings_problem(name: str, n_features: int, settings: dict) -> str | None:
    """Why a structure cannot be drawn with these config settings (None: it can); for the config check."""
    kind = planted_structure(name)
    if kind.even_features and n_features % 2:
        return f"planted.n_features: {n_features} must be even (the {name} structure is pairs)"
    block = settings.get("block_size")
    if "block_size" in kind.parameters and (block < 2 or n_features % block):
        return f"planted.block_size: {block} must divide planted.n_features ({n_features})"
    return None


def _parameters(structure: PlantedStructure, settings: dict) -> dict:
    missing = [key for key in structure.parameters if key not in settings]
    if missing:
        raise ValueError(f"planted structure {structure.name!r} needs the setting(s) {missing}")
    return {key: settings[key] for key in structure.parameters}


def generate(structure: str, n_features: int, n_samples: int, seed: int,
             **settings) -> tuple[np.ndarray, pd.DataFrame, np.ndarray]:
    """``(values, truth, covariance)`` of one planted structure, columns shuffled (module docstring).

    ``settings`` are the planted config keys; the structure reads its own (``parameters``), each required.
    """
    kind = planted_structure(structure)
    rng = np.random.default_rng(seed)
    n, m = int(n_features), int(n_samples)
    _check(n, m, even=kind.even_features)
    values, group, position, covariance = kind.draw(rng, n, m, **_parameters(kind, settings))
    order = rng.permutation(n)  # column j of the output is feature order[j] of the generator
    truth = pd.DataFrame({"group": group[order], "position": position[order]})
    return values[:, order], truth, covariance[np.ix_(order, order)]


def analytic_covariance(structure: str, truth: pd.DataFrame, **settings) -> np.ndarray:
    """The generator's covariance of the shuffled features, rebuilt from the stored truth."""
    kind = planted_structure(structure)
    group, position = truth["group"].to_numpy(), truth["position"].to_numpy()
    return kind.covariance(group, position, **{k: v for k, v in settings.items() if k in kind.parameters})


def recovered_fraction(pairs, truth: pd.DataFrame, structure: str) -> float:
    """Fraction of first-level pairs that are planted partners (same block or pair; ring neighbours
    for the field). NaN for a structure with nothing to recover (``noise``)."""
    pairs = np.asarray(pairs).reshape(-1, 2)
    kind = planted_structure(structure)
    if kind.partners is None or pairs.size == 0:
        return float("nan")
    group, position = truth["group"].to_numpy(), truth["position"].to_numpy()
    return float(np.mean(kind.partners(pairs, group, position)))


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
