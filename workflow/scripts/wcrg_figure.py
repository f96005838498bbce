"""Glue: draw one figure of the wavelet conditional RG arm from its tables."""

import pandas as pd
from rgcoarse.io.tables import read_table
from rgcoarse.paper.plotting import save_figure
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.wcrg.figures import draw_conditioning, draw_hessian_spectra


def main(job, logger):
    if job.wildcards.figure == "wcrg_conditioning":
        fig, caption = draw_conditioning(read_table(job.input.conditioning)[0])
    else:
        spectra = pd.concat([read_table(p)[0] for p in job.input.spectra], ignore_index=True)
        histograms = pd.concat([read_table(p)[0] for p in job.input.histograms], ignore_index=True)
        fig, caption = draw_hessian_spectra(histograms, spectra)
    save_figure(fig, job.output.pdf, job.output.png, job.output.caption, caption, dpi=job.params.dpi)
    logger.info("drew %s", job.wildcards.figure)


if "snakemake" not in globals():  # by hand: python workflow/scripts/wcrg_figure.py figures/wcrg_conditioning.png
    snakemake = job_from_command_line("wcrg_figure")
run_job(snakemake, main)
