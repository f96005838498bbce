"""Glue: compare every claim of the paper's Figs. 1-3 with the reproduced tables."""

from rgcoarse.atomic import write_text
from rgcoarse.claims import claims_frame, claims_markdown, figure1_claims, figure2_claims, figure3_claims
from rgcoarse.snakemake_job import job_from_command_line, run_job
from rgcoarse.tables import read_table, read_tables_by_temperature, write_csv


def main(job, logger):
    i, p = job.input, job.params
    exponents = read_table(i.exponents)[0]
    claims = figure1_claims(read_table(i.gaussian_cod)[0])
    claims += figure2_claims(exponents, read_tables_by_temperature(i.ising_m2), read_tables_by_temperature(i.ising_cod),
                             p.method, p.below_tc_temperature)
    if len(i.glass_cod):
        high_t, low_t = p.glass_temperatures
        claims += figure3_claims(exponents, read_tables_by_temperature(i.glass_cod), p.method, high_t, low_t)
    frame = claims_frame(claims)
    write_csv(job.output.csv, frame)
    write_text(job.output.md, "# Claims of the paper against this reproduction\n\n" + claims_markdown(frame))
    logger.info("%d claims: %s", len(frame), frame["verdict"].value_counts().to_dict())


if "snakemake" not in globals():  # by hand: python workflow/scripts/claims.py results/claims.csv
    snakemake = job_from_command_line("claims")
run_job(snakemake, main)
