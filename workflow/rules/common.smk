# Helpers shared by the rule files: dataset/condition names, per-job settings, seeds.
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
    """Glass conditions (temperature x replica), when the glass arm is configured."""
    if "glass" not in config or "glass_data_targets" not in globals():
        return []
    return [Path(p).stem for p in glass_data_targets()]


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
