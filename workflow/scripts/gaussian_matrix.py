"""Glue: write the i.i.d. N(0, 1) random matrix of the paper's Fig. 1."""

from rgcoarse import __version__
from rgcoarse.datasets.gaussian import gaussian_matrix
from rgcoarse.io.datamatrix import DataMatrix, write_data_matrix
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    p = job.params
    values = gaussian_matrix(p.n_features, p.n_samples, p.seed)
    metadata = {
        "dataset": "gaussian",
        "n_features": p.n_features,
        "n_samples": p.n_samples,
        "seed": p.seed,
        "generator": f"numpy PCG64 standard_normal (rgcoarse {__version__})",
    }
    write_data_matrix(job.output[0], DataMatrix(values, metadata))
    logger.info("wrote %s: %d samples x %d features", job.output[0], p.n_samples, p.n_features)


if "snakemake" not in globals():  # by hand: python workflow/scripts/gaussian_matrix.py results/data/gaussian/default.parquet
    snakemake = job_from_command_line("gaussian_matrix")
run_job(snakemake, main)
