"""Glue: conditional kappa_j of one lattice dataset's Gaussian approximation (rgcoarse.wcrg.bridge)."""

from rgcoarse.io.datamatrix import read_data_matrix
from rgcoarse.io.tables import write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.wcrg.bridge import gaussian_conditioning, lattice_fields


def main(job, logger):
    dataset, condition = job.wildcards.dataset, job.wildcards.condition
    matrix = read_data_matrix(job.input.data)
    key = "ising" if dataset == "ising" else f"user_datasets.{dataset}.lattice_shape"
    fields = lattice_fields(matrix.values, matrix.metadata["lattice_shape"], key)
    table = gaussian_conditioning(fields, job.params.wavelet).assign(dataset=dataset, condition=condition)
    write_table(job.output[0], table, {"dataset": dataset, "condition": condition, "wavelet": job.params.wavelet,
                                       "n_samples": int(fields.shape[0])})
    logger.info("%s %s: kappa full %.3g, conditional %s", dataset, condition, table["kappa"].iloc[0],
                ", ".join(f"{k:.2f}" for k in table["kappa"].iloc[1:]))


if "snakemake" not in globals():  # by hand: python workflow/scripts/wcrg_lattice.py results/wcrg/lattice/ising/T2.300.parquet
    snakemake = job_from_command_line("wcrg_lattice")
run_job(snakemake, main)
