"""Glue: the scaling observables of one coarse-graining (M2, P0, COD, spectrum, pair locality) and
their fitted exponents (M2, -ln P0, COD increment), in one job."""

import numpy as np
import pandas as pd
from rgcoarse.coarse.levels import levels_from_frame
from rgcoarse.io.datamatrix import read_data_matrix
from rgcoarse.io.tables import read_table, write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.stats.exponent_fits import exponent_rows
from rgcoarse.stats.observables import (
    binarise,
    cluster_spectrum,
    cod_table,
    mean_variance_table,
    silence_probability_table,
    spectrum_level,
)
from rgcoarse.stats.pair_locality import pair_locality_table


def main(job, logger):
    p, out = job.params, job.output
    matrix = read_data_matrix(job.input.data)
    frame, metadata = read_table(job.input.levels)
    levels = levels_from_frame(frame, matrix.values)
    # Level 0 is the data in float64 (integer spins: sums and variances in float64), column-major:
    # one copy of the data serves both, and the stored type's copy is let go.
    data, dataset_metadata = levels[0].values, matrix.metadata
    del matrix
    silent = binarise(data, p.silence_threshold)
    metadata = dict(metadata, silence_threshold=p.silence_threshold, cod_max_rank=p.cod_max_rank)
    metadata.pop("dataset_metadata", None)
    metadata["dataset_metadata"] = dataset_metadata

    write_table(out.m2, mean_variance_table(data, levels), metadata)
    logger.info("M2 done")
    write_table(out.p0, silence_probability_table(silent, levels), metadata)
    logger.info("P0 done")
    level0, _ = read_table(job.input.level0_cod)  # the data's own COD, shared by every rule
    cod = cod_table(levels, p.cod_max_rank, level0=level0)
    write_table(out.cod, cod, metadata)
    logger.info("COD done")
    index = spectrum_level(levels, p.spectrum_cluster_size)
    write_table(out.spectrum, cluster_spectrum(data, levels, index), metadata)
    logger.info("spectrum at level %d done", index)
    write_table(out.pairs, pair_locality_table(levels, dataset_metadata.get("lattice_shape")), metadata)
    logger.info("wrote observables")

    rows = exponent_rows(data, silent, levels, cod, fits=p.fits, time_series=p.time_series, seed=p.seed,
                         log=logger.info)
    identity = {
        "dataset": dataset_metadata.get("dataset", "unknown"),
        "condition": metadata.get("condition", ""),
        "method": metadata["method"],
        "temperature": float(dataset_metadata.get("temperature", np.nan)),
        "n_samples": data.shape[0],
        "n_features": data.shape[1],
    }
    write_table(out.fits, pd.DataFrame([{**identity, **row} for row in rows]),
                {"fits": dict(p.fits), "seed": p.seed, "silence_threshold": p.silence_threshold})
    logger.info("wrote %s", out.fits)


if "snakemake" not in globals():  # by hand: python workflow/scripts/observables.py results/fits/ising/T2.300/projection.parquet
    snakemake = job_from_command_line("observables")
run_job(snakemake, main)
