"""Glue: score-matching fits per scale and Hessian spectra of a user dataset that declares a lattice."""

from rgcoarse.io.datamatrix import read_data_matrix
from rgcoarse.io.tables import write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.wcrg.analysis import MAX_DISCRETE_LEVELS, distinct_levels, empty_fit_tables, user_fit_tables
from rgcoarse.wcrg.bridge import lattice_fields


def main(job, logger):
    dataset = job.wildcards.dataset
    matrix = read_data_matrix(job.input.data)
    fields = lattice_fields(matrix.values, matrix.metadata["lattice_shape"], f"user_datasets.{dataset}.lattice_shape")
    metadata = {"dataset": dataset, **job.params.score_matching}
    levels = distinct_levels(fields)
    if levels <= MAX_DISCRETE_LEVELS:  # spins or counts: no density, no score; the tables say "not fitted"
        tables = empty_fit_tables()
        metadata.update(status="not fitted", reason=f"{levels} distinct values: score matching needs continuous data")
        logger.warning("%s: not fitted (%s)", dataset, metadata["reason"])
    else:
        tables = user_fit_tables(fields, job.params.score_matching, name=f"user_datasets.{dataset}")
        metadata["status"] = "fitted"
        logger.info("%s: fitted %d scales", dataset, tables["spectra"]["scale"].max())
    for name, table in tables.items():
        write_table(job.output[name], table, metadata)


if "snakemake" not in globals():  # by hand: python workflow/scripts/wcrg_user_fits.py results/wcrg/user/<name>/theta.parquet
    snakemake = job_from_command_line("wcrg_user_fits")
run_job(snakemake, main)
