"""Glue: production of one Kob–Andersen run; unwrapped trajectory, thermo series and summary.

The trajectory Parquet (frame, id, type, x, y, z as float32) carries the run's metadata
(model, protocol, engine and version, thermodynamic averages with block errors); the same
metadata goes to a small JSON summary for the validation table, and the thermo series of the
production (step, time, T_kin, U/N, p, E/N) to its own table.
"""

import dataclasses
import json
import shutil
from pathlib import Path

from rgcoarse.glass import KobAndersenModel, Stage, run_stage, thermo_summary
from rgcoarse.glass.lammps_io import read_dump, read_thermo, write_trajectory
from rgcoarse.io.atomic import write_text
from rgcoarse.io.tables import read_table, write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job

THERMOSTAT_NAMES = {
    "nose_hoover": "Nose-Hoover NVT (LAMMPS fix nvt)",
    "langevin": "Langevin (LAMMPS fix langevin + fix nve, zero total momentum)",
    "nve": "NVE (LAMMPS fix nve)",
}


def main(job, logger):
    """Run production from job.input.data; write job.output.trajectory, .summary and .thermo."""
    p = job.params
    model, stage = KobAndersenModel(**p.model), Stage(**p.stage)
    engine = dict(p.engine)
    _, preparation = read_table(job.input.thermo)
    logger.info("model: %s", model)
    logger.info("stage: %s", stage)
    workdir = Path(job.output.trajectory).parent / "work_produce"
    result = run_stage(model, stage, workdir, input_data=job.input.data, command=engine["lammps_command"],
                       tasks=engine["tasks"], log=logger.info, progress_seconds=p.progress_seconds)
    trajectory = read_dump(result.dump)
    thermo = thermo_summary(result.log, p.block_count)
    logger.info("thermodynamics: %s", thermo)
    metadata = {
        "condition": job.wildcards.condition,
        "temperature": stage.temperature,
        "n_particles": model.n_particles,
        "n_a": model.n_a,
        "n_b": model.n_b,
        "density": model.density,
        "box_length": model.box_length,
        "model": dataclasses.asdict(model),
        "timestep": stage.timestep,
        "thermostat": THERMOSTAT_NAMES[stage.thermostat],
        "thermostat_damping": stage.thermostat_damping,
        "seed": stage.seed,
        "preparation": preparation,
        "protocol": preparation.get("protocol"),
        "equilibrated": preparation.get("equilibrated"),
        "production_time": stage.n_steps * stage.timestep,
        "frame_interval": stage.dump_every * stage.timestep,
        "n_frames": trajectory.n_frames,
        "engine": "LAMMPS",
        "engine_version": result.engine_version,
        "lammps_command": engine["lammps_command"],
        "tasks": engine["tasks"],
        "thermo": thermo,
    }
    series = read_thermo(result.log)
    series.insert(1, "time", series["step"] * stage.timestep)
    write_table(job.output.thermo, series, {"condition": job.wildcards.condition, "temperature": stage.temperature,
                                            "thermostat": stage.thermostat, "thermostat_damping": stage.thermostat_damping})
    write_trajectory(job.output.trajectory, trajectory, metadata)
    write_text(job.output.summary, json.dumps(metadata, indent=1, sort_keys=True))
    shutil.rmtree(workdir)
    logger.info("wrote %s (%d frames) and %s", job.output.trajectory, trajectory.n_frames, job.output.summary)


if "snakemake" not in globals():  # run by hand: python workflow/scripts/glass_produce.py results/glass/T1.000_r0/trajectory.parquet
    snakemake = job_from_command_line("glass_produce")
run_job(snakemake, main)
