# Kob–Andersen glass arm (paper Sec. V): LAMMPS equilibration (or quench and ageing) and
# production per temperature and replica, p_hop data matrices, and a validation table
# (equation of state, tau_alpha, D) with its supplementary figure.
#
#   results/glass/{condition}/equilibrated.data        final configuration of equilibration/ageing
#   results/glass/{condition}/trajectory.parquet       unwrapped positions (frame, id, type, x, y, z)
#   results/glass/{condition}/summary.json             run metadata + thermodynamics (block errors)
#   results/glass/{condition}/production_thermo.parquet  thermo series of the production (U/N, p, T_kin)
#   results/data/glass/{condition}.parquet             p_hop data matrix (time samples x particles)
#   results/glass/{condition}/dynamics.{parquet,json}  F_s(q, t), MSD(t); tau_alpha, D
#   results/glass/validation.csv, figures/supp_glass_validation.{pdf,png,caption.txt}
#
# condition = T{temperature:.3f}_r{replica}, or study/{variant}/T{temperature:.3f}_r{replica} for a
# run of the sensitivity study (glass_sensitivity.smk) whose settings differ from the glass arm's:
# each variant is the glass config with the variant's keys replaced. The LAMMPS working directories
# results/glass/{condition}/work_* (restart files) are not outputs: a killed job leaves its
# directory so that re-running it resumes; a finished job deletes it.

import math
from pathlib import PurePosixPath

from rgcoarse.config.conditions import find_temperature, replica_condition, temperature_condition, with_override
from rgcoarse.config.constants import TEMPERATURE_DECIMALS
from rgcoarse.glass import REFERENCE_KEYS as GLASS_REFERENCE_KEYS
from rgcoarse.glass import KobAndersenModel, equilibration_time, steps, tau_alpha_estimate
from rgcoarse.glass.command import command_placeholders

GLASS = config["glass"]
GLASS_STUDY = config["glass_sensitivity"]
GLASS_RUN = rf"T[0-9]+\.[0-9]{{{TEMPERATURE_DECIMALS}}}_r[0-9]+"
GLASS_STUDY_DIR = "study"  # study runs: results/glass/study/<variant>/<run>
GLASS_CONDITION = rf"(?:{GLASS_STUDY_DIR}/[A-Za-z0-9_]+/)?{GLASS_RUN}"
GLASS_BASE_VARIANT = "base"  # the study's name for the glass arm itself (conditions without a prefix)
# Keys of a study variant that are not glass keys: which temperatures and replicas it runs.
GLASS_VARIANT_OWN_KEYS = ("temperatures", "replicas", "label")
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
# kind's seed name (rgcoarse.datasets.kinds), its former name, so renaming the arm changed no trajectory.
GLASS_SEED_NAMESPACE = seed_name("glass")


def _glass_split(condition):
    temperature, replica = PurePosixPath(condition).name[1:].split("_r")
    return float(temperature), int(replica)


def glass_variant(condition):
    """The study variant of a run: ``base`` for the glass arm's own runs."""
    parts = PurePosixPath(condition).parts
    return parts[1] if len(parts) == 3 and parts[0] == GLASS_STUDY_DIR else GLASS_BASE_VARIANT


def _variant_config(variant):
    """The glass config with a study variant's keys replaced (its overrides merged per temperature)."""
    if variant == GLASS_BASE_VARIANT:
        return GLASS
    try:
        settings = GLASS_STUDY["variants"][variant]
    except KeyError:
        raise ConfigError(f"config key glass_sensitivity.variants: no variant {variant!r}") from None
    merged = dict(GLASS)
    merged.update({key: value for key, value in settings.items() if key not in GLASS_VARIANT_OWN_KEYS})
    overrides = {str(key): dict(value) for key, value in GLASS["overrides"].items()}
    for key, value in (settings.get("overrides") or {}).items():
        name = next((k for k in overrides if same_temperature(k, key)), str(key))
        overrides[name] = {**overrides.get(name, {}), **value}
    merged["overrides"] = overrides
    merged["temperatures"] = list(GLASS["temperatures"]) + [
        t for t in glass_variant_temperatures(variant) if find_temperature(t, GLASS["temperatures"]) is None
    ]
    return merged


def _study_setting(variant, key):
    """A variant's own ``temperatures`` or ``replicas``, else the study's."""
    return (GLASS_STUDY["variants"].get(variant) or {}).get(key, GLASS_STUDY[key])


def glass_variant_temperatures(variant):
    """Temperatures the study analyses in ``variant``."""
    return list(_study_setting(variant, "temperatures"))


def glass_variant_replicas(variant):
    return int(_study_setting(variant, "replicas"))


GLASS_CONFIGS = {GLASS_BASE_VARIANT: GLASS}


def glass_config(condition):
    """The glass settings of one run: the glass arm's, or its study variant's."""
    variant = glass_variant(condition)
    if variant not in GLASS_CONFIGS:
        GLASS_CONFIGS[variant] = _variant_config(variant)
    return GLASS_CONFIGS[variant]


def glass_condition(variant, temperature, replica):
    """Wildcard value of one run of a study variant (the glass arm's own name for ``base``)."""
    run = replica_condition(temperature, replica)
    return run if variant == GLASS_BASE_VARIANT else str(PurePosixPath(GLASS_STUDY_DIR, variant, run))


def _glass_is_temperature(temperature, glass=GLASS):
    return find_temperature(temperature, glass["temperatures"]) is not None


def glass_settings(condition):
    """Protocol of one run: glass defaults, then the temperature's override.

    The equation-of-state run (validation.eos_temperature, replica 0), when that is not one
    of the temperatures, is a random-start equilibration with the validation lengths.
    """
    temperature, replica = _glass_split(condition)
    glass = glass_config(condition)
    defaults = {key: glass.get(key) for key in GLASS_TEMPERATURE_KEYS}
    if not _glass_is_temperature(temperature, glass):
        validation = glass["validation"]
        defaults.update(protocol="equilibrate", start_from=None, equilibration=validation["eos_equilibration"],
                        production=validation["eos_production"])
    settings = with_override(defaults, glass["overrides"], temperature)
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
        return steps(float(value), glass_config(condition)["timestep"], f"glass.{key} ({condition})", multiple_of)
    except ValueError as exc:
        raise ConfigError(f"config key {exc}") from None


def glass_model(condition):
    glass = glass_config(condition)
    return {key: glass[key] for key in ("n_particles", "fraction_a", "density", "cutoff", "cutoff_scaling")}


def _glass_stage(condition, kind):
    glass = glass_config(condition)
    return {
        "timestep": glass["timestep"],
        "thermostat_damping": glass["thermostat_damping"],
        "thermo_every": _glass_steps(condition, "thermo_interval", glass["thermo_interval"]),
        "restart_every": _glass_steps(condition, "restart_interval", glass["restart_interval"]),
        "seed": derive_seed(config["seed"], GLASS_SEED_NAMESPACE, condition, kind),
        "temperature": _glass_split(condition)[0],
    }


def glass_preparation_stage(condition):
    """LAMMPS stage that prepares ``condition``: random-start equilibration, or a start from
    another temperature's equilibrated configuration (equilibration or quench + ageing)."""
    s = glass_settings(condition)
    stage = _glass_stage(condition, "prepare")
    length_key = "aging" if s["protocol"] == "quench" else "equilibration"
    if length_key == "aging" and float(s["aging"]) == 0:  # a quench without waiting: production starts at once
        stage["n_steps"] = 0
    else:
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
    glass = glass_config(condition)
    dump_every = _glass_steps(condition, "frame_interval", s["frame_interval"])
    stage.update(
        kind="produce",
        thermostat=glass["production_thermostat"],
        thermostat_damping=glass["production_damping"] or glass["thermostat_damping"],
        n_steps=_glass_steps(condition, "production", s["production"], multiple_of=dump_every),
        dump_every=dump_every,
    )
    return stage


def glass_protocol(condition):
    """How ``condition`` was prepared, for the metadata of every file made from it."""
    s = glass_settings(condition)
    start_run = _glass_start_condition(condition)
    start = "random" if start_run is None else glass_preparation_owner(start_run)
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


def _glass_start_condition(condition):
    """The run (same variant and replica) whose configuration ``condition`` starts from, or None."""
    s = glass_settings(condition)
    if s["start_from"] is None:
        return None
    return glass_condition(glass_variant(condition), s["start_from"], s["replica"])


def _glass_start_input(condition):
    start = _glass_start_condition(condition)
    return [] if start is None else [f"results/glass/{glass_preparation_owner(start)}/equilibrated.data"]


def _without_seed(stage):
    return {key: value for key, value in stage.items() if key != "seed"}


def _preparation_signature(condition):
    start = _glass_start_condition(condition)
    return glass_model(condition), _without_seed(glass_preparation_stage(condition)), start and glass_preparation_owner(start)


def _production_signature(condition):
    return glass_model(condition), _without_seed(glass_production_stage(condition)), glass_config(condition)["phop_window"]


def glass_preparation_owner(condition):
    """The run whose prepared configuration ``condition`` uses.

    A study run prepared exactly as the glass arm's run of the same temperature and replica
    (same model, stage and start; the seed aside) uses that run's configuration, so variants
    that differ only in production start from the same configurations (a paired comparison)
    and nothing is simulated twice.
    """
    if glass_variant(condition) == GLASS_BASE_VARIANT:
        return condition
    temperature, replica = _glass_split(condition)
    base = replica_condition(temperature, replica)
    if _glass_is_temperature(temperature) and _preparation_signature(condition) == _preparation_signature(base):
        return base
    return condition


def glass_data_owner(condition):
    """The run whose trajectory ``condition`` uses: the glass arm's run when the production is the same too."""
    owner = glass_preparation_owner(condition)
    if owner != condition and _production_signature(condition) == _production_signature(owner):
        return owner
    return condition


def glass_production_input(wildcards):
    owner = glass_preparation_owner(wildcards.condition)
    return {
        "data": f"results/glass/{owner}/equilibrated.data",
        "thermo": f"results/glass/{owner}/equilibration_thermo.parquet",
    }


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
        glass = glass_config(wildcards.condition)
        seconds = make(wildcards.condition)["n_steps"] * glass["n_particles"] / (glass["atom_steps_per_second"] * glass["tasks"])
        return 5 + math.ceil(2 * seconds / 60)

    return runtime


def glass_trajectory_mem_mb(wildcards):
    """A job holding the trajectory in float64 with a few temporaries, plus 1 GB."""
    stage = glass_production_stage(wildcards.condition)
    frames = stage["n_steps"] // stage["dump_every"] + 1
    return 1000 + math.ceil(8 * frames * glass_config(wildcards.condition)["n_particles"] * 3 * 8 / 1e6)


def glass_run_conditions():
    """Every (temperature, replica) run that becomes a data matrix."""
    return [replica_condition(t, r) for t in GLASS["temperatures"] for r in range(GLASS["replicas"])]


def glass_validation_conditions():
    """The runs plus the equation-of-state run (when its temperature is not already run)."""
    conditions = glass_run_conditions()
    eos = replica_condition(GLASS["validation"]["eos_temperature"], 0)
    return conditions if eos in conditions else conditions + [eos]


def glass_study_conditions():
    """Every run of the sensitivity study, as (variant, temperature, replica) -> condition."""
    return {
        (variant, float(t), r): glass_condition(variant, t, r)
        for variant in GLASS_STUDY["variants"]
        for t in glass_variant_temperatures(variant)
        for r in range(glass_variant_replicas(variant))
    }


def glass_data_targets():
    """The p_hop data matrices, one per temperature and replica (for `rule all`)."""
    return [f"results/data/glass/{c}.parquet" for c in glass_run_conditions()]


def glass_validation_targets():
    """The validation table and its supplementary figure (for `rule all`)."""
    return ["results/glass/validation.csv"] + [f"figures/supp_glass_validation.{ext}" for ext in ("pdf", "png")]


def _glass_key(condition, key):
    """How an error names a glass key of ``condition``'s settings (study variants name their own)."""
    variant = glass_variant(condition)
    where = "glass" if variant == GLASS_BASE_VARIANT else f"glass_sensitivity.variants.{variant} (over glass)"
    return f"config key {where}: {key}"


def _check_glass_temperatures(glass, where):
    names = [temperature_condition(t) for t in glass["temperatures"]]
    if len(set(names)) != len(names):
        raise ConfigError(f"config key {where}.temperatures: two temperatures agree to {TEMPERATURE_DECIMALS} decimals")
    for key in glass["overrides"]:
        if not _glass_is_temperature(float(key), glass):
            raise ConfigError(f"config key {where}.overrides.{key}: {key} is not one of {where}.temperatures")


def _check_glass_run(condition, makes_data):
    """Chain of starting runs, stage lengths and p_hop window of one run."""
    s = glass_settings(condition)
    glass = glass_config(condition)
    seen = [condition]
    while s["start_from"] is not None:  # follow the chain of starting temperatures
        source = glass_condition(glass_variant(condition), s["start_from"], s["replica"])
        if not _glass_is_temperature(float(s["start_from"]), glass):
            raise ConfigError(f"{_glass_key(condition, 'start_from')} ({condition}): {s['start_from']} is not one of its temperatures")
        if glass_settings(source)["protocol"] != "equilibrate":
            raise ConfigError(f"{_glass_key(condition, 'start_from')} ({condition}): {source} is not equilibrated (a quench)")
        if source in seen:
            raise ConfigError(f"{_glass_key(condition, 'start_from')}: runs start from each other in a cycle: {seen + [source]}")
        seen.append(source)
        s = glass_settings(source)
    s = glass_settings(condition)
    if s["protocol"] == "quench" and s["start_from"] is None:
        raise ConfigError(f"{_glass_key(condition, 'start_from')} ({condition}): a quench needs a temperature to start from")
    glass_preparation_stage(condition)
    production = glass_production_stage(condition)
    if not makes_data:
        return
    half = glass["phop_window"] / (2 * float(s["frame_interval"]))
    if abs(half - round(half)) > 1e-9 or round(half) < 1:
        raise ConfigError(
            f"config key glass.phop_window: t_R / 2 = {glass['phop_window'] / 2:g} is not a whole "
            f"number of frame intervals (glass.frame_interval ({condition}) = {s['frame_interval']:g})"
        )
    if production["n_steps"] // production["dump_every"] + 1 < 2 * round(half) + 2:
        raise ConfigError(
            f"{_glass_key(condition, 'production')} ({condition}): {s['production']:g} tau gives fewer than "
            f"2 p_hop samples with glass.phop_window = {glass['phop_window']:g}"
        )


def _check_glass_config():
    """Cross-key rules the schema cannot express; each error names its config key."""
    _check_glass_temperatures(GLASS, "glass")
    try:
        command_placeholders(GLASS["lammps_command"])
    except ValueError as exc:
        raise ConfigError(f"config key glass.lammps_command: {exc}") from None
    study = glass_study_conditions()
    for variant in GLASS_STUDY["variants"]:
        where = "glass" if variant == GLASS_BASE_VARIANT else f"glass_sensitivity.variants.{variant}"
        condition = glass_condition(variant, glass_variant_temperatures(variant)[0], 0)
        _check_glass_temperatures(glass_config(condition), where)
        try:
            KobAndersenModel(**glass_model(condition))
        except ValueError as exc:
            raise ConfigError(f"config key {where} (n_particles, fraction_a, density, cutoff): {exc}") from None
    runs = glass_run_conditions()
    for condition in glass_validation_conditions():
        _check_glass_run(condition, condition in runs)
    for condition in study.values():
        _check_glass_run(condition, True)


_check_glass_config()


def glass_engine(condition):
    glass = glass_config(condition)
    return {"lammps_command": glass["lammps_command"], "tasks": glass["tasks"]}


def glass_tasks(wildcards):
    """MPI ranks (and threads, cores) of a LAMMPS job of this run."""
    return glass_config(wildcards.condition)["tasks"]


# The sensitivity study's analysis jobs (rules in glass_sensitivity.smk).


def glass_study_run_input(wildcards):
    owner = glass_data_owner(glass_condition(wildcards.variant, *_glass_split(wildcards.run)))
    return {
        "data": f"results/data/glass/{owner}.parquet",
        "thermo": f"results/glass/{owner}/production_thermo.parquet",
        "summary": f"results/glass/{owner}/summary.json",
        "dynamics": f"results/glass/{owner}/dynamics.json",
    }


def glass_study_run_params(wildcards):
    """What the analysis of one run needs to know about it and about the study."""
    temperature, replica = _glass_split(wildcards.run)
    condition = glass_condition(wildcards.variant, temperature, replica)
    glass, settings = glass_config(condition), glass_settings(condition)
    production = glass_production_stage(condition)
    return {
        "variant": wildcards.variant,
        "label": (GLASS_STUDY["variants"][wildcards.variant] or {}).get("label", wildcards.variant),
        "temperature": temperature,
        "replica": replica,
        "condition": condition,
        "data_condition": glass_data_owner(condition),
        "n_particles": glass["n_particles"],
        "cutoff_scaling": glass["cutoff_scaling"],
        "thermostat": production["thermostat"],
        "thermostat_damping": production["thermostat_damping"],
        "production": float(settings["production"]),
        "protocol": glass_protocol(condition),
        "phop_window": glass["phop_window"],
        "methods": list(GLASS_STUDY["methods"]),
        "options": {method: pairing_options(method) for method in GLASS_STUDY["methods"]},
        "seeds": {method: derive_seed(config["seed"], "glass_study", condition, method) for method in GLASS_STUDY["methods"]},
        "null_seed": derive_seed(config["seed"], "glass_study", condition, "thermo_null"),
        "omega": config["coarse_graining"]["omega"],
        "min_variables": config["coarse_graining"]["min_variables"],
        "fit_ranges": dict(GLASS_STUDY["fit_ranges"]),
        "min_clusters": GLASS_STUDY["min_clusters"],
        "null_shifts": GLASS_STUDY["null_shifts"],
        "drift_sigmas": GLASS_STUDY["drift_sigmas"],
        "tau_alpha_fraction": GLASS_STUDY["tau_alpha_fraction"],
    }


def glass_study_mem_mb(wildcards):
    """Projection pairing holds about four N x N float64 matrices, plus 1 GB."""
    n = glass_config(glass_condition(wildcards.variant, *_glass_split(wildcards.run)))["n_particles"]
    return 1000 + math.ceil(32 * n * n / 1e6)


def glass_study_run_targets(ext):
    """The per-run analysis files (``json`` or ``parquet``) of every run of the study."""
    return [f"results/glass_study/runs/{variant}/{replica_condition(t, r)}.{ext}" for (variant, t, r) in glass_study_conditions()]


GLASS_STUDY_TABLES = [f"results/glass_study/{name}" for name in ("runs.csv", "exponents.csv", "size_scaling.csv", "claims.md")]
# Per figure: pdf, png, caption (the order the figure script writes them in).
GLASS_STUDY_FIGURES = [f"figures/supp_glass_study_{name}.{ext}" for name in ("local_exponent", "rho") for ext in ("pdf", "png", "caption.txt")]
