"""Glue: train the autoencoder per seed, take its encoder's Fisher, prune three ways (digits, MNIST or a user dataset)."""

from functools import partial

from rgcoarse.bayes_rg.data import digit_images, read_mnist, split, unit_scaled
from rgcoarse.bayes_rg.experiment import experiment_tables
from rgcoarse.io.datamatrix import read_data_matrix
from rgcoarse.io.tables import write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job

RULES = ("bayes_rg_pruning", "bayes_rg_user", "bayes_rg_mnist")


def _splits(job, logger):
    """seed -> (train, test) rows of the job's source, and what the tables' metadata says about it."""
    settings = job.params.settings
    if job.rule == "bayes_rg_mnist":
        train, test = read_mnist(job.params.path)
        return (lambda seed: (train, test)), {"source": "mnist", "path": job.params.path}
    if job.rule == "bayes_rg_user":
        name = f"user_datasets.{job.wildcards.dataset}"
        values, constant = unit_scaled(read_data_matrix(job.input.data).values, name)
        if constant:
            logger.warning("%s: %d constant columns set to 0 (their weights get zero Fisher)", name, constant)
        return partial(split, values, settings["test_fraction"]), {"source": name, "constant_columns": constant}
    return partial(split, digit_images(), settings["test_fraction"]), {"source": "sklearn load_digits"}


def main(job, logger):
    splits, about = _splits(job, logger)
    tables = experiment_tables(splits, settings=job.params.settings, seeds=job.params.seeds)
    metadata = {**about, **job.params.settings, "seeds": list(job.params.seeds)}
    if tables["eigen"].empty:
        metadata["eigen"] = "not formed: the full Fisher would exceed MAX_FULL_PARAMETERS weights; the diagonal is used"
    for name, table in tables.items():
        write_table(job.output[name], table, metadata)
    summary = tables["summary"]
    for (scheme, zeros_first), rows in summary.groupby(["scheme", "zeros_first"]):
        logger.info("%s%s: removable %.2f-%.2f", scheme, " (zeros first)" if zeros_first else "",
                    rows["removable_fraction"].min(), rows["removable_fraction"].max())


if "snakemake" not in globals():  # by hand: python workflow/scripts/bayes_rg_pruning.py results/bayes_rg/summary.parquet
    snakemake = job_from_command_line(RULES)
run_job(snakemake, main)
