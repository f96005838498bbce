"""Glue: coarse-grain one data matrix with one pairing rule; write every level as Parquet."""

import argparse

import numpy as np

from rgcoarse.coarse_grain import coarse_grain, levels_to_frame
from rgcoarse.datamatrix import read_data_matrix
from rgcoarse.joblog import job_logger
from rgcoarse.tables import write_table


def main(source, output, method, omega, min_variables, seed, order=None, log_path=None, condition=""):
    logger = job_logger("coarse_grain", log_path)
    matrix = read_data_matrix(source)
    lattice_shape = matrix.metadata.get("lattice_shape")
    if method == "lattice" and lattice_shape is None:
        raise ValueError(f"{source}: method 'lattice' needs lattice data (no lattice_shape in its metadata)")
    logger.info("%s: %d samples x %d features, method %s", source, matrix.n_samples, matrix.n_features, method)
    levels = coarse_grain(
        matrix.values.astype(np.float64),
        method,
        omega=omega,
        min_variables=min_variables,
        seed=seed,
        order=order or "index",
        lattice_shape=tuple(lattice_shape) if lattice_shape else None,
    )
    logger.info("levels: %s", [lv.values.shape[1] for lv in levels])
    metadata = {
        "source": str(source),
        "condition": condition,
        "method": method,
        "omega": omega,
        "min_variables": min_variables,
        "seed": seed,
        "order": order,
        "n_samples": matrix.n_samples,
        "n_features": matrix.n_features,
        "dataset_metadata": matrix.metadata,
    }
    write_table(output, levels_to_frame(levels), metadata)
    logger.info("wrote %s", output)


if "snakemake" in globals():
    p = snakemake.params
    main(snakemake.input[0], snakemake.output[0], snakemake.wildcards.method, p.omega, p.min_variables, p.seed,
         p.order, snakemake.log[0], snakemake.wildcards.condition)
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source")
    parser.add_argument("output")
    parser.add_argument("--method", required=True, choices=["projection", "correlation", "lattice", "random"])
    parser.add_argument("--omega", type=float, default=2**-0.5)
    parser.add_argument("--min-variables", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--order", default="index", choices=["index", "greedy"])
    parser.add_argument("--condition", default="", help="condition label stored in the metadata")
    a = parser.parse_args()
    main(a.source, a.output, a.method, a.omega, a.min_variables, a.seed, a.order, condition=a.condition)
