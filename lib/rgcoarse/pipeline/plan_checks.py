"""Cross-key checks of the config that its JSON schema cannot express (files, registries, chains).

Run once, when :class:`rgcoarse.pipeline.plan.Plan` is built; each error is a
:class:`~rgcoarse.config.validation.ConfigError` whose message names the config key.
"""

from __future__ import annotations

import math
from pathlib import Path

from rgcoarse.coarse.pairing_rules import PAIRING_RULES, pairing_rule_names
from rgcoarse.config.conditions import same_temperature, temperature_condition
from rgcoarse.config.constants import MIN_NULL_DRAWS, MIN_RANK_POINTS, TEMPERATURE_DECIMALS
from rgcoarse.config.validation import (
    ConfigError,
    duplicate_keys,
    non_finite_values,
    strict_schema_errors,
    temperature_decimals_errors,
)
from rgcoarse.datasets.kinds import (
    DATASET_KINDS,
    builtin_dataset_names,
    dataset_kind_names,
    kind_of_dataset,
    source_dataset,
    temperature_kinds,
)
from rgcoarse.datasets.nulls import NULL_MODELS
from rgcoarse.datasets.planted import settings_problem
from rgcoarse.glass import KobAndersenModel
from rgcoarse.glass.command import command_placeholders
from rgcoarse.glass.stage import Stage
from rgcoarse.io.datamatrix import DataMatrixError
from rgcoarse.io.user_files import check_user_file, user_file_options
from rgcoarse.paper.panels import PANELS
from rgcoarse.pipeline import costs
from rgcoarse.pipeline.glass_plan import GLASS_BASE_VARIANT
from rgcoarse.pipeline.resource_plan import Wildcards
from rgcoarse.pipeline.schema import config_schema


GLASS_MAX_TEMPERATURE = 10.0  # Lennard-Jones units: ten times the hottest temperature the paper runs


def _raise(message):
    raise ConfigError(message)


def _check_null_models(key: str, kind_name: str, models) -> None:
    """A time-ordered null (shift) on a kind whose data are not a time series would be dropped silently."""
    kind = kind_of_dataset(kind_name) if kind_name != "user" else None  # a user's file says so per entry
    for model in models:
        if kind is not None and NULL_MODELS[model].time_ordered and not kind.time_series:
            raise ConfigError(f"config key {key}: {model!r} keeps the time order of a series, and {kind_name} data "
                              f"are not a time series; use {[m for m, n in NULL_MODELS.items() if not n.time_ordered]}")


def _check_one_override_per_temperature(overrides, where: str) -> None:
    """Two override keys for one temperature ("2.3" and "2.30") would be merged silently, the last winning."""
    by_condition = {}
    for key in overrides:
        by_condition.setdefault(temperature_condition(key), []).append(str(key))
    for keys in by_condition.values():
        if len(keys) > 1:
            raise ConfigError(f"config key {where}.overrides: {' and '.join(keys)} name the same temperature; "
                              "keep one entry")


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
        self._check_null_draws()
        self._check_lattice_rules()
        self._check_figure_settings()
        self._check_glass_config()
        self._check_rmi_config()
        self._check_wcrg_config()
        self._check_bayes_rg_config()
        self._check_sizes()
        self._check_times()

    def _check_times(self):
        """Settings that cost only time: each job's request against resources.max_job_minutes (the LAMMPS
        stages of every run, the study's and the equation of state's too, in :meth:`_check_glass_run`)."""
        limit = self.config["resources"]["max_job_minutes"]
        tail = (f"more than resources.max_job_minutes ({limit} min), the longest one job may run; lower the "
                "setting, or raise that key where the scheduler allows longer jobs (rgcoarse.pipeline.costs)")
        for condition in self.ising_conditions():
            minutes = self.ising_chain_runtime(Wildcards(condition=condition))
            if minutes > limit:
                raise ConfigError(f"config keys ising.burn_in_sweeps, ising.pilot_sweeps, ising.n_samples x "
                                  f"ising.spacing_factor (and ising.overrides): the chain at {condition} would ask "
                                  f"for {minutes:,} min, {tail}")
        if self.null_runs() and self.null_statistics_runtime() > limit:
            raise ConfigError(f"config key nulls.draws: {self.config['nulls']['draws']} draws would ask for "
                              f"{self.null_statistics_runtime():,} min per null job, {tail}")
        for dataset, condition in self.data_dataset_conditions():
            minutes = self.observables_runtime(Wildcards(dataset=dataset, condition=condition))
            if minutes > limit:
                raise ConfigError(f"config key fits.n_bootstrap: {self.config['fits']['n_bootstrap']} resamples of "
                                  f"dataset {dataset} ({condition}) would ask for {minutes:,} min per observables "
                                  f"job, {tail}")

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
        for name, panel in self.config["figures"].items():  # a panel's temperatures name the data it draws
            if isinstance(panel, dict) and "temperature" in panel:
                temperature_lists[f"figures.{name}.temperature"] = [panel["temperature"]]
            if isinstance(panel, dict) and "temperatures" in panel:
                temperature_lists[f"figures.{name}.temperatures"] = panel["temperatures"]
            for list_key in ("temperatures", "levels"):
                values = panel.get(list_key) if isinstance(panel, dict) else None
                if isinstance(values, list) and len({temperature_condition(v) if list_key == "temperatures" else v
                                                     for v in values}) < len(values):
                    problems.append(f"config key figures.{name}.{list_key}: {values} names one twice; list each once")
        for key, temperatures in temperature_lists.items():
            problems += temperature_decimals_errors(key, temperatures)
        low, high = self.config["fits"]["cod_rank_range"]
        if low > high:
            problems.append(f"config key fits.cod_rank_range: [{low}, {high}] is reversed; write [{high}, {low}]")
        elif high - low + 1 < MIN_RANK_POINTS:
            problems.append(f"config key fits.cod_rank_range: [{low}, {high}] holds fewer than {MIN_RANK_POINTS} ranks, "
                            "and a power law through fewer has no test of its shape; widen it")
        fits = self.config["fits"]
        tail = fits["n_bootstrap"] * (1 - fits["confidence"]) / 2
        if tail < 1 - 1e-9:  # each end of a percentile interval must lie inside the resamples, not at their extremes
            problems.append(f"config keys fits.n_bootstrap / fits.confidence: {fits['n_bootstrap']} resamples leave "
                            f"{tail:.2g} beyond each end of a {fits['confidence']} percentile interval; it needs at "
                            f"least {math.ceil(2 / (1 - fits['confidence']) - 1e-9)} resamples")
        problems += self._silence_threshold_problems()
        if problems:
            raise ConfigError("\n".join(problems))

    def _silence_threshold_problems(self) -> list[str]:
        """A threshold outside the values a kind's data take silences every variable or none: P0 is then 0 or 1."""
        problems = []
        for kind in DATASET_KINDS.values():
            if kind.silence_range is None:
                continue
            low, high, what = kind.silence_range
            threshold = self.config["observables"]["silence_threshold"].get(kind.name)
            if threshold is not None and not low <= threshold < high:
                problems.append(f"config key observables.silence_threshold.{kind.name}: {threshold} silences every variable or "
                                f"none ({what}); choose a value in [{low}, {high})")
        return problems

    def _check_unique_conditions(self):
        names = self.ising_conditions()
        if len(set(names)) != len(names):
            raise ConfigError("config key ising.temperatures: two temperatures agree to 3 decimals")

    def _check_overrides(self):
        known = set(self.ising_conditions())
        overrides = self.config["ising"].get("overrides", {})
        for key in overrides:
            if temperature_condition(key) not in known:
                raise ConfigError(
                    f"config key ising.overrides.{key}: {key} is not one of ising.temperatures"
                )
        _check_one_override_per_temperature(overrides, "ising")

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
                self.user_file_shapes[name] = check_user_file(path, user_file_options(entry))
            except DataMatrixError as exc:
                raise ConfigError(f"config key user_datasets.{name}.{exc.option or 'path'}: {exc}") from None

    def _check_sizes(self):
        """Memory of the analysis jobs (rgcoarse.pipeline.costs), fittable levels and figure levels."""
        budget_mb = self.config["resources"]["analysis_mem_mb"]
        section, fits = self.config["coarse_graining"], self.config["fits"]
        min_variables = section["min_variables"]
        sizes = self.dataset_sizes()
        for dataset, condition in self.data_dataset_conditions():
            shape = self.analysis_shape(dataset, condition)
            if shape and costs.declared_mem_mb(*shape) > budget_mb:
                keys = ("glass.n_particles / glass.production (its frames are the samples)"
                        if kind_of_dataset(source_dataset(dataset)).name == "glass"
                        else sizes[source_dataset(dataset)][2])
                raise ConfigError(
                    f"config keys {keys}: dataset {dataset} ({condition}), {shape[0]} samples x {shape[1]} features, "
                    f"needs about {costs.declared_mem_mb(*shape):,} MB per analysis job (cost model "
                    f"{costs.PROCESS_MB} MB + {costs.MODEL}, "
                    "rgcoarse.pipeline.costs), "
                    f"more than the {budget_mb} MB one job may declare (resources.analysis_mem_mb); reduce the size or "
                    "raise resources.analysis_mem_mb on a machine or node with that memory")
        for dataset, (n_samples, n_features, keys) in sizes.items():
            # The paper's datasets must give their figures and claims; a user's file is read and
            # analysed anyway, and told up front what will not be fitted.
            problem = _raise if dataset in builtin_dataset_names() else self._warn
            if n_samples is not None and n_samples < 64:  # only tiny data are checked: SciPy's import then
                from rgcoarse.stats.bootstrap import min_bootstrap_samples

                fewest = min_bootstrap_samples(fits["confidence"])
                if n_samples < fewest:
                    problem(f"config key {keys}: {dataset} has {n_samples} samples; the M2 and P0 exponents' "
                            f"bootstrap needs at least {fewest} distinct samples at fits.confidence = "
                            f"{fits['confidence']}, so they will be reported not fitted (too_few_samples)")
            if n_features <= min_variables:
                problem(f"config key coarse_graining.min_variables: {min_variables} leaves no level to "
                        f"coarse-grain in {dataset} ({n_features} features, set by {keys}); use fewer")
            fittable = costs.fittable_levels(n_features, min_variables, fits["k_min"], fits["min_clusters"])
            if fittable < costs.MIN_FITTABLE_LEVELS:
                problem(
                    f"config keys fits.min_clusters / fits.k_min: {dataset} ({n_features} features) has {fittable} "
                    f"level(s) with clusters of at least k_min = {fits['k_min']} features and at least "
                    f"min_clusters = {fits['min_clusters']} of them; an exponent needs {costs.MIN_FITTABLE_LEVELS} "
                    f"(lower fits.min_clusters, for example to {max(1, n_features // 2**(costs.MIN_FITTABLE_LEVELS + 1))})")
            cod_max_rank = self._kind_setting("observables", "cod_max_rank", dataset)
            high = fits["cod_rank_range"][1]
            if cod_max_rank and high > cod_max_rank:
                raise ConfigError(f"config keys fits.cod_rank_range / observables.cod_max_rank: ranks up to {high} are "
                                  f"fitted but only {cod_max_rank} are computed for {dataset}")
        for name, panel in PANELS.items():
            settings = self.panel_settings(name)
            levels = [settings["level"]] if "level" in settings else list(settings.get("levels", []))
            for spec in panel.inputs.values():
                if spec.dataset not in self.dataset_sizes():
                    continue
                deepest = costs.deepest_level(self.dataset_sizes()[spec.dataset][1], min_variables)
                too_deep = [lev for lev in levels if lev > deepest]
                if too_deep:
                    raise ConfigError(f"config key figures.{name}: level(s) {too_deep} are deeper than the deepest "
                                      f"level of {spec.dataset}, {deepest} (with coarse_graining.min_variables = "
                                      f"{min_variables})")

    def _warn(self, message):
        """A problem that does not stop the run but is said before any job (the Snakefile prints these)."""
        self.warnings.append(message)

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

    def _check_methods(self, key, methods, kind, has_lattice=None):
        """Registered rules, and a lattice rule only on lattice data (``has_lattice``: a user entry's own say)."""
        has_lattice = kind.has_lattice if has_lattice is None else has_lattice
        for method in methods:
            if method not in PAIRING_RULES:
                raise ConfigError(
                    f"config key {key}: {method!r} is not a pairing rule; registered: {', '.join(pairing_rule_names())}"
                )
            if PAIRING_RULES[method].needs_lattice and not has_lattice:
                where = (f"user data without a lattice_shape (declare one: {key.rsplit('.', 1)[0]}.lattice_shape)"
                         if kind.name == "user" else f"{kind.name} data")
                raise ConfigError(f"config key {key}: rule {method!r} needs lattice data, which {where} is not")

    def _check_pairing_config(self):
        self._check_kind_map("coarse_graining.methods", self.config["coarse_graining"]["methods"])
        for kind_name, methods in self.config["coarse_graining"]["methods"].items():
            self._check_methods(f"coarse_graining.methods.{kind_name}", methods, kind_of_dataset(kind_name))
        self._check_methods("coarse_graining.comparison_methods", self.config["coarse_graining"].get("comparison_methods", []),
                       kind_of_dataset("ising"))
        drawn = sorted({spec.dataset for panel in PANELS.values() for spec in panel.inputs.values()})
        for dataset in drawn:  # the figures' rule is drawn on every dataset a panel shows
            self._check_methods("figures.method", [self.config["figures"]["method"]], kind_of_dataset(dataset))
        per_method = self.config["coarse_graining"].get("comparison_temperatures_per_method", {})
        comparison = self.config["coarse_graining"].get("comparison_methods", [])
        for rule, temperatures in per_method.items():
            if rule not in PAIRING_RULES:  # a rule not compared today is simply unused; an unknown name is a typo
                raise ConfigError(f"config key coarse_graining.comparison_temperatures_per_method.{rule}: {rule!r} is "
                                  f"not a pairing rule; registered: {', '.join(pairing_rule_names())}")
            if rule not in comparison:  # kept for when the rule is compared again, but said
                self._warn(f"config key coarse_graining.comparison_temperatures_per_method.{rule}: {rule!r} is not "
                           "in coarse_graining.comparison_methods, so this entry is unused")
                continue
            known = self.config["coarse_graining"].get("comparison_temperatures", [])
            for t in temperatures:
                if not any(same_temperature(t, k) for k in known):
                    raise ConfigError(f"config key coarse_graining.comparison_temperatures_per_method.{rule}: {t} is "
                                      f"not one of coarse_graining.comparison_temperatures {known}")
        glass_temperatures = self.config.get("glass", {}).get("temperatures", [])
        for rule, temperatures in self.config["coarse_graining"].get("glass_temperatures_per_method", {}).items():
            key = f"config key coarse_graining.glass_temperatures_per_method.{rule}"
            if rule not in PAIRING_RULES:
                raise ConfigError(f"{key}: {rule!r} is not a pairing rule; registered: {', '.join(pairing_rule_names())}")
            if rule not in self.config["coarse_graining"]["methods"].get("glass", []):
                self._warn(f"{key}: {rule!r} is not in coarse_graining.methods.glass, so this entry is unused")
                continue
            for t in temperatures:
                if not any(same_temperature(t, k) for k in glass_temperatures):
                    raise ConfigError(f"{key}: {t} is not one of glass.temperatures {glass_temperatures}")
        for name, entry in self.config.get("user_datasets", {}).items():
            self._check_methods(f"user_datasets.{name}.methods", entry.get("methods", []), kind_of_dataset(name),
                                has_lattice="lattice_shape" in entry)
            self._check_user_lattice_rules(name, entry)
        if "nulls" in self.config:
            self._check_kind_map("nulls.models", self.config["nulls"]["models"])
            for kind_name, models in self.config["nulls"]["models"].items():
                _check_null_models(f"nulls.models.{kind_name}", kind_name, models)
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
                for kind_name, models in entry.get("models", {}).items():
                    _check_null_models(f"nulls.per_method.{rule}.models.{kind_name}", kind_name, models)
            ordered = [m for m in self.config["nulls"]["models"].get("user", []) if NULL_MODELS[m].time_ordered]
            for name, entry in self.config.get("user_datasets", {}).items():
                if ordered and not entry.get("time_series", False):
                    self._warn(f"config key nulls.models.user: {ordered} keep(s) a series' time order, and "
                               f"user_datasets.{name} is not declared time_series: true, so it gets no such null")
        self._check_kind_map("observables.silence_threshold", self.config["observables"]["silence_threshold"])
        self._check_kind_map("observables.cod_max_rank", self.config["observables"]["cod_max_rank"])

    def _check_lattice_rules(self):
        """Lattice rules on the Ising lattice: it must halve, one axis at a time, down to min_variables."""
        size = self.config["ising"]["lattice_size"]
        section = self.config["coarse_graining"]
        methods = set(section["methods"]["ising"]) | set(section.get("comparison_methods", []))
        self._check_lattice_halving(sorted(methods), (size, size), "ising.lattice_size")

    def _check_user_lattice_rules(self, name, entry):
        """A lattice rule on a user's declared lattice must halve it down to min_variables, as on the Ising lattice."""
        if "lattice_shape" not in entry or entry.get("id_columns") or name not in self.user_file_shapes:
            return  # without a lattice the rule was refused above; with id columns the job checks the shape
        self._check_lattice_halving(entry.get("methods", []), tuple(entry["lattice_shape"]),
                                    f"user_datasets.{name}.lattice_shape")

    def _check_lattice_halving(self, methods, shape, key):
        """Each lattice rule among ``methods`` must halve a ``shape`` lattice down to min_variables."""
        min_variables = self.config["coarse_graining"]["min_variables"]
        for method in methods:
            rule = PAIRING_RULES[method]
            if not (rule.needs_lattice and rule.check):
                continue
            try:
                rule.check(shape[0] * shape[1], shape, min_variables, self.pairing_options(method))
            except ValueError as exc:
                raise ConfigError(
                    f"config keys {key} / coarse_graining.min_variables, for the {method!r} pairing: {exc}"
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

    def _check_null_draws(self):
        """Fewer draws than a rank test at 0.05 needs: every claim tested against a null says not testable."""
        draws = self.config["nulls"]["draws"]
        ran = {(kind_of_dataset(source_dataset(d)).name, rule) for d, _, _, rule in self.null_runs()}
        for kind_name, rules in self.config["nulls"]["methods"].items():
            if not self.config["nulls"]["models"].get(kind_name):
                continue
            for rule in rules:
                if (kind_name, rule) not in ran and kind_name != "user":
                    self._warn(f"config key nulls.methods.{kind_name}: rule {rule!r} does not run on {kind_name} data "
                               "at the null temperatures, so it gets no null draws and its claims will say "
                               "`not testable`")
        if draws < MIN_NULL_DRAWS and self.null_runs():
            self._warn(f"config key nulls.draws: {draws} draws per null; a rank test at 0.05 needs at least "
                       f"{MIN_NULL_DRAWS}, so every claim tested against a null will say `not testable`")

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
        hot = [t for t in [*glass["temperatures"], glass["validation"]["eos_temperature"]] if t > GLASS_MAX_TEMPERATURE]
        if hot:
            raise ConfigError(f"config key {where}.temperatures / {where}.validation.eos_temperature: {hot} is above "
                              f"{GLASS_MAX_TEMPERATURE:g}; the Kob-Andersen model is studied as a liquid and glass "
                              "(T_MCT = 0.435), and its timestep (glass.timestep) is not meant for a hot gas")
        names = [temperature_condition(t) for t in glass["temperatures"]]
        if len(set(names)) != len(names):
            raise ConfigError(f"config key {where}.temperatures: two temperatures agree to {TEMPERATURE_DECIMALS} decimals")
        for key in glass["overrides"]:
            if not self._glass_is_temperature(float(key), glass):
                raise ConfigError(f"config key {where}.overrides.{key}: {key} is not one of {where}.temperatures")
        _check_one_override_per_temperature(glass["overrides"], where)

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
        try:  # the stage's own checks (a ramp longer than its stage, ...), before any LAMMPS run
            Stage(**self.glass_preparation_stage(condition))
        except ValueError as exc:
            raise ConfigError(f"{self._glass_key(condition, 'ramp')} / equilibration / aging ({condition}): {exc}") from None
        production = self.glass_production_stage(condition)
        thermo_samples = production["n_steps"] // production["thermo_every"] + 1
        if glass["block_count"] > thermo_samples:
            raise ConfigError(f"config key glass.block_count: {glass['block_count']} blocks of the {thermo_samples} "
                              f"thermo samples of {condition} (glass.production / glass.thermo_interval); use fewer")
        limit = self.config["resources"]["max_job_minutes"]
        eos = self.glass_variant(condition) == GLASS_BASE_VARIANT and condition not in self.glass_run_conditions()
        for kind, key in (("prepare", "equilibration / min_equilibration / aging"), ("produce", "production")):
            minutes = self.glass_runtime(kind)(Wildcards(condition=condition))
            if minutes > limit:
                where = (f"config key glass.validation.eos_{'production' if kind == 'produce' else 'equilibration'}"
                         if eos else self._glass_key(condition, key))
                raise ConfigError(
                    f"{where} (with n_particles, tasks, atom_steps_per_second): the {kind} "
                    f"stage of {condition} would ask for {minutes:,} min, more than resources.max_job_minutes "
                    f"({limit} min), the longest one job may run; lower the setting, or raise that key where the "
                    "scheduler allows longer jobs (rgcoarse.pipeline.costs)")
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
        self._check_methods("glass_study.methods", self.glass_study["methods"], kind_of_dataset("glass"))
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
