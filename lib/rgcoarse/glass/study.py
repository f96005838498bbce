"""The glass sensitivity study, one run at a time: how M2(K) of p_hop scales, read several ways.

For one run (a p_hop data matrix and its production thermo series) the study asks:

* **Exponents under each fit range.** ``M2 ~ K^a`` fitted over the levels with ``K <= k_max``
  (``None``: every level with at least ``min_clusters`` clusters), and the *local exponent*
  ``d ln M2 / d ln K`` between consecutive levels, so a curve that bends shows as a rising slope
  instead of being averaged away.
* **A common mode.** If every pair of particles shares a weak correlation ``rho``, the sum of K
  particles has variance ``K sigma^2 (1 + (K - 1) rho)``: slope 1 while ``K rho << 1``, 2 once
  ``K rho >> 1``. For clusters drawn at random this holds exactly in expectation, with
  ``sigma^2`` the mean variance and ``rho`` the mean off-diagonal covariance over ``sigma^2``
  (:func:`mean_pair_correlation`, computed from the data in O(m N)). :func:`fit_common_mode` fits
  ``rho`` to a measured M2(K) curve; with data-driven pairing it also absorbs the selection.
* **What carries the shared part.** The per-frame mean of p_hop over particles against the
  potential energy, kinetic temperature and pressure averaged over the same p_hop window, each
  correlation judged against circular shifts of the thermo series (which keep both series'
  autocorrelation and break their alignment).
* **Equilibration, checked.** The drift of U/N over the production (second half minus first, in
  block standard errors) and the measured tau_alpha against the production length.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.checks import as_value_matrix, check_integer, check_positive_real
from rgcoarse.stats.fits import fit_power_law, select_fit_range

__all__ = [
    "READINGS",
    "THERMO_SIGNALS",
    "remove_frame_mean",
    "reading_values",
    "level_rows",
    "local_exponents",
    "range_exponent",
    "common_mode_m2",
    "common_mode_local_exponent",
    "common_mode_slope",
    "mean_pair_correlation",
    "fit_common_mode",
    "window_means",
    "shift_null_correlation",
    "equilibration_flag",
]

# p_hop as measured, and with each frame's mean over particles removed (no common mode left).
READINGS = ("raw", "frame_mean_removed")
# Production thermo columns (LAMMPS names, thermo_modify norm yes) and what they are.
THERMO_SIGNALS = {"poteng": "U/N", "temp": "T_kin", "press": "p"}


def remove_frame_mean(values) -> np.ndarray:
    """``values`` (frames x particles) minus each frame's mean over particles."""
    values = as_value_matrix(values, "values")
    return values - values.mean(axis=1, keepdims=True)


def reading_values(values, reading: str) -> np.ndarray:
    """The data matrix of one of :data:`READINGS`."""
    if reading == "raw":
        return as_value_matrix(values, "values")
    if reading == "frame_mean_removed":
        return remove_frame_mean(values)
    raise ValueError(f"reading: expected one of {READINGS}, got {reading!r}")


def level_rows(table: pd.DataFrame) -> pd.DataFrame:
    """One row per level of an M2 table: its most common cluster size (the level's K).

    Levels of an odd number of variables carry one cluster of another size; that row is dropped.
    """
    best = table.sort_values(["level", "n_clusters", "cluster_size"], ascending=[True, False, True], kind="stable")
    return best.drop_duplicates("level").reset_index(drop=True)


def local_exponents(table: pd.DataFrame, column: str = "m2") -> pd.DataFrame:
    """``d ln M2 / d ln K`` between consecutive levels of an M2 table.

    Levels whose K does not grow past every earlier level's are left out. Returns one row per
    pair of levels kept: ``level`` (the lower), ``k_low``, ``k_high``, ``k_mid``
    (their geometric mean), ``n_clusters`` (clusters of the upper level, the fewer) and
    ``local_exponent``.
    """
    rows = level_rows(table)
    # A level whose most common K is no larger than an earlier level's (a few uneven clusters
    # near the top) adds no scale: keep strictly growing K.
    sizes = rows["cluster_size"].to_numpy()
    rows = rows[sizes > np.maximum.accumulate(np.concatenate([[0], sizes[:-1]]))].reset_index(drop=True)
    k = rows["cluster_size"].to_numpy(dtype=np.float64)
    y = rows[column].to_numpy(dtype=np.float64)
    if np.any(y <= 0):
        raise ValueError(f"{column}: local exponents need positive values, got {y.min()}")
    slope = np.diff(np.log(y)) / np.diff(np.log(k))
    return pd.DataFrame(
        {
            "level": rows["level"].to_numpy()[:-1],
            "k_low": k[:-1],
            "k_high": k[1:],
            "k_mid": np.sqrt(k[:-1] * k[1:]),
            "n_clusters": rows["n_clusters"].to_numpy()[1:],
            "local_exponent": slope,
        }
    )


def range_exponent(table: pd.DataFrame, k_max, min_clusters: int, column: str = "m2") -> dict:
    """Power-law exponent of M2(K) over the level rows with ``K <= k_max`` (None: all) and at
    least ``min_clusters`` clusters; ``exponent`` is NaN (with ``status``) below 2 points."""
    rows = level_rows(table)
    keep = select_fit_range(rows["cluster_size"], rows["n_clusters"], k_max=k_max, min_clusters=min_clusters, k_min=1)
    k = rows["cluster_size"].to_numpy(dtype=np.float64)[keep]
    out = {"n_points": int(keep.sum()), "k_low": float(k.min()) if k.size else np.nan,
           "k_high": float(k.max()) if k.size else np.nan}
    if k.size < 2:
        return dict(out, exponent=np.nan, status="fewer than 2 levels in range")
    fit = fit_power_law(k, rows[column].to_numpy(dtype=np.float64)[keep])
    return dict(out, exponent=float(fit.exponent), status="ok")


def common_mode_m2(k, sigma2: float, rho: float) -> np.ndarray:
    """``K sigma^2 (1 + (K - 1) rho)``: the variance of a sum of K variables of variance
    ``sigma^2`` and pairwise correlation ``rho``."""
    k = np.asarray(k, dtype=np.float64)
    return k * sigma2 * (1.0 + (k - 1.0) * rho)


def common_mode_local_exponent(k, rho: float) -> np.ndarray:
    """``d ln M2 / d ln K`` of :func:`common_mode_m2`: ``1 + K rho / (1 + (K - 1) rho)``."""
    k = np.asarray(k, dtype=np.float64)
    return 1.0 + k * rho / (1.0 + (k - 1.0) * rho)


def common_mode_slope(k_low, k_high, rho) -> np.ndarray:
    """The local exponent ``ln(M2(k_high) / M2(k_low)) / ln(k_high / k_low)`` of
    :func:`common_mode_m2` between two levels, as measured from a curve (``sigma^2`` cancels)."""
    k_low, k_high = np.asarray(k_low, dtype=np.float64), np.asarray(k_high, dtype=np.float64)
    ratio = common_mode_m2(k_high, 1.0, rho) / common_mode_m2(k_low, 1.0, rho)
    return np.log(ratio) / np.log(k_high / k_low)


def mean_pair_correlation(values) -> tuple[float, float]:
    """``(sigma2, rho)``: the mean variance and the mean off-diagonal covariance over it.

    From the variance of the row sums, ``var(sum) = N sigma2 + N (N - 1) sigma2 rho``
    (population variances, ``ddof = 0``). For clusters of K variables drawn at random the
    expected M2(K) is exactly :func:`common_mode_m2` with these values.
    """
    values = as_value_matrix(values, "values")
    n = values.shape[1]
    if n < 2:
        raise ValueError(f"values: need at least 2 features for a pair correlation, got {n}")
    centred = values - values.mean(axis=0)
    total = float(np.mean(centred.sum(axis=1) ** 2))
    trace = float(np.mean(centred**2, axis=0).sum())
    if trace <= 0:
        raise ValueError("values: every feature is constant; the pair correlation is undefined")
    return trace / n, (total - trace) / (n * (n - 1)) / (trace / n)


def fit_common_mode(k, m2, sigma2: float) -> float:
    """The ``rho`` of :func:`common_mode_m2` closest to the curve ``(k, m2)`` in ``ln M2``.

    ``sigma2`` is fixed (the mean variance, M2 at K = 1); least squares over the points with
    ``K > 1``, bounded so the model stays positive at the largest K.
    """
    from scipy.optimize import minimize_scalar  # the study's fits only: keep module import light

    k = np.asarray(k, dtype=np.float64)
    m2 = np.asarray(m2, dtype=np.float64)
    check_positive_real(sigma2, "sigma2")
    keep = k > 1
    if keep.sum() < 1 or np.any(m2[keep] <= 0):
        raise ValueError("m2: need at least one positive point with K > 1 to fit rho")
    k, log_m2 = k[keep], np.log(m2[keep])
    lowest = -1.0 / (k.max() - 1.0) + 1e-9

    def misfit(rho):
        return float(np.sum((np.log(common_mode_m2(k, sigma2, rho)) - log_m2) ** 2))

    return float(minimize_scalar(misfit, bounds=(lowest, 1.0), method="bounded", options={"xatol": 1e-10}).x)


def window_means(times, series, centres, half_width: float) -> np.ndarray:
    """Mean of ``series`` (sampled at increasing ``times``) over ``[c - half, c + half]`` for
    every centre ``c``: the thermodynamics of the window a p_hop value sees."""
    times = np.asarray(times, dtype=np.float64)
    series = np.asarray(series, dtype=np.float64)
    centres = np.asarray(centres, dtype=np.float64)
    check_positive_real(half_width, "half_width")
    tolerance = 1e-9 * max(1.0, float(np.abs(times).max(initial=0.0)))
    lo = np.searchsorted(times, centres - half_width - tolerance, side="left")
    hi = np.searchsorted(times, centres + half_width + tolerance, side="right")
    if np.any(hi <= lo):
        raise ValueError("times: a p_hop window holds no thermo sample (thermo series too short or misaligned)")
    prefix = np.concatenate([[0.0], np.cumsum(series)])
    return (prefix[hi] - prefix[lo]) / (hi - lo)


def shift_null_correlation(x, y, n_shifts: int, rng) -> tuple[float, float, float]:
    """Pearson r of ``x`` and ``y``, the two-sided p-value of |r| among circular shifts of
    ``y``, and the 95th percentile of the shifted |r|.

    Shifts are drawn from the middle 80 % of the possible offsets, so a shifted series is far
    from its own alignment; the p-value is ``(1 + #{|r_shift| >= |r|}) / (1 + n_shifts)``.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    check_integer(n_shifts, "n_shifts", minimum=1)
    if x.shape != y.shape or x.ndim != 1 or x.size < 10:
        raise ValueError(f"x, y: need two 1-D series of the same length >= 10, got {x.shape} and {y.shape}")
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return np.nan, np.nan, np.nan
    r = float(np.corrcoef(x, y)[0, 1])
    m = x.size
    margin = max(1, m // 10)
    shifts = rng.integers(margin, m - margin + 1, size=n_shifts)
    xs = (x - x.mean()) / x.std()
    ys = (y - y.mean()) / y.std()
    null = np.abs(np.array([np.mean(xs * np.roll(ys, s)) for s in shifts]))
    return r, float((1 + np.sum(null >= abs(r))) / (1 + n_shifts)), float(np.quantile(null, 0.95))


def equilibration_flag(*, equilibrated_protocol: bool, drift, drift_error, tau_alpha, production: float,
                       drift_sigmas: float, tau_alpha_fraction: float) -> str:
    """``ok``, or why the run is not an equilibrium sample (several reasons joined by ``; ``).

    A run fails when it was quenched and aged rather than equilibrated, when U/N drifts by more
    than ``drift_sigmas`` block standard errors over the production, or when tau_alpha (None:
    F_s never fell to 1/e in the run) exceeds ``tau_alpha_fraction`` of the production.
    """
    reasons = []
    if not equilibrated_protocol:
        reasons.append("quenched and aged, not equilibrated")
    if drift_error is not None and drift_error > 0 and abs(drift) > drift_sigmas * drift_error:
        reasons.append(f"U/N drifts {drift:+.4f} ({abs(drift) / drift_error:.1f} s.e.)")
    if tau_alpha is None or not np.isfinite(tau_alpha):
        reasons.append("tau_alpha not reached in the run")
    elif tau_alpha > tau_alpha_fraction * production:
        reasons.append(f"tau_alpha {tau_alpha:.0f} > {tau_alpha_fraction:g} x production {production:g}")
    return "; ".join(reasons) if reasons else "ok"
