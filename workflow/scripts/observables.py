"""Glue: the scaling observables of one coarse-graining (M2, P0, COD, spectrum, pair locality)."""

import numpy as np
from rgcoarse.coarse.levels import levels_from_frame
from rgcoarse.io.datamatrix import read_data_matrix
from rgcoarse.io.tables import read_table, write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
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
    data = matrix.values.astype(np.float64)  # integer spins: sums and variances in float64
    frame, metadata = read_table(job.input.levels)
    levels = levels_from_frame(frame, data)
    metadata = dict(metadata, silence_threshold=p.silence_threshold, cod_max_rank=p.cod_max_rank)
    metadata.pop("dataset_metadata", None)
    metadata["dataset_metadata"] = matrix.metadata

    write_table(out.m2, mean_variance_table(data, levels), metadata)
    logger.info("M2 done")
    write_table(out.p0, silence_probability_table(binarise(data, p.silence_threshold), levels), metadata)
    logger.info("P0 done")
    level0, _ = read_table(job.input.level0_cod)  # the data's own COD, shared by every rule
    write_table(out.cod, cod_table(levels, p.cod_max_rank, level0=level0), metadata)
    logger.info("COD done")
    index = spectrum_level(levels, p.spectrum_cluster_size)
    write_table(out.spectrum, cluster_spectrum(data, levels, index), metadata)
    logger.info("spectrum at level %d done", index)
    write_table(out.pairs, pair_locality_table(levels, matrix.metadata.get("lattice_shape")), metadata)
    logger.info("wrote observables")


if "snakemake" not in globals():  # by hand: python workflow/scripts/observables.py results/observables/ising/T2.300/projection/m2.parquet
    snakemake = job_from_command_line("observables")
run_job(snakemake, main)
