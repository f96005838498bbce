# Kob–Andersen glass arm (paper Sec. V): LAMMPS equilibration (or quench and ageing) and
# production per temperature and replica, p_hop data matrices, and a validation table
# (equation of state, tau_alpha, D) with its supplementary figure.
#
#   results/glass/{condition}/equilibrated.data        final configuration of equilibration/ageing
#   results/glass/{condition}/trajectory.parquet       unwrapped positions (frame, id, type, x, y, z)
#   results/glass/{condition}/summary.json             run metadata + thermodynamics (block errors)
#   results/data/glass/{condition}.parquet             p_hop data matrix (time samples x particles)
#   results/glass/{condition}/dynamics.{parquet,json}  F_s(q, t), MSD(t); tau_alpha, D
#   results/glass/validation.csv, figures/supp_glass_validation.{pdf,png,caption.txt}
#
# condition = T{temperature:.3f}_r{replica}. The LAMMPS working directories
# results/glass/{condition}/work_* (restart files) are not outputs: a killed job leaves its
# directory so that re-running it resumes; a finished job deletes it.

import math

from rgcoarse.conditions import find_temperature, replica_condition, temperature_condition, with_override
from rgcoarse.constants import TEMPERATURE_DECIMALS
from rgcoarse.kob_andersen import REFERENCE_KEYS as GLASS_REFERENCE_KEYS
from rgcoarse.kob_andersen import KAModel, equilibration_time, steps, tau_alpha_estimate
from rgcoarse.kob_andersen.command import command_placeholders

GLASS = config["glass"]
GLASS_CONDITION = rf"T[0-9]+\.[0-9]{{{TEMPERATURE_DECIMALS}}}_r[0-9]+"
# Keys a temperature may override (glass.overrides."<T>": {...}).
GLASS_TEMPERATURE_KEYS = (
    "protocol",
    "start_from",
    "ramp",
    "equilibration",
    "equilibration_tau_alpha",
    "min_equilibration",
    "aging",
    "production",
    "frame_interval",
)
GLASS_PROGRESS_SECONDS = 30  # cadence of progress lines in the LAMMPS job logs
# Namespace of the LAMMPS seeds (derive_seed(config seed, namespace, condition, stage)): the glass
# kind's seed name (rgcoarse.dataset_kinds), its former name, so renaming the arm changed no trajectory.
GLASS_SEED_NAMESPACE = seed_name("glass")


def _glass_split(condition):
    temperature, replica = condition[1:].split("_r")
    return float(temperature), int(replica)


def _glass_is_temperature(temperature):
    return find_temperature(temperature, GLASS["temperatures"]) is not None


def glass_settings(condition):
    """Protocol of one run: glass defaults, then the temperature's override.

    The equation-of-state run (validation.eos_temperature, replica 0), when that is not one
    of the temperatures, is a random-start equilibration with the validation lengths.
    """
    temperature, replica = _glass_split(condition)
    defaults = {key: GLASS.get(key) for key in GLASS_TEMPERATURE_KEYS}
    if not _glass_is_temperature(temperature):
        validation = GLASS["validation"]
        defaults.update(protocol="equilibrate", start_from=None, equilibration=validation["eos_equilibration"],
                        production=validation["eos_production"])
    settings = with_override(defaults, GLASS["overrides"], temperature)
    settings.update(temperature=temperature, replica=replica)
    if settings["protocol"] == "equilibrate" and settings["equilibration"] == "auto":
        try:
            length = equilibration_time(temperature, settings["equilibration_tau_alpha"], settings["min_equilibration"])
        except ValueError as exc:
            raise ConfigError(f"config key glass.equilibration ({condition}): {exc}") from None
        settings["equilibration"] = float(math.ceil(length))
    return settings


def _glass_steps(condition, key, value, multiple_of=1):
    """A duration in tau as MD steps; a bad value stops the dry-run naming its key."""
    try:
        return steps(float(value), GLASS["timestep"], f"glass.{key} ({condition})", multiple_of)
    except ValueError as exc:
        raise ConfigError(f"config key {exc}") from None


def glass_model():
    return {key: GLASS[key] for key in ("n_particles", "fraction_a", "density", "cutoff", "cutoff_scaling")}


def _glass_stage(condition, kind):
    return {
        "timestep": GLASS["timestep"],
        "thermostat_damping": GLASS["thermostat_damping"],
        "thermo_every": _glass_steps(condition, "thermo_interval", GLASS["thermo_interval"]),
        "restart_every": _glass_steps(condition, "restart_interval", GLASS["restart_interval"]),
        "seed": derive_seed(config["seed"], GLASS_SEED_NAMESPACE, condition, kind),
        "temperature": _glass_split(condition)[0],
    }


def glass_preparation_stage(condition):
    """LAMMPS stage that prepares ``condition``: random-start equilibration, or a start from
    another temperature's equilibrated configuration (equilibration or quench + ageing)."""
    s = glass_settings(condition)
    stage = _glass_stage(condition, "prepare")
    length_key = "aging" if s["protocol"] == "quench" else "equilibration"
    stage["n_steps"] = _glass_steps(condition, length_key, s[length_key])
    if s["start_from"] is None:
        stage["kind"] = "equilibrate"
    else:
        ramp = s.get("ramp") or 0.0
        stage.update(
            kind="quench",
            start_temperature=float(s["start_from"]),
            ramp_steps=_glass_steps(condition, "ramp", ramp) if ramp else 0,
        )
    return stage


def glass_production_stage(condition):
    s = glass_settings(condition)
    stage = _glass_stage(condition, "produce")
    dump_every = _glass_steps(condition, "frame_interval", s["frame_interval"])
    stage.update(
        kind="produce",
        n_steps=_glass_steps(condition, "production", s["production"], multiple_of=dump_every),
        dump_every=dump_every,
    )
    return stage


def glass_protocol(condition):
    """How ``condition`` was prepared, for the metadata of every file made from it."""
    s = glass_settings(condition)
    start = "random" if s["start_from"] is None else replica_condition(s["start_from"], s["replica"])
    common = {"start": start, "ramp": float(s.get("ramp") or 0.0)}
    if s["protocol"] == "quench":
        return dict(common, protocol="quench_and_age", equilibrated=False, aging_time=float(s["aging"]))
    try:
        estimate = tau_alpha_estimate(s["temperature"])
    except ValueError:  # below T_MCT: an explicit equilibration length, no estimate
        estimate = None
    return dict(common, protocol="equilibrate", equilibrated=True, equilibration_time=float(s["equilibration"]),
                tau_alpha_estimate=estimate)


def glass_preparation_input(wildcards):
    """Runs that start from another temperature need its equilibrated configuration."""
    return _glass_start_input(wildcards.condition)


def _glass_start_input(condition):
    s = glass_settings(condition)
    if s["start_from"] is None:
        return []
    return [f"results/glass/{replica_condition(s['start_from'], s['replica'])}/equilibrated.data"]


def _glass_chain_depth(condition):
    """How many runs, one after another, start from this run's configuration (0: none)."""
    start = [f"results/glass/{condition}/equilibrated.data"]
    later = [c for c in glass_validation_conditions() if _glass_start_input(c) == start]
    return max((1 + _glass_chain_depth(c) for c in later), default=0)


def glass_priority(kind):
    """Job priority: a preparation others start from first, deepest chain first (it is the
    critical path: T = 0.5 -> 0.47 -> 0.4 by default); then productions of chained runs."""

    def priority(wildcards):
        if kind == "prepare":
            return 2 + _glass_chain_depth(wildcards.condition)
        return 2 if _glass_start_input(wildcards.condition) else 1

    return priority


def glass_runtime(kind):
    """Minutes to request from a scheduler: steps x N at glass.atom_steps_per_second, x 2, + 5."""

    def runtime(wildcards):
        make = glass_preparation_stage if kind == "prepare" else glass_production_stage
        seconds = make(wildcards.condition)["n_steps"] * GLASS["n_particles"] / (GLASS["atom_steps_per_second"] * GLASS["tasks"])
        return 5 + math.ceil(2 * seconds / 60)

    return runtime


def glass_trajectory_mem_mb(wildcards):
    """A job holding the trajectory in float64 with a few temporaries, plus 1 GB."""
    stage = glass_production_stage(wildcards.condition)
    frames = stage["n_steps"] // stage["dump_every"] + 1
    return 1000 + math.ceil(8 * frames * GLASS["n_particles"] * 3 * 8 / 1e6)


def glass_run_conditions():
    """Every (temperature, replica) run that becomes a data matrix."""
    return [replica_condition(t, r) for t in GLASS["temperatures"] for r in range(GLASS["replicas"])]


def glass_validation_conditions():
    """The runs plus the equation-of-state run (when its temperature is not already run)."""
    conditions = glass_run_conditions()
    eos = replica_condition(GLASS["validation"]["eos_temperature"], 0)
    return conditions if eos in conditions else conditions + [eos]


def glass_data_targets():
    """The p_hop data matrices, one per temperature and replica (for `rule all`)."""
    return [f"results/data/glass/{c}.parquet" for c in glass_run_conditions()]


def glass_validation_targets():
    """The validation table and its supplementary figure (for `rule all`)."""
    return ["results/glass/validation.csv"] + [f"figures/supp_glass_validation.{ext}" for ext in ("pdf", "png")]


def _check_glass_config():
    """Cross-key rules the schema cannot express; each error names its config key."""
    names = [temperature_condition(t) for t in GLASS["temperatures"]]
    if len(set(names)) != len(names):
        raise ConfigError(f"config key glass.temperatures: two temperatures agree to {TEMPERATURE_DECIMALS} decimals")
    for key in GLASS["overrides"]:
        if not _glass_is_temperature(float(key)):
            raise ConfigError(f"config key glass.overrides.{key}: {key} is not one of glass.temperatures")
    try:
        KAModel(**glass_model())
    except ValueError as exc:
        raise ConfigError(f"config key glass (n_particles, fraction_a, density, cutoff): {exc}") from None
    try:
        command_placeholders(GLASS["lammps_command"])
    except ValueError as exc:
        raise ConfigError(f"config key glass.lammps_command: {exc}") from None
    for condition in glass_validation_conditions():
        s = glass_settings(condition)
        seen = [condition]
        while s["start_from"] is not None:  # follow the chain of starting temperatures
            source = replica_condition(s["start_from"], s["replica"])
            if not _glass_is_temperature(float(s["start_from"])):
                raise ConfigError(f"config key glass.start_from ({condition}): {s['start_from']} is not one of glass.temperatures")
            if glass_settings(source)["protocol"] != "equilibrate":
                raise ConfigError(f"config key glass.start_from ({condition}): {source} is not equilibrated (a quench)")
            if source in seen:
                raise ConfigError(f"config key glass.start_from: runs start from each other in a cycle: {seen + [source]}")
            seen.append(source)
            s = glass_settings(source)
        s = glass_settings(condition)
        if s["protocol"] == "quench" and s["start_from"] is None:
            raise ConfigError(f"config key glass.start_from ({condition}): a quench needs a temperature to start from")
        glass_preparation_stage(condition)
        production = glass_production_stage(condition)
        if condition in glass_run_conditions():
            half = GLASS["phop_window"] / (2 * float(s["frame_interval"]))
            if abs(half - round(half)) > 1e-9 or round(half) < 1:
                raise ConfigError(
                    f"config key glass.phop_window: t_R / 2 = {GLASS['phop_window'] / 2:g} is not a whole "
                    f"number of frame intervals (glass.frame_interval ({condition}) = {s['frame_interval']:g})"
                )
            if production["n_steps"] // production["dump_every"] + 1 < 2 * round(half) + 2:
                raise ConfigError(
                    f"config key glass.production ({condition}): {s['production']:g} tau gives fewer than "
                    f"2 p_hop samples with glass.phop_window = {GLASS['phop_window']:g}"
                )


_check_glass_config()


def _glass_engine():
    return {"lammps_command": GLASS["lammps_command"], "tasks": GLASS["tasks"]}
