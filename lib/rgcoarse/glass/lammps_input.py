"""The LAMMPS input script of a stage, and the LAMMPS seeds it uses."""

from __future__ import annotations

from rgcoarse.glass.model import NEIGHBOR_SKIN, PAIRS, KobAndersenModel
from rgcoarse.glass.stage import CHECKPOINTS, DUMP, INPUT_DATA, LOG, OUTPUT_DATA, Stage
from rgcoarse.config.seeds import derive_seed

__all__ = ["MIN_DISTANCE", "lammps_seeds", "input_script"]

MIN_DISTANCE = 0.7  # random insertion keeps particles this far apart; minimisation does the rest


# LAMMPS' Marsaglia generator (fix langevin) takes seeds in 1 .. 900,000,000 only.
MARSAGLIA_MAX_SEED = 900_000_000


def lammps_seeds(seed: int) -> dict:
    """Positive LAMMPS seeds (insertion of A, of B, velocities, Langevin noise) derived from ``seed``:
    31-bit, except the Langevin seed, which is at most :data:`MARSAGLIA_MAX_SEED`."""
    seeds = {name: derive_seed(seed, "lammps", name) or 1 for name in ("insert_a", "insert_b", "velocity")}
    seeds["langevin"] = derive_seed(seed, "lammps", "langevin") % MARSAGLIA_MAX_SEED or 1
    return seeds


def _number(value: float) -> str:
    return repr(float(value))


def input_script(model: KobAndersenModel, stage: Stage, restart_step: int | None = None) -> str:
    """The LAMMPS input script of ``stage`` (run inside the stage's working directory).

    Parameters
    ----------
    model : KobAndersenModel
    stage : Stage
    restart_step : int, optional
        Resume from ``checkpoints/restart.<restart_step>`` instead of starting afresh.
    """
    seeds = lammps_seeds(stage.seed)
    resume = restart_step is not None
    t_target = _number(stage.temperature)
    damp = _number(stage.thermostat_damping)
    lines = [
        f"# Kob-Andersen {model.n_a}:{model.n_b} binary LJ mixture, stage '{stage.kind}' at T = {stage.temperature}",
        "# written by rgcoarse.glass; edit the config, not this file",
        f"log {LOG} append",
        'print "rgcoarse: LAMMPS version $(version)"',
        "units lj",
        "atom_style atomic",
        "boundary p p p",
    ]
    if resume:
        lines.append(f"read_restart {CHECKPOINTS}/restart.{restart_step}")
    elif stage.kind == "equilibrate":
        length = _number(model.box_length)
        lines += [
            f"region box block 0.0 {length} 0.0 {length} 0.0 {length}",
            "create_box 2 box",
            f"create_atoms 1 random {model.n_a} {seeds['insert_a']} NULL overlap {MIN_DISTANCE} maxtry 1000",
            f"create_atoms 2 random {model.n_b} {seeds['insert_b']} NULL overlap {MIN_DISTANCE} maxtry 1000",
        ]
    else:
        lines.append(f"read_data {INPUT_DATA}")
    lines += [
        f"mass 1 {_number(model.mass)}",
        f"mass 2 {_number(model.mass)}",
        f"pair_style lj/cut {_number(model.cutoff_distance('max'))}",
    ]
    for pair, i, j in PAIRS:
        lines.append(
            f"pair_coeff {i} {j} {_number(model.epsilon[pair])} {_number(model.sigma[pair])} "
            f"{_number(model.cutoff_distance(pair))}"
        )
    lines += [
        "pair_modify shift yes",
        f"neighbor {NEIGHBOR_SKIN} bin",
        "neigh_modify every 1 delay 0 check yes",
        f"timestep {_number(stage.timestep)}",
    ]
    if not resume:
        if stage.kind == "equilibrate":
            # Minimisation thermo has other columns, so the thermo parser keeps only MD lines.
            lines += [
                "thermo_style custom step pe fnorm",
                "min_style cg",
                "minimize 1.0e-6 1.0e-8 10000 100000",
                "reset_timestep 0",
                f"velocity all create {t_target} {seeds['velocity']} dist gaussian mom yes rot no loop geom",
            ]
        else:
            lines.append("reset_timestep 0")
            if stage.kind == "quench" and stage.ramp_steps == 0:
                lines.append(f"velocity all scale {t_target}")
    lines += [
        "thermo_style custom step temp pe press etotal",
        "thermo_modify norm yes flush yes",
        f"thermo {stage.thermo_every}",
    ]
    if stage.dump_every:
        lines += [
            f"dump traj all custom {stage.dump_every} {DUMP} id type xu yu zu",
            "dump_modify traj sort id format float %.9g" + (" append yes" if resume else ""),
        ]
    lines.append(f"restart {stage.restart_every} {CHECKPOINTS}/restart.*")
    if stage.kind == "quench" and stage.ramp_steps and (restart_step or 0) < stage.ramp_steps:
        # Linear ramp; `start`/`stop` pin the ramp to absolute steps, so a resume continues it.
        lines += [
            f"fix thermostat all nvt temp {_number(stage.start_temperature)} {t_target} {damp}",
            f"run {stage.ramp_steps} upto start 0 stop {stage.ramp_steps}",
            "unfix thermostat",
        ]
    lines += _dynamics(stage, seeds["langevin"])
    lines += [
        f"run {stage.n_steps} upto",
        f"write_data {OUTPUT_DATA} nocoeff",
    ]
    return "\n".join(lines) + "\n"


def _dynamics(stage: Stage, langevin_seed: int) -> list[str]:
    """The fixes of the run at ``stage.temperature`` (see :data:`rgcoarse.glass.stage.THERMOSTATS`).

    Langevin noise is not in restart files: a resumed Langevin stage continues with a fresh
    stream from the same seed (statistically, not bitwise, the uninterrupted run).
    """
    t_target, damp = _number(stage.temperature), _number(stage.thermostat_damping)
    if stage.thermostat == "nose_hoover":
        return [f"fix thermostat all nvt temp {t_target} {t_target} {damp}"]
    if stage.thermostat == "langevin":
        return ["fix integrate all nve", f"fix thermostat all langevin {t_target} {t_target} {damp} {langevin_seed} zero yes"]
    return ["fix integrate all nve"]
