"""Standard dynamics of a particle trajectory: self-intermediate scattering function, MSD,
α-relaxation time, diffusion constant, and block-averaged means of time series.

Conventions (Kob & Andersen, Phys. Rev. E 51, 4626 (1995)):

* displacements ``Δr_i(t) = r_i(t0 + t) - r_i(t0)``, averaged over particles and over time
  origins ``t0`` (every ``origin_stride``-th frame);
* self-intermediate scattering function, isotropically averaged over the directions of
  the wave vector: ``F_s(q, t) = < sin(q |Δr|) / (q |Δr|) >``;
* mean squared displacement ``MSD(t) = < |Δr|^2 >``;
* ``τ_α``: first time with ``F_s(q, τ_α) = 1/e`` at ``q = 7.25`` (A particles), the first
  peak of the A–A structure factor at density 1.2;
* diffusion constant ``D`` from ``MSD(t) = 6 D t + c`` in the diffusive regime.

All functions are pure NumPy, positions as ``(n_frames, n_particles, 3)`` arrays.
"""

from __future__ import annotations

import numpy as np

from rgcoarse.stats.linefit import fit_line

__all__ = [
    "remove_com_drift",
    "lag_frames",
    "self_isf",
    "mean_squared_displacement",
    "crossing_time",
    "diffusion_constant",
    "block_average",
]


def _positions(positions, name: str = "positions") -> np.ndarray:
    x = np.asarray(positions)
    if x.ndim != 3 or x.shape[2] != 3:
        raise ValueError(f"{name} must have shape (n_frames, n_particles, 3), got {x.shape}")
    if x.shape[0] < 2 or x.shape[1] < 1:
        raise ValueError(f"{name} needs at least 2 frames and 1 particle, got {x.shape[:2]}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return x


def remove_com_drift(positions) -> np.ndarray:
    """Positions (float64) relative to the centre of mass (equal masses) of every frame.

    Thermostats and round-off let the total momentum drift slowly; removing the centre of
    mass keeps that uniform drift out of single-particle displacements.
    """
    x = _positions(positions).astype(np.float64)
    centre = x.mean(axis=1, keepdims=True)
    return x - (centre - centre[:1])


def lag_frames(n_frames: int, n_lags: int, max_fraction: float = 0.5) -> np.ndarray:
    """Roughly log-spaced lags ``0, 1, ...`` up to ``max_fraction * (n_frames - 1)`` frames.

    Parameters
    ----------
    n_frames : int
        Frames in the trajectory (at least 2).
    n_lags : int
        Target number of lags (duplicates after rounding are merged, so fewer may come back).
    max_fraction : float
        Largest lag as a fraction of the trajectory; long lags have few time origins.
    """
    if n_frames < 2:
        raise ValueError(f"n_frames must be at least 2, got {n_frames}")
    if not 0 < max_fraction <= 1:
        raise ValueError(f"max_fraction must be in (0, 1], got {max_fraction}")
    largest = max(1, int(max_fraction * (n_frames - 1)))
    lags = np.unique(np.round(np.geomspace(1, largest, max(n_lags - 1, 1))).astype(np.int64))
    return np.concatenate([[0], lags])


def _displacement_mean(positions, lags, origin_stride: int, statistic) -> np.ndarray:
    x = _positions(positions)
    lags = np.asarray(lags, dtype=np.int64)
    if lags.ndim != 1 or np.any(lags < 0) or np.any(lags >= x.shape[0]):
        raise ValueError(f"lags must be frame offsets in [0, {x.shape[0] - 1}]")
    if origin_stride < 1:
        raise ValueError(f"origin_stride must be at least 1, got {origin_stride}")
    out = np.empty(lags.size)
    for k, lag in enumerate(lags):
        origins = np.arange(0, x.shape[0] - lag, origin_stride)
        d = x[origins + lag].astype(np.float64) - x[origins]
        out[k] = statistic(np.sqrt(np.einsum("fnk,fnk->fn", d, d)))
    return out


def self_isf(positions, q: float, lags, origin_stride: int = 1) -> np.ndarray:
    """Isotropic self-intermediate scattering function ``F_s(q, lag)`` for each lag.

    Parameters
    ----------
    positions : array, shape (n_frames, n_particles, 3)
        Unwrapped positions of the particles to average over.
    q : float
        Wave number (inverse length), > 0.
    lags : array of int
        Lags in frames.
    origin_stride : int
        Use every ``origin_stride``-th frame as a time origin.
    """
    if not q > 0:
        raise ValueError(f"wave number q must be positive, got {q}")
    # np.sinc(x) = sin(pi x) / (pi x), so sinc(q r / pi) = sin(q r) / (q r), and 1 at r = 0.
    return _displacement_mean(positions, lags, origin_stride, lambda r: np.sinc(q * r / np.pi).mean())


def mean_squared_displacement(positions, lags, origin_stride: int = 1) -> np.ndarray:
    """``MSD(lag) = <|r(t0 + lag) - r(t0)|^2>`` over particles and origins, for each lag."""
    return _displacement_mean(positions, lags, origin_stride, lambda r: np.mean(r * r))


def crossing_time(times, values, level: float = np.exp(-1.0)) -> float:
    """First time a decaying positive function falls to ``level``.

    Interpolates ``ln(values)`` linearly in time between the last point above ``level`` and
    the first at or below it, so a pure exponential ``exp(-t/τ)`` gives ``τ`` exactly for
    ``level = 1/e``.

    Returns
    -------
    float
        The crossing time, or NaN when ``values`` never reach ``level`` (the caller must
        report such a time as unresolved, e.g. longer than ``times[-1]``).
    """
    t = np.asarray(times, dtype=np.float64)
    f = np.asarray(values, dtype=np.float64)
    if t.shape != f.shape or t.ndim != 1 or t.size < 2:
        raise ValueError("times and values must be 1-D arrays of the same length (at least 2)")
    if np.any(np.diff(t) <= 0):
        raise ValueError("times must be strictly increasing")
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level}")
    below = np.flatnonzero(f <= level)
    if below.size == 0:
        return float("nan")
    i = int(below[0])
    if i == 0:
        raise ValueError(f"values start at or below the level {level:.4g}; no crossing to locate")
    f0, f1 = f[i - 1], f[i]
    if f1 <= 0:  # noise took the function through zero: interpolate linearly instead
        return float(t[i - 1] + (f0 - level) / (f0 - f1) * (t[i] - t[i - 1]))
    return float(t[i - 1] + np.log(f0 / level) / np.log(f0 / f1) * (t[i] - t[i - 1]))


def diffusion_constant(times, msd, t_min: float, t_max: float = np.inf, dimension: int = 3):
    """Diffusion constant from a least-squares line ``MSD = 2 d D t + c`` on ``[t_min, t_max]``.

    Returns
    -------
    (D, stderr) : tuple of float
        Slope over ``2 d`` and its standard error from the fit residuals (the points are
        correlated, so treat the error as indicative only).

    Raises
    ------
    ValueError
        Fewer than 3 points in the window.
    """
    t = np.asarray(times, dtype=np.float64)
    m = np.asarray(msd, dtype=np.float64)
    window = (t >= t_min) & (t <= t_max)
    if window.sum() < 3:
        raise ValueError(
            f"diffusion fit needs at least 3 points with {t_min:g} <= t <= {t_max:g}, "
            f"found {int(window.sum())}"
        )
    line = fit_line(t[window], m[window])
    return line.slope / (2 * dimension), line.slope_stderr / (2 * dimension)


def block_average(series, n_blocks: int) -> tuple[float, float]:
    """Mean of a correlated time series and its standard error from ``n_blocks`` block means.

    The series is cut into ``n_blocks`` equal consecutive blocks (the first
    ``len % n_blocks`` values are dropped); the error is the standard deviation of the
    block means over ``sqrt(n_blocks)``. It is reliable when each block is much longer
    than the correlation time of the series.
    """
    x = np.asarray(series, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"series must be 1-D, got shape {x.shape}")
    if n_blocks < 2:
        raise ValueError(f"n_blocks must be at least 2, got {n_blocks}")
    if x.size < n_blocks:
        raise ValueError(f"series of {x.size} values cannot make {n_blocks} blocks")
    if not np.all(np.isfinite(x)):
        raise ValueError("series contains NaN or infinite values")
    size = x.size // n_blocks
    means = x[x.size - n_blocks * size :].reshape(n_blocks, size).mean(axis=1)
    return float(means.mean()), float(means.std(ddof=1) / np.sqrt(n_blocks))
