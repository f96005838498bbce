"""Power-law fits of the scaling observables, with bootstrap confidence intervals.

Fit-range rule (the same for every dataset, method and temperature):
a (level, K) row of an observable table enters the fit when ``K >= k_min``,
``K <= k_max`` (if given) and the row averages at least ``min_clusters`` clusters
(default 16), so the deepest levels, with a handful of clusters, and the single carried
cluster of an odd level never steer the exponent. For ``P0`` rows with ``P0 = 0`` or
``P0 = 1`` are dropped as well (``log(-log P0)`` is undefined there).

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
data; ``L = 1`` is the i.i.d. bootstrap above. The block bootstrap's variance misses the
correlations longer than a block, a relative bias of order ``tau_int / L``; with the default
factor of 8 the 95% interval of an AR(1) mean covers the truth in about 91% of repeats
(``tests/test_fits.py``).

Statuses. Every fit carries a ``status``; only ``"ok"`` fits carry numbers:

``ok``
    A point estimate and a bootstrap interval. The interval may have zero width only when
    every resample really gives the same exponent (e.g. M2 exactly proportional to K**2
    in every resample), never because the resamples could not differ.
``too_few_samples``
    Fewer distinct samples (identical rows count once) than a percentile interval needs:
    m samples have C(2m - 1, m) distinct resamples, and each tail of the interval,
    ``(1 - confidence) / 2`` of the resamples, must be able to hold a distinct one, so
    C(2m - 1, m) >= 2 / (1 - confidence) and m >= 3 (:func:`min_bootstrap_samples`; 5 at
    95%). One sample has no variance at all; two samples have a single non-degenerate
    resample (each once), so their "interval" would be the point estimate.
``too_few_blocks``
    A block bootstrap (time series) with fewer than ``min_bootstrap_samples(confidence)``
    whole blocks in the data: the series is too short for its autocorrelation time.
``too_few_points``
    Fewer than two (level, K) rows with distinct K in the fit range (e.g. ``k_min`` beyond
    the largest cluster, or too few levels with ``min_clusters`` clusters).
``no_valid_resamples``
    No resample keeps every fitted point defined (positive variance, ``0 < P0 < 1``).
``degenerate_interval``
    The resamples that keep every point defined are all the same resample (e.g.
    ``n_resamples = 1``), so the interval would have zero width without measuring any
    sampling noise.

A fit that is not ``ok`` has NaN in ``exponent``, ``prefactor``, ``ci_low`` and
``ci_high`` (empty cells in the CSV exponents table): there is no number to read, and a
placeholder such as 0 would read as an exponent. ``fit_min``/``fit_max`` are the K range of
the rows in the fit range (NaN when there are none) and ``n_points`` their number, so the
table still says what was there. :func:`fit_problem` gives the reason a fit row cannot be
used (``None`` for a usable one); figures and claims use it rather than reading the numbers.
The COD-increment fit (:func:`fit_cod_increment`, :func:`cod_increment_row`) is a point
estimate: its rows have an exponent but empty ``ci_low``/``ci_high`` (``ci_method`` says so).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from math import comb, isfinite
from typing import NamedTuple

import numpy as np

from rgcoarse.stats.autocorrelation import integrated_autocorrelation_time
from rgcoarse.checks import as_value_matrix
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
from rgcoarse.stats.linefit import fit_line, fit_lines

OBSERVABLES = ("m2", "p0")

OK = "ok"
#: Every status a fit can have, with what it means (module docstring).
STATUSES = {
    OK: "fitted, with a bootstrap interval",
    "too_few_samples": "too few distinct samples for a bootstrap interval",
    "too_few_blocks": "fewer independent blocks of samples than a block-bootstrap interval needs",
    "too_few_points": "fewer than two cluster sizes in the fit range",
    "no_valid_resamples": "no bootstrap resample keeps every fitted point defined",
    "degenerate_interval": "the bootstrap resamples are all identical, so the interval has no width",
}


class PowerLaw(NamedTuple):
    """``y = prefactor * x**exponent``."""

    exponent: float
    prefactor: float


@dataclass(frozen=True)
class ExponentEstimate:
    """Bootstrap estimate of a scaling exponent (see the module docstring).

    ``fit_min``/``fit_max`` are the smallest and largest K fitted; ``n_points`` the
    number of (level, K) rows fitted; ``n_resamples`` the resamples that entered the
    interval; ``status`` one of :data:`STATUSES`. Only an ``"ok"`` estimate has numbers in
    ``exponent``, ``prefactor``, ``ci_low`` and ``ci_high``; otherwise they are NaN.
    """

    observable: str
    exponent: float
    prefactor: float
    ci_low: float
    ci_high: float
    fit_min: float
    fit_max: float
    n_points: int
    n_resamples: int
    status: str

    def as_dict(self) -> dict:
        """Plain dict, e.g. one row of a fits table."""
        return asdict(self)


@dataclass(frozen=True)
class RankFit:
    """Power law of the COD increment against rank, ``delta_cod = prefactor * r**exponent``.

    ``r_squared`` is the coefficient of determination of the straight line in log-log
    (close to 1 where the increment is a power law). ``status`` is ``"ok"`` or
    ``"too_few_points"`` (then ``exponent``, ``prefactor`` and ``r_squared`` are NaN).
    """

    exponent: float
    prefactor: float
    r_squared: float
    fit_min: float
    fit_max: float
    n_points: int
    status: str

    def as_dict(self) -> dict:
        """Plain dict."""
        return asdict(self)


def min_bootstrap_samples(confidence: float = 0.95) -> int:
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


def fit_problem(fit) -> str | None:
    """Why a fit row (mapping or Series) cannot be drawn or compared; ``None`` if it can.

    A row can be used when its ``status`` is ``"ok"`` and its exponent, interval, fit range
    and (if the row has one) prefactor are finite numbers, ``0 < fit_min <= fit_max``. The
    reason starts with the status, e.g. ``"too_few_points: fewer than two cluster sizes in
    the fit range"``.
    """
    if fit is None:
        return "no fit row"
    status = str(fit.get("status", "missing status"))
    if status != OK:
        meaning = STATUSES.get(status)
        return f"{status}: {meaning}" if meaning else status
    keys = ("exponent", "ci_low", "ci_high", "fit_min", "fit_max") + (("prefactor",) if "prefactor" in fit else ())
    try:
        values = dict(zip(keys, (float(fit[key]) for key in keys)))
    except (KeyError, TypeError, ValueError):
        return "invalid fit row: missing or non-numeric values"
    if not all(isfinite(v) for v in values.values()):
        return "invalid fit row: status ok but non-finite values"
    if not 0 < values["fit_min"] <= values["fit_max"] or values["ci_low"] > values["ci_high"]:
        return "invalid fit row: empty fit range or interval"
    return None


def _as_positive_vector(values, name: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected numbers") from None
    if array.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D array, got {array.ndim}-D")
    if not np.all(np.isfinite(array)) or np.any(array <= 0):
        raise ValueError(f"{name}: every entry must be finite and > 0 for a log-log fit")
    return array


def fit_power_law(x, y) -> PowerLaw:
    """Least-squares straight line through ``(log x, log y)``.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Positive, finite, ``n >= 2``, not all ``x`` equal.

    Returns
    -------
    PowerLaw
        ``(exponent, prefactor)`` with ``y ~ prefactor * x**exponent``.
    """
    x = _as_positive_vector(x, "x")
    y = _as_positive_vector(y, "y")
    if x.size != y.size:
        raise ValueError(f"y: has {y.size} entries but x has {x.size}")
    if x.size < 2:
        raise ValueError(f"x: a power-law fit needs at least 2 points, got {x.size}")
    if np.ptp(x) == 0:
        raise ValueError("x: all values are equal, the exponent is undefined")
    line = fit_line(np.log(x), np.log(y))
    return PowerLaw(line.slope, float(np.exp(line.intercept)))


def select_fit_range(cluster_size, n_clusters, *, k_min: float = 1, k_max: float | None = None, min_clusters: int = 16):
    """Rows of an observable table that enter a fit (module docstring).

    Parameters
    ----------
    cluster_size, n_clusters : array_like, shape (n_rows,)
    k_min, k_max : float
        Inclusive cluster-size bounds (``k_max=None``: no upper bound).
    min_clusters : int
        Minimum number of clusters a row must average.

    Returns
    -------
    numpy.ndarray of bool, shape (n_rows,)
    """
    k = np.asarray(cluster_size, dtype=np.float64)
    n = np.asarray(n_clusters, dtype=np.float64)
    if k.shape != n.shape or k.ndim != 1:
        raise ValueError(f"n_clusters: expected the same 1-D shape as cluster_size, got {n.shape} and {k.shape}")
    try:
        k_min = float(k_min)
        k_max = None if k_max is None else float(k_max)
    except (TypeError, ValueError):
        raise ValueError(f"k_min: k_min and k_max must be numbers, got {k_min!r} and {k_max!r}") from None
    if not np.isfinite(k_min):
        raise ValueError(f"k_min: expected a finite number, got {k_min!r}")
    if k_max is not None and not k_max >= k_min:
        raise ValueError(f"k_max: must be >= k_min ({k_min}), got {k_max!r}")
    if isinstance(min_clusters, bool) or not isinstance(min_clusters, (int, np.integer)) or min_clusters < 1:
        raise ValueError(f"min_clusters: expected a positive integer, got {min_clusters!r}")
    keep = (k >= k_min) & (n >= min_clusters)
    if k_max is not None:
        keep &= k <= k_max
    return keep


DEFAULT_BLOCK_FACTOR = 8.0  # block length in units of tau_int (module docstring)


def series_block_length(data, block_factor: float = DEFAULT_BLOCK_FACTOR) -> tuple[float, int]:
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
    data = as_value_matrix(data, "data")
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
    k_min: float = 1,
    k_max: float | None = None,
    min_clusters: int = 16,
    n_resamples: int = 200,
    seed: int = 0,
    confidence: float = 0.95,
    block_length: int = 1,
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
        Point estimate from the full data; percentile interval from the resamples.
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
        data = as_value_matrix(data, "data")
        check_levels(levels, data.shape[1], "data")
        per_level = list(centred_level_sums(data, levels))
        table = mean_variance_from_sums(levels, per_level)
    else:
        data = check_silent(data)
        check_levels(levels, data.shape[1], "data")
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
                                status)

    m = data.shape[0]
    needed = min_bootstrap_samples(confidence)
    if _distinct_rows(data, needed) < needed:
        return failed("too_few_samples")
    if m // block_length < needed:
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
    tail = 50.0 * (1.0 - confidence)
    ci_low, ci_high = (float(v) for v in np.percentile(slopes, [tail, 100.0 - tail]))
    return ExponentEstimate(observable, point.exponent, point.prefactor, ci_low, ci_high, *bounds,
                            int(selected.size), n_valid, OK)


def fit_cod_increment(rank, delta_cod, *, r_min: float = 1, r_max: float | None = None, min_increment: float = 1e-8):
    """Power law of the COD increment against rank, over ``r_min <= r <= r_max``.

    Ranks whose increment is at most ``min_increment`` (the flat tail once the targets
    are fully explained, e.g. beyond rank m) are left out.

    Parameters
    ----------
    rank, delta_cod : array_like, shape (n,)
        One level's ``rank`` and ``delta_cod`` columns (:func:`rgcoarse.coarse.selection.stepwise_cod`).
    r_min, r_max : float
        Inclusive rank window (``r_max=None``: no upper bound).
    min_increment : float

    Returns
    -------
    RankFit
        ``exponent`` is the log-log slope (negative for a decaying increment).
    """
    rank = np.asarray(rank, dtype=np.float64)
    delta = np.asarray(delta_cod, dtype=np.float64)
    if rank.ndim != 1 or rank.shape != delta.shape:
        raise ValueError(f"delta_cod: expected the same 1-D shape as rank, got {delta.shape} and {rank.shape}")
    if not (np.all(np.isfinite(rank)) and np.all(np.isfinite(delta))):
        raise ValueError("rank: rank and delta_cod must be finite")
    keep = (rank >= r_min) & (rank > 0) & (delta > min_increment)
    if r_max is not None:
        keep &= rank <= r_max
    if np.count_nonzero(keep) < 2 or np.ptp(rank[keep]) == 0:
        bounds = (float(rank[keep].min()), float(rank[keep].max())) if np.any(keep) else (np.nan, np.nan)
        return RankFit(np.nan, np.nan, np.nan, *bounds, int(np.count_nonzero(keep)), "too_few_points")
    line = fit_line(np.log(rank[keep]), np.log(delta[keep]))
    return RankFit(
        line.slope,
        float(np.exp(line.intercept)),
        line.r_squared,
        float(rank[keep].min()),
        float(rank[keep].max()),
        int(np.count_nonzero(keep)),
        "ok",
    )


def cod_increment_row(cod, rank_range) -> dict:
    """Exponents-table row of the level-0 COD increment's power law against rank.

    A point estimate: ``ci_low``/``ci_high`` are NaN (no interval is computed, and a
    zero-width one would read as a measured interval).
    """
    level0 = cod[cod["level"] == 0]
    fit = fit_cod_increment(level0["rank"], level0["delta_cod"], r_min=rank_range[0], r_max=rank_range[1])
    return {
        "observable": "cod_increment",
        "exponent": fit.exponent,
        "prefactor": fit.prefactor,
        "ci_low": np.nan,
        "ci_high": np.nan,
        "ci_method": (f"none (point estimate; log-log r^2 = {fit.r_squared:.3f})" if fit.status == OK
                      else "none (no fit)"),
        "fit_min": fit.fit_min,
        "fit_max": fit.fit_max,
        "n_points": fit.n_points,
        "n_resamples": 0,
        "status": fit.status,
    }
