"""Glue: p_hop (paper eq. 30) of every particle of one trajectory -> the glass data matrix.

Rows are the centre times t of full windows (t_R / 2 <= t <= t_end - t_R / 2, one per
frame), columns the particles (named ``p<id>``), with particle id and type (A/B) as feature
metadata and the run's metadata (temperature, protocol, engine, thermodynamics, ...).
"""

import argparse

import numpy as np
import pandas as pd

from rgcoarse.datamatrix import DataMatrix, write_data_matrix
from rgcoarse.joblog import job_logger
from rgcoarse.lammps_io import read_trajectory
from rgcoarse.phop import half_window_frames, phop, phop_centres

TYPE_NAMES = {1: "A", 2: "B"}


def main(trajectory_path, output, phop_window, log_path=None):
    logger = job_logger("ka_phop", log_path)
    trajectory, metadata = read_trajectory(trajectory_path)
    frame_interval = metadata["frame_interval"]
    half = half_window_frames(phop_window, frame_interval)
    logger.info("%d frames x %d particles, t_R = %g (%d frames each side)", trajectory.n_frames,
                trajectory.n_particles, phop_window, half)
    values = phop(trajectory.positions, half)
    centres = phop_centres(trajectory.n_frames, half)
    metadata = {key: value for key, value in metadata.items() if key != "timesteps"}
    metadata.update(
        dataset="ka",
        observable="p_hop",
        phop_window=phop_window,
        phop_half_window_frames=half,
        sample_times=[float(c * frame_interval) for c in centres],
        generator="rgcoarse.phop (prefix sums, centre-of-mass drift removed)",
    )
    features = pd.DataFrame({"particle_id": trajectory.ids, "type": [TYPE_NAMES[t] for t in trajectory.types]})
    names = [f"p{i}" for i in trajectory.ids]
    write_data_matrix(output, DataMatrix(values, metadata, names, features))
    logger.info("wrote %s: %d samples x %d particles, mean p_hop %.4g", output, *values.shape, float(np.mean(values)))


if "snakemake" in globals():
    main(snakemake.input[0], snakemake.output[0], snakemake.params.phop_window, snakemake.log[0])
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("trajectory", help="trajectory Parquet written by ka_produce.py")
    parser.add_argument("output", help="data-matrix Parquet")
    parser.add_argument("--phop-window", type=float, default=10.0, help="t_R in tau")
    args = parser.parse_args()
    main(args.trajectory, args.output, args.phop_window)
