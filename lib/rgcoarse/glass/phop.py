"""The hopping indicator p_hop of the paper's eq. (30) (Candelier, Dauchot & Biroli, PRL 102,
088001 (2009)):

    p_hop(i, t) = sqrt( <(r_i - <r_i>_B)^2>_A  <(r_i - <r_i>_A)^2>_B ),
    A = [t - t_R/2, t],  B = [t, t + t_R/2].

On a trajectory sampled every frame, with ``h = t_R / 2`` in frames, the windows are the
closed frame ranges ``A = [c - h, c]`` and ``B = [c, c + h]`` (``h + 1`` frames each, both
holding the centre frame ``c``), so p_hop is defined for ``h <= c <= n_frames - 1 - h``.

Writing ``mu_W``, ``var_W`` for the mean position and the (3-D) positional variance over
window ``W`` and ``delta = mu_A - mu_B``,

    <(r - mu_B)^2>_A = var_A + |delta|^2,   <(r - mu_A)^2>_B = var_B + |delta|^2,

so every window needs only sums of ``r`` and ``|r|^2`` over it: differences of prefix
sums, O(1) per (frame, particle) whatever ``t_R``. A particle at rest gives 0; a clean jump
of length ``d`` between frames ``c`` and ``c + 1`` gives ``d^2 (h / (h + 1))^(3/2)`` at ``c``
(and at ``c + 1``), which tends to ``d^2`` for long windows.
"""

from __future__ import annotations

import numba
import numpy as np

from rgcoarse.glass.correlation_functions import remove_com_drift

__all__ = ["half_window_frames", "phop", "phop_direct", "phop_centres"]


def half_window_frames(t_r: float, frame_interval: float) -> int:
    """``h = t_R / (2 Δt)`` in frames; raises unless it is a positive integer.

    Parameters
    ----------
    t_r : float
        Full window t_R (time units).
    frame_interval : float
        Time between frames Δt.
    """
    if not (t_r > 0 and frame_interval > 0):
        raise ValueError(f"t_R ({t_r}) and the frame interval ({frame_interval}) must be positive")
    half = t_r / (2.0 * frame_interval)
    if abs(half - round(half)) > 1e-9 * max(1.0, half) or round(half) < 1:
        raise ValueError(
            f"t_R / 2 = {t_r / 2:g} is not a positive whole number of frame intervals ({frame_interval:g})"
        )
    return int(round(half))


def _checked(positions, half_window: int) -> np.ndarray:
    x = np.asarray(positions)
    if x.ndim != 3 or x.shape[2] != 3:
        raise ValueError(f"positions must have shape (n_frames, n_particles, 3), got {x.shape}")
    if half_window < 1:
        raise ValueError(f"half window must be at least 1 frame, got {half_window}")
    if x.shape[0] < 2 * half_window + 1:
        raise ValueError(
            f"{x.shape[0]} frames are too few for windows of half-width {half_window} "
            f"(need at least {2 * half_window + 1})"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError("positions contain NaN or infinite values")
    return x


def phop_centres(n_frames: int, half_window: int) -> np.ndarray:
    """Frame indices ``c`` at which p_hop is defined (full windows on both sides)."""
    return np.arange(half_window, n_frames - half_window)


@numba.njit(cache=True)
def _phop_prefix(x, half_window, remove_drift):  # pragma: no cover - compiled
    n_frames, n_particles, _ = x.shape
    n_out = n_frames - 2 * half_window
    n_win = half_window + 1
    # Centre-of-mass displacement of every frame since frame 0 (float64 accumulation).
    shift = np.zeros((n_frames, 3))
    if remove_drift:
        for f in range(n_frames):
            for i in range(n_particles):
                for d in range(3):
                    shift[f, d] += np.float64(x[f, i, d])
        for f in range(n_frames - 1, -1, -1):
            for d in range(3):
                shift[f, d] = (shift[f, d] - shift[0, d]) / n_particles
    # Prefix sums over frames of r and |r|^2, with r taken relative to the particle's first
    # frame: small values, so differences of prefix sums lose little to cancellation.
    # Frames are the outer loop so memory is walked in order.
    s1 = np.empty((n_frames + 1, n_particles, 3))
    s2 = np.empty((n_frames + 1, n_particles))
    s1[0] = 0.0
    s2[0] = 0.0
    for f in range(n_frames):
        for i in range(n_particles):
            sq = 0.0
            for d in range(3):
                v = np.float64(x[f, i, d]) - np.float64(x[0, i, d]) - shift[f, d]
                s1[f + 1, i, d] = s1[f, i, d] + v
                sq += v * v
            s2[f + 1, i] = s2[f, i] + sq
    out = np.empty((n_out, n_particles))
    for k in range(n_out):
        centre = k + half_window
        lo_a, hi_a = centre - half_window, centre + 1  # A = frames [lo_a, hi_a)
        lo_b, hi_b = centre, centre + half_window + 1  # B = frames [lo_b, hi_b)
        for i in range(n_particles):
            delta2 = 0.0
            mean_sq_a = 0.0
            mean_sq_b = 0.0
            for d in range(3):
                mu_a = (s1[hi_a, i, d] - s1[lo_a, i, d]) / n_win
                mu_b = (s1[hi_b, i, d] - s1[lo_b, i, d]) / n_win
                delta2 += (mu_a - mu_b) ** 2
                mean_sq_a += mu_a * mu_a
                mean_sq_b += mu_b * mu_b
            var_a = max((s2[hi_a, i] - s2[lo_a, i]) / n_win - mean_sq_a, 0.0)
            var_b = max((s2[hi_b, i] - s2[lo_b, i]) / n_win - mean_sq_b, 0.0)
            out[k, i] = np.sqrt((var_a + delta2) * (var_b + delta2))
    return out


def phop(positions, half_window: int, remove_drift: bool = True) -> np.ndarray:
    """p_hop of every particle at every centre frame, by prefix sums (float64).

    Parameters
    ----------
    positions : array, shape (n_frames, n_particles, 3)
        Unwrapped positions at equally spaced frames (float32 or float64).
    half_window : int
        ``h = t_R / 2`` in frames (see :func:`half_window_frames`).
    remove_drift : bool
        Subtract the centre-of-mass displacement (equal masses) of every frame first.

    Returns
    -------
    ndarray, shape (n_frames - 2 h, n_particles)
        Row ``k`` is centre frame ``k + h`` (:func:`phop_centres`).
    """
    x = _checked(positions, half_window)
    if x.dtype not in (np.float32, np.float64):
        x = x.astype(np.float64)
    return _phop_prefix(np.ascontiguousarray(x), int(half_window), bool(remove_drift))


def phop_direct(positions, half_window: int, remove_drift: bool = True) -> np.ndarray:
    """Reference implementation: eq. (30) evaluated window by window, O(t_R) per point.

    Same arguments and result as :func:`phop`; kept for tests and benchmarks.
    """
    x = _checked(positions, half_window)
    x = remove_com_drift(x) if remove_drift else x.astype(np.float64)
    centres = phop_centres(x.shape[0], half_window)
    out = np.empty((centres.size, x.shape[1]))
    for k, c in enumerate(centres):
        window_a = x[c - half_window : c + 1]
        window_b = x[c : c + half_window + 1]
        mean_a = window_a.mean(axis=0)
        mean_b = window_b.mean(axis=0)
        spread_a = np.sum((window_a - mean_b) ** 2, axis=2).mean(axis=0)  # <(r - <r>_B)^2>_A
        spread_b = np.sum((window_b - mean_a) ** 2, axis=2).mean(axis=0)  # <(r - <r>_A)^2>_B
        out[k] = np.sqrt(spread_a * spread_b)
    return out

