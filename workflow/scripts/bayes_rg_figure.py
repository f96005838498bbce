"""Glue: draw one figure of the Bayesian renormalization arm from its tables."""

from rgcoarse.bayes_rg.figures import draw_fisher_spectrum, draw_kyfan, draw_pruning
from rgcoarse.io.tables import read_table
from rgcoarse.paper.plotting import save_figure
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    tables = {name: read_table(path)[0] for name, path in job.input.items()}
    draw = {"bayes_rg_pruning": draw_pruning, "bayes_rg_fisher_spectrum": draw_fisher_spectrum,
            "bayes_rg_kyfan": draw_kyfan}[job.wildcards.figure]
    fig, caption = draw(**tables)
    save_figure(fig, job.output.pdf, job.output.png, job.output.caption, caption, dpi=job.params.dpi)
    logger.info("drew %s", job.wildcards.figure)


if "snakemake" not in globals():  # by hand: python workflow/scripts/bayes_rg_figure.py figures/bayes_rg_pruning.png
    snakemake = job_from_command_line("bayes_rg_figure")
run_job(snakemake, main)
