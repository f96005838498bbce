# Helpers shared by the rule files (dataset/condition names, per-job settings, seeds,
# the inputs and targets of each stage).
# Everything here is computed from `config` at parse time, so a bad config stops
# `snakemake -n` before any job runs.

import math
from pathlib import Path

from rgcoarse.datamatrix import DataMatrixError, read_user_matrix
from rgcoarse.seeds import derive_seed

ISING_SETTING_KEYS = ("n_samples", "spacing_factor", "pilot_sweeps", "burn_in_sweeps", "wolff_window")


class ConfigError(ValueError):
    """A config problem the JSON schema cannot express (files, cross-key rules)."""


def temperature_condition(temperature):
    """Wildcard value for one temperature, e.g. 2.3 -> 'T2.300'."""
    return f"T{float(temperature):.3f}"


def ising_conditions():
    return [temperature_condition(t) for t in config["ising"]["temperatures"]]


def _check_unique_conditions():
    names = ising_conditions()
    if len(set(names)) != len(names):
        raise ConfigError("config key ising.temperatures: two temperatures agree to 3 decimals")


def _check_overrides():
    temperatures = [float(t) for t in config["ising"]["temperatures"]]
    for key in config["ising"].get("overrides", {}):
        if not any(math.isclose(float(key), t, abs_tol=5e-4) for t in temperatures):
            raise ConfigError(
                f"config key ising.overrides.{key}: {key} is not one of ising.temperatures"
            )


def _check_user_files():
    for name, entry in config.get("user_datasets", {}).items():
        path = Path(entry["path"])
        if not path.is_file():
            raise ConfigError(f"config key user_datasets.{name}.path: file not found: {path}")
        try:
            read_user_matrix(path)  # malformed files stop here, before any job runs
        except DataMatrixError as exc:
            raise ConfigError(f"config key user_datasets.{name}.path: {exc}") from None


_check_unique_conditions()
_check_overrides()
_check_user_files()


def ising_settings(condition):
    """Sampling settings of one Ising temperature: the defaults merged with its override."""
    temperature = float(condition.lstrip("T"))
    section = config["ising"]
    settings = {key: section[key] for key in ISING_SETTING_KEYS}
    for key, override in section.get("overrides", {}).items():
        if math.isclose(float(key), temperature, abs_tol=5e-4):
            settings.update(override)
    settings.update(
        temperature=temperature,
        lattice_size=section["lattice_size"],
        seed=derive_seed(config["seed"], "ising", condition),
    )
    return settings


def dataset_kind(dataset):
    """Which config sections describe a dataset: ising, gaussian, glass or user."""
    if dataset in ("ising", "gaussian"):
        return dataset
    if dataset == "ka":
        return "glass"
    return "user"


def dataset_conditions():
    """Every (dataset, condition) pair the default run produces."""
    pairs = [("ising", c) for c in ising_conditions()]
    pairs.append(("gaussian", "default"))
    pairs += [(name, "default") for name in config.get("user_datasets", {})]
    pairs += [("ka", c) for c in glass_conditions()]
    return pairs


def glass_conditions():
    """Glass conditions (temperature x replica) whose p_hop matrices enter the coarse-graining."""
    return [Path(p).stem for p in glass_data_targets()]  # glass_common.smk


def methods_for(dataset, condition=None):
    """Pairing rules run on one dataset (and, for Ising, one temperature condition)."""
    kind = dataset_kind(dataset)
    if kind == "user":
        return config["user_datasets"][dataset].get("methods", ["projection", "random"])
    methods = list(config["coarse_graining"]["methods"].get(kind, ["projection", "random"]))
    if kind == "ising" and condition in comparison_conditions():
        methods += [m for m in config["coarse_graining"].get("comparison_methods", []) if m not in methods]
    return methods


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


def silence_threshold(dataset):
    kind = dataset_kind(dataset)
    if kind == "user":
        return config["user_datasets"][dataset].get("silence_threshold", 0.0)
    thresholds = config["observables"].get("silence_threshold", {})
    return thresholds.get(kind, 0.0)


def cod_max_rank(dataset):
    """Stepwise-selection ranks per level for a dataset (None = every rank)."""
    ranks = config["observables"].get("cod_max_rank", {}).get(dataset_kind(dataset), 256)
    return ranks or None


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
PAPER_PANELS = ["fig1", "fig2a", "fig2b", "fig2c", "fig2d", "fig2e", "fig2f", "fig3a", "fig3b", "fig3c"]


def observable_path(dataset, condition, name, method=None):
    method = method or config["figures"]["method"]
    return f"results/observables/{dataset}/{condition}/{method}/{name}.parquet"


def panel_inputs(wildcards):
    """The tables one panel is drawn from."""
    panel, settings = wildcards.panel, config["figures"].get(wildcards.panel, {})
    if panel == "fig1":
        return {"cod": observable_path("gaussian", "default", "cod")}
    if panel in ("fig2a", "fig2b"):
        return {"m2": [observable_path("ising", c, "m2") for c in ising_conditions()]}
    if panel in ("fig2c", "fig2d"):
        condition = temperature_condition(settings["temperature"])
        method = config["figures"]["method"]
        return {
            "m2": observable_path("ising", condition, "m2"),
            "fit": f"results/fits/ising/{condition}/{method}.parquet",
        }
    if panel == "fig2e":
        return {"cod": [observable_path("ising", temperature_condition(t), "cod") for t in settings["temperatures"]]}
    if panel == "fig2f":
        return {"cod": [observable_path("ising", c, "cod") for c in ising_conditions()]}
    if panel == "fig3a":
        return {"cod": [observable_path("ka", c, "cod") for c in glass_figure_conditions()]}
    if panel in ("fig3b", "fig3c"):
        condition = f"{temperature_condition(settings['temperature'])}_r0"
        method = config["figures"]["method"]
        return {"m2": observable_path("ka", condition, "m2"), "fit": f"results/fits/ka/{condition}/{method}.parquet"}
    raise ValueError(f"unknown figure panel {panel!r}")


def glass_figure_conditions():
    """Replica 0 of every glass temperature: the runs Fig. 3 and its claims are drawn from."""
    return [f"{temperature_condition(t)}_r0" for t in config["glass"]["temperatures"]]


def _check_figure_temperatures():
    known = set(ising_conditions())
    for panel in ("fig2c", "fig2d"):
        t = config["figures"].get(panel, {}).get("temperature")
        if t is not None and temperature_condition(t) not in known:
            raise ConfigError(f"config key figures.{panel}.temperature: {t} is not one of ising.temperatures")
    glass_known = set(glass_figure_conditions())
    for panel in ("fig3b", "fig3c"):
        t = config["figures"].get(panel, {}).get("temperature")
        if t is not None and f"{temperature_condition(t)}_r0" not in glass_known:
            raise ConfigError(f"config key figures.{panel}.temperature: {t} is not one of glass.temperatures")
    for t in config["figures"].get("fig2e", {}).get("temperatures", []):
        if temperature_condition(t) not in known:
            raise ConfigError(f"config key figures.fig2e.temperatures: {t} is not one of ising.temperatures")


_check_figure_temperatures()


def figure_targets():
    panels = PAPER_PANELS + ["supp_pairing_rules"]
    return [f"figures/{p}.{ext}" for p in panels for ext in ("pdf", "png")]
