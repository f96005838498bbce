"""Bootstrap confidence intervals of the power-law exponents (statuses: :mod:`rgcoarse.stats.fits`).

Bootstrap: the samples (rows of the original data) are resampled with replacement,
``n_resamples`` times, while the memberships found on the full data are held fixed, so
the interval reflects sampling noise of the observable given the clusters, not the
variability of the pairing itself. Each resample is a multinomial count vector ``c``
over the m samples; for cluster sums ``S`` (m x n_clusters) every resample's mean and
second moment are ``c @ S / m`` and ``c @ S**2 / m``, two matrix products for all
resamples at once. The interval is the percentile interval of the resampled exponents.

Time series (consecutive frames of one run, e.g. p_hop) are resampled in blocks: a circular
moving-block bootstrap (Politis & Romano 1992) draws ``ceil(m / L)`` blocks of ``L``
consecutive samples (wrapping around the end) and keeps the first m, so correlations shorter
than a block survive in every resample. :func:`series_block_length` sets
``L = ceil(block_factor * tau_int)`` from the measured integrated autocorrelation time of the
data; ``L = 1`` is the i.i.d. bootstrap above.

With blocks, the interval is a t interval, not the percentile one: the estimate plus or minus
``t(b - 1)`` quantiles times the standard deviation of the resampled exponents, with
``b = floor(m / L)`` blocks. A series of a few hundred frames holds only 5-15 blocks of
``6 tau_int``, and with so few the percentile interval is too narrow on two counts: the block
bootstrap's variance misses the correlations longer than a block (a relative bias of order
``tau_int / L``, made worse by ``tau_int`` itself being underestimated from a short series), and
the spread of the resampled exponents is itself estimated from about b independent pieces.
Measured on independent AR(1) columns with the glass series' length and ``tau_int``
(``tests/benchmarks/bench_coverage.py``, figures in ``docs/performance.md``): the percentile
interval covers the true exponent in 0.85-0.90 of repeats at nominal 0.95, the t interval in
0.94-0.97. A fit needs at least :data:`MIN_BLOCKS` blocks (else ``too_few_blocks``).
"""

from __future__ import annotations

from math import comb

import numpy as np
from scipy.special import (
    stdtrit,  # Student's t quantile (scipy.stats would cost every fits job about 1 s of imports)
)

from rgcoarse.checks import as_value_matrix
from rgcoarse.stats.autocorrelation import integrated_autocorrelation_time
from rgcoarse.stats.fits import (
    CURVATURE_P,
    MIN_CURVATURE_POINTS,
    OBSERVABLES,
    OK,
    ExponentEstimate,
    fit_power_law,
    select_fit_range,
)
from rgcoarse.stats.linefit import fit_lines
from rgcoarse.stats.observables import (
    centred_level_sums,
    check_levels,
    check_silent,
    cluster_groups,
    level_all_silent,
    mean_variance_from_sums,
    next_level_sums,
    silence_probability_from_masks,
)

MIN_BLOCKS = 3  # a t interval from b blocks has b - 1 degrees of freedom: at least 2


def block_interval(point: float, slopes: np.ndarray, n_blocks: int, confidence: float) -> tuple[float, float]:
    """``point -+ t(n_blocks - 1) x sd(slopes)``: the interval of a block bootstrap with few blocks."""
    quantile = float(stdtrit(n_blocks - 1, 0.5 + confidence / 2))
    half = quantile * float(np.std(slopes, ddof=1))
    return point - half, point + half


def slope_changes(log_k: np.ndarray, log_y: np.ndarray) -> np.ndarray:
    """Change of the local log-log slope across the fit range, per row of ``log_y`` (r, n):
    ``2 c x (max log K - min log K)`` with c the quadratic coefficient of a least-squares parabola."""
    centred = log_k - log_k.mean()
    design = np.column_stack([np.ones_like(centred), centred, centred**2])
    coefficients = np.linalg.lstsq(design, np.atleast_2d(log_y).T, rcond=None)[0]
    return 2.0 * coefficients[2] * np.ptp(log_k)


def curvature_test(log_k, point_log_y, resampled_log_y, n_blocks: int | None) -> tuple[float, bool]:
    """(slope change of the data's points, whether it differs from 0 at :data:`CURVATURE_P`).

    The interval is the resamples' (a t interval over ``n_blocks`` blocks for a time series, the
    percentile interval otherwise) at confidence 1 - CURVATURE_P. Fewer than
    :data:`MIN_CURVATURE_POINTS` points: (NaN, False), a parabola through three points has no
    residual to test against.
    """
    if log_k.size < MIN_CURVATURE_POINTS:
        return float("nan"), False
    change = float(slope_changes(log_k, point_log_y)[0])
    resampled = slope_changes(log_k, resampled_log_y)
    if n_blocks is not None:
        low, high = block_interval(change, resampled, n_blocks, 1.0 - CURVATURE_P)
    else:
        low, high = np.percentile(resampled, [50.0 * CURVATURE_P, 100.0 - 50.0 * CURVATURE_P])
    return change, bool(low > 0 or high < 0)


def min_bootstrap_samples(confidence: float) -> int:
    """Fewest distinct samples for a percentile interval at ``confidence`` (module docstring).

    The smallest m >= 3 with C(2m - 1, m) >= 2 / (1 - confidence) distinct resamples: 5 at 0.95.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence: expected a number in (0, 1), got {confidence!r}")
    m = 3
    while comb(2 * m - 1, m) < 2.0 / (1.0 - confidence):
        m += 1
    return m


def _distinct_rows(data: np.ndarray, enough: int) -> int:
    """Number of distinct rows of ``data``, counted up to ``enough``."""
    seen: set[bytes] = set()
    for row in data:
        seen.add(row.tobytes())
        if len(seen) >= enough:
            break
    return len(seen)




def series_block_length(data, *, block_factor: float) -> tuple[float, int]:
    """``(tau_int, L)``: the autocorrelation time of a time-series data matrix and its bootstrap block length.

    ``tau_int`` (in samples, Sokal's convention, 0.5 when uncorrelated) is the larger of the
    per-frame mean over features (the common mode, the slowest part of a cluster sum) and the
    median over features of each feature's own ``tau_int``. ``L = ceil(block_factor * tau_int)``,
    at least 1.

    Parameters
    ----------
    data : array_like, shape (m, N)
        Rows are consecutive, equally spaced times.
    block_factor : float
        Block length in units of ``tau_int`` (> 0).
    """
    if not np.isfinite(block_factor) or block_factor <= 0:
        raise ValueError(f"block_factor: expected a finite number > 0, got {block_factor!r}")
    data = as_value_matrix(data, "data", contiguous=False)
    per_feature = np.median([integrated_autocorrelation_time(column) for column in data.T])
    tau = max(integrated_autocorrelation_time(data.mean(axis=1)), float(per_feature))
    return float(tau), max(1, int(np.ceil(block_factor * tau)))


def block_bootstrap_counts(m: int, block_length: int, n_resamples: int, rng) -> np.ndarray:
    """How often each of ``m`` samples is drawn, per resample: ``(n_resamples, m)`` float counts.

    ``block_length = 1`` is the i.i.d. bootstrap (multinomial counts). Otherwise the circular
    moving-block bootstrap: ``ceil(m / L)`` block starts uniform in ``[0, m)``, each block
    the ``L`` samples from its start (wrapping around), the first m drawn samples kept.
    Every resample's counts sum to m.
    """
    if block_length == 1:
        return rng.multinomial(m, np.full(m, 1.0 / m), size=n_resamples).astype(np.float64)
    n_blocks = -(-m // block_length)
    starts = rng.integers(0, m, size=(n_resamples, n_blocks))
    drawn = (starts[:, :, None] + np.arange(block_length)).reshape(n_resamples, -1)[:, :m] % m
    offsets = (np.arange(n_resamples) * m)[:, None]
    return np.bincount((drawn + offsets).ravel(), minlength=n_resamples * m).reshape(n_resamples, m).astype(np.float64)


def _transform(observable: str, y: np.ndarray) -> np.ndarray:
    """Quantity fitted as a power of K: ``M2`` itself or ``-ln P0``."""
    if observable == "m2":
        return y
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.log(y)


def _resampled_points(data, levels, table, selected, observable, counts, per_level=None) -> np.ndarray:
    """(n_resamples, n_selected) observable values of every selected table row.

    A resample weights sample i by w_i = counts_i / m. The weighted variance of a cluster sum s
    is E_w[s^2] - E_w[s]^2, and the table's point is its mean over the clusters of size K:

    - E_w[s] is linear in s, so the level-0 weighted means (one product ``w @ data``) give every
      level's by one addition per pair, like the sums themselves;
    - the mean over clusters of E_w[s^2] is ``w @`` (the row-wise sum of s^2 over those clusters),
      a matrix-vector product per point.

    P0 points are ``w @`` (the row-wise mean over the clusters of their all-silent indicator).
    The data are centred once (variance is shift-invariant; it avoids cancellation), and each
    level's sums follow from the previous level's (:func:`rgcoarse.stats.observables.centred_level_sums`).
    ``per_level``, if given, holds what the table was computed from, for every level up to the
    last selected row's: the centred sums (M2) or the all-silent masks (P0), built once for the
    table and the resamples.
    """
    weights = counts / data.shape[0]
    out = np.empty((counts.shape[0], selected.size))
    rows = table.iloc[selected]
    by_level: dict[int, list[tuple[int, int]]] = {}
    for column, (lev, k) in enumerate(zip(rows["level"].to_numpy(), rows["cluster_size"].to_numpy())):
        by_level.setdefault(int(lev), []).append((column, int(k)))
    used = levels[: max(by_level) + 1]
    if observable == "m2":
        means = None
        for level, sums in zip(used, per_level or centred_level_sums(data, used)):
            means = weights @ sums if means is None else next_level_sums(means, level.pairs)
            groups = _group_columns(level)
            for column, k in by_level.get(level.level, []):
                group_sums, group_means = sums[:, groups[k]], means[:, groups[k]]
                second_moment = weights @ np.einsum("ij,ij->i", group_sums, group_sums)
                squared_mean = np.einsum("ij,ij->i", group_means, group_means)
                out[:, column] = (second_moment - squared_mean) / group_sums.shape[1]
    else:
        for level, silent in zip(used, per_level or level_all_silent(data, used)):
            groups = _group_columns(level)
            for column, k in by_level.get(level.level, []):
                every_silent = silent[:, groups[k]]
                out[:, column] = weights @ every_silent.sum(axis=1, dtype=np.float64) / every_silent.shape[1]
    return out


def _group_columns(level) -> dict:
    """K -> the columns of the level's clusters of size K, as a slice where contiguous (a view, no copy)."""
    columns = {}
    for k, index in cluster_groups(level):
        contiguous = index.size and index[-1] - index[0] == index.size - 1
        columns[k] = slice(int(index[0]), int(index[-1]) + 1) if contiguous else index
    return columns


def bootstrap_exponent(
    data,
    levels,
    observable: str,
    *,
    k_min: float,
    k_max: float | None = None,
    min_clusters: int,
    n_resamples: int = 200,
    seed: int = 0,
    confidence: float,
    block_length: int = 1,
    max_slope_change: float = np.inf,
) -> ExponentEstimate:
    """Exponent of ``M2(K) ~ K**alpha`` or ``-ln P0(K) ~ a K**beta`` with a bootstrap CI.

    Parameters
    ----------
    data : array_like, shape (m, N)
        ``"m2"``: the original data. ``"p0"``: the boolean *silent* mask.
    levels : list of Level
    observable : {"m2", "p0"}
    k_min, k_max, min_clusters
        Fit-range rule (:func:`select_fit_range`).
    n_resamples : int
        Bootstrap resamples of the samples (memberships held fixed).
    seed : int
    confidence : float
        Two-sided percentile interval (0.95: 2.5th to 97.5th percentile).
    block_length : int
        Samples per bootstrap block: 1 for independent samples, more for a time series
        (:func:`series_block_length`, :func:`block_bootstrap_counts`).

    Returns
    -------
    ExponentEstimate
        Point estimate from the full data; percentile interval from the resamples, or with
        blocks (``block_length > 1``) the t interval of :func:`block_interval`.
        Resamples in which a fitted point becomes undefined (zero variance, or
        ``P0`` of 0 or 1) are dropped; ``n_resamples`` counts those kept. A fit that
        cannot give an interval has a non-``ok`` status and NaN numbers (module docstring).
    """
    if observable not in OBSERVABLES:
        raise ValueError(f"observable: expected one of {OBSERVABLES}, got {observable!r}")
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)) or n_resamples < 1:
        raise ValueError(f"n_resamples: expected a positive integer, got {n_resamples!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: expected a non-negative integer, got {seed!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence: expected a number in (0, 1), got {confidence!r}")
    if isinstance(block_length, bool) or not isinstance(block_length, (int, np.integer)) or block_length < 1:
        raise ValueError(f"block_length: expected a positive integer, got {block_length!r}")
    # Each level's sums (M2) or all-silent masks (P0), built once for the table and the resamples.
    if observable == "m2":
        data = as_value_matrix(data, "data", contiguous=False)
        check_levels(levels, data.shape[1], "data")
        per_level = list(centred_level_sums(data, levels))
        table = mean_variance_from_sums(levels, per_level)
    else:
        data = check_silent(data)
        check_levels(levels, data.shape[1], "data")
        if data.all() or not data.any():  # the threshold silences every value, or none: no P0(K) to fit
            return ExponentEstimate(observable, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, 0, 0,
                                    "no_silence_variation", np.nan)
        per_level = list(level_all_silent(data, levels))
        table = silence_probability_from_masks(levels, per_level)
    y_all = table[observable].to_numpy(dtype=np.float64)
    keep = select_fit_range(
        table["cluster_size"], table["n_clusters"], k_min=k_min, k_max=k_max, min_clusters=min_clusters
    )
    fitted = _transform(observable, y_all)
    keep &= np.isfinite(fitted) & (fitted > 0)
    selected = np.flatnonzero(keep)
    k = table["cluster_size"].to_numpy(dtype=np.float64)[selected]
    bounds = (float(k.min()), float(k.max())) if k.size else (np.nan, np.nan)

    def failed(status: str, n_valid: int = 0) -> ExponentEstimate:
        return ExponentEstimate(observable, np.nan, np.nan, np.nan, np.nan, *bounds, int(selected.size), n_valid,
                                status, np.nan)

    m = data.shape[0]
    needed = min_bootstrap_samples(confidence)
    if _distinct_rows(data, needed) < needed:
        return failed("too_few_samples")
    n_blocks = m // block_length
    if block_length > 1 and n_blocks < MIN_BLOCKS:
        return failed("too_few_blocks")
    if selected.size < 2 or np.ptp(k) == 0:
        return failed("too_few_points")
    point = fit_power_law(k, fitted[selected])
    rng = np.random.default_rng(seed)
    counts = block_bootstrap_counts(m, int(block_length), n_resamples, rng)
    resampled = _transform(observable, _resampled_points(data, levels, table, selected, observable, counts,
                                                         per_level))
    valid = np.all(np.isfinite(resampled) & (resampled > 0), axis=1)
    n_valid = int(np.count_nonzero(valid))
    if n_valid == 0:
        return failed("no_valid_resamples")
    if np.unique(counts[valid], axis=0).shape[0] < 2:
        return failed("degenerate_interval", n_valid)
    slopes, _ = fit_lines(np.log(k), np.log(resampled[valid]))
    if block_length > 1:
        ci_low, ci_high = block_interval(point.exponent, slopes, n_blocks, confidence)
    else:
        tail = 50.0 * (1.0 - confidence)
        ci_low, ci_high = (float(v) for v in np.percentile(slopes, [tail, 100.0 - tail]))
    change, significant = curvature_test(np.log(k), np.log(fitted[selected]), np.log(resampled[valid]),
                                         n_blocks if block_length > 1 else None)
    status = "curved" if significant and abs(change) > max_slope_change else OK
    return ExponentEstimate(observable, point.exponent, point.prefactor, ci_low, ci_high, *bounds,
                            int(selected.size), n_valid, status, change)
