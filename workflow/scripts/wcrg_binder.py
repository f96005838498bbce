"""Glue: Binder cumulants of phi^4 over lattice sizes x couplings, and their crossings."""

from rgcoarse.io.tables import write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.wcrg.binder import binder_crossings, binder_scan


def main(job, logger):
    s = job.params.settings
    table = binder_scan(s["sizes"], s["couplings"], n_samples=s["n_samples"], burn_in=s["burn_in"],
                        spacing=s["spacing"], seed=job.params.seed)
    crossings = binder_crossings(table)
    metadata = {**s, "seed": job.params.seed}
    write_table(job.output.binder, table, metadata)
    write_table(job.output.crossings, crossings, metadata)
    for row in crossings.itertuples():
        logger.info("L = %d and %d cross at beta = %.4f", row.size_small, row.size_large, row.beta_crossing)


if "snakemake" not in globals():  # by hand: python workflow/scripts/wcrg_binder.py results/wcrg/binder.parquet
    snakemake = job_from_command_line("wcrg_binder_scan")
run_job(snakemake, main)
