"""Glue: draw one figure of the wavelet conditional RG arm from its tables."""

import pandas as pd
from rgcoarse.io.tables import read_table
from rgcoarse.paper.plotting import save_figure
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.wcrg.figures import (
    draw_conditioning,
    draw_hessian_spectra,
    draw_ising_bridge,
    draw_sampling,
)


def _stacked(paths) -> pd.DataFrame:
    return pd.concat([read_table(p)[0] for p in paths], ignore_index=True)


def main(job, logger):
    figure = job.wildcards.figure
    if figure == "wcrg_conditioning":
        fig, caption = draw_conditioning(read_table(job.input.conditioning)[0])
    elif figure == "wcrg_hessians":
        fig, caption = draw_hessian_spectra(_stacked(job.input.histograms), _stacked(job.input.spectra))
    elif figure == "wcrg_ising_bridge":
        m2 = [read_table(p)[0].assign(condition=p.split("/")[-3]) for p in job.input.lattice_m2]
        fig, caption = draw_ising_bridge(_stacked(job.input.lattice), pd.concat(m2, ignore_index=True))
    else:
        fig, caption = draw_sampling(*(_stacked(job.input[name]) for name in ("sampling", "power", "marginals", "m2")))
    save_figure(fig, job.output.pdf, job.output.png, job.output.caption, caption, dpi=job.params.dpi)
    logger.info("drew %s", job.wildcards.figure)


if "snakemake" not in globals():  # by hand: python workflow/scripts/wcrg_figure.py figures/wcrg_conditioning.png
    snakemake = job_from_command_line("wcrg_figure")
run_job(snakemake, main)
