"""Glue: write one planted-structure data matrix with its truth (rgcoarse.datasets.planted)."""

from rgcoarse import __version__
from rgcoarse.datasets.planted import generate
from rgcoarse.io.datamatrix import DataMatrix, write_data_matrix
from rgcoarse.io.tables import write_csv
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    structure, settings, seed = job.wildcards.structure, dict(job.params.settings), job.params.seed
    values, truth, _ = generate(structure, settings.pop("n_features"), settings.pop("n_samples"), seed, **settings)
    metadata = {"dataset": "planted", "structure": structure, "seed": seed, **job.params.settings,
                "generator": f"rgcoarse.datasets.planted.generate (rgcoarse {__version__})"}
    write_data_matrix(job.output.data, DataMatrix(values, metadata, feature_metadata=truth))
    write_csv(job.output.truth, truth.rename_axis("feature").reset_index())
    logger.info("wrote %s: %s, %d samples x %d features", job.output.data, structure, *values.shape)


if "snakemake" not in globals():  # by hand: python workflow/scripts/planted_dataset.py results/data/planted/blocks.parquet
    snakemake = job_from_command_line("planted_dataset")
run_job(snakemake, main)
