# Helpers shared by the rule files (dataset/condition names, per-job settings, seeds,
# the inputs and targets of each stage).
# Everything here is computed from `config` at parse time, so a bad config stops
# `snakemake -n` before any job runs. The lists of pairing rules, dataset kinds and figure
# panels come from the package's registries, never from this file.

from pathlib import Path

import yaml

from rgcoarse.config.validation import (
    duplicate_keys,
    non_finite_values,
    strict_schema_errors,
    temperature_decimals_errors,
)
from rgcoarse.config.conditions import replica_condition, same_temperature, temperature_condition, with_override
from rgcoarse.io.datamatrix import DataMatrixError
from rgcoarse.io.user_files import check_user_file, user_file_options
from rgcoarse.datasets.kinds import (
    builtin_dataset_names,
    dataset_kind_names,
    kind_of_dataset,
    seed_name,
    source_dataset,
)
from rgcoarse.datasets.nulls import NULL_MODELS, null_condition, null_dataset_name, null_model_names, split_null_dataset
from rgcoarse.coarse.pairing_rules import PAIRING_RULES, option_config_keys, pairing_rule_names, wildcard_pattern
from rgcoarse.paper.panels import PANELS, panel_named, report_caption
from rgcoarse.config.seeds import derive_seed

ISING_SETTING_KEYS = ("n_samples", "spacing_factor", "pilot_sweeps", "burn_in_sweeps", "wolff_window")


# Beside this file, wherever the including Snakefile is (tests include it from elsewhere).
CONFIG_SCHEMA = Path(workflow.current_basedir).parent / "schemas" / "config.schema.yaml"


class ConfigError(ValueError):
    """A config problem the JSON schema cannot express (files, cross-key rules, registries)."""


def _check_config_files_and_values():
    """Duplicate YAML keys, NaN/inf, fractional integers, temperatures their wildcards would change."""
    problems = []
    for path in workflow.configfiles:
        problems += [f"{path}: {m}" for m in duplicate_keys(Path(path).read_text())]
    problems += non_finite_values(config)
    schema = yaml.safe_load(CONFIG_SCHEMA.read_text())
    problems += [m for m in strict_schema_errors(config, schema) if m not in problems]
    temperature_lists = {
        "ising.temperatures": config["ising"]["temperatures"],
        "glass.temperatures": config["glass"]["temperatures"],
        "coarse_graining.comparison_temperatures": config["coarse_graining"].get("comparison_temperatures"),
    }
    for key, temperatures in temperature_lists.items():
        problems += temperature_decimals_errors(key, temperatures)
    low, high = config["fits"]["cod_rank_range"]
    if low > high:
        problems.append(f"config key fits.cod_rank_range: [{low}, {high}] is reversed; write [{high}, {low}]")
    if problems:
        raise ConfigError("\n".join(problems))


_check_config_files_and_values()


def ising_conditions():
    return [temperature_condition(t) for t in config["ising"]["temperatures"]]


def _check_unique_conditions():
    names = ising_conditions()
    if len(set(names)) != len(names):
        raise ConfigError("config key ising.temperatures: two temperatures agree to 3 decimals")


def _check_overrides():
    known = set(ising_conditions())
    for key in config["ising"].get("overrides", {}):
        if temperature_condition(key) not in known:
            raise ConfigError(
                f"config key ising.overrides.{key}: {key} is not one of ising.temperatures"
            )


def _check_user_files():
    for name, entry in config.get("user_datasets", {}).items():
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


def _check_kind_map(key, mapping):
    """A per-kind config map must name every registered dataset kind, and nothing else."""
    kinds = set(dataset_kind_names())
    unknown, missing = set(mapping) - kinds, kinds - set(mapping)
    if unknown:
        raise ConfigError(
            f"config key {key}: unknown dataset kind(s) {sorted(unknown)}; the kinds are {sorted(kinds)}"
        )
    if missing:
        raise ConfigError(f"config key {key}: missing dataset kind(s) {sorted(missing)}")


def _check_methods(key, methods, kind):
    for method in methods:
        if method not in PAIRING_RULES:
            raise ConfigError(
                f"config key {key}: {method!r} is not a pairing rule; registered: {', '.join(pairing_rule_names())}"
            )
        if PAIRING_RULES[method].needs_lattice and not kind.has_lattice:
            raise ConfigError(f"config key {key}: rule {method!r} needs lattice data, which {kind.name} data is not")


def _check_pairing_config():
    _check_kind_map("coarse_graining.methods", config["coarse_graining"]["methods"])
    for kind_name, methods in config["coarse_graining"]["methods"].items():
        _check_methods(f"coarse_graining.methods.{kind_name}", methods, kind_of_dataset(kind_name))
    _check_methods("coarse_graining.comparison_methods", config["coarse_graining"].get("comparison_methods", []),
                   kind_of_dataset("ising"))
    _check_methods("figures.method", [config["figures"]["method"]], kind_of_dataset("ising"))
    for name, entry in config.get("user_datasets", {}).items():
        _check_methods(f"user_datasets.{name}.methods", entry.get("methods", []), kind_of_dataset(name))
    if "nulls" in config:
        _check_kind_map("nulls.models", config["nulls"]["models"])
        _check_methods("nulls.methods", config["nulls"]["methods"], kind_of_dataset("gaussian"))
    _check_kind_map("observables.silence_threshold", config["observables"]["silence_threshold"])
    _check_kind_map("observables.cod_max_rank", config["observables"]["cod_max_rank"])


def _check_lattice_rules():
    """Lattice rules on the Ising lattice: it must halve, one axis at a time, down to min_variables."""
    size = config["ising"]["lattice_size"]
    section = config["coarse_graining"]
    methods = set(section["methods"]["ising"]) | set(section.get("comparison_methods", []))
    for method in sorted(m for m in methods if PAIRING_RULES[m].needs_lattice and PAIRING_RULES[m].check):
        try:
            PAIRING_RULES[method].check(size * size, (size, size), section["min_variables"], pairing_options(method))
        except ValueError as exc:
            raise ConfigError(
                f"config keys ising.lattice_size / coarse_graining.min_variables, for the {method!r} pairing: {exc}"
            ) from None


_check_unique_conditions()
_check_overrides()
_check_user_files()
_check_pairing_config()


def ising_settings(condition):
    """Sampling settings of one Ising temperature: the defaults merged with its override."""
    temperature = float(condition.lstrip("T"))
    section = config["ising"]
    defaults = {key: section[key] for key in ISING_SETTING_KEYS}
    settings = with_override(defaults, section.get("overrides", {}), temperature)
    settings.update(
        temperature=temperature,
        lattice_size=section["lattice_size"],
        seed=derive_seed(config["seed"], "ising", condition),
    )
    return settings


def dataset_kind(dataset):
    """The dataset kind (a key of the per-kind config maps) of a dataset."""
    return kind_of_dataset(dataset).name


def data_dataset_conditions():
    """Every (dataset, condition) pair of data (not nulls) the run produces."""
    pairs = [("ising", c) for c in ising_conditions()]
    pairs.append(("gaussian", "default"))
    pairs += [(name, "default") for name in config.get("user_datasets", {})]
    pairs += [("glass", c) for c in glass_conditions()]
    pairs += [("planted", s) for s in planted_structures()]
    return pairs


def planted_structures():
    return list(config.get("planted", {}).get("structures", []))


def planted_targets():
    """The planted benchmark's table and figure, when the config plants any structure."""
    if not planted_structures():
        return []
    return ["results/planted_benchmark.csv"] + [f"figures/supp_planted.{ext}" for ext in ("pdf", "png")]


def _check_planted():
    section = config.get("planted")
    if not section or not section["structures"]:
        return
    n, block = section["n_features"], section.get("block_size", 4)
    if "nonlinear" in section["structures"] and n % 2:
        raise ConfigError(f"config key planted.n_features: {n} must be even (the nonlinear structure is pairs)")
    if "blocks" in section["structures"] and n % block:
        raise ConfigError(f"config key planted.block_size: {block} must divide planted.n_features ({n})")


_check_planted()


def _null_temperature_selected(dataset, condition):
    """Whether the config's nulls.temperatures selects this condition of a dataset."""
    selection = config["nulls"].get("temperatures", {}).get(dataset, "all")
    if selection == "all" or condition == "default":
        return True
    temperature = float(condition.split("_")[0].lstrip("T"))
    return any(same_temperature(temperature, t) for t in selection)


def null_models_for(dataset):
    """Null models run on a data dataset (its kind's list; a shift null only on time series)."""
    if "nulls" not in config:
        return []
    models = config["nulls"]["models"][dataset_kind(dataset)]
    return [m for m in models if not NULL_MODELS[m].time_ordered or is_time_series(dataset)]


def null_dataset_conditions():
    """Every (null dataset, condition) pair: models x selected conditions x draws."""
    if "nulls" not in config:
        return []
    return [
        (null_dataset_name(d, model), null_condition(c, draw))
        for d, c in data_dataset_conditions()
        if _null_temperature_selected(d, c)
        for model in null_models_for(d)
        for draw in range(config["nulls"]["draws"])
    ]


def dataset_conditions():
    """Every (dataset, condition) pair the run produces: the data, then their nulls."""
    return data_dataset_conditions() + null_dataset_conditions()


def glass_conditions():
    """Glass conditions (temperature x replica) whose p_hop matrices enter the coarse-graining."""
    return [Path(p).stem for p in glass_data_targets()]  # glass_common.smk


def _kind_setting(section, key, dataset):
    """A per-kind setting of a dataset: a user dataset's own entry first, then its kind's value.

    A null dataset has its source's settings.
    """
    source = source_dataset(dataset)
    entry = config.get("user_datasets", {}).get(source, {}) if dataset_kind(dataset) == "user" else {}
    return entry.get(key, config[section][key][dataset_kind(dataset)])


def methods_for(dataset, condition=None):
    """Pairing rules run on one dataset (and, for Ising, one temperature condition); nulls: nulls.methods."""
    if source_dataset(dataset) != dataset:
        return list(config["nulls"]["methods"])
    methods = list(_kind_setting("coarse_graining", "methods", dataset))
    if dataset_kind(dataset) == "ising" and condition in comparison_conditions():
        limited = config["coarse_graining"].get("comparison_temperatures_per_method", {})
        methods += [
            m for m in config["coarse_graining"].get("comparison_methods", [])
            if m not in methods and (m not in limited or condition in {temperature_condition(t) for t in limited[m]})
        ]
    return methods


def pairing_options(method):
    """The config values of a pairing rule's options (e.g. the projection rule's order)."""
    section = config["coarse_graining"]
    return {option: section[key] for option, key in PAIRING_RULES[method].options.items()}


def comparison_conditions():
    """Ising temperatures on which every pairing rule is compared (supplementary figure)."""
    temperatures = config["coarse_graining"].get("comparison_temperatures", [])
    return [temperature_condition(t) for t in temperatures]


def _check_comparison_temperatures():
    known = set(ising_conditions())
    for t in config["coarse_graining"].get("comparison_temperatures", []):
        if temperature_condition(t) not in known:
            raise ConfigError(
                f"config key coarse_graining.comparison_temperatures: {t} is not one of ising.temperatures"
            )


_check_comparison_temperatures()


def _check_null_temperatures():
    arms = {"ising": config["ising"]["temperatures"], "glass": config["glass"]["temperatures"]}
    for arm, selection in config.get("nulls", {}).get("temperatures", {}).items():
        for t in [] if selection == "all" else selection:
            if not any(same_temperature(t, known) for known in arms[arm]):
                raise ConfigError(f"config key nulls.temperatures.{arm}: {t} is not one of {arm}.temperatures")


_check_null_temperatures()
_check_lattice_rules()


def silence_threshold(dataset):
    return _kind_setting("observables", "silence_threshold", dataset)


def is_time_series(dataset):
    """Whether a dataset's rows are consecutive times of one run (block bootstrap, time-shift null).

    A null is a time series when its source is and its model keeps the time order (``shift``).
    """
    null = split_null_dataset(dataset)
    if null is not None and not NULL_MODELS[null[1]].time_ordered:
        return False
    source = source_dataset(dataset)
    if dataset_kind(source) == "user":
        return bool(config.get("user_datasets", {}).get(source, {}).get("time_series", False))
    return kind_of_dataset(source).time_series


def cod_max_rank(dataset):
    """Stepwise-selection ranks per level for a dataset (None = every rank)."""
    return _kind_setting("observables", "cod_max_rank", dataset) or None


# Inputs and targets of the stage rule files. They live here, not next to their rules,
# because Snakemake's linter asks for rules and functions in separate files.


# data.smk
def data_targets():
    return [f"results/data/{d}/{c}.parquet" for d, c in dataset_conditions()]


# coarse_graining.smk
def fit_files():
    return [
        f"results/fits/{d}/{c}/{m}.parquet" for d, c in dataset_conditions() for m in methods_for(d, c)
    ]


def observable_files():
    return [
        f"results/observables/{d}/{c}/{m}/{name}.parquet"
        for d, c in dataset_conditions()
        for m in methods_for(d, c)
        for name in ("m2", "p0", "cod", "spectrum", "pairs")
    ]


def coarse_graining_targets():
    return observable_files() + ["results/exponents.parquet", "results/exponents.csv"]


# figures.smk
def observable_path(dataset, condition, name, method=None):
    method = method or config["figures"]["method"]
    return f"results/observables/{dataset}/{condition}/{method}/{name}.parquet"


def fit_path(dataset, condition, method=None):
    return f"results/fits/{dataset}/{condition}/{method or config['figures']['method']}.parquet"


def figure_condition(dataset, temperature):
    """The condition a figure shows for one temperature (replica 0 of a glass temperature)."""
    if dataset == "glass":
        return replica_condition(temperature, 0)
    return temperature_condition(temperature)


def figure_conditions(dataset):
    """Every condition of a dataset that figures and claims use."""
    if dataset == "ising":
        return ising_conditions()
    if dataset == "glass":
        return glass_figure_conditions()
    return ["default"]


def panel_settings(panel):
    return config["figures"].get(panel, {})


def _table_input_paths(spec, settings):
    if spec.select == "default":
        conditions = ["default"]
    elif spec.select == "all":
        conditions = figure_conditions(spec.dataset)
    elif spec.select == "temperature":
        conditions = [figure_condition(spec.dataset, settings["temperature"])]
    else:
        conditions = [figure_condition(spec.dataset, t) for t in settings["temperatures"]]
    if spec.table == "fit":
        paths = [fit_path(spec.dataset, c) for c in conditions]
    else:
        paths = [observable_path(spec.dataset, c, spec.table) for c in conditions]
    return paths if spec.many else paths[0]


def panel_input_paths(panel):
    """The tables one panel is drawn from (input name -> path, or list of paths)."""
    settings = panel_settings(panel)
    return {key: _table_input_paths(spec, settings) for key, spec in panel_named(panel).inputs.items()}


def panel_inputs(wildcards):
    return panel_input_paths(wildcards.panel)


def panel_report_caption(wildcards):
    return report_caption(wildcards.panel, panel_settings(wildcards.panel), config["figures"]["method"])


def null_observable_paths(source, name, models=None):
    """Observable tables of the figures' pairing rule on every null draw of ``source``'s figure conditions."""
    method = config["figures"]["method"]
    figure = set(figure_conditions(source))
    return [
        observable_path(d, c, name)
        for d, c in null_dataset_conditions()
        if source_dataset(d) == source
        and (models is None or split_null_dataset(d)[1] in models)
        and c.rsplit("_n", 1)[0] in figure
        and method in methods_for(d, c)
    ]


def glass_figure_conditions():
    """Replica 0 of every glass temperature: the runs Fig. 3 and its claims are drawn from."""
    return [replica_condition(t, 0) for t in config["glass"]["temperatures"]]


def _check_figure_settings():
    """Every panel section names a registered panel and holds the settings that panel needs."""
    for key in config["figures"]:
        if key not in ("dpi", "method") and key not in PANELS:
            raise ConfigError(f"config key figures.{key}: no figure panel of that name; panels: {', '.join(PANELS)}")
    for name, panel in PANELS.items():
        settings = panel_settings(name)
        missing = [key for key in panel.settings if key not in settings]
        if missing:
            raise ConfigError(f"config key figures.{name}: missing setting(s) {missing}")
        unused = sorted(set(settings) - set(panel.settings))
        if unused:
            raise ConfigError(f"config key figures.{name}: setting(s) {unused} are not used by this panel")
        for spec in panel.inputs.values():
            known = set(figure_conditions(spec.dataset))
            temperatures = {"temperature": [settings.get("temperature")], "temperatures": settings.get("temperatures")}
            for t in temperatures.get(spec.select) or []:
                if figure_condition(spec.dataset, t) not in known:
                    raise ConfigError(
                        f"config key figures.{name}.{spec.select}: {t} is not one of {spec.dataset}.temperatures"
                    )


_check_figure_settings()


def figure_targets():
    panels = list(PANELS) + ["supp_pairing_rules"]
    return [f"figures/{p}.{ext}" for p in panels for ext in ("pdf", "png")]
