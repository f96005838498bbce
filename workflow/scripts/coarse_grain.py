"""Glue: coarse-grain one data matrix with one pairing rule; write every level as Parquet."""

from rgcoarse.checks import check_data_scale
from rgcoarse.coarse.coarse_grain import coarse_grain, levels_to_frame
from rgcoarse.io.datamatrix import read_data_matrix
from rgcoarse.io.tables import write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    source, method, p = job.input[0], job.wildcards.method, job.params
    matrix = read_data_matrix(source)
    check_data_scale(matrix.values, str(source))  # before any work: a clear error, never an overflow later
    lattice_shape = matrix.metadata.get("lattice_shape")
    logger.info("%s: %d samples x %d features, method %s", source, matrix.n_samples, matrix.n_features, method)
    levels = coarse_grain(
        matrix.values,
        method,
        omega=p.omega,
        min_variables=p.min_variables,
        seed=p.seed,
        lattice_shape=tuple(lattice_shape) if lattice_shape else None,
        **p.options,
    )
    logger.info("levels: %s", [level.n_variables for level in levels])
    metadata = {
        "source": str(source),
        "condition": job.wildcards.condition,
        "method": method,
        "omega": p.omega,
        "min_variables": p.min_variables,
        "seed": p.seed,
        "order": p.options.get("order"),
        "n_samples": matrix.n_samples,
        "n_features": matrix.n_features,
        "dataset_metadata": matrix.metadata,
    }
    write_table(job.output[0], levels_to_frame(levels), metadata)
    logger.info("wrote %s", job.output[0])


if "snakemake" not in globals():  # by hand: python workflow/scripts/coarse_grain.py results/coarse/ising/T2.300/projection.parquet
    snakemake = job_from_command_line("coarse_grain")
run_job(snakemake, main)
