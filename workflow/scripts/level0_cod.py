"""Glue: stepwise COD of one condition's data matrix, level 0 of every pairing rule's COD table."""

from rgcoarse.io.datamatrix import read_data_matrix
from rgcoarse.io.tables import write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.stats.observables import level0_cod_table


def main(job, logger):
    matrix = read_data_matrix(job.input[0])
    table = level0_cod_table(matrix.values, job.params.cod_max_rank)
    write_table(job.output[0], table, {"source": str(job.input[0]), "cod_max_rank": job.params.cod_max_rank})
    logger.info("wrote %s (%d ranks)", job.output[0], len(table))


if "snakemake" not in globals():  # by hand: python workflow/scripts/level0_cod.py results/observables/ising/T2.300/level0_cod.parquet
    snakemake = job_from_command_line("level0_cod")
run_job(snakemake, main)
