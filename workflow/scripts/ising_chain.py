"""Glue: simulate the 2D Ising model at one temperature and write its data matrix."""

import argparse

import numpy as np
import pandas as pd

from rgcoarse.datamatrix import DataMatrix, write_data_matrix
from rgcoarse.ising import simulate_ising
from rgcoarse.joblog import job_logger, progress_reporter


def lattice_feature_metadata(lattice_size: int) -> pd.DataFrame:
    """Row/column of every spin: feature f sits at (f // L, f % L)."""
    index = np.arange(lattice_size * lattice_size)
    return pd.DataFrame({"row": index // lattice_size, "col": index % lattice_size})


def main(output, settings, log_path=None):
    logger = job_logger("ising_chain", log_path)
    logger.info("settings: %s", settings)
    run = simulate_ising(
        settings["temperature"],
        settings["lattice_size"],
        settings["n_samples"],
        settings["seed"],
        wolff_window=settings["wolff_window"],
        spacing_factor=settings["spacing_factor"],
        pilot_sweeps=settings["pilot_sweeps"],
        burn_in_sweeps=settings["burn_in_sweeps"],
        progress=progress_reporter(logger, "samples", min_interval_s=1.0),
    )
    metadata = dict(run.metadata, dataset="ising", lattice_shape=[settings["lattice_size"]] * 2)
    logger.info("metadata: %s", metadata)
    matrix = DataMatrix(
        run.samples,
        metadata,
        [f"s{f}" for f in range(run.samples.shape[1])],
        lattice_feature_metadata(settings["lattice_size"]),
    )
    write_data_matrix(output, matrix)
    logger.info("wrote %s", output)


if "snakemake" in globals():
    main(snakemake.output[0], dict(snakemake.params.settings), snakemake.log[0])
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output")
    parser.add_argument("--temperature", type=float, required=True)
    parser.add_argument("--lattice-size", type=int, default=64)
    parser.add_argument("--n-samples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--wolff-window", type=float, default=0.25)
    parser.add_argument("--spacing-factor", type=float, default=3.0)
    parser.add_argument("--pilot-sweeps", type=int, default=2000)
    parser.add_argument("--burn-in-sweeps", type=int, default=1000)
    args = vars(parser.parse_args())
    main(args.pop("output"), args)
