"""Glue: the supplementary comparison of the pairing rules on the Ising and glass data."""

import pandas as pd
from rgcoarse.io.tables import read_table
from rgcoarse.paper.figures import draw_pairing_comparison, pair_locality_by_temperature
from rgcoarse.paper.plotting import save_figure
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    fits = pd.concat([read_table(p)[0] for p in job.input.fits], ignore_index=True)
    exponents = fits[(fits["observable"] == "m2") & (fits["status"] == "ok")]
    locality = pair_locality_by_temperature([read_table(p) for p in job.input.pairs])
    table = read_table(job.input.exponents)[0]
    m2 = table[table["observable"] == "m2"]
    null_bands = m2[(m2["dataset"] == "ising") & (m2["null_draws"] > 0)]
    glass = m2[(m2["dataset"] == "glass") & m2["condition"].str.endswith("_r0")]  # replica 0, as Fig. 3
    fig, caption = draw_pairing_comparison(exponents, locality, null_bands, glass, glass[glass["null_draws"] > 0])
    save_figure(fig, job.output.pdf, job.output.png, job.output.caption, caption, dpi=job.params.dpi)
    logger.info("drew supplementary pairing-rule comparison from %d fits", len(job.input.fits))


if "snakemake" not in globals():  # by hand: python workflow/scripts/supp_pairing_rules.py figures/supp_pairing_rules.png
    snakemake = job_from_command_line("supp_pairing_rules")
run_job(snakemake, main)
