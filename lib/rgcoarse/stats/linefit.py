"""The one straight-line least-squares fit of the package (power laws are lines in log-log)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LineFit:
    """``y ~ intercept + slope * x``, its coefficient of determination and the slope's standard error."""

    slope: float
    intercept: float
    r_squared: float
    slope_stderr: float


def fit_line(x, y) -> LineFit:
    """Least-squares straight line through ``(x, y)``.

    ``x`` must hold at least two distinct values. A constant ``y`` is fitted exactly
    (``r_squared = 1``). Same estimates as ``scipy.stats.linregress``, but ``r_squared`` and
    the slope's standard error come from the residuals, not from ``1 - r**2``, which cancels
    to noise (about 1e-10) for an exact line.
    """
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError(f"y: expected the same 1-D shape as x, got {y.shape} and {x.shape}")
    if x.size < 2 or np.ptp(x) == 0:
        raise ValueError(f"x: a straight-line fit needs at least 2 distinct x values, got {np.unique(x).size}")
    slope, intercept = fit_lines(x, y)
    residual = y - (intercept + slope * x)
    total = np.sum((y - y.mean()) ** 2)
    r_squared = 1.0 - np.sum(residual**2) / total if total > 0 else 1.0
    dof = max(x.size - 2, 1)
    stderr = np.sqrt(np.sum(residual**2) / dof / np.sum((x - x.mean()) ** 2))
    return LineFit(float(slope), float(intercept), float(r_squared), float(stderr))


def fit_lines(x: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Slopes and intercepts of every row of ``ys`` against one ``x`` at once (bootstrap resamples)."""
    dx = x - x.mean()
    slope = (ys - ys.mean(axis=-1, keepdims=True)) @ dx / (dx @ dx)
    return slope, ys.mean(axis=-1) - slope * x.mean()
