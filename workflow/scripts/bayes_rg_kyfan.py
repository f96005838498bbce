"""Glue: variance kept by every pairing rule's coarse variables against the Ky Fan bound, per level."""

from pathlib import Path

import pandas as pd
from rgcoarse.bayes_rg.kyfan import kyfan_table
from rgcoarse.coarse.levels import levels_from_frame
from rgcoarse.io.datamatrix import read_data_matrix
from rgcoarse.io.tables import read_table, write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    tables = []
    datasets = [name.removesuffix("_data") for name in job.input.keys() if name.endswith("_data")]  # the plan's
    for dataset in datasets:
        data_path = job.input[f"{dataset}_data"]
        values = read_data_matrix(data_path).values.astype(float)
        levels = {Path(p).stem: levels_from_frame(read_table(p)[0], values) for p in job.input[f"{dataset}_levels"]}
        tables.append(kyfan_table(values, levels, dataset, Path(data_path).stem))
        logger.info("%s: %s", data_path, ", ".join(levels))
    write_table(job.output[0], pd.concat(tables, ignore_index=True), {})


if "snakemake" not in globals():  # by hand: python workflow/scripts/bayes_rg_kyfan.py results/bayes_rg/kyfan.parquet
    snakemake = job_from_command_line("bayes_rg_kyfan")
run_job(snakemake, main)
