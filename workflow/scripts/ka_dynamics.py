"""Glue: self-intermediate scattering function and MSD of A and B particles of one
trajectory; tau_alpha (F_s(q, tau_alpha) = 1/e) and diffusion constants (MSD = 6 D t + c)."""

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from rgcoarse.glass_dynamics import (
    crossing_time,
    diffusion_constant,
    lag_frames,
    mean_squared_displacement,
    remove_com_drift,
    self_isf,
)
from rgcoarse.joblog import job_logger
from rgcoarse.lammps_io import read_trajectory
from rgcoarse.tables import write_table

SPECIES = {"a": 1, "b": 2}


def main(trajectory_path, output_table, output_summary, wavenumber, n_lags, msd_fit_min, log_path=None):
    logger = job_logger("ka_dynamics", log_path)
    trajectory, metadata = read_trajectory(trajectory_path)
    positions = remove_com_drift(trajectory.positions)
    lags = lag_frames(trajectory.n_frames, n_lags)
    times = lags * metadata["frame_interval"]
    table = {"lag_frames": lags, "time": times}
    summary = {"condition": metadata.get("condition"), "temperature": metadata["temperature"],
               "wavenumber": wavenumber, "longest_lag": float(times[-1]), "msd_fit_min": msd_fit_min}
    for name, type_id in SPECIES.items():
        selected = positions[:, trajectory.types == type_id]
        fs = self_isf(selected, wavenumber, lags)
        msd = mean_squared_displacement(selected, lags)
        table[f"fs_{name}"], table[f"msd_{name}"] = fs, msd
        tau = crossing_time(times, fs)
        summary[f"tau_alpha_{name}"] = None if np.isnan(tau) else tau
        # Diffusive regime: lags whose MSD exceeds msd_fit_min (well past the cage plateau).
        diffusive = np.flatnonzero(msd >= msd_fit_min)
        try:
            d, d_err = diffusion_constant(times, msd, t_min=times[diffusive[0]] if diffusive.size else np.inf)
        except ValueError as exc:
            logger.info("species %s: D unresolved (%s)", name.upper(), exc)
            d, d_err = None, None
        summary[f"d_{name}"], summary[f"d_{name}_error"] = d, d_err
        summary[f"msd_{name}_final"] = float(msd[-1])
        logger.info("species %s: tau_alpha = %s, D = %s +- %s", name.upper(), summary[f"tau_alpha_{name}"], d, d_err)
    write_table(output_table, pd.DataFrame(table), summary)
    Path(output_summary).write_text(json.dumps(summary, indent=1, sort_keys=True))


if "snakemake" in globals():
    p = snakemake.params
    main(snakemake.input[0], snakemake.output.table, snakemake.output.summary, p.wavenumber, p.n_lags,
         p.msd_fit_min, snakemake.log[0])
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("trajectory")
    parser.add_argument("output_table")
    parser.add_argument("output_summary")
    parser.add_argument("--wavenumber", type=float, default=7.25)
    parser.add_argument("--n-lags", type=int, default=60)
    parser.add_argument("--msd-fit-min", type=float, default=0.5)
    a = parser.parse_args()
    main(a.trajectory, a.output_table, a.output_summary, a.wavenumber, a.n_lags, a.msd_fit_min)
