"""Glue: gather every fit into results/exponents.{parquet,csv}, with the selection-bias controls beside each."""

import pandas as pd
from rgcoarse.io.tables import read_table, write_csv, write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.stats.controls import empty_null_statistics, with_controls


def main(job, logger):
    table = pd.concat([read_table(path)[0] for path in job.input.fits], ignore_index=True)
    nulls = (pd.concat([read_table(path)[0] for path in job.input.nulls], ignore_index=True) if len(job.input.nulls)
             else empty_null_statistics())
    table = with_controls(table.sort_values(["dataset", "condition", "method", "observable"], kind="stable"), nulls)
    write_table(job.output.parquet, table, {"n_fits": len(job.input.fits), "n_null_tables": len(job.input.nulls)})
    write_csv(job.output.csv, table)
    logger.info("wrote %d rows from %d fit files and %d null tables", len(table), len(job.input.fits),
                len(job.input.nulls))


if "snakemake" not in globals():  # by hand: python workflow/scripts/exponents_table.py results/exponents.parquet
    snakemake = job_from_command_line("exponents_table")
run_job(snakemake, main)
