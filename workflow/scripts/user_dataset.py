"""Glue: check a user's Parquet/CSV/NPY file against the data-matrix contract and store it."""

import argparse

from rgcoarse.datamatrix import read_user_matrix, write_data_matrix
from rgcoarse.joblog import job_logger


def main(source, output, dataset, log_path=None):
    logger = job_logger("user_dataset", log_path)
    matrix = read_user_matrix(source)  # raises naming the file and the problem
    matrix.metadata["dataset"] = dataset
    write_data_matrix(output, matrix)
    logger.info("wrote %s: %d samples x %d features from %s", output, matrix.n_samples, matrix.n_features, source)


if "snakemake" in globals():
    main(snakemake.input[0], snakemake.output[0], snakemake.wildcards.dataset, snakemake.log[0])
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source")
    parser.add_argument("output")
    parser.add_argument("--dataset", default="user")
    a = parser.parse_args()
    main(a.source, a.output, a.dataset)
