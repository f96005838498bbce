"""Glue: self-intermediate scattering function and MSD of A and B particles of one
trajectory; tau_alpha (F_s(q, tau_alpha) = 1/e) and diffusion constants (MSD = 6 D t + c)."""

import json

from rgcoarse.glass import species_dynamics
from rgcoarse.glass.lammps_io import read_trajectory
from rgcoarse.io.atomic import write_text
from rgcoarse.io.tables import write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    """Read the trajectory job.input[0]; write the curves to job.output.table, tau_alpha and D to job.output.summary."""
    p = job.params
    trajectory, metadata = read_trajectory(job.input[0])
    table, dynamics = species_dynamics(trajectory, metadata["frame_interval"], p.wavenumber, p.n_lags,
                                       p.msd_fit_min, log=logger.info)
    summary = {"condition": metadata.get("condition"), "temperature": metadata["temperature"], **dynamics}
    write_table(job.output.table, table, summary)
    write_text(job.output.summary, json.dumps(summary, indent=1, sort_keys=True))
    logger.info("wrote %s and %s", job.output.table, job.output.summary)


if "snakemake" not in globals():  # run by hand: python workflow/scripts/glass_dynamics.py results/glass/T1.000_r0/dynamics.json
    snakemake = job_from_command_line("glass_dynamics")
run_job(snakemake, main)
