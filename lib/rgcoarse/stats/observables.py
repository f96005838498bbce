"""Scaling observables of a coarse-graining, computed against the original data.

Every observable sums the *original* data over each variable's ``members`` (so neither
``omega`` nor ``scale`` enters), then averages over the clusters of one level. A level can
mix cluster sizes K when an odd variable was carried, so the tables have one row per
(level, K): ``n_clusters`` says how many clusters each row averages. A fit-range rule
with a minimum cluster count (:func:`rgcoarse.stats.fits.select_fit_range`) then drops the
stray carried clusters.
"""

from __future__ import annotations

from typing import Iterator

import numpy as np
import pandas as pd

from rgcoarse.checks import as_value_matrix
from rgcoarse.coarse.pair_checks import unpaired_variable

__all__ = [
    "all_silent",
    "binarise",
    "cluster_groups",
    "cluster_spectrum",
    "centred_level_sums",
    "cluster_sums",
    "cod_table",
    "level_all_silent",
    "level_sums",
    "mean_variance_from_sums",
    "mean_variance_table",
    "next_level_sums",
    "silence_probability_from_masks",
    "silence_probability_table",
]


def check_levels(levels, n_features: int, name: str) -> None:
    """Raise ValueError unless ``levels`` is a non-empty list starting from ``n_features``."""
    if not isinstance(levels, (list, tuple)) or not levels:
        raise ValueError("levels: expected a non-empty list of Level objects")
    if levels[0].n_variables != n_features:
        raise ValueError(
            f"{name}: has {n_features} features but the coarse-graining starts from {levels[0].n_variables}"
        )


def check_silent(silent) -> np.ndarray:
    """``silent`` as a non-empty 2-D boolean array, or ValueError."""
    silent = np.asarray(silent)
    if silent.dtype != np.bool_:
        raise ValueError(f"silent: expected a boolean array (True = silent), got dtype {silent.dtype}")
    if silent.ndim != 2 or silent.shape[0] < 1 or silent.shape[1] < 1:
        raise ValueError(f"silent: expected a non-empty 2-D array (samples x features), got shape {silent.shape}")
    return silent


def cluster_sums(data: np.ndarray, members) -> np.ndarray:
    """Raw sums of the original data over each cluster.

    Parameters
    ----------
    data : numpy.ndarray, shape (m, N)
        Original data (numeric or boolean; booleans are counted).
    members : list of numpy.ndarray
        Original feature indices of each cluster.

    Returns
    -------
    numpy.ndarray, shape (m, n_clusters)
        float64 for numeric data, int64 counts for boolean data.
    """
    sizes = np.array([np.size(m) for m in members], dtype=np.int64)
    if np.any(sizes == 0):
        raise ValueError("members: every cluster needs at least one member")
    order = np.concatenate([np.asarray(m, dtype=np.int64) for m in members])
    if order.min() < 0 or order.max() >= data.shape[1]:
        raise ValueError(f"members: feature indices must lie in [0, {data.shape[1]})")
    # Sums as a product with the sparse N x n_clusters membership indicator: one pass over
    # the data, no (m x N) gathered copy per level. (Imported here: the jobs sum level by
    # level, and this direct path is the tests' oracle.)
    from scipy import sparse

    owner = np.repeat(np.arange(sizes.size), sizes)
    indicator = sparse.csr_matrix(
        (np.ones(order.size), (order, owner)), shape=(data.shape[1], sizes.size)
    )
    numeric = data if data.dtype == np.float64 else data.astype(np.float64)
    sums = np.asarray((indicator.T @ numeric.T).T)
    if data.dtype == np.bool_:
        return np.rint(sums).astype(np.int64)  # exact: counts are far below 2**53
    return np.ascontiguousarray(sums)


def level_sums(data: np.ndarray, levels) -> Iterator[np.ndarray]:
    """Raw cluster sums of ``data`` at every level, each level's from the previous one's.

    Level 0 is the data itself; a pair's sum is the sum of its two parents' columns and a
    carried variable keeps its column, so the whole hierarchy costs one addition per pair
    and sample (instead of a pass over the original data per level). Integer and boolean
    data give exact int64 sums; floating data float64. Yields (m, n_clusters) arrays in
    level order (the same clusters and order as ``level.members``), column-major (each
    cluster's samples contiguous); equal to :func:`cluster_sums` of each level up to
    floating-point rounding.
    """
    exact = np.issubdtype(data.dtype, np.integer) or data.dtype == np.bool_
    yield from _paired_levels(data, levels, np.int64 if exact else np.float64, np.add)


def centred_level_sums(data: np.ndarray, levels) -> Iterator[np.ndarray]:
    """:func:`level_sums` of the column-centred data (float64).

    A cluster sum's variance is then its mean square: one product per level, no
    cancellation, and the same sums serve the bootstrap (:func:`rgcoarse.stats.bootstrap.bootstrap_exponent`).
    """
    data = as_value_matrix(data, "data", contiguous=False)  # a column-major level 0 is used as it is
    yield from level_sums(data - data.mean(axis=0), levels)


def mean_variances(sums: np.ndarray) -> np.ndarray:
    """Per-cluster variance of centred sums ``(m, n_clusters)``: their mean square over samples."""
    return np.einsum("ij,ij->j", sums, sums) / sums.shape[0]


def level_all_silent(silent: np.ndarray, levels) -> Iterator[np.ndarray]:
    """(m, n_clusters) "every member silent" at every level, each from the previous level (AND of a pair)."""
    yield from _paired_levels(silent, levels, np.bool_, np.logical_and)


def _paired_levels(data, levels, dtype, combine) -> Iterator[np.ndarray]:
    # Held as (n_clusters, m): gathering a cluster is then a contiguous row copy.
    rows = np.ascontiguousarray(np.asarray(data).T, dtype=dtype)  # no copy of column-major data of that type
    for index, level in enumerate(levels):
        if index:
            rows = _paired_rows(rows, level.pairs, combine)
        yield rows.T


def _paired_rows(previous: np.ndarray, pairs: np.ndarray, combine=np.add) -> np.ndarray:
    left = unpaired_variable(pairs, previous.shape[0])
    combined = previous[pairs[:, 0]]
    combine(combined, previous[pairs[:, 1]], out=combined)
    if left is not None:
        combined = np.concatenate([combined, previous[[left]]], axis=0)
    return combined


def next_level_sums(previous: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Sums of the next level from the previous level's (columns = clusters): a pair's column
    is the sum of its parents' columns, the unpaired variable's column is carried last.
    Works for any quantity linear in the sums (e.g. weighted means over samples)."""
    return _paired_rows(np.ascontiguousarray(previous.T), pairs).T


def cluster_groups(level) -> list[tuple[int, np.ndarray]]:
    """``(K, cluster indices)`` for each distinct cluster size of a level, K ascending."""
    sizes = level.cluster_sizes
    return [(int(k), np.flatnonzero(sizes == k)) for k in np.unique(sizes)]


def _grouped_table(levels, per_cluster: list[np.ndarray], column: str) -> pd.DataFrame:
    rows = []
    for level, values in zip(levels, per_cluster):
        for k, idx in cluster_groups(level):
            rows.append((level.level, k, idx.size, float(values[idx].mean())))
    frame = pd.DataFrame(rows, columns=["level", "cluster_size", "n_clusters", column])
    return frame.astype({"level": np.int64, "cluster_size": np.int64, "n_clusters": np.int64})


def mean_variance_table(data, levels) -> pd.DataFrame:
    """Mean variance of the raw cluster sums, ``M2(K)`` (paper eq. 25).

    For each cluster the population variance (``ddof=0``, ``<S^2> - <S>^2`` over
    samples) of ``S = sum_{i in cluster} x_i`` is taken, then averaged over the
    clusters of size K of a level.

    Parameters
    ----------
    data : array_like, shape (m, N)
        The original data the coarse-graining started from.
    levels : list of Level

    Returns
    -------
    pandas.DataFrame
        Columns ``level``, ``cluster_size`` (K), ``n_clusters``, ``m2``; one row per
        (level, K), sorted.
    """
    data = as_value_matrix(data, "data", contiguous=False)
    check_levels(levels, data.shape[1], "data")
    return mean_variance_from_sums(levels, centred_level_sums(data, levels))


def mean_variance_from_sums(levels, centred_sums) -> pd.DataFrame:
    """:func:`mean_variance_table` from each level's centred sums (:func:`centred_level_sums`)."""
    return _grouped_table(levels, [mean_variances(sums) for sums in centred_sums], "m2")


def binarise(values, threshold: float) -> np.ndarray:
    """Silent mask of the binarised data: True where ``values <= threshold``.

    Binarising maps a value to 1 (active) above ``threshold`` and to 0 (silent) at or
    below it; ``P0`` asks for all members of a cluster to be 0, so this returns the
    zeros directly, ready for :func:`silence_probability_table`.

    Parameters
    ----------
    values : array_like, shape (m, N)
    threshold : float

    Returns
    -------
    numpy.ndarray of bool, shape (m, N)
    """
    values = as_value_matrix(values, contiguous=False)
    try:
        threshold = float(threshold)
    except (TypeError, ValueError):
        raise ValueError(f"threshold: expected a number, got {threshold!r}") from None
    if not np.isfinite(threshold):
        raise ValueError(f"threshold: expected a finite number, got {threshold!r}")
    return values <= threshold


def silence_probability_table(silent, levels) -> pd.DataFrame:
    """Probability ``P0(K)`` that all K members of a cluster are silent.

    Parameters
    ----------
    silent : array_like of bool, shape (m, N)
        True where an original feature is silent (the caller's binarisation, e.g.
        :func:`binarise`).
    levels : list of Level

    Returns
    -------
    pandas.DataFrame
        Columns ``level``, ``cluster_size``, ``n_clusters``, ``p0`` (mean over the
        clusters of size K and over samples of "all members silent").
    """
    silent = check_silent(silent)
    check_levels(levels, silent.shape[1], "silent")
    return silence_probability_from_masks(levels, level_all_silent(silent, levels))


def silence_probability_from_masks(levels, all_silent) -> pd.DataFrame:
    """:func:`silence_probability_table` from each level's all-silent mask (:func:`level_all_silent`)."""
    return _grouped_table(levels, [every.mean(axis=0) for every in all_silent], "p0")


def all_silent(silent: np.ndarray, level) -> np.ndarray:
    """(m, n_clusters) boolean: every member of the cluster silent in that sample."""
    return cluster_sums(silent, level.members) == level.cluster_sizes


#: Features gathered at a time by :func:`cluster_spectrum`: its copies of the data stay this wide.
SPECTRUM_CHUNK_FEATURES = 1024


def _cluster_eigenvalues(data: np.ndarray, members: np.ndarray) -> np.ndarray:
    """(n_c, K) eigenvalues, decreasing, of the population covariance of each cluster's members."""
    block = data[:, members]  # (m, n_c, K)
    block -= block.mean(axis=0)
    stacked = np.transpose(block, (1, 2, 0))  # (n_c, K, m)
    cov = stacked @ np.transpose(stacked, (0, 2, 1)) / data.shape[0]
    return np.linalg.eigvalsh(cov)[:, ::-1]


def cluster_spectrum(data, levels, level: int) -> pd.DataFrame:
    """Mean eigenvalue spectrum of the within-cluster covariance (Meshulam et al. 2019).

    For every cluster of the level's most common size K (ties: the smaller K), the
    K x K population covariance of its members' original data is diagonalised; the
    eigenvalues, sorted in decreasing order, are averaged over those clusters.

    Parameters
    ----------
    data : array_like, shape (m, N)
    levels : list of Level
    level : int
        Index into ``levels``.

    Returns
    -------
    pandas.DataFrame
        Columns ``level``, ``cluster_size``, ``n_clusters``, ``rank`` (1..K),
        ``rank_fraction`` (rank / K), ``eigenvalue``.
    """
    data = as_value_matrix(data, "data", contiguous=False)
    check_levels(levels, data.shape[1], "data")
    if isinstance(level, bool) or not isinstance(level, (int, np.integer)) or not 0 <= level < len(levels):
        raise ValueError(f"level: expected an integer in [0, {len(levels)}), got {level!r}")
    chosen = levels[level]
    sizes = chosen.cluster_sizes
    ks, counts = np.unique(sizes, return_counts=True)
    k = int(ks[np.argmax(counts)])
    members = np.stack([chosen.members[i] for i in np.flatnonzero(sizes == k)])  # (n_c, K)
    per_chunk = max(SPECTRUM_CHUNK_FEATURES // k, 1)  # clusters
    spectra = [_cluster_eigenvalues(data, members[start : start + per_chunk])
               for start in range(0, members.shape[0], per_chunk)]
    eigenvalues = np.concatenate(spectra).mean(axis=0)
    rank = np.arange(1, k + 1)
    return pd.DataFrame(
        {
            "level": np.full(k, chosen.level, dtype=np.int64),
            "cluster_size": np.full(k, k, dtype=np.int64),
            "n_clusters": np.full(k, members.shape[0], dtype=np.int64),
            "rank": rank,
            "rank_fraction": rank / k,
            "eigenvalue": eigenvalues,
        }
    )


COD_COLUMNS = ("level", "n_variables", "rank", "variable", "cod", "cod_increment", "norm_cod_increment")


def cod_table(levels, max_rank: int | None = None, level0: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`stepwise_cod` of every level's variables, stacked with a ``level`` column.

    Parameters
    ----------
    levels : list of Level
    max_rank : int, optional
        Ranks per level (default: all of that level's variables).
    level0 : pandas.DataFrame, optional
        Level 0's rows computed already (:func:`level0_cod_table` of the same data and
        ``max_rank``): level 0 is the data itself, the same for every pairing rule.

    Returns
    -------
    pandas.DataFrame
        Columns ``level``, ``n_variables``, ``rank``, ``variable``, ``cod``,
        ``cod_increment``, ``norm_cod_increment``.
    """
    if not isinstance(levels, (list, tuple)) or not levels:
        raise ValueError("levels: expected a non-empty list of Level objects")
    if level0 is not None:
        _check_level0(level0, levels[0], max_rank)
    frames = [level0[list(COD_COLUMNS)] if level0 is not None else _level_cod(levels[0], max_rank)]
    frames += [_level_cod(level, max_rank) for level in levels[1:]]
    return pd.concat(frames, ignore_index=True)[list(COD_COLUMNS)]


def level0_cod_table(data, max_rank: int | None = None) -> pd.DataFrame:
    """Level 0's rows of :func:`cod_table`: stepwise COD of the data's own variables."""
    from rgcoarse.coarse.levels import rebuilt_level0

    return _level_cod(rebuilt_level0(data), max_rank)


def _level_cod(level, max_rank) -> pd.DataFrame:
    # Imported here: the fits job imports this module but needs no BLAS selection kernels.
    from rgcoarse.coarse.selection import stepwise_cod

    frame = stepwise_cod(level.values, max_rank)
    frame.insert(0, "level", np.int64(level.level))
    frame.insert(1, "n_variables", np.int64(level.n_variables))
    return frame


def _check_level0(level0: pd.DataFrame, level, max_rank) -> None:
    """The precomputed level 0 must be of these variables and this many ranks (a stale file is an error)."""
    expected_ranks = level.n_variables if not max_rank else min(int(max_rank), level.n_variables)
    levels_in = set(level0["level"].unique()) if len(level0) else set()
    if levels_in != {0} or int(level0["n_variables"].iloc[0]) != level.n_variables or len(level0) > expected_ranks:
        raise ValueError(f"level0: expected level-0 COD rows of {level.n_variables} variables and at most "
                         f"{expected_ranks} ranks, got levels {sorted(levels_in)} and {len(level0)} rows")


def spectrum_level(levels, cluster_size: int) -> int:
    """The level whose largest cluster size is closest to ``cluster_size`` from below (at least 2)."""
    sizes = [max(len(m) for m in level.members) for level in levels]
    candidates = [i for i, k in enumerate(sizes) if 2 <= k <= cluster_size]
    return candidates[-1] if candidates else min(1, len(levels) - 1)


