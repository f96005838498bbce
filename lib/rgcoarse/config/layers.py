"""Stacked configs: ``config.yaml`` states every default once; user files and ``--config`` overlay it.

The merge rule, for an overlay laid over what is below it:

- a map merges key by key (an overlay lists only the keys it changes);
- a list or a scalar replaces the value below it;
- the maps a user means to replace whole (:data:`REPLACED_WHOLE`: per-temperature ``overrides``,
  the study's ``variants``, ``user_datasets``, the per-method comparison and null temperatures) replace the map below, so an overlay can remove a
  default entry (``overrides: {}`` runs no temperature differently).

A key that was renamed (:data:`RENAMED_KEYS`) is an error naming the new key, in any layer.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from rgcoarse.config.validation import ConfigError, yaml_typed

__all__ = ["REPLACED_WHOLE", "RENAMED_KEYS", "merge", "renamed_key_errors", "layered_config"]

# Dotted keys whose value an overlay replaces whole instead of merging into.
REPLACED_WHOLE = frozenset(
    {"ising.overrides", "glass.overrides", "glass_study.variants", "user_datasets",
     "coarse_graining.comparison_temperatures_per_method", "coarse_graining.glass_temperatures_per_method",
     "nulls.per_method"}
)

# Old dotted key -> new dotted key. An old key anywhere is refused with the new name.
RENAMED_KEYS = {"glass_sensitivity": "glass_study"}


def merge(base: dict, overlay: dict, _path: str = "") -> dict:
    """``overlay`` laid over ``base`` by the rule above; neither input is changed."""
    merged = copy.deepcopy(base)
    for key, value in overlay.items():
        dotted = f"{_path}{key}"
        below = merged.get(key)
        if isinstance(value, dict) and isinstance(below, dict) and dotted not in REPLACED_WHOLE:
            merged[key] = merge(below, value, f"{dotted}.")
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def renamed_key_errors(layer: dict, source: str) -> list[str]:
    """One message per renamed key that ``layer`` (read from ``source``) still uses."""
    problems = []
    for old, new in RENAMED_KEYS.items():
        node, parts = layer, old.split(".")
        for part in parts:
            if not isinstance(node, dict) or part not in node:
                break
            node = node[part]
        else:
            problems.append(f"{source}: config key {old} was renamed {new}; write {new} instead")
    return problems


def _read(path) -> dict:
    loaded = yaml.safe_load(Path(path).read_text()) or {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"{path}: a config file must be a YAML map of keys, not {type(loaded).__name__}")
    return loaded


def layered_config(defaults, overlays=(), command_line: dict | None = None) -> dict:
    """The run's config: the defaults file, each overlay file in order, then ``--config`` values.

    ``command_line`` holds Snakemake's ``--config key=value`` pairs; nested values arrive as text
    (``'{dpi: 300}'``) and are read as YAML, as config.yaml would be read.
    """
    layers = [(str(defaults), _read(defaults))] + [(str(path), _read(path)) for path in overlays]
    if command_line:
        layers.append(("--config", {key: yaml_typed(value) for key, value in command_line.items()}))
    problems = [message for source, layer in layers for message in renamed_key_errors(layer, source)]
    if problems:
        raise ConfigError("\n".join(problems))
    config = {}
    for _, layer in layers:
        config = merge(config, layer)
    return config
