"""Glue: phi^4 fields at one coupling, score-matching fits per scale, Hessian spectra, multiscale sampling."""

from rgcoarse.io.tables import write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.wcrg.analysis import fit_tables
from rgcoarse.wcrg.generation import sampling_tables
from rgcoarse.wcrg.phi4 import phi4_samples


def main(job, logger):
    p = job.params
    s = p.phi4
    samples, acceptance = phi4_samples(s["size"], p.beta, s["n_samples"], seed=p.seed, burn_in=s["burn_in"],
                                       spacing=s["spacing"], step=s["step"])
    logger.info("beta %g: %d fields, acceptance %.2f", p.beta, len(samples), acceptance)
    fields = samples.reshape(-1, s["size"], s["size"])
    tables = fit_tables(fields, scales=p.score_matching["scales"], hessian_samples=p.score_matching["hessian_samples"],
                        beta=p.beta)
    tables.update(sampling_tables(fields, beta=p.beta, settings=p.sampling, omega=p.omega, seed=p.seed + 1))
    metadata = {"beta": p.beta, "seed": p.seed, "acceptance": acceptance, **s, **p.score_matching,
                **{f"sampling_{key}": value for key, value in p.sampling.items()}}
    for name, table in tables.items():
        write_table(job.output[name], table, metadata)


if "snakemake" not in globals():  # by hand: python workflow/scripts/wcrg_fits.py results/wcrg/fits/b0.930/spectra.parquet
    snakemake = job_from_command_line("wcrg_fits")
run_job(snakemake, main)
