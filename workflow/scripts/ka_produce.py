"""Glue: NVT production of one Kob–Andersen run; unwrapped trajectory + thermodynamic summary.

The trajectory Parquet (frame, id, type, x, y, z as float32) carries the run's metadata
(model, protocol, engine and version, thermodynamic averages with block errors); the same
metadata goes to a small JSON summary for the validation table.
"""

import argparse
import dataclasses
import json
import shutil
from pathlib import Path

from rgcoarse.joblog import job_logger
from rgcoarse.kob_andersen import DEFAULT_COMMAND, KAModel, Stage, run_stage, thermo_summary
from rgcoarse.lammps_io import read_dump, write_trajectory
from rgcoarse.tables import read_table


def main(input_data, input_thermo, output_trajectory, output_summary, model, stage, engine, block_count,
         condition=None, log_path=None, progress_seconds=30.0):
    logger = job_logger("ka_produce", log_path)
    model, stage = KAModel(**model), Stage(**stage)
    _, preparation = read_table(input_thermo)
    logger.info("model: %s", model)
    logger.info("stage: %s", stage)
    workdir = Path(output_trajectory).parent / "work_produce"
    result = run_stage(model, stage, workdir, input_data=input_data, command=engine["lammps_command"],
                       tasks=engine["tasks"], log=logger.info, progress_seconds=progress_seconds)
    trajectory = read_dump(result.dump)
    thermo = thermo_summary(result.log, block_count)
    logger.info("thermodynamics: %s", thermo)
    metadata = {
        "condition": condition,
        "temperature": stage.temperature,
        "n_particles": model.n_particles,
        "n_a": model.n_a,
        "n_b": model.n_b,
        "density": model.density,
        "box_length": model.box_length,
        "model": dataclasses.asdict(model),
        "timestep": stage.timestep,
        "thermostat": "Nose-Hoover NVT (LAMMPS fix nvt)",
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
    write_trajectory(output_trajectory, trajectory, metadata)
    tmp = Path(output_summary).with_name(Path(output_summary).name + ".tmp")
    tmp.write_text(json.dumps(metadata, indent=1, sort_keys=True))
    tmp.replace(output_summary)
    shutil.rmtree(workdir)
    logger.info("wrote %s (%d frames) and %s", output_trajectory, trajectory.n_frames, output_summary)


if "snakemake" in globals():
    p = snakemake.params
    main(snakemake.input.data, snakemake.input.thermo, snakemake.output.trajectory, snakemake.output.summary,
         dict(p.model), dict(p.stage), dict(p.engine), p.block_count, condition=snakemake.wildcards.condition,
         log_path=snakemake.log[0], progress_seconds=p.progress_seconds)
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input_data", help="equilibrated LAMMPS data file")
    parser.add_argument("input_thermo", help="equilibration thermo table (its metadata is carried over)")
    parser.add_argument("output_trajectory")
    parser.add_argument("output_summary")
    parser.add_argument("--temperature", type=float, required=True)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--dump-every", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--n-particles", type=int, default=1000)
    parser.add_argument("--blocks", type=int, default=10)
    parser.add_argument("--command", default=DEFAULT_COMMAND)
    parser.add_argument("--tasks", type=int, default=1)
    a = parser.parse_args()
    stage = dict(kind="produce", temperature=a.temperature, n_steps=a.steps, seed=a.seed, dump_every=a.dump_every)
    main(a.input_data, a.input_thermo, a.output_trajectory, a.output_summary, {"n_particles": a.n_particles},
         stage, {"lammps_command": a.command, "tasks": a.tasks}, a.blocks)
