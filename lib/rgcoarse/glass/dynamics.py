"""Dynamics of one Kob–Andersen trajectory, per species: F_s(q, t), MSD(t), tau_alpha and D.

tau_alpha is the first time with ``F_s(q, tau_alpha) = 1/e``; D comes from ``MSD = 6 D t + c``
fitted over the lags whose MSD is at least ``msd_fit_min`` (well past the cage plateau).
Unresolved values (F_s above 1/e at the longest lag, too few diffusive lags) are None.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.glass.correlation_functions import (
    crossing_time,
    diffusion_constant,
    lag_frames,
    mean_squared_displacement,
    remove_com_drift,
    self_isf,
)
from rgcoarse.glass.model import TYPE_IDS

__all__ = ["species_dynamics"]


def species_dynamics(trajectory, frame_interval: float, wavenumber: float, n_lags: int, msd_fit_min: float,
                     log=None) -> tuple[pd.DataFrame, dict]:
    """F_s(q, t) and MSD(t) of the A and B particles of ``trajectory``; tau_alpha and D of each.

    Parameters
    ----------
    trajectory : rgcoarse.glass.lammps_io.Trajectory
        Unwrapped positions; the centre-of-mass drift is removed first.
    frame_interval : float
        Time between frames (tau).
    wavenumber : float
        q of F_s.
    n_lags : int
        Target number of log-spaced lags (see :func:`rgcoarse.glass.correlation_functions.lag_frames`).
    msd_fit_min : float
        Smallest MSD of the lags used for D.
    log : callable, optional
        Receives one message per species (and why D is unresolved, when it is).

    Returns
    -------
    (DataFrame, dict)
        Columns ``lag_frames, time, fs_a, msd_a, fs_b, msd_b``; and ``wavenumber``, ``longest_lag``,
        ``msd_fit_min`` and per species ``tau_alpha_<s>``, ``d_<s>``, ``d_<s>_error``, ``msd_<s>_final``.
    """
    log = log or (lambda message: None)
    positions = remove_com_drift(trajectory.positions)
    lags = lag_frames(trajectory.n_frames, n_lags)
    times = lags * frame_interval
    table = {"lag_frames": lags, "time": times}
    summary = {"wavenumber": wavenumber, "longest_lag": float(times[-1]), "msd_fit_min": msd_fit_min}
    for species, type_id in TYPE_IDS.items():
        name = species.lower()
        selected = positions[:, trajectory.types == type_id]
        fs = self_isf(selected, wavenumber, lags)
        msd = mean_squared_displacement(selected, lags)
        table[f"fs_{name}"], table[f"msd_{name}"] = fs, msd
        tau = crossing_time(times, fs)
        summary[f"tau_alpha_{name}"] = None if np.isnan(tau) else tau
        diffusive = np.flatnonzero(msd >= msd_fit_min)
        try:
            d, d_err = diffusion_constant(times, msd, t_min=times[diffusive[0]] if diffusive.size else np.inf)
        except ValueError as exc:
            log(f"species {species}: D unresolved ({exc})")
            d, d_err = None, None
        summary[f"d_{name}"], summary[f"d_{name}_error"] = d, d_err
        summary[f"msd_{name}_final"] = float(msd[-1])
        log(f"species {species}: tau_alpha = {summary[f'tau_alpha_{name}']}, D = {d} +- {d_err}")
    return pd.DataFrame(table), summary
