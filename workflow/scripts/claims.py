"""Glue: compare every claim of the paper's Figs. 1-2 with the reproduced tables."""

import argparse

from rgcoarse.claims import claims_frame, claims_markdown, figure1_claims, figure2_claims, figure3_claims
from rgcoarse.joblog import job_logger
from rgcoarse.tables import read_table, read_tables_by_temperature as tables_by_temperature



def main(exponents_path, gaussian_cod, ising_m2, ising_cod, method, below_tc_temperature, csv_out, md_out,
         log_path=None, glass_cod=(), glass_temperatures=None):
    logger = job_logger("claims", log_path)
    exponents = read_table(exponents_path)[0]
    claims = figure1_claims(read_table(gaussian_cod)[0])
    claims += figure2_claims(exponents, tables_by_temperature(ising_m2), tables_by_temperature(ising_cod),
                             method, below_tc_temperature)
    if glass_cod:
        high_t, low_t = glass_temperatures or (1.0, 0.4)
        claims += figure3_claims(exponents, tables_by_temperature(glass_cod), method, high_t, low_t)
    frame = claims_frame(claims)
    frame.to_csv(csv_out, index=False, float_format="%.6g")
    with open(md_out, "w") as handle:
        handle.write("# Claims of the paper against this reproduction\n\n" + claims_markdown(frame))
    logger.info("%d claims: %s", len(frame), frame["verdict"].value_counts().to_dict())


if "snakemake" in globals():
    i, p = snakemake.input, snakemake.params
    main(i.exponents, i.gaussian_cod, list(i.ising_m2), list(i.ising_cod), p.method, p.below_tc_temperature,
         snakemake.output.csv, snakemake.output.md, snakemake.log[0], list(i.glass_cod), p.glass_temperatures)
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--exponents", default="results/exponents.parquet")
    parser.add_argument("--gaussian-cod", required=True)
    parser.add_argument("--ising-m2", nargs="+", required=True)
    parser.add_argument("--ising-cod", nargs="+", required=True)
    parser.add_argument("--method", default="projection")
    parser.add_argument("--below-tc-temperature", type=float, default=2.0)
    parser.add_argument("--glass-cod", nargs="*", default=[])
    parser.add_argument("--glass-temperatures", type=float, nargs=2, default=[1.0, 0.4],
                        help="temperatures of Fig. 3b and 3c")
    parser.add_argument("--csv", default="results/claims.csv")
    parser.add_argument("--md", default="results/claims.md")
    a = parser.parse_args()
    main(a.exponents, a.gaussian_cod, a.ising_m2, a.ising_cod, a.method, a.below_tc_temperature, a.csv, a.md,
         glass_cod=a.glass_cod, glass_temperatures=a.glass_temperatures)
