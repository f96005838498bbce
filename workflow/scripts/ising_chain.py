"""Glue: simulate the 2D Ising model at one temperature and write its data matrix."""

from rgcoarse.io.datamatrix import (
    DataMatrix,
    lattice_feature_metadata,
    write_data_matrix,
)
from rgcoarse.ising import simulate_ising
from rgcoarse.pipeline.joblog import progress_reporter
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    settings = dict(job.params.settings)
    logger.info("settings: %s", settings)
    run = simulate_ising(
        settings["temperature"],
        settings["lattice_size"],
        settings["n_samples"],
        settings["seed"],
        wolff_window=settings["wolff_window"],
        spacing_factor=settings["spacing_factor"],
        pilot_sweeps=settings["pilot_sweeps"],
        burn_in_sweeps=settings["burn_in_sweeps"],
        progress=progress_reporter(logger, "samples", min_interval_s=1.0),
    )
    shape = [settings["lattice_size"]] * 2
    metadata = dict(run.metadata, dataset="ising", lattice_shape=shape)
    logger.info("metadata: %s", metadata)
    names = [f"s{f}" for f in range(run.samples.shape[1])]
    write_data_matrix(job.output[0], DataMatrix(run.samples, metadata, names, lattice_feature_metadata(shape)))
    logger.info("wrote %s", job.output[0])


if "snakemake" not in globals():  # by hand: python workflow/scripts/ising_chain.py results/data/ising/T2.300.parquet
    snakemake = job_from_command_line("ising_chain")
run_job(snakemake, main)
