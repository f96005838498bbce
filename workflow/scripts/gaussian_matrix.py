"""Glue: write the i.i.d. N(0, 1) random matrix of the paper's Fig. 1."""

import argparse

from rgcoarse import __version__
from rgcoarse.datamatrix import DataMatrix, write_data_matrix
from rgcoarse.gaussian import gaussian_matrix
from rgcoarse.joblog import job_logger


def main(output, n_features, n_samples, seed, log_path=None):
    logger = job_logger("gaussian_matrix", log_path)
    values = gaussian_matrix(n_features, n_samples, seed)
    metadata = {
        "dataset": "gaussian",
        "n_features": n_features,
        "n_samples": n_samples,
        "seed": seed,
        "generator": f"numpy PCG64 standard_normal (rgcoarse {__version__})",
    }
    write_data_matrix(output, DataMatrix(values, metadata))
    logger.info("wrote %s: %d samples x %d features", output, n_samples, n_features)


if "snakemake" in globals():
    p = snakemake.params
    main(snakemake.output[0], p.n_features, p.n_samples, p.seed, snakemake.log[0])
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output")
    parser.add_argument("--n-features", type=int, default=1024)
    parser.add_argument("--n-samples", type=int, default=2048)
    parser.add_argument("--seed", type=int, default=1)
    a = parser.parse_args()
    main(a.output, a.n_features, a.n_samples, a.seed)
