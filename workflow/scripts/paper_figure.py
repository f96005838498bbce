"""Glue: draw one panel of the paper's Figs. 1-3 from Parquet tables (panels: rgcoarse.paper.panels)."""

from rgcoarse.paper.panels import draw_panel
from rgcoarse.paper.plotting import save_figure
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    panel, out = job.wildcards.panel, job.output
    fig, caption = draw_panel(panel, dict(job.input.items()), dict(job.params.settings), job.params.method)
    save_figure(fig, out.pdf, out.png, out.caption, caption, dpi=job.params.dpi)
    logger.info("drew %s", panel)


if "snakemake" not in globals():  # by hand: python workflow/scripts/paper_figure.py figures/fig2c.png
    snakemake = job_from_command_line("paper_figure")
run_job(snakemake, main)
