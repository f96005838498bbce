"""Glue: the Binder-cumulant figure of the wavelet conditional RG arm."""

from rgcoarse.io.tables import read_table
from rgcoarse.paper.plotting import save_figure
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.wcrg.figures import draw_binder


def main(job, logger):
    fig, caption = draw_binder(read_table(job.input.binder)[0], read_table(job.input.crossings)[0])
    save_figure(fig, job.output.pdf, job.output.png, job.output.caption, caption, dpi=job.params.dpi)
    logger.info("drew wcrg_binder")


if "snakemake" not in globals():  # by hand: python workflow/scripts/wcrg_binder_figure.py figures/wcrg_binder.png
    snakemake = job_from_command_line("wcrg_binder_figure")
run_job(snakemake, main)
