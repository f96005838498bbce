"""Glue: every draw of one null model of one data matrix, kept as the claims' statistics (rgcoarse.stats.null_draws)."""

import numpy as np
from rgcoarse.io.datamatrix import read_data_matrix
from rgcoarse.io.tables import write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.stats.null_draws import null_statistics


def main(job, logger):
    w, p = job.wildcards, job.params
    matrix = read_data_matrix(job.input[0])
    lattice_shape = matrix.metadata.get("lattice_shape")
    statistics = dict(silence_threshold=p.silence_threshold, cod_max_rank=p.cod_max_rank or 0, **p.fit_range)
    logger.info("%s: %d draws of the %s null, rule %s", job.input[0], p.draws, w.model, w.method)
    table = null_statistics(matrix.values, w.model, w.method, n_draws=p.draws, seed=p.seed,
                            coarse=dict(omega=p.omega, min_variables=p.min_variables, **p.options),
                            statistics=statistics, lattice_shape=tuple(lattice_shape) if lattice_shape else None)
    table.insert(0, "dataset", w.dataset)
    table.insert(1, "condition", w.condition)
    table.insert(2, "temperature", float(matrix.metadata.get("temperature", np.nan)))
    table.insert(3, "model", w.model)
    table.insert(4, "method", w.method)
    write_table(job.output[0], table, {"source": str(job.input[0]), "seed": p.seed, "draws": p.draws, **statistics})
    logger.info("wrote %s", job.output[0])


if "snakemake" not in globals():  # by hand: python workflow/scripts/null_statistics.py results/nulls/glass/T0.400_r0/shift/projection.parquet
    snakemake = job_from_command_line("null_statistics")
run_job(snakemake, main)
