"""Glue: one feature comparison of the RMI paper (Fig. 2b or 2d): I~ of each feature at each level."""

from rgcoarse.io.tables import write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.rmi.experiments import example_samples, feature_comparison_table


def main(job, logger):
    s = job.params.settings
    table = feature_comparison_table(s["experiment"], s["levels"], s["model"], seed=job.params.seed,
                                     n_resamples=s["n_resamples"], confidence=s["confidence"],
                                     estimator=s["estimator"], bins=s["bins"])
    write_table(job.output.table, table, {"experiment": s["experiment"], "seed": job.params.seed, **s})
    write_table(job.output.examples, example_samples(s["experiment"], s["levels"], s["model"], seed=job.params.seed),
                {"experiment": s["experiment"], "seed": job.params.seed})
    logger.info("%s: %d features x %d levels", s["experiment"], table["feature"].nunique(), len(s["levels"]))


if "snakemake" not in globals():  # by hand: python workflow/scripts/rmi_features.py results/rmi/wave_packet.parquet
    snakemake = job_from_command_line("rmi_features")
run_job(snakemake, main)
