"""Glue: p_hop (paper eq. 30) of every particle of one trajectory -> the glass data matrix."""

import numpy as np
from rgcoarse.glass import phop_data_matrix
from rgcoarse.glass.lammps_io import read_trajectory
from rgcoarse.io.datamatrix import write_data_matrix
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    """Read the trajectory job.input[0]; write its p_hop data matrix to job.output[0]."""
    trajectory, metadata = read_trajectory(job.input[0])
    logger.info("%d frames x %d particles, t_R = %g", trajectory.n_frames, trajectory.n_particles,
                job.params.phop_window)
    matrix = phop_data_matrix(trajectory, metadata, job.params.phop_window)
    write_data_matrix(job.output[0], matrix)
    logger.info("wrote %s: %d samples x %d particles (%d frames each side), mean p_hop %.4g", job.output[0],
                *matrix.values.shape, matrix.metadata["phop_half_window_frames"], float(np.mean(matrix.values)))


if "snakemake" not in globals():  # run by hand: python workflow/scripts/glass_phop.py results/data/glass/T1.000_r0.parquet
    snakemake = job_from_command_line("glass_phop")
run_job(snakemake, main)
