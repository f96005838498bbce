"""Glue: draw one figure of the RMI arm from its tables."""

from rgcoarse.io.tables import read_table
from rgcoarse.paper.plotting import save_figure
from rgcoarse.pipeline.rmi_plan import RMI_COMPARISON_FIGURES, RMI_OPTIMISATION_FIGURE
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.rmi.figures import draw_comparison, draw_fig3


def main(job, logger):
    figure, settings = job.wildcards.figure, job.params.settings
    if figure == RMI_OPTIMISATION_FIGURE:
        fig, caption = draw_fig3(read_table(job.input.trace)[0], read_table(job.input.runs)[0],
                                 read_table(job.input.grid)[0], settings)
    else:
        fig, caption = draw_comparison(RMI_COMPARISON_FIGURES[figure], read_table(job.input.table)[0],
                                       read_table(job.input.examples)[0], settings)
    save_figure(fig, job.output.pdf, job.output.png, job.output.caption, caption, dpi=job.params.dpi)
    logger.info("drew %s", figure)


if "snakemake" not in globals():  # by hand: python workflow/scripts/rmi_figure.py figures/rmi_fig2b.png
    snakemake = job_from_command_line("rmi_figure")
run_job(snakemake, main)
