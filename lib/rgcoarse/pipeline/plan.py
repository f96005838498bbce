"""The workflow's plan: every target, input, setting, seed and priority, computed from the config.

:class:`Plan` is built once from the merged config (``workflow/rules/common.smk``) and checks it
(:mod:`rgcoarse.pipeline.plan_checks`), so a bad config stops ``snakemake -n`` before any job
runs. The rule files only call its methods. It holds no Snakemake object: tests build it from
plain dicts (``Plan(config)``). The lists of pairing rules, dataset kinds and figure panels come
from the package's registries, never from here.
"""

from __future__ import annotations

from pathlib import Path

from rgcoarse.coarse.pairing_rules import PAIRING_RULES
from rgcoarse.config.conditions import (
    replica_condition,
    same_temperature,
    temperature_condition,
    with_override,
)
from rgcoarse.config.seeds import derive_seed
from rgcoarse.config.validation import ConfigError
from rgcoarse.datasets.kinds import (
    DATASET_KINDS,
    kind_of_dataset,
    seed_name,
    source_dataset,
)
from rgcoarse.datasets.nulls import NULL_MODELS
from rgcoarse.io.user_files import user_file_options
from rgcoarse.paper.claim_groups import claims_inputs, claims_settings
from rgcoarse.paper.panels import PANELS, panel_named, report_caption
from rgcoarse.paper.supplementary import SUPPLEMENTARY_FIGURES, supplementary_figure
from rgcoarse.pipeline.bayes_rg_plan import BayesRgPlan
from rgcoarse.pipeline.glass_plan import GlassPlan
from rgcoarse.pipeline.glass_study_plan import GlassStudyPlan
from rgcoarse.pipeline.plan_checks import PlanChecks
from rgcoarse.pipeline.resource_plan import ResourcePlan
from rgcoarse.pipeline.rmi_plan import RmiPlan
from rgcoarse.pipeline.wcrg_plan import WcrgPlan

__all__ = ["Plan", "ConfigError"]

ISING_SETTING_KEYS = ("n_samples", "spacing_factor", "pilot_sweeps", "burn_in_sweeps", "wolff_window")
# The config schema, beside the rules (workflow/schemas), found from the package in a checkout.
DEFAULT_SCHEMA = Path(__file__).resolve().parents[3] / "workflow" / "schemas" / "config.schema.yaml"


class Plan(PlanChecks, ResourcePlan, GlassStudyPlan, GlassPlan, RmiPlan, WcrgPlan, BayesRgPlan):
    """Targets, inputs and per-job settings of one run, from its (merged, schema-valid) config.

    ``configfiles`` are the YAML files the config was read from (checked for duplicate keys);
    ``schema_path`` the JSON schema the config is checked against once more, strictly.
    """

    def __init__(self, config: dict, *, configfiles=(), schema_path=DEFAULT_SCHEMA, check: bool = True):
        self.config = config
        self.configfiles = list(configfiles)
        self.schema_path = Path(schema_path)
        self._glass_configs = {}
        self.user_file_shapes = {}  # user dataset -> (n_samples or None, n_features), from the parse-time check
        self.warnings = []  # problems said before any job that do not stop the run (a user file too small to fit)
        if check:
            self.check()

    @property
    def glass(self) -> dict:
        return self.config["glass"]

    @property
    def glass_study(self) -> dict:
        return self.config["glass_study"]

    def ising_conditions(self):
        return [temperature_condition(t) for t in self.config["ising"]["temperatures"]]

    def ising_settings(self, condition):
        """Sampling settings of one Ising temperature: the defaults merged with its override."""
        temperature = float(condition.lstrip("T"))
        section = self.config["ising"]
        defaults = {key: section[key] for key in ISING_SETTING_KEYS}
        settings = with_override(defaults, section.get("overrides", {}), temperature)
        settings.update(
            temperature=temperature,
            lattice_size=section["lattice_size"],
            seed=derive_seed(self.config["seed"], "ising", condition),
        )
        return settings

    def dataset_kind(self, dataset):
        """The dataset kind (a key of the per-kind config maps) of a dataset."""
        return kind_of_dataset(dataset).name

    def data_dataset_conditions(self):
        """Every (dataset, condition) pair of data (not nulls) the run produces, kind by kind."""
        conditions = {"temperature": self.ising_conditions, "run": self.glass_conditions,
                      "structure": self.planted_structures, "default": lambda: ["default"]}
        pairs = []
        for name, kind in DATASET_KINDS.items():
            datasets = [name] if kind.builtin else list(self.config.get("user_datasets", {}))
            pairs += [(dataset, c) for dataset in datasets for c in conditions[kind.conditions]()]
        return pairs

    def planted_structures(self):
        return list(self.config.get("planted", {}).get("structures", []))

    def planted_targets(self):
        """The planted benchmark's table, when the config plants any structure (its figure: figure_targets)."""
        if not self.planted_structures():
            return []
        return ["results/planted_benchmark.csv"]

    def _null_setting(self, method, key):
        """nulls.<key> (models or temperatures), or nulls.per_method.<method>.<key> where that is given."""
        nulls = self.config["nulls"]
        return nulls.get("per_method", {}).get(method, {}).get(key, nulls.get(key, {}))

    def _null_temperature_selected(self, dataset, condition, method):
        """Whether the null temperatures of ``method`` select this condition."""
        selection = self._null_setting(method, "temperatures").get(dataset, "all")
        if selection == "all" or condition == "default":
            return True
        temperature = float(condition.split("_")[0].lstrip("T"))
        return any(same_temperature(temperature, t) for t in selection)

    def null_models_for(self, dataset, method=None):
        """Null models of one rule on a data dataset (its kind's list; a time-ordered null only on time series)."""
        if "nulls" not in self.config:
            return []
        models = self._null_setting(method, "models").get(self.dataset_kind(dataset),
                                                          self.config["nulls"]["models"][self.dataset_kind(dataset)])
        return [m for m in models if not NULL_MODELS[m].time_ordered or self.is_time_series(dataset)]

    def null_runs(self):
        """Every (dataset, condition, model, method) with null draws (one batched job each)."""
        if "nulls" not in self.config:
            return []
        return [
            (d, c, model, method)
            for d, c in self.data_dataset_conditions()
            for method in self.config["nulls"]["methods"][self.dataset_kind(d)]
            if method in self.methods_for(d, c) and self._null_temperature_selected(d, c, method)
            for model in self.null_models_for(d, method)
        ]

    def null_fit_range(self):
        """The fit settings the null draws' point estimates use (not the bootstrap's: they have no interval)."""
        fits = self.config["fits"]
        return {"k_min": fits["k_min"], "min_clusters": fits["min_clusters"],
                "cod_rank_range": list(fits["cod_rank_range"])}

    def null_statistics_path(self, dataset, condition, model, method):
        return f"results/nulls/{dataset}/{condition}/{model}/{method}.parquet"

    def null_statistics_files(self, dataset=None, method=None, conditions=None):
        """Null-statistics tables, optionally of one dataset, one pairing rule and some conditions."""
        return [
            self.null_statistics_path(d, c, model, m)
            for d, c, model, m in self.null_runs()
            if (dataset is None or d == dataset) and (method is None or m == method)
            and (conditions is None or c in conditions)
        ]

    def dataset_conditions(self):
        """Every (dataset, condition) pair of data the run produces (nulls live in their own tables)."""
        return self.data_dataset_conditions()

    def glass_conditions(self):
        """Glass conditions (temperature x replica) whose p_hop matrices enter the coarse-graining."""
        return [Path(p).stem for p in self.glass_data_targets()]

    def _kind_setting(self, section, key, dataset):
        """A per-kind setting of a dataset: a user dataset's own entry first, then its kind's value.

        A null dataset has its source's settings.
        """
        source = source_dataset(dataset)
        entry = self.config.get("user_datasets", {}).get(source, {}) if self.dataset_kind(dataset) == "user" else {}
        return entry.get(key, self.config[section][key][self.dataset_kind(dataset)])

    def methods_for(self, dataset, condition=None):
        """Pairing rules run on one dataset (and, for Ising, one temperature condition)."""
        methods = list(self._kind_setting("coarse_graining", "methods", dataset))
        glass_limited = self.config["coarse_graining"].get("glass_temperatures_per_method", {})
        if self.dataset_kind(dataset) == "glass" and condition is not None and glass_limited:
            temperature = float(Path(condition).name[1:].split("_r")[0])
            methods = [m for m in methods if m not in glass_limited
                       or any(same_temperature(temperature, t) for t in glass_limited[m])]
        if self.dataset_kind(dataset) == "ising" and condition in self.comparison_conditions():
            limited = self.config["coarse_graining"].get("comparison_temperatures_per_method", {})
            methods += [
                m for m in self.config["coarse_graining"].get("comparison_methods", [])
                if m not in methods and (m not in limited or condition in {temperature_condition(t) for t in limited[m]})
            ]
        return methods

    def pairing_options(self, method):
        """The config values of a pairing rule's options (e.g. the projection rule's order)."""
        section = self.config["coarse_graining"]
        return {option: section[key] for option, key in PAIRING_RULES[method].options.items()}

    def comparison_conditions(self):
        """Ising temperatures on which every pairing rule is compared (supplementary figure)."""
        temperatures = self.config["coarse_graining"].get("comparison_temperatures", [])
        return [temperature_condition(t) for t in temperatures]

    def silence_threshold(self, dataset):
        return self._kind_setting("observables", "silence_threshold", dataset)

    def is_time_series(self, dataset):
        """Whether a dataset's rows are consecutive times of one run (block bootstrap, time-shift null)."""
        source = source_dataset(dataset)
        if self.dataset_kind(source) == "user":
            return bool(self.config.get("user_datasets", {}).get(source, {}).get("time_series", False))
        return kind_of_dataset(source).time_series

    def cod_max_rank(self, dataset):
        """Stepwise-selection ranks per level for a dataset (None = every rank)."""
        return self._kind_setting("observables", "cod_max_rank", dataset) or None

    # data.smk
    def data_targets(self):
        return [f"results/data/{d}/{c}.parquet" for d, c in self.dataset_conditions()]

    # coarse_graining.smk
    def fit_files(self):
        return [
            f"results/fits/{d}/{c}/{m}.parquet" for d, c in self.dataset_conditions() for m in self.methods_for(d, c)
        ]

    def observable_files(self):
        return [
            f"results/observables/{d}/{c}/{m}/{name}.parquet"
            for d, c in self.dataset_conditions()
            for m in self.methods_for(d, c)
            for name in ("m2", "p0", "cod", "spectrum", "pairs")
        ]

    def coarse_graining_targets(self):
        return self.observable_files() + ["results/exponents.parquet", "results/exponents.csv"]

    # figures.smk
    def observable_path(self, dataset, condition, name, method=None):
        method = method or self.config["figures"]["method"]
        return f"results/observables/{dataset}/{condition}/{method}/{name}.parquet"

    def fit_path(self, dataset, condition, method=None):
        return f"results/fits/{dataset}/{condition}/{method or self.config['figures']['method']}.parquet"

    def figure_condition(self, dataset, temperature):
        """The condition a figure shows for one temperature (replica 0 of a glass temperature)."""
        if dataset == "glass":
            return replica_condition(temperature, 0)
        return temperature_condition(temperature)

    def figure_conditions(self, dataset):
        """Every condition of a dataset that figures and claims use."""
        if dataset == "ising":
            return self.ising_conditions()
        if dataset == "glass":
            return self.glass_figure_conditions()
        return ["default"]

    def panel_settings(self, panel):
        return self.config["figures"].get(panel, {})

    def _table_input_paths(self, spec, settings):
        if spec.select == "default":
            conditions = ["default"]
        elif spec.select == "all":
            conditions = self.figure_conditions(spec.dataset)
        elif spec.select == "temperature":
            conditions = [self.figure_condition(spec.dataset, settings["temperature"])]
        else:
            conditions = [self.figure_condition(spec.dataset, t) for t in settings["temperatures"]]
        if spec.table == "fit":
            paths = [self.fit_path(spec.dataset, c) for c in conditions]
        else:
            paths = [self.observable_path(spec.dataset, c, spec.table) for c in conditions]
        return paths if spec.many else paths[0]

    def panel_input_paths(self, panel):
        """The tables one panel is drawn from (input name -> path, or list of paths)."""
        settings = self.panel_settings(panel)
        return {key: self._table_input_paths(spec, settings) for key, spec in panel_named(panel).inputs.items()}

    def panel_inputs(self, wildcards):
        return self.panel_input_paths(wildcards.panel)

    def panel_report_caption(self, wildcards):
        return report_caption(wildcards.panel, self.panel_settings(wildcards.panel), self.config["figures"]["method"])

    def figure_null_statistics_paths(self, source, method=None):
        """Null-statistics tables of a pairing rule (default: the figures' rule) on ``source``'s figure conditions."""
        return self.null_statistics_files(source, method or self.config["figures"]["method"],
                                          set(self.figure_conditions(source)))

    def glass_figure_conditions(self):
        """Replica 0 of every glass temperature: the runs Fig. 3 and its claims are drawn from."""
        return [replica_condition(t, 0) for t in self.config["glass"]["temperatures"]]

    def figure_targets(self):
        """Every paper panel, and the supplementary figures the run makes (their registry says which)."""
        figures = list(PANELS) + [name for name, figure in SUPPLEMENTARY_FIGURES.items() if figure.in_run(self.config)]
        return [f"figures/{name}.{ext}" for name in figures for ext in ("pdf", "png")]

    def figure_observable_paths(self, dataset, name):
        """One observable table of the figures' rule on every figure condition of ``dataset``."""
        return [self.observable_path(dataset, c, name) for c in self.figure_conditions(dataset)]

    def every_rule_paths(self, dataset, table):
        """``fit``, ``coarse`` or an observable table of every rule run on every condition of a dataset."""
        conditions = self.planted_structures() if dataset == "planted" else self.figure_conditions(dataset)
        paths = {
            "fit": lambda c, m: self.fit_path(dataset, c, m),
            "coarse": lambda c, m: f"results/coarse/{dataset}/{c}/{m}.parquet",
        }.get(table, lambda c, m: self.observable_path(dataset, c, table, m))
        return [paths(c, m) for c in conditions for m in self.methods_for(dataset, c)]

    def planted_data_paths(self):
        return [f"results/data/planted/{s}.parquet" for s in self.planted_structures()]

    def claims_inputs(self, wildcards):
        """Every table the claims table reads (its registry, rgcoarse.paper.claim_groups, names them)."""
        return claims_inputs(self)

    def claims_settings(self):
        return claims_settings(self.config)

    def supplementary_inputs(self, wildcards):
        """The tables a supplementary figure of the generic rule reads (its registry entry names them)."""
        return supplementary_figure(wildcards.figure).inputs(self)

    def supplementary_labels(self, wildcards):
        return {"figure": supplementary_figure(wildcards.figure).label}

    # Report (workflow/rules/report.smk): category and label of a panel's figure.

    def report_figure_category(self, wildcards):
        """Report category of a paper panel: the paper's figure, e.g. fig2c -> 'Fig. 2'."""
        return panel_named(wildcards.panel).figure

    def report_figure_labels(self, wildcards):
        """Label shown in the report's result table, e.g. fig2c -> {'panel': 'Fig. 2c'}."""
        return {"panel": panel_named(wildcards.panel).label}

    # Seeds: each job's seed derives from the master seed and its wildcards (rgcoarse.config.seeds),
    # with a dataset's seed name (a renamed kind keeps its old name there, so no number changes).

    def gaussian_seed(self):
        return derive_seed(self.config["seed"], "gaussian")

    def planted_seed(self, wildcards):
        return derive_seed(self.config["seed"], "planted", wildcards.structure)

    def null_seed(self, wildcards):
        w = wildcards
        return derive_seed(self.config["seed"], "null", seed_name(w.dataset), w.model, w.condition, w.method)

    def coarse_seed(self, wildcards):
        w = wildcards
        return derive_seed(self.config["seed"], "coarse", seed_name(w.dataset), w.condition, w.method)

    def bootstrap_seed(self, wildcards):
        w = wildcards
        return derive_seed(self.config["seed"], "bootstrap", seed_name(w.dataset), w.condition, w.method)

    # Small lookups the rules need.

    def planted_settings(self):
        """The planted generator's settings (every planted key but the list of structures)."""
        return {key: value for key, value in self.config["planted"].items() if key != "structures"}

    def user_file_path(self, wildcards):
        return self.config["user_datasets"][wildcards.dataset]["path"]

    def user_dataset_options(self, wildcards):
        return user_file_options(self.config["user_datasets"][wildcards.dataset])

    def user_dataset_pattern(self):
        """Wildcard constraint of a user dataset's name (matches nothing when there are none)."""
        return "|".join(self.config.get("user_datasets", {})) or "(?!)"

    def glass_phop_window(self, wildcards):
        return self.glass_config(wildcards.condition)["phop_window"]
