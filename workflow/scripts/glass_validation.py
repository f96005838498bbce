"""Glue: the glass validation table (one row per Kob–Andersen run, and the equation-of-state
check against Pedersen, Schrøder & Dyre, PRL 120, 165501 (2018))."""

import json
from pathlib import Path

from rgcoarse.glass import validation_table
from rgcoarse.io.tables import write_csv
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    """Read job.input.summaries and job.input.dynamics (same order); write the table to job.output[0]."""
    summaries = [json.loads(Path(path).read_text()) for path in job.input.summaries]
    dynamics = [json.loads(Path(path).read_text()) for path in job.input.dynamics]
    table = validation_table(summaries, dynamics, dict(job.params.reference))
    for r in table.itertuples():
        logger.info("%s: U/N = %.4f +- %.4f, p = %.3f +- %.3f, tau_alpha(A) = %s, D(A) = %s %s", r.condition,
                    r.u_per_n, r.u_per_n_error, r.pressure, r.pressure_error, r.tau_alpha_a, r.d_a,
                    f"EOS check: {r.eos_check}" if isinstance(r.eos_check, str) else "")
    if (table["eos_check"] == "FAIL").any():
        logger.warning("equation-of-state check FAILED; see %s", job.output[0])
    write_csv(job.output[0], table)


if "snakemake" not in globals():  # run by hand: python workflow/scripts/glass_validation.py results/glass/validation.csv
    snakemake = job_from_command_line("glass_validation")
run_job(snakemake, main)
