"""Glue: the RMI paper's Fig. 3, feature optimisation by gradient ascent on I~."""

from rgcoarse.io.tables import write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.rmi.experiments import optimisation_tables


def main(job, logger):
    tables = optimisation_tables(job.params.settings, seed=job.params.seed)
    for name, table in tables.items():
        write_table(job.output[name], table, {"seed": job.params.seed, **job.params.settings})
    runs = tables["runs"]
    logger.info("final I~ of %d runs (fresh samples): median %.3f", (runs["objective"] == "knn").sum(),
                runs.loc[runs["objective"] == "knn", "final_rmi"].median())


if "snakemake" not in globals():  # by hand: python workflow/scripts/rmi_optimise.py results/rmi/optimisation_runs.parquet
    snakemake = job_from_command_line("rmi_optimise")
run_job(snakemake, main)
