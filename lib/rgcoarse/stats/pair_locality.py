"""Locality of a pairing on a periodic lattice: how many pairs are nearest neighbours, against random pairing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.coarse.pair_checks import check_lattice_shape


def _lattice_offsets(pairs: np.ndarray, lattice_shape) -> tuple[np.ndarray, np.ndarray, int, int]:
    rows, cols = check_lattice_shape(lattice_shape)
    pairs = np.asarray(pairs)
    if pairs.ndim != 2 or pairs.shape[1] != 2 or pairs.shape[0] == 0:
        raise ValueError(f"pairs: expected a non-empty (n_pairs, 2) array, got shape {pairs.shape}")
    if not np.issubdtype(pairs.dtype, np.integer):
        raise ValueError(f"pairs: expected integer site indices, got dtype {pairs.dtype}")
    if pairs.min() < 0 or pairs.max() >= rows * cols:
        raise ValueError(f"pairs: site indices must lie in [0, {rows * cols}) for lattice_shape {rows} x {cols}")
    r, c = np.divmod(pairs, cols)
    dr = np.abs(r[:, 0] - r[:, 1])
    dc = np.abs(c[:, 0] - c[:, 1])
    return np.minimum(dr, rows - dr), np.minimum(dc, cols - dc), rows, cols


def nearest_neighbour_fraction(pairs, lattice_shape) -> float:
    """Fraction of pairs whose two sites are nearest neighbours on the periodic lattice.

    Parameters
    ----------
    pairs : array_like of int, shape (n_pairs, 2)
        Site indices, row-major (site ``r * cols + c``), e.g. ``levels[1].pairs``.
    lattice_shape : (int, int)

    Returns
    -------
    float
        For random pairing the expectation is :func:`random_nearest_neighbour_fraction`
        (``4 / (N - 1)`` when both sides are at least 3).
    """
    dr, dc, _, _ = _lattice_offsets(pairs, lattice_shape)
    return float(np.mean(dr + dc == 1))


def random_nearest_neighbour_fraction(lattice_shape) -> float:
    """Expected nearest-neighbour fraction of a uniformly random pairing.

    A random partner is any of the other ``N - 1`` sites, so the expectation is the
    number of distinct periodic neighbours of a site over ``N - 1``.
    """
    rows, cols = check_lattice_shape(lattice_shape)
    n = rows * cols
    if n < 2:
        raise ValueError(f"lattice_shape: needs at least 2 sites, got {rows} x {cols}")
    neighbours = {((1) % rows, 0), ((-1) % rows, 0), (0, 1 % cols), (0, (-1) % cols)} - {(0, 0)}
    return len(neighbours) / (n - 1)


def pair_locality_table(levels, lattice_shape) -> pd.DataFrame:
    """Fraction of first-level pairs that are lattice nearest neighbours (an empty table off-lattice)."""
    columns = ["n_pairs", "nn_fraction", "random_expectation"]
    if lattice_shape is None or len(levels) < 2:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    pairs = levels[1].pairs
    n_features = int(np.prod(lattice_shape))
    return pd.DataFrame(
        {
            "n_pairs": [len(pairs)],
            "nn_fraction": [nearest_neighbour_fraction(pairs, tuple(lattice_shape))],
            "random_expectation": [4.0 / (n_features - 1)],
        }
    )
