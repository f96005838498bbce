"""Glue: the sensitivity study's tables (rgcoarse.glass.study_tables) from every run's analysis."""

import json
from pathlib import Path

import pandas as pd
from rgcoarse.glass.study_tables import (
    add_common_mode_columns,
    claim_rows,
    claims_markdown,
    replica_spread,
    run_rows,
    size_scaling,
)
from rgcoarse.io.atomic import write_text
from rgcoarse.io.tables import read_table, write_csv, write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    summaries = [json.loads(Path(path).read_text()) for path in job.input.runs]
    levels = pd.concat([read_table(path)[0] for path in job.input.levels], ignore_index=True)
    rows = add_common_mode_columns(run_rows(summaries), levels)
    spread = replica_spread(rows)
    claims = claim_rows(spread)
    scaling = size_scaling(rows)
    write_csv(job.output.runs, rows)
    write_csv(job.output.exponents, spread)
    write_csv(job.output.scaling, scaling)
    write_text(job.output.claims, claims_markdown(claims, scaling=scaling))
    write_table(job.output.levels, levels, {"runs": len(summaries)})
    logger.info("%d runs, %d rows; %d of %d claim readings reproduce the paper", len(summaries), len(rows),
                int(claims["reproduced"].sum()) if len(claims) else 0, len(claims))


if "snakemake" not in globals():  # by hand: python workflow/scripts/glass_study_summary.py results/glass_study/runs.csv
    snakemake = job_from_command_line("glass_study_summary")
run_job(snakemake, main)
