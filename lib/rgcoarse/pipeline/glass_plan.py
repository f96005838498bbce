"""The glass arm's plan: LAMMPS stages, protocols, inputs, priorities and resources of each run.

Conditions are ``T{temperature:.3f}_r{replica}``, or ``study/{variant}/T..._r...`` for a run of
the sensitivity study whose settings differ from the glass arm's (each variant is the glass
config with the variant's keys replaced; :mod:`rgcoarse.pipeline.glass_study_plan`). The LAMMPS
working directories ``results/glass/{condition}/work_*`` (restart files) are not outputs: a
killed job leaves its directory so that re-running it resumes; a finished job deletes it.
"""

from __future__ import annotations

import math
from pathlib import PurePosixPath

from rgcoarse.config.conditions import (
    find_temperature,
    replica_condition,
    with_override,
)
from rgcoarse.config.seeds import derive_seed
from rgcoarse.config.validation import ConfigError
from rgcoarse.datasets.kinds import condition_pattern, seed_name
from rgcoarse.glass import REFERENCE_KEYS, equilibration_time, steps, tau_alpha_estimate

GLASS_RUN = condition_pattern("glass")
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


class GlassPlan:
    """Methods of :class:`rgcoarse.pipeline.plan.Plan` for the glass arm's runs."""


    def glass_config(self, condition):
        """The glass settings of one run: the glass arm's, or its study variant's."""
        variant = self.glass_variant(condition)
        if variant not in self._glass_configs:
            self._glass_configs[variant] = self._variant_config(variant)
        return self._glass_configs[variant]

    def _glass_is_temperature(self, temperature, glass=None):
        glass = self.glass if glass is None else glass
        return find_temperature(temperature, glass["temperatures"]) is not None

    def glass_settings(self, condition):
        """Protocol of one run: glass defaults, then the temperature's override.

        The equation-of-state run (validation.eos_temperature, replica 0), when that is not one
        of the temperatures, is a random-start equilibration with the validation lengths.
        """
        temperature, replica = _glass_split(condition)
        glass = self.glass_config(condition)
        defaults = {key: glass.get(key) for key in GLASS_TEMPERATURE_KEYS}
        if not self._glass_is_temperature(temperature, glass):
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

    def _glass_steps(self, condition, key, value, multiple_of=1):
        """A duration in tau as MD steps; a bad value stops the dry-run naming its key."""
        try:
            return steps(float(value), self.glass_config(condition)["timestep"], f"glass.{key} ({condition})", multiple_of)
        except ValueError as exc:
            raise ConfigError(f"config key {exc}") from None

    def glass_model(self, condition):
        glass = self.glass_config(condition)
        return {key: glass[key] for key in ("n_particles", "fraction_a", "density", "cutoff", "cutoff_scaling")}

    def _glass_stage(self, condition, kind):
        glass = self.glass_config(condition)
        return {
            "timestep": glass["timestep"],
            "thermostat_damping": glass["thermostat_damping"],
            "thermo_every": self._glass_steps(condition, "thermo_interval", glass["thermo_interval"]),
            "restart_every": self._glass_steps(condition, "restart_interval", glass["restart_interval"]),
            "seed": derive_seed(self.config["seed"], GLASS_SEED_NAMESPACE, condition, kind),
            "temperature": _glass_split(condition)[0],
        }

    def glass_preparation_stage(self, condition):
        """LAMMPS stage that prepares ``condition``: random-start equilibration, or a start from
        another temperature's equilibrated configuration (equilibration or quench + ageing)."""
        s = self.glass_settings(condition)
        stage = self._glass_stage(condition, "prepare")
        length_key = "aging" if s["protocol"] == "quench" else "equilibration"
        if length_key == "aging" and float(s["aging"]) == 0:  # a quench without waiting: production starts at once
            stage["n_steps"] = 0
        else:
            stage["n_steps"] = self._glass_steps(condition, length_key, s[length_key])
        if s["start_from"] is None:
            stage["kind"] = "equilibrate"
        else:
            ramp = s.get("ramp") or 0.0
            stage.update(
                kind="quench",
                start_temperature=float(s["start_from"]),
                ramp_steps=self._glass_steps(condition, "ramp", ramp) if ramp else 0,
            )
        return stage

    def glass_production_stage(self, condition):
        s = self.glass_settings(condition)
        stage = self._glass_stage(condition, "produce")
        glass = self.glass_config(condition)
        dump_every = self._glass_steps(condition, "frame_interval", s["frame_interval"])
        stage.update(
            kind="produce",
            thermostat=glass["production_thermostat"],
            thermostat_damping=glass["production_damping"] or glass["thermostat_damping"],
            n_steps=self._glass_steps(condition, "production", s["production"], multiple_of=dump_every),
            dump_every=dump_every,
        )
        return stage

    def glass_protocol(self, condition):
        """How ``condition`` was prepared, for the metadata of every file made from it."""
        s = self.glass_settings(condition)
        start_run = self._glass_start_condition(condition)
        start = "random" if start_run is None else self.glass_preparation_owner(start_run)
        common = {"start": start, "ramp": float(s.get("ramp") or 0.0)}
        if s["protocol"] == "quench":
            return dict(common, protocol="quench_and_age", equilibrated=False, aging_time=float(s["aging"]))
        try:
            estimate = tau_alpha_estimate(s["temperature"])
        except ValueError:  # below T_MCT: an explicit equilibration length, no estimate
            estimate = None
        return dict(common, protocol="equilibrate", equilibrated=True, equilibration_time=float(s["equilibration"]),
                    tau_alpha_estimate=estimate)

    def glass_preparation_input(self, wildcards):
        """Runs that start from another temperature need its equilibrated configuration."""
        return self._glass_start_input(wildcards.condition)

    def _glass_start_condition(self, condition):
        """The run (same variant and replica) whose configuration ``condition`` starts from, or None."""
        s = self.glass_settings(condition)
        if s["start_from"] is None:
            return None
        return self.glass_condition(self.glass_variant(condition), s["start_from"], s["replica"])

    def _glass_start_input(self, condition):
        start = self._glass_start_condition(condition)
        return [] if start is None else [f"results/glass/{self.glass_preparation_owner(start)}/equilibrated.data"]

    def _without_seed(self, stage):
        return {key: value for key, value in stage.items() if key != "seed"}

    def _preparation_signature(self, condition):
        start = self._glass_start_condition(condition)
        return self.glass_model(condition), self._without_seed(self.glass_preparation_stage(condition)), start and self.glass_preparation_owner(start)

    def _production_signature(self, condition):
        return self.glass_model(condition), self._without_seed(self.glass_production_stage(condition)), self.glass_config(condition)["phop_window"]

    def glass_preparation_owner(self, condition):
        """The run whose prepared configuration ``condition`` uses.

        A study run prepared exactly as the glass arm's run of the same temperature and replica
        (same model, stage and start; the seed aside) uses that run's configuration, so variants
        that differ only in production start from the same configurations (a paired comparison)
        and nothing is simulated twice.
        """
        if self.glass_variant(condition) == GLASS_BASE_VARIANT:
            return condition
        temperature, replica = _glass_split(condition)
        base = replica_condition(temperature, replica)
        if self._glass_is_temperature(temperature) and self._preparation_signature(condition) == self._preparation_signature(base):
            return base
        return condition

    def glass_data_owner(self, condition):
        """The run whose trajectory ``condition`` uses: the glass arm's run when the production is the same too."""
        owner = self.glass_preparation_owner(condition)
        if owner != condition and self._production_signature(condition) == self._production_signature(owner):
            return owner
        return condition

    def glass_production_input(self, wildcards):
        owner = self.glass_preparation_owner(wildcards.condition)
        return {
            "data": f"results/glass/{owner}/equilibrated.data",
            "thermo": f"results/glass/{owner}/equilibration_thermo.parquet",
        }

    def _glass_chain_depth(self, condition):
        """How many runs, one after another, start from this run's configuration (0: none)."""
        start = [f"results/glass/{condition}/equilibrated.data"]
        later = [c for c in self.glass_validation_conditions() if self._glass_start_input(c) == start]
        return max((1 + self._glass_chain_depth(c) for c in later), default=0)

    def glass_priority(self, kind):
        """Job priority: a preparation others start from first, deepest chain first (it is the
        critical path: T = 0.5 -> 0.47 -> 0.4 by default); then productions of chained runs."""

        def priority(wildcards):
            if kind == "prepare":
                return 2 + self._glass_chain_depth(wildcards.condition)
            return 2 if self._glass_start_input(wildcards.condition) else 1

        return priority

    def glass_runtime(self, kind):
        """Minutes to request from a scheduler: steps x N at glass.atom_steps_per_second, x 2, + 5."""

        def runtime(wildcards):
            make = self.glass_preparation_stage if kind == "prepare" else self.glass_production_stage
            glass = self.glass_config(wildcards.condition)
            seconds = make(wildcards.condition)["n_steps"] * glass["n_particles"] / (glass["atom_steps_per_second"] * glass["tasks"])
            return 5 + math.ceil(2 * seconds / 60)

        return runtime

    def glass_trajectory_mem_mb(self, wildcards):
        """A job holding the trajectory in float64 with a few temporaries, plus 1 GB."""
        stage = self.glass_production_stage(wildcards.condition)
        frames = stage["n_steps"] // stage["dump_every"] + 1
        return 1000 + math.ceil(8 * frames * self.glass_config(wildcards.condition)["n_particles"] * 3 * 8 / 1e6)

    def glass_run_conditions(self):
        """Every (temperature, replica) run that becomes a data matrix."""
        return [replica_condition(t, r) for t in self.glass["temperatures"] for r in range(self.glass["replicas"])]

    def glass_validation_conditions(self):
        """The runs plus the equation-of-state run (when its temperature is not already run)."""
        conditions = self.glass_run_conditions()
        eos = replica_condition(self.glass["validation"]["eos_temperature"], 0)
        return conditions if eos in conditions else conditions + [eos]

    def glass_data_targets(self):
        """The p_hop data matrices, one per temperature and replica (for `rule all`)."""
        return [f"results/data/glass/{c}.parquet" for c in self.glass_run_conditions()]

    def glass_validation_files(self, name):
        """One file (``summary.json``, ``dynamics.json``, ...) of every run the validation table reads."""
        return [f"results/glass/{c}/{name}" for c in self.glass_validation_conditions()]

    def glass_validation_reference(self):
        """The equation-of-state reference values the validation compares with."""
        return {key: self.glass["validation"][key] for key in REFERENCE_KEYS}

    def glass_validation_targets(self):
        """The validation table (for `rule all`; its supplementary figure: figure_targets)."""
        return ["results/glass/validation.csv"]

    def _glass_key(self, condition, key):
        """How an error names a glass key of ``condition``'s settings (study variants name their own)."""
        variant = self.glass_variant(condition)
        where = "glass" if variant == GLASS_BASE_VARIANT else f"glass_study.variants.{variant} (over glass)"
        return f"config key {where}: {key}"

    def glass_engine(self, condition):
        glass = self.glass_config(condition)
        return {"lammps_command": glass["lammps_command"], "tasks": glass["tasks"]}

    def glass_tasks(self, wildcards):
        """MPI ranks (and threads, cores) of a LAMMPS job of this run."""
        return self.glass_config(wildcards.condition)["tasks"]
