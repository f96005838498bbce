"""Checks of a pairing and of a lattice shape, with NumPy only.

Kept apart from :mod:`rgcoarse.coarse.pairing` so that the observables and fits jobs, which read a
stored hierarchy but pair nothing, do not import the pairing kernels (numba, PyWavelets).
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_lattice_shape", "unpaired_variable"]


def check_lattice_shape(lattice_shape, n_variables: int | None = None) -> tuple[int, int]:
    """Validate ``lattice_shape`` = (rows, cols) and, if given, rows * cols == n_variables."""
    try:
        entries = tuple(lattice_shape)
        rows, cols = (int(x) for x in entries)
        exact = all(float(x) == int(x) for x in entries)
    except (TypeError, ValueError):
        raise ValueError(f"lattice_shape: expected (rows, cols) integers, got {lattice_shape!r}") from None
    if not exact or rows < 1 or cols < 1:
        raise ValueError(f"lattice_shape: expected positive integers (rows, cols), got {lattice_shape!r}")
    if n_variables is not None and rows * cols != n_variables:
        raise ValueError(f"lattice_shape: {rows} x {cols} = {rows * cols} sites but there are {n_variables} variables")
    return rows, cols


def unpaired_variable(pairs: np.ndarray, n_variables: int) -> int | None:
    """The variable that appears in no pair, or None if every variable is paired.

    Raises
    ------
    ValueError
        If ``pairs`` is not a valid partial pairing of ``n_variables`` variables leaving
        at most one out.
    """
    pairs = np.asarray(pairs)
    if pairs.ndim != 2 or pairs.shape[1] != 2:
        raise ValueError(f"pairs: expected shape (n_pairs, 2), got {pairs.shape}")
    flat = pairs.ravel().astype(np.int64)
    if flat.size and (flat.min() < 0 or flat.max() >= n_variables):
        raise ValueError(f"pairs: indices must lie in [0, {n_variables}), got [{flat.min()}, {flat.max()}]")
    used = np.bincount(flat, minlength=n_variables)
    if np.any(used > 1):
        raise ValueError(f"pairs: not a pairing of {n_variables} variables (an index repeats or is out of range)")
    left = np.flatnonzero(used == 0)
    if left.size > 1:
        raise ValueError(f"pairs: {left.size} variables left unpaired, at most one allowed")
    return int(left[0]) if left.size else None


PROJECTION_ORDERS = ("index", "greedy")  # the projection rule's orders (rgcoarse.coarse.pairing)


def lattice_axis(lattice_shape, level: int) -> int | None:
    """Axis that coarse-graining level ``level`` halves (1: columns, 0: rows), or None.

    Levels alternate: even levels pair horizontal neighbours (axis 1), odd levels
    vertical ones (axis 0). If the scheduled axis has odd length the other axis is used;
    if both are odd the lattice cannot be halved and None is returned.
    """
    rows, cols = check_lattice_shape(lattice_shape)
    preferred = (1, 0) if level % 2 == 0 else (0, 1)
    lengths = {0: rows, 1: cols}
    for axis in preferred:
        if lengths[axis] % 2 == 0:
            return axis
    return None
