"""Glue: score every pairing rule on the planted structures (table and supplementary figure)."""

import pandas as pd
from rgcoarse.coarse.levels import levels_from_frame
from rgcoarse.datasets.planted import analytic_covariance
from rgcoarse.io.datamatrix import read_data_matrix
from rgcoarse.io.tables import read_table, write_csv
from rgcoarse.paper.plotting import save_figure
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.stats.planted_benchmark import (
    COLUMNS,
    benchmark_row,
    draw_planted_benchmark,
)


def main(job, logger):
    p = job.params
    exponents = read_table(job.input.exponents)[0]
    exponents = exponents[(exponents["dataset"] == "planted") & (exponents["observable"] == "m2")]
    matrices = {matrix.metadata["structure"]: matrix for matrix in map(read_data_matrix, job.input.data)}
    rows = []
    for path in job.input.levels:
        frame, metadata = read_table(path)
        structure, method = metadata["condition"], metadata["method"]
        truth = matrices[structure].feature_metadata
        covariance = analytic_covariance(structure, truth, **p.settings)
        fit = exponents[(exponents["condition"] == structure) & (exponents["method"] == method)]
        rows.append(benchmark_row(structure, method, levels_from_frame(frame, matrices[structure].values), truth, covariance,
                                  fit.iloc[0].to_dict() if len(fit) else None, p.fit_rule))
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    write_csv(job.output.csv, table)
    fig, caption = draw_planted_benchmark(table)
    save_figure(fig, job.output.pdf, job.output.png, job.output.caption, caption, dpi=p.dpi)
    logger.info("scored %d (structure, rule) pairs", len(table))


if "snakemake" not in globals():  # by hand: python workflow/scripts/planted_benchmark.py results/planted_benchmark.csv
    snakemake = job_from_command_line("planted_benchmark")
run_job(snakemake, main)
