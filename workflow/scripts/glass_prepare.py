"""Glue: prepare one Kob–Andersen run with LAMMPS: equilibrate from a random start, or start
from another temperature's equilibrated configuration and equilibrate (or quench and age).

Writes the final configuration (LAMMPS data file with velocities) and the thermo table of
the stage. The LAMMPS working directory next to the output keeps restart files while the
job runs, so a killed job resumes when run again; it is deleted on success.
"""

import dataclasses
import shutil
from pathlib import Path

from rgcoarse.glass import KobAndersenModel, Stage, run_stage
from rgcoarse.glass.lammps_io import read_thermo
from rgcoarse.io.atomic import atomic_path
from rgcoarse.io.tables import write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job


def main(job, logger):
    """Run the preparation stage (from job.input[0] when it starts from another run); write job.output.data/.thermo."""
    p = job.params
    model, stage = KobAndersenModel(**p.model), Stage(**p.stage)
    source = job.input[0] if len(job.input) else None
    logger.info("model: %s", model)
    logger.info("stage: %s", stage)
    workdir = Path(job.output.data).parent / f"work_{stage.kind}"
    result = run_stage(model, stage, workdir, input_data=source, command=p.engine["lammps_command"],
                       tasks=p.engine["tasks"], log=logger.info, progress_seconds=p.progress_seconds)
    # Only what the config determines goes into metadata (wall times and resumes are logged):
    # the same config gives the same files.
    metadata = dict(p.protocol, stage=dataclasses.asdict(stage), engine="LAMMPS", engine_version=result.engine_version)
    write_table(job.output.thermo, read_thermo(result.log), metadata)
    with atomic_path(job.output.data) as tmp:
        shutil.copyfile(result.output_data, tmp)
    shutil.rmtree(workdir)
    logger.info("wrote %s and %s", job.output.data, job.output.thermo)


if "snakemake" not in globals():  # run by hand: python workflow/scripts/glass_prepare.py results/glass/T1.000_r0/equilibrated.data
    snakemake = job_from_command_line("glass_prepare")
run_job(snakemake, main)
