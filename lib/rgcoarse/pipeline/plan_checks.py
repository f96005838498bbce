"""Cross-key checks of the config that its JSON schema cannot express (files, registries, chains).

Run once, when :class:`rgcoarse.pipeline.plan.Plan` is built; each error is a
:class:`~rgcoarse.config.validation.ConfigError` whose message names the config key.
"""

from __future__ import annotations

from pathlib import Path

from rgcoarse.coarse.pairing_rules import PAIRING_RULES, pairing_rule_names
from rgcoarse.config.conditions import same_temperature, temperature_condition
from rgcoarse.config.constants import TEMPERATURE_DECIMALS
from rgcoarse.config.validation import (
    ConfigError,
    duplicate_keys,
    non_finite_values,
    strict_schema_errors,
    temperature_decimals_errors,
)
from rgcoarse.datasets.kinds import (
    builtin_dataset_names,
    dataset_kind_names,
    kind_of_dataset,
    temperature_kinds,
)
from rgcoarse.datasets.planted import settings_problem
from rgcoarse.glass import KobAndersenModel
from rgcoarse.glass.command import command_placeholders
from rgcoarse.io.datamatrix import DataMatrixError
from rgcoarse.io.user_files import check_user_file, user_file_options
from rgcoarse.paper.panels import PANELS
from rgcoarse.pipeline.glass_plan import GLASS_BASE_VARIANT
from rgcoarse.pipeline.schema import config_schema


class PlanChecks:
    """Methods of :class:`rgcoarse.pipeline.plan.Plan` that check its config."""

    def check(self):
        """Every check, in order: the files and values, then each section's cross-key rules."""
        self._check_config_files_and_values()
        self._check_unique_conditions()
        self._check_overrides()
        self._check_user_files()
        self._check_pairing_config()
        self._check_planted()
        self._check_comparison_temperatures()
        self._check_null_temperatures()
        self._check_lattice_rules()
        self._check_figure_settings()
        self._check_glass_config()

    def _check_config_files_and_values(self):
        """Duplicate YAML keys, NaN/inf, fractional integers, temperatures their wildcards would change."""
        problems = []
        for path in self.configfiles:
            problems += [f"{path}: {m}" for m in duplicate_keys(Path(path).read_text())]
        problems += non_finite_values(self.config)
        problems += [m for m in strict_schema_errors(self.config, config_schema(self.schema_path)) if m not in problems]
        if problems:  # the cross-key rules below read the values the schema vouches for
            raise ConfigError("\n".join(problems))
        temperature_lists = {
            "ising.temperatures": self.config["ising"]["temperatures"],
            "glass.temperatures": self.config["glass"]["temperatures"],
            "coarse_graining.comparison_temperatures": self.config["coarse_graining"].get("comparison_temperatures"),
        }
        for key, temperatures in temperature_lists.items():
            problems += temperature_decimals_errors(key, temperatures)
        low, high = self.config["fits"]["cod_rank_range"]
        if low > high:
            problems.append(f"config key fits.cod_rank_range: [{low}, {high}] is reversed; write [{high}, {low}]")
        if problems:
            raise ConfigError("\n".join(problems))

    def _check_unique_conditions(self):
        names = self.ising_conditions()
        if len(set(names)) != len(names):
            raise ConfigError("config key ising.temperatures: two temperatures agree to 3 decimals")

    def _check_overrides(self):
        known = set(self.ising_conditions())
        for key in self.config["ising"].get("overrides", {}):
            if temperature_condition(key) not in known:
                raise ConfigError(
                    f"config key ising.overrides.{key}: {key} is not one of ising.temperatures"
                )

    def _check_user_files(self):
        for name, entry in self.config.get("user_datasets", {}).items():
            if name in builtin_dataset_names():
                raise ConfigError(
                    f"config key user_datasets.{name}: {name!r} is the name of a built-in dataset; choose another"
                )
            path = Path(entry["path"])
            if not path.is_file():
                raise ConfigError(f"config key user_datasets.{name}.path: file not found: {path}")
            try:
                # Header, names, dtype and shape only, in bounded time and memory (the values are
                # checked by the user_dataset job): malformed files stop here, before any job runs.
                check_user_file(path, user_file_options(entry))
            except DataMatrixError as exc:
                raise ConfigError(f"config key user_datasets.{name}.{exc.option or 'path'}: {exc}") from None

    def _check_kind_map(self, key, mapping):
        """A per-kind config map must name every registered dataset kind, and nothing else."""
        kinds = set(dataset_kind_names())
        unknown, missing = set(mapping) - kinds, kinds - set(mapping)
        if unknown:
            raise ConfigError(
                f"config key {key}: unknown dataset kind(s) {sorted(unknown)}; the kinds are {sorted(kinds)}"
            )
        if missing:
            raise ConfigError(f"config key {key}: missing dataset kind(s) {sorted(missing)}")

    def _check_methods(self, key, methods, kind):
        for method in methods:
            if method not in PAIRING_RULES:
                raise ConfigError(
                    f"config key {key}: {method!r} is not a pairing rule; registered: {', '.join(pairing_rule_names())}"
                )
            if PAIRING_RULES[method].needs_lattice and not kind.has_lattice:
                raise ConfigError(f"config key {key}: rule {method!r} needs lattice data, which {kind.name} data is not")

    def _check_pairing_config(self):
        self._check_kind_map("coarse_graining.methods", self.config["coarse_graining"]["methods"])
        for kind_name, methods in self.config["coarse_graining"]["methods"].items():
            self._check_methods(f"coarse_graining.methods.{kind_name}", methods, kind_of_dataset(kind_name))
        self._check_methods("coarse_graining.comparison_methods", self.config["coarse_graining"].get("comparison_methods", []),
                       kind_of_dataset("ising"))
        self._check_methods("figures.method", [self.config["figures"]["method"]], kind_of_dataset("ising"))
        for name, entry in self.config.get("user_datasets", {}).items():
            self._check_methods(f"user_datasets.{name}.methods", entry.get("methods", []), kind_of_dataset(name))
        if "nulls" in self.config:
            self._check_kind_map("nulls.models", self.config["nulls"]["models"])
            self._check_kind_map("nulls.methods", self.config["nulls"]["methods"])
            for kind_name, methods in self.config["nulls"]["methods"].items():
                self._check_methods(f"nulls.methods.{kind_name}", methods, kind_of_dataset(kind_name))
            per_method = self.config["nulls"].get("per_method", {})
            unknown = set(per_method) - set(PAIRING_RULES)
            if unknown:
                raise ConfigError(f"config key nulls.per_method: {sorted(unknown)} are not pairing rules; "
                                  f"registered: {', '.join(pairing_rule_names())}")
            for rule, entry in per_method.items():
                kinds = set(entry.get("models", {})) - set(dataset_kind_names())
                if kinds:
                    raise ConfigError(f"config key nulls.per_method.{rule}.models: unknown dataset kind(s) {sorted(kinds)}")
        self._check_kind_map("observables.silence_threshold", self.config["observables"]["silence_threshold"])
        self._check_kind_map("observables.cod_max_rank", self.config["observables"]["cod_max_rank"])

    def _check_lattice_rules(self):
        """Lattice rules on the Ising lattice: it must halve, one axis at a time, down to min_variables."""
        size = self.config["ising"]["lattice_size"]
        section = self.config["coarse_graining"]
        methods = set(section["methods"]["ising"]) | set(section.get("comparison_methods", []))
        for method in sorted(m for m in methods if PAIRING_RULES[m].needs_lattice and PAIRING_RULES[m].check):
            try:
                PAIRING_RULES[method].check(size * size, (size, size), section["min_variables"], self.pairing_options(method))
            except ValueError as exc:
                raise ConfigError(
                    f"config keys ising.lattice_size / coarse_graining.min_variables, for the {method!r} pairing: {exc}"
                ) from None

    def _check_planted(self):
        section = self.config["planted"]
        for name in section["structures"]:
            problem = settings_problem(name, section["n_features"], section)
            if problem:
                raise ConfigError(f"config key {problem}")

    def _check_comparison_temperatures(self):
        known = set(self.ising_conditions())
        for t in self.config["coarse_graining"].get("comparison_temperatures", []):
            if temperature_condition(t) not in known:
                raise ConfigError(
                    f"config key coarse_graining.comparison_temperatures: {t} is not one of ising.temperatures"
                )

    def _check_null_temperatures(self):
        arms = {kind: self.config[kind]["temperatures"] for kind in temperature_kinds()}
        nulls = self.config.get("nulls", {})
        selections = [(f"nulls.temperatures.{arm}", arm, sel) for arm, sel in nulls.get("temperatures", {}).items()]
        selections += [(f"nulls.per_method.{rule}.temperatures.{arm}", arm, sel)
                       for rule, entry in nulls.get("per_method", {}).items()
                       for arm, sel in entry.get("temperatures", {}).items()]
        for key, arm, selection in selections:
            for t in [] if selection == "all" else selection:
                if not any(same_temperature(t, known) for known in arms[arm]):
                    raise ConfigError(f"config key {key}: {t} is not one of {arm}.temperatures")

    def _check_figure_settings(self):
        """Every panel section names a registered panel and holds the settings that panel needs."""
        for key in self.config["figures"]:
            if key not in ("dpi", "method") and key not in PANELS:
                raise ConfigError(f"config key figures.{key}: no figure panel of that name; panels: {', '.join(PANELS)}")
        for name, panel in PANELS.items():
            settings = self.panel_settings(name)
            missing = [key for key in panel.settings if key not in settings]
            if missing:
                raise ConfigError(f"config key figures.{name}: missing setting(s) {missing}")
            unused = sorted(set(settings) - set(panel.settings))
            if unused:
                raise ConfigError(f"config key figures.{name}: setting(s) {unused} are not used by this panel")
            for spec in panel.inputs.values():
                known = set(self.figure_conditions(spec.dataset))
                temperatures = {"temperature": [settings.get("temperature")], "temperatures": settings.get("temperatures")}
                for t in temperatures.get(spec.select) or []:
                    if self.figure_condition(spec.dataset, t) not in known:
                        raise ConfigError(
                            f"config key figures.{name}.{spec.select}: {t} is not one of {spec.dataset}.temperatures"
                        )

    def _check_glass_temperatures(self, glass, where):
        names = [temperature_condition(t) for t in glass["temperatures"]]
        if len(set(names)) != len(names):
            raise ConfigError(f"config key {where}.temperatures: two temperatures agree to {TEMPERATURE_DECIMALS} decimals")
        for key in glass["overrides"]:
            if not self._glass_is_temperature(float(key), glass):
                raise ConfigError(f"config key {where}.overrides.{key}: {key} is not one of {where}.temperatures")

    def _check_glass_run(self, condition, makes_data):
        """Chain of starting runs, stage lengths and p_hop window of one run."""
        s = self.glass_settings(condition)
        glass = self.glass_config(condition)
        seen = [condition]
        while s["start_from"] is not None:  # follow the chain of starting temperatures
            source = self.glass_condition(self.glass_variant(condition), s["start_from"], s["replica"])
            if not self._glass_is_temperature(float(s["start_from"]), glass):
                raise ConfigError(f"{self._glass_key(condition, 'start_from')} ({condition}): {s['start_from']} is not one of its temperatures")
            if self.glass_settings(source)["protocol"] != "equilibrate":
                raise ConfigError(f"{self._glass_key(condition, 'start_from')} ({condition}): {source} is not equilibrated (a quench)")
            if source in seen:
                raise ConfigError(f"{self._glass_key(condition, 'start_from')}: runs start from each other in a cycle: {seen + [source]}")
            seen.append(source)
            s = self.glass_settings(source)
        s = self.glass_settings(condition)
        if s["protocol"] == "quench" and s["start_from"] is None:
            raise ConfigError(f"{self._glass_key(condition, 'start_from')} ({condition}): a quench needs a temperature to start from")
        self.glass_preparation_stage(condition)
        production = self.glass_production_stage(condition)
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
                f"{self._glass_key(condition, 'production')} ({condition}): {s['production']:g} tau gives fewer than "
                f"2 p_hop samples with glass.phop_window = {glass['phop_window']:g}"
            )

    def _check_glass_config(self):
        """Cross-key rules the schema cannot express; each error names its config key."""
        self._check_glass_temperatures(self.glass, "glass")
        try:
            command_placeholders(self.glass["lammps_command"])
        except ValueError as exc:
            raise ConfigError(f"config key glass.lammps_command: {exc}") from None
        study = self.glass_study_conditions()
        for variant in self.glass_study["variants"]:
            where = "glass" if variant == GLASS_BASE_VARIANT else f"glass_study.variants.{variant}"
            condition = self.glass_condition(variant, self.glass_variant_temperatures(variant)[0], 0)
            self._check_glass_temperatures(self.glass_config(condition), where)
            try:
                KobAndersenModel(**self.glass_model(condition))
            except ValueError as exc:
                raise ConfigError(f"config key {where} (n_particles, fraction_a, density, cutoff): {exc}") from None
        runs = self.glass_run_conditions()
        for condition in self.glass_validation_conditions():
            self._check_glass_run(condition, condition in runs)
        for condition in study.values():
            self._check_glass_run(condition, True)
