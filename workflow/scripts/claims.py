"""Glue: compare every claim of the paper's Figs. 1-3 with the reproduced tables."""

from rgcoarse.datasets.nulls import persistence_null
from rgcoarse.io.atomic import write_text
from rgcoarse.io.tables import (
    read_null_tables_by_temperature,
    read_table,
    read_tables_by_temperature,
    write_csv,
)
from rgcoarse.paper.claims import claims_frame, claims_markdown
from rgcoarse.paper.claims_glass import figure3_claims
from rgcoarse.paper.claims_ising import eq29_claims, figure1_claims, figure2_claims
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    i, p = job.input, job.params
    exponents = read_table(i.exponents)[0]
    ising_cod = read_tables_by_temperature(i.ising_cod)
    claims = figure1_claims(read_table(i.gaussian_cod)[0], p.fig1_levels)
    claims += figure2_claims(exponents, read_tables_by_temperature(i.ising_m2), ising_cod, p.method, p.below_tc_temperature,
                             null_cods=read_null_tables_by_temperature(i.ising_null_cod))
    claims += eq29_claims(ising_cod, p.cod_rank_range)
    if len(i.glass_cod):
        high_t, low_t = p.glass_temperatures
        claims += figure3_claims(exponents, read_tables_by_temperature(i.glass_cod), p.method, high_t, low_t,
                                 m2_by_t=read_tables_by_temperature(i.glass_m2),
                                 null_m2_by_t=read_null_tables_by_temperature(i.glass_null_m2).get(persistence_null(), {}),
                                 null_cods=read_null_tables_by_temperature(i.glass_null_cod))
    frame = claims_frame(claims)
    write_csv(job.output.csv, frame)
    write_text(job.output.md, "# Claims of the paper against this reproduction\n\n" + claims_markdown(frame))
    logger.info("%d claims: %s", len(frame), frame["verdict"].value_counts().to_dict())


if "snakemake" not in globals():  # by hand: python workflow/scripts/claims.py results/claims.csv
    snakemake = job_from_command_line("claims")
run_job(snakemake, main)
