"""Glue: prepare one Kob–Andersen run with LAMMPS: equilibrate from a random start, or start
from another temperature's equilibrated configuration and equilibrate (or quench and age).

Writes the final configuration (LAMMPS data file with velocities) and the thermo table of
the stage. The LAMMPS working directory next to the output keeps restart files while the
job runs, so a killed job resumes when run again; it is deleted on success.
"""

import argparse
import dataclasses
import shutil
from pathlib import Path

from rgcoarse.joblog import job_logger
from rgcoarse.kob_andersen import DEFAULT_COMMAND, KAModel, Stage, run_stage
from rgcoarse.lammps_io import read_thermo
from rgcoarse.tables import write_table


def main(output_data, output_thermo, model, stage, protocol, engine, source=None, log_path=None,
         progress_seconds=30.0):
    logger = job_logger("ka_prepare", log_path)
    model, stage = KAModel(**model), Stage(**stage)
    logger.info("model: %s", model)
    logger.info("stage: %s", stage)
    workdir = Path(output_data).parent / f"work_{stage.kind}"
    result = run_stage(model, stage, workdir, input_data=source, command=engine["lammps_command"],
                       tasks=engine["tasks"], log=logger.info, progress_seconds=progress_seconds)
    # Only what the config determines goes into metadata (wall times and resumes are logged):
    # the same config gives the same files.
    metadata = dict(protocol, stage=dataclasses.asdict(stage), engine="LAMMPS", engine_version=result.engine_version)
    write_table(output_thermo, read_thermo(result.log), metadata)
    tmp = Path(output_data).with_name(Path(output_data).name + ".tmp")
    shutil.copyfile(result.output_data, tmp)
    tmp.replace(output_data)
    shutil.rmtree(workdir)
    logger.info("wrote %s and %s", output_data, output_thermo)


if "snakemake" in globals():
    p = snakemake.params
    main(snakemake.output.data, snakemake.output.thermo, dict(p.model), dict(p.stage), dict(p.protocol),
         dict(p.engine), source=(snakemake.input[0] if len(snakemake.input) else None),
         log_path=snakemake.log[0], progress_seconds=p.progress_seconds)
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output_data")
    parser.add_argument("output_thermo")
    parser.add_argument("--temperature", type=float, required=True)
    parser.add_argument("--steps", type=int, required=True, help="MD steps of equilibration (or ageing)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--n-particles", type=int, default=1000)
    parser.add_argument("--start-from-data", help="start from this data file instead of a random start")
    parser.add_argument("--start-temperature", type=float, help="temperature of --start-from-data")
    parser.add_argument("--command", default=DEFAULT_COMMAND)
    parser.add_argument("--tasks", type=int, default=1)
    a = parser.parse_args()
    kind = "quench" if a.start_from_data else "equilibrate"
    stage = dict(kind=kind, temperature=a.temperature, n_steps=a.steps, seed=a.seed,
                 start_temperature=a.start_temperature)
    protocol = {"protocol": "equilibrate", "start": a.start_from_data or "random"}
    main(a.output_data, a.output_thermo, {"n_particles": a.n_particles}, stage, protocol,
         {"lammps_command": a.command, "tasks": a.tasks}, source=a.start_from_data)
