"""Glue: supplementary figure of the glass validation (equation of state, F_s(q, t), MSD(t),
tau_alpha(T), D(T)) from the validation table and the dynamics tables."""

import pandas as pd
from rgcoarse.io.tables import read_table
from rgcoarse.paper.glass_figures import draw_glass_validation
from rgcoarse.paper.plotting import save_figure
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    """Read job.input.table and job.input.dynamics; write job.output.pdf/.png/.caption."""
    table = pd.read_csv(job.input.table)
    curves = [(metadata, frame) for frame, metadata in map(read_table, job.input.dynamics)]
    fig, caption = draw_glass_validation(table, curves)
    save_figure(fig, job.output.pdf, job.output.png, job.output.caption, caption, dpi=job.params.dpi)
    logger.info("drew the glass validation figure from %d runs", len(curves))


if "snakemake" not in globals():  # run by hand: python workflow/scripts/glass_validation_figure.py figures/supp_glass_validation.pdf
    snakemake = job_from_command_line("glass_validation_figure")
run_job(snakemake, main)
