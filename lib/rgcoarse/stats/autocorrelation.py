"""Integrated autocorrelation times of Monte Carlo time series.

Conventions follow A. D. Sokal, "Monte Carlo Methods in Statistical Mechanics:
Foundations and New Algorithms" (Cargèse lectures, 1996), Sec. 3:

* normalised autocorrelation ``rho(t) = C(t) / C(0)`` with
  ``C(t) = 1/(n - t) * sum_i (x_i - mean)(x_{i+t} - mean)``;
* integrated autocorrelation time ``tau_int = 1/2 + sum_{t >= 1} rho(t)``, so an
  uncorrelated series has ``tau_int = 1/2`` and the variance of the sample mean
  is ``2 * tau_int * var(x) / n``;
* automatic windowing: sum up to the smallest window ``W`` with
  ``W >= c * tau_int(W)`` (``c`` = ``window_factor``, 4 to 10 is customary).

For an AR(1) process ``x_{t+1} = phi x_t + noise`` one has ``rho(t) = phi**t`` and
``tau_int = (1 + phi) / (2 (1 - phi))``, the exact value the tests check against.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "normalised_autocorrelation",
    "sokal_window",
    "integrated_autocorrelation_time",
    "ar1_integrated_autocorrelation_time",
    "correlated_standard_error",
]


def _as_series(series, name: str = "series") -> np.ndarray:
    x = np.asarray(series, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {x.shape}")
    if x.size < 2:
        raise ValueError(f"{name} needs at least 2 values, got {x.size}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return x


def _check_window_factor(window_factor: float) -> float:
    if not np.isfinite(window_factor) or window_factor <= 0:
        raise ValueError(f"window_factor must be a finite number > 0, got {window_factor!r}")
    return float(window_factor)


def normalised_autocorrelation(series) -> np.ndarray:
    """Normalised autocorrelation ``rho(t)`` for lags ``t = 0 .. n-1`` (FFT, O(n log n)).

    Parameters
    ----------
    series : array_like, shape (n,)
        Finite real values, ``n >= 2``.

    Returns
    -------
    numpy.ndarray, shape (n,)
        ``rho[0] == 1``; ``rho[t] = C(t) / C(0)`` with ``C(t)`` averaged over the
        ``n - t`` available pairs. A constant series has no fluctuations to
        correlate; it returns ``rho = [1, 0, 0, ...]`` (uncorrelated), not NaN.
    """
    x = _as_series(series)
    n = x.size
    centred = x - x.mean()
    # Zero-pad to >= 2n so the circular correlation equals the linear one.
    n_fft = 1 << int(2 * n - 1).bit_length()
    spectrum = np.fft.rfft(centred, n=n_fft)
    lagged_sums = np.fft.irfft(spectrum * np.conj(spectrum), n=n_fft)[:n]
    covariance = lagged_sums / np.arange(n, 0, -1)
    rho = np.zeros(n)
    rho[0] = 1.0
    # Relative threshold: a series constant up to rounding counts as constant.
    if covariance[0] > 1e-300 and np.sqrt(covariance[0]) > 1e-12 * np.max(np.abs(x)):
        rho[1:] = covariance[1:] / covariance[0]
    return rho


def sokal_window(rho, window_factor: float = 5.0) -> int:
    """Smallest window ``W >= 1`` with ``W >= window_factor * tau_int(W)``.

    Parameters
    ----------
    rho : array_like, shape (n,)
        Normalised autocorrelation, ``rho[0] == 1``.
    window_factor : float
        Sokal's ``c``.

    Returns
    -------
    int
        The window. If no lag satisfies the criterion the series is too short
        for a reliable estimate and the largest lag, ``n - 1``, is returned.
    """
    c = _check_window_factor(window_factor)
    rho = np.asarray(rho, dtype=np.float64)
    if rho.ndim != 1 or rho.size < 2:
        raise ValueError("rho must be one-dimensional with at least 2 lags")
    tau_running = 0.5 + np.cumsum(rho[1:])  # tau_int(W) for W = 1 .. n-1
    windows = np.arange(1, rho.size)
    satisfied = np.flatnonzero(windows >= c * tau_running)
    return int(windows[satisfied[0]]) if satisfied.size else int(rho.size - 1)


def integrated_autocorrelation_time(series, window_factor: float = 5.0) -> float:
    """Integrated autocorrelation time with Sokal's automatic windowing.

    Parameters
    ----------
    series : array_like, shape (n,)
        Equally spaced measurements (e.g. one per sweep); ``n >= 2``.
    window_factor : float
        Sokal's ``c``; the estimate sums ``rho(t)`` for ``1 <= t <= W``.

    Returns
    -------
    float
        ``tau_int`` in units of the series spacing (``0.5`` if uncorrelated).
        Reliable when ``n`` is at least a few hundred times ``tau_int``.
    """
    rho = normalised_autocorrelation(series)
    window = sokal_window(rho, window_factor)
    return float(0.5 + np.sum(rho[1 : window + 1]))


def ar1_integrated_autocorrelation_time(phi: float) -> float:
    """Exact ``tau_int = (1 + phi) / (2 (1 - phi))`` of an AR(1) process, ``|phi| < 1``."""
    if not -1.0 < phi < 1.0:
        raise ValueError(f"phi must satisfy -1 < phi < 1, got {phi!r}")
    return (1.0 + phi) / (2.0 * (1.0 - phi))


def correlated_standard_error(series, tau_int: float) -> float:
    """Standard error of the mean of a correlated series, ``sqrt(2 tau_int var / n)``.

    Parameters
    ----------
    series : array_like, shape (n,)
        The measurements.
    tau_int : float
        Their integrated autocorrelation time in units of the series spacing
        (``0.5`` for independent samples, giving the usual ``std / sqrt(n)``).
    """
    x = _as_series(series)
    if not np.isfinite(tau_int) or tau_int <= 0:
        raise ValueError(f"tau_int must be a finite number > 0, got {tau_int!r}")
    return float(np.sqrt(2.0 * tau_int * x.var(ddof=1) / x.size))
