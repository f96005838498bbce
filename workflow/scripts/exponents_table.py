"""Glue: gather every fit into results/exponents.{parquet,csv}."""

import argparse

import pandas as pd

from rgcoarse.joblog import job_logger
from rgcoarse.tables import read_table, write_table


def main(fit_paths, parquet_out, csv_out, log_path=None):
    logger = job_logger("exponents_table", log_path)
    frames = [read_table(path)[0] for path in fit_paths]
    table = pd.concat(frames, ignore_index=True)
    table = table.sort_values(["dataset", "condition", "method", "observable"], kind="stable")
    write_table(parquet_out, table, {"n_fits": len(fit_paths)})
    table.to_csv(csv_out, index=False, float_format="%.6g")
    logger.info("wrote %d rows from %d fit files", len(table), len(fit_paths))


if "snakemake" in globals():
    main(list(snakemake.input), snakemake.output.parquet, snakemake.output.csv, snakemake.log[0])
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("fits", nargs="+")
    parser.add_argument("--parquet", default="results/exponents.parquet")
    parser.add_argument("--csv", default="results/exponents.csv")
    a = parser.parse_args()
    main(a.fits, a.parquet, a.csv)
