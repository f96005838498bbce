"""Glue: the sensitivity study's figures (rgcoarse.paper.glass_study_figures) from its tables."""

import pandas as pd
from rgcoarse.io.tables import read_table
from rgcoarse.paper.glass_study_figures import draw_local_exponents, draw_rho
from rgcoarse.paper.plotting import save_figure
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    runs = pd.read_csv(job.input.runs)
    scaling = pd.read_csv(job.input.scaling)
    levels, _ = read_table(job.input.levels)
    outputs = list(job.output)
    for index, (name, draw) in enumerate((("local_exponent", lambda: draw_local_exponents(levels, runs)),
                                          ("rho", lambda: draw_rho(runs, scaling)))):
        fig, caption = draw()
        pdf, png, text = outputs[3 * index: 3 * index + 3]
        save_figure(fig, pdf, png, text, caption, dpi=job.params.dpi)
        logger.info("drew %s", png)


if "snakemake" not in globals():  # by hand: python workflow/scripts/glass_study_figures.py figures/supp_glass_study_rho.png
    snakemake = job_from_command_line("glass_study_figures")
run_job(snakemake, main)
