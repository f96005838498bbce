"""Glue: check a user's Parquet/CSV/NPY file against the data-matrix contract and store it."""

from rgcoarse.io.datamatrix import write_data_matrix
from rgcoarse.io.user_files import read_user_matrix
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    source, output = job.input[0], job.output[0]
    # Every value is read and checked here (the parse-time check read only the header or footer);
    # raises DataMatrixError naming the file and the problem.
    matrix = read_user_matrix(source, dict(job.params.options))
    matrix.metadata["dataset"] = job.wildcards.dataset
    for note in ("dropped_id_columns", "dropped_constant_columns"):
        if note in matrix.metadata:
            logger.warning("%s: %s %s", source, note.replace("_", " "), matrix.metadata[note])
    write_data_matrix(output, matrix)
    logger.info("wrote %s: %d samples x %d features from %s", output, matrix.n_samples, matrix.n_features, source)


if "snakemake" not in globals():  # by hand: python workflow/scripts/user_dataset.py results/data/<name>/default.parquet
    snakemake = job_from_command_line("user_dataset")
run_job(snakemake, main)
