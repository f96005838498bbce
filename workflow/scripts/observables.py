"""Glue: the scaling observables of one coarse-graining (M2, P0, COD, spectrum, pair locality)."""

import argparse

import numpy as np
import pandas as pd

from rgcoarse.coarse_grain import levels_from_frame
from rgcoarse.datamatrix import read_data_matrix
from rgcoarse.joblog import job_logger
from rgcoarse.observables import (
    binarise,
    cluster_spectrum,
    mean_variance_table,
    nearest_neighbour_fraction,
    silence_probability_table,
    cod_table,
)
from rgcoarse.tables import read_table, write_table


def spectrum_level(levels, cluster_size):
    """The level whose largest cluster size is closest to ``cluster_size`` from below."""
    sizes = [max(len(m) for m in level.members) for level in levels]
    candidates = [i for i, k in enumerate(sizes) if k <= cluster_size and k >= 2]
    return candidates[-1] if candidates else min(1, len(levels) - 1)


def pair_locality(levels, lattice_shape):
    """Fraction of first-level pairs that are lattice nearest neighbours (empty off-lattice)."""
    columns = ["n_pairs", "nn_fraction", "random_expectation"]
    if lattice_shape is None or len(levels) < 2:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    pairs = levels[1].pairs
    n_features = int(np.prod(lattice_shape))
    return pd.DataFrame(
        {
            "n_pairs": [len(pairs)],
            "nn_fraction": [nearest_neighbour_fraction(pairs, tuple(lattice_shape))],
            "random_expectation": [4.0 / (n_features - 1)],
        }
    )


def main(data_path, levels_path, outputs, silence_threshold, cod_max_rank, spectrum_cluster_size, log_path=None):
    logger = job_logger("observables", log_path)
    matrix = read_data_matrix(data_path)
    data = matrix.values.astype(np.float64)
    frame, metadata = read_table(levels_path)
    levels = levels_from_frame(frame)
    metadata = dict(metadata, silence_threshold=silence_threshold, cod_max_rank=cod_max_rank)
    metadata.pop("dataset_metadata", None)
    metadata["dataset_metadata"] = matrix.metadata

    write_table(outputs["m2"], mean_variance_table(data, levels), metadata)
    logger.info("M2 done")
    silent = binarise(data, silence_threshold)
    write_table(outputs["p0"], silence_probability_table(silent, levels), metadata)
    logger.info("P0 done")
    write_table(outputs["cod"], cod_table(levels, cod_max_rank), metadata)
    logger.info("COD done")
    index = spectrum_level(levels, spectrum_cluster_size)
    write_table(outputs["spectrum"], cluster_spectrum(data, levels, index), metadata)
    logger.info("spectrum at level %d done", index)
    write_table(outputs["pairs"], pair_locality(levels, matrix.metadata.get("lattice_shape")), metadata)
    logger.info("wrote observables")


if "snakemake" in globals():
    p = snakemake.params
    main(snakemake.input.data, snakemake.input.levels, dict(snakemake.output.items()), p.silence_threshold,
         p.cod_max_rank, p.spectrum_cluster_size, snakemake.log[0])
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data")
    parser.add_argument("levels")
    parser.add_argument("outdir")
    parser.add_argument("--silence-threshold", type=float, default=0.0)
    parser.add_argument("--cod-max-rank", type=int, default=64)
    parser.add_argument("--spectrum-cluster-size", type=int, default=64)
    a = parser.parse_args()
    names = ("m2", "p0", "cod", "spectrum", "pairs")
    main(a.data, a.levels, {n: f"{a.outdir}/{n}.parquet" for n in names}, a.silence_threshold,
         a.cod_max_rank, a.spectrum_cluster_size)
