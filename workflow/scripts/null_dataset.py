"""Glue: write one draw of a null model of a data matrix (rgcoarse.datasets.nulls)."""

from rgcoarse import __version__
from rgcoarse.datasets.nulls import NULL_MODELS, null_matrix
from rgcoarse.io.datamatrix import DataMatrix, read_data_matrix, write_data_matrix
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    w, source = job.wildcards, job.input[0]
    matrix = read_data_matrix(source)
    values = null_matrix(matrix.values, w.model, job.params.seed)
    metadata = {
        **matrix.metadata,
        "dataset": f"{w.source}-{w.model}",
        "null_model": w.model,
        "null_keeps": NULL_MODELS[w.model].keeps,
        "null_draw": int(w.draw),
        "null_source": str(source),
        "null_seed": job.params.seed,
        "null_generator": f"rgcoarse.datasets.nulls.{NULL_MODELS[w.model].generate.__name__} (rgcoarse {__version__})",
    }
    write_data_matrix(job.output[0], DataMatrix(values, metadata, matrix.feature_names, matrix.feature_metadata))
    logger.info("wrote %s: %s null (draw %s) of %s", job.output[0], w.model, w.draw, source)


if "snakemake" not in globals():  # by hand: python workflow/scripts/null_dataset.py results/data/glass-shift/T0.400_r0_n0.parquet
    snakemake = job_from_command_line("null_dataset")
run_job(snakemake, main)
