"""Glue: fit the scaling exponents of one coarse-graining (M2, -ln P0, COD increment)."""

import numpy as np
import pandas as pd
from rgcoarse.coarse.levels import levels_from_frame
from rgcoarse.io.datamatrix import read_data_matrix
from rgcoarse.io.tables import read_table, write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.stats.bootstrap import (
    bootstrap_exponent,
    series_block_length,
)
from rgcoarse.stats.fits import cod_increment_row
from rgcoarse.stats.observables import binarise


def main(job, logger):
    fits, p = dict(job.params.fits), job.params
    matrix = read_data_matrix(job.input.data)
    data = matrix.values.astype(np.float64)  # integer spins: sums and variances in float64
    levels_frame, metadata = read_table(job.input.levels)
    levels = levels_from_frame(levels_frame, data)
    tau_int, block_length = (series_block_length(data, block_factor=fits["block_factor"])
                             if p.time_series else (np.nan, 1))
    resampling = (f"moving-block bootstrap over time, blocks of {block_length} frames (tau_int = {tau_int:.3g})"
                  if p.time_series else "bootstrap over samples")
    rule = dict(k_min=fits["k_min"], min_clusters=fits["min_clusters"], n_resamples=fits["n_bootstrap"],
                confidence=fits["confidence"], block_length=block_length, max_slope_change=fits["max_slope_change"])
    rows = []
    for observable, observed in (("m2", data), ("p0", binarise(data, p.silence_threshold))):
        estimate = bootstrap_exponent(observed, levels, observable, seed=p.seed, **rule)
        row = estimate.as_dict()
        interval = (f"t interval with {data.shape[0] // block_length - 1} degrees of freedom" if p.time_series
                    else "percentile")
        row["ci_method"] = f"{resampling}, {estimate.n_resamples} resamples, {interval}"
        row.update(tau_int=tau_int, block_length=block_length)
        rows.append(row)
        logger.info("%s: %s", observable, row)
    rows.append({**cod_increment_row(read_table(job.input.cod)[0], fits["cod_rank_range"], matrix.n_samples,
                                     fits["confidence"]),
                 "tau_int": tau_int, "block_length": block_length})
    identity = {
        "dataset": matrix.metadata.get("dataset", "unknown"),
        "condition": metadata.get("condition", ""),
        "method": metadata["method"],
        "temperature": float(matrix.metadata.get("temperature", np.nan)),
        "n_samples": matrix.n_samples,
        "n_features": matrix.n_features,
    }
    table = pd.DataFrame([{**identity, **row} for row in rows])
    write_table(job.output[0], table, {"fits": fits, "seed": p.seed, "silence_threshold": p.silence_threshold})
    logger.info("wrote %s", job.output[0])


if "snakemake" not in globals():  # by hand: python workflow/scripts/fit_exponents.py results/fits/ising/T2.300/projection.parquet
    snakemake = job_from_command_line("fit_exponents")
run_job(snakemake, main)
