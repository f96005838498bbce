"""Glue: condition numbers of full and conditional Hessians of Gaussian fields."""

from rgcoarse.io.tables import write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.wcrg.conditioning import conditioning_table


def main(job, logger):
    s = job.params.settings
    table = conditioning_table(s["sizes"], s["etas"], s["wavelets"])
    write_table(job.output[0], table, dict(s))
    logger.info("%d condition numbers", len(table))


if "snakemake" not in globals():  # by hand: python workflow/scripts/wcrg_conditioning.py results/wcrg/conditioning.parquet
    snakemake = job_from_command_line("wcrg_conditioning")
run_job(snakemake, main)
