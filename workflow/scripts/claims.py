"""Glue: compare every claim of the paper's Figs. 1-3 with the reproduced tables."""

from rgcoarse.io.atomic import write_text
from rgcoarse.io.tables import write_csv
from rgcoarse.paper.claim_groups import all_claims
from rgcoarse.paper.claims import claims_frame, claims_markdown, claims_summary
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    frame = claims_frame(all_claims(dict(job.input.items()), job.params.settings))
    write_csv(job.output.csv, frame)
    write_text(job.output.md, "# Claims of the paper against this reproduction\n\n" + claims_summary(frame) + "\n"
               + claims_markdown(frame))
    logger.info("%d claims: %s", len(frame), frame["verdict"].value_counts().to_dict())


if "snakemake" not in globals():  # by hand: python workflow/scripts/claims.py results/claims.csv
    snakemake = job_from_command_line("claims")
run_job(snakemake, main)
