"""Power-law fits of the scaling observables: fit range, fit statuses, the COD-increment fit.

Fit-range rule (the same for every dataset, method and temperature):
a (level, K) row of an observable table enters the fit when ``K >= k_min``,
``K <= k_max`` (if given) and the row averages at least ``min_clusters`` clusters
(default 16), so the deepest levels, with a handful of clusters, and the single carried
cluster of an odd level never steer the exponent. For ``P0`` rows with ``P0 = 0`` or
``P0 = 1`` are dropped as well (``log(-log P0)`` is undefined there).

Bootstrap intervals and the block length of time series: :mod:`rgcoarse.stats.bootstrap`.

Statuses. Every fit carries a ``status``; only ``"ok"`` fits carry numbers:

``ok``
    A point estimate and a bootstrap interval. The interval may have zero width only when
    every resample really gives the same exponent (e.g. M2 exactly proportional to K**2
    in every resample), never because the resamples could not differ.
``too_few_samples``
    Fewer distinct samples (identical rows count once) than a percentile interval needs:
    m samples have C(2m - 1, m) distinct resamples, and each tail of the interval,
    ``(1 - confidence) / 2`` of the resamples, must be able to hold a distinct one, so
    C(2m - 1, m) >= 2 / (1 - confidence) and m >= 3 (:func:`rgcoarse.stats.bootstrap.min_bootstrap_samples`; 5 at
    95%). One sample has no variance at all; two samples have a single non-degenerate
    resample (each once), so their "interval" would be the point estimate.
``too_few_blocks``
    A block bootstrap (time series) with fewer than ``MIN_BLOCKS`` (3) whole blocks in the
    data (:mod:`rgcoarse.stats.bootstrap`): the series is too short for its autocorrelation time.
``too_few_points``
    Fewer than two (level, K) rows with distinct K in the fit range (e.g. ``k_min`` beyond
    the largest cluster, or too few levels with ``min_clusters`` clusters).
``no_valid_resamples``
    No resample keeps every fitted point defined (positive variance, ``0 < P0 < 1``).
``degenerate_interval``
    The resamples that keep every point defined are all the same resample (e.g.
    ``n_resamples = 1``), so the interval would have zero width without measuring any
    sampling noise.

A fit that is not ``ok`` (except ``curved``, whose line stays for reading) has NaN in ``exponent``, ``prefactor``, ``ci_low`` and
``ci_high`` (empty cells in the CSV exponents table): there is no number to read, and a
placeholder such as 0 would read as an exponent. ``fit_min``/``fit_max`` are the K range of
the rows in the fit range (NaN when there are none) and ``n_points`` their number, so the
table still says what was there. :func:`fit_problem` gives the reason a fit row cannot be
used (``None`` for a usable one); figures and claims use it rather than reading the numbers.
The COD-increment fit (:func:`fit_cod_increment`, :func:`cod_increment_row`) needs at least
:data:`MIN_RANK_POINTS` ranks with an increment, below the sample count (beyond rank m - 1 the
increments are zero by construction), and is tested for curvature: a quadratic term in log-log
whose t-test gives p < :data:`CURVATURE_P` makes it ``curved`` (the line does not describe the
points; its numbers stay in the row, for reading, but no claim or figure uses it). The M2 and P0
fits are tested the same way, with the bootstrap in place of the regression (their points are
averages over many clusters, so a curvature too small to matter would be significant): the change
of the local slope across the fit range, ``slope_change`` = 2 c (max ln K - min ln K) with c the
quadratic coefficient in log-log, makes a fit ``curved`` when its resampled interval at
1 - CURVATURE_P excludes 0 and it exceeds ``fits.max_slope_change`` in size. Its interval is
the regression's (ranks treated as independent, which they are not, so it is a lower bound on the
uncertainty; ``ci_method`` says so).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from math import isfinite
from typing import NamedTuple

import numpy as np

from rgcoarse.config import constants
from rgcoarse.stats.linefit import fit_line

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
    "curved": "the points curve in log-log (quadratic term significant): not a power law",
    "no_silence_variation": "the silence threshold silences every value or none, so P0(K) is 1 or 0 at every K",
    "rank_limited": "the COD fit range reaches beyond a quarter of the dimensions the samples span "
                    "(min(m - 1, N)), where the finite span, not the correlations, shapes the increments",
}
#: The COD-increment fit's largest rank may be at most this fraction of the data's rank min(m - 1, N).
#: Measured on independent Gaussian columns (m = 201; N = 100 ... 800), the log-log slope of the
#: increments over ranks 1..r grows from -0.03 ... -0.05 at r = 5% of the span to -0.05 ... -0.15 at 25%
#: and -0.09 ... -0.32 at 50%, as the selection runs out of dimensions (all N targets are explained by
#: rank m - 1): beyond a quarter the span dominates the slope.
MAX_SPAN_FRACTION = 0.25
MIN_RANK_POINTS = constants.MIN_RANK_POINTS  # a COD-increment power law from two ranks has no test of its shape
CURVATURE_P = 0.01  # quadratic term in log-log below this p-value: the power law does not describe the points
MIN_CURVATURE_POINTS = 4  # a parabola through three points fits exactly: no test of its shape


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
    slope_change: float = float("nan")  # change of the local log-log slope across the fit range (curvature)

    def as_dict(self) -> dict:
        """Plain dict, e.g. one row of a fits table."""
        return asdict(self)


@dataclass(frozen=True)
class RankFit:
    """Power law of the COD increment against rank, ``cod_increment = prefactor * r**exponent``.

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
    slope_stderr: float = float("nan")  # the regression's (ranks treated as independent)

    def as_dict(self) -> dict:
        """Plain dict."""
        return asdict(self)


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


def select_fit_range(cluster_size, n_clusters, *, k_min: float, k_max: float | None = None, min_clusters: int):
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


def fit_cod_increment(rank, cod_increment, *, r_min: float = 1, r_max: float | None = None, min_increment: float = 1e-8):
    """Power law of the COD increment against rank, over ``r_min <= r <= r_max``.

    Ranks whose increment is at most ``min_increment`` (the flat tail once the targets
    are fully explained, e.g. beyond rank m) are left out.

    Parameters
    ----------
    rank, cod_increment : array_like, shape (n,)
        One level's ``rank`` and ``cod_increment`` columns (:func:`rgcoarse.coarse.selection.stepwise_cod`).
    r_min, r_max : float
        Inclusive rank window (``r_max=None``: no upper bound).
    min_increment : float

    Returns
    -------
    RankFit
        ``exponent`` is the log-log slope (negative for a decaying increment).
    """
    rank = np.asarray(rank, dtype=np.float64)
    delta = np.asarray(cod_increment, dtype=np.float64)
    if rank.ndim != 1 or rank.shape != delta.shape:
        raise ValueError(f"cod_increment: expected the same 1-D shape as rank, got {delta.shape} and {rank.shape}")
    if not (np.all(np.isfinite(rank)) and np.all(np.isfinite(delta))):
        raise ValueError("rank: rank and cod_increment must be finite")
    keep = (rank >= r_min) & (rank > 0) & (delta > min_increment)
    if r_max is not None:
        keep &= rank <= r_max
    if np.count_nonzero(keep) < MIN_RANK_POINTS or np.ptp(rank[keep]) == 0:
        bounds = (float(rank[keep].min()), float(rank[keep].max())) if np.any(keep) else (np.nan, np.nan)
        return RankFit(np.nan, np.nan, np.nan, *bounds, int(np.count_nonzero(keep)), "too_few_points")
    x, y = np.log(rank[keep]), np.log(delta[keep])
    line = fit_line(x, y)
    status = "curved" if curvature_p_value(x, y) < CURVATURE_P else OK
    return RankFit(
        line.slope,
        float(np.exp(line.intercept)),
        line.r_squared,
        float(rank[keep].min()),
        float(rank[keep].max()),
        int(np.count_nonzero(keep)),
        status,
        line.slope_stderr,
    )


def curvature_p_value(x, y) -> float:
    """Two-sided p-value of the quadratic term of a least-squares parabola through (x, y) (1 with < 4 points)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.size < 4:
        return 1.0
    from scipy.special import (
        stdtr,  # Student's t CDF (scipy.stats would cost a fits job about 1 s of imports)
    )

    centred = x - x.mean()
    design = np.column_stack([np.ones_like(x), centred, centred**2])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coef
    dof = x.size - 3
    sigma2 = float(residual @ residual) / dof
    if sigma2 <= 1e-20 * max(float(np.var(y)), 1e-300):  # an exact curve: no noise to test against
        return 0.0 if abs(coef[2]) > 1e-8 * max(abs(coef[1]), 1.0) else 1.0
    covariance = sigma2 * np.linalg.inv(design.T @ design)
    t = coef[2] / np.sqrt(covariance[2, 2])
    return float(2 * stdtr(dof, -abs(t)))


def cod_increment_row(cod, rank_range, n_samples: int | None = None, confidence: float = 0.95,
                      n_features: int | None = None) -> dict:
    """Exponents-table row of the level-0 COD increment's power law against rank.

    With the data's shape (``n_samples`` m, ``n_features`` N) given, a range whose largest rank
    exceeds :data:`MAX_SPAN_FRACTION` of the data's rank min(m - 1, N) is not fitted
    (``rank_limited``: rank-deficient or too short data, where the increments follow from the
    span); ranks at or beyond m - 1 are left out in any case (their increments are zero or fitted
    noise once the samples are exhausted). The interval is the regression's (module docstring).
    """
    from scipy.special import stdtrit  # Student's t quantile

    level0 = cod[cod["level"] == 0]
    high = rank_range[1] if n_samples is None else min(rank_range[1], n_samples - 2)
    limited = cod_span_problem(rank_range, n_samples, n_features)
    if limited is not None:
        return _not_fitted_cod_row("rank_limited", f"none: {limited}")
    fit = fit_cod_increment(level0["rank"], level0["cod_increment"], r_min=rank_range[0], r_max=high)
    fitted = fit.status in (OK, "curved")
    half = float(stdtrit(fit.n_points - 2, 0.5 + confidence / 2)) * fit.slope_stderr if fitted else np.nan
    return {
        "observable": "cod_increment",
        "exponent": fit.exponent,
        "prefactor": fit.prefactor,
        "ci_low": fit.exponent - half if fit.status == OK else np.nan,
        "ci_high": fit.exponent + half if fit.status == OK else np.nan,
        "ci_method": (f"the regression's t interval (ranks treated as independent: a lower bound); log-log r^2 = "
                      f"{fit.r_squared:.3f}" + ("; curved in log-log" if fit.status == "curved" else "")
                      if fitted else "none (no fit)"),
        "fit_min": fit.fit_min,
        "fit_max": fit.fit_max,
        "n_points": fit.n_points,
        "n_resamples": 0,
        "status": fit.status,
    }


def cod_span_problem(rank_range, n_samples: int | None, n_features: int | None) -> str | None:
    """Why a COD fit over ``rank_range`` is ``rank_limited`` on m x N data (:data:`MAX_SPAN_FRACTION`),
    or ``None`` (also when the shape is not given)."""
    if n_samples is None or n_features is None:
        return None
    span = min(n_samples - 1, n_features)
    if rank_range[1] <= MAX_SPAN_FRACTION * span:
        return None
    return (f"fits.cod_rank_range reaches rank {rank_range[1]} of the {span} dimensions the {n_samples} x "
            f"{n_features} data span (at most {MAX_SPAN_FRACTION:g} of them: beyond, the finite span, not the "
            "correlations, sets the slope)")


def _not_fitted_cod_row(status: str, reason: str) -> dict:
    return {"observable": "cod_increment", "exponent": np.nan, "prefactor": np.nan, "ci_low": np.nan,
            "ci_high": np.nan, "ci_method": reason, "fit_min": np.nan, "fit_max": np.nan,
            "n_points": 0, "n_resamples": 0, "status": status}
