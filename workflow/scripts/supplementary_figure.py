"""Glue: one supplementary figure of the registry, drawn from the tables its entry names."""

from rgcoarse.io.tables import read_table
from rgcoarse.paper.plotting import save_figure
from rgcoarse.paper.supplementary import supplementary_figure
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    figure = supplementary_figure(job.wildcards.figure)
    tables = {
        key: [read_table(p) for p in paths] if isinstance(paths, list) else read_table(paths)
        for key, paths in job.input.items()
    }
    fig, caption = figure.draw(tables)
    save_figure(fig, job.output.pdf, job.output.png, job.output.caption, caption, dpi=job.params.dpi)
    logger.info("drew %s from %d input(s)", figure.name, len(tables))


if "snakemake" not in globals():  # by hand: python workflow/scripts/supplementary_figure.py figures/supp_ising_exponents.png
    snakemake = job_from_command_line("supplementary_figure")
run_job(snakemake, main)
