"""The config checks below the cross-key rules: YAML files, the schema, finite numbers, temperatures.

- YAML keeps the last of two equal keys without a word: :func:`duplicate_keys` finds them.
- :func:`strict_schema_errors` validates against the JSON schema (types, bounds, enums), the one
  schema pass: JSON Schema accepts NaN and infinity as numbers (every ``minimum`` comparison
  with NaN is false, so NaN passes them all) and ``4.0`` as an integer, so "number" here means
  a finite real and "integer" a whole number written without a decimal point.
- Temperatures become wildcards with three decimals: :func:`temperature_decimals_errors`
  rejects one that its wildcard would silently change (``2.0004`` -> ``T2.000``).

Each returns a list of messages naming the config key, so the workflow can stop at parse time.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

import yaml
from jsonschema import Draft202012Validator, validators

from rgcoarse.config.constants import TEMPERATURE_DECIMALS


class _DuplicateKeyLoader(yaml.SafeLoader):
    """A SafeLoader that records every mapping key seen twice (with its line)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates = []

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                self.duplicates.append((key, seen[key] + 1, key_node.start_mark.line + 1))
            else:
                seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def duplicate_keys(text: str) -> list[str]:
    """Messages for every key that appears twice in one YAML mapping of ``text``."""
    loader = _DuplicateKeyLoader(text)
    try:
        loader.get_single_data()
    finally:
        loader.dispose()
    return [f"key {key!r} appears twice (lines {first} and {second}); YAML would keep only the last"
            for key, first, second in loader.duplicates]


def _is_finite_number(checker, instance) -> bool:
    return isinstance(instance, numbers.Real) and not isinstance(instance, bool) and math.isfinite(instance)


def _is_whole_integer(checker, instance) -> bool:
    return isinstance(instance, numbers.Integral) and not isinstance(instance, bool)


_STRICT_TYPES = Draft202012Validator.TYPE_CHECKER.redefine_many(
    {"number": _is_finite_number, "integer": _is_whole_integer}
)
StrictValidator = validators.extend(Draft202012Validator, type_checker=_STRICT_TYPES)


def _key_path(error) -> str:
    return ".".join(str(part) for part in error.absolute_path) or "(top level)"


def strict_schema_errors(config: dict, schema: dict) -> list[str]:
    """Every schema error of ``config``, each naming its key; "number" means a finite real and
    "integer" a whole number written without a decimal point (NaN, inf and ``4.0`` are refused)."""
    messages = []
    for error in sorted(StrictValidator(schema).iter_errors(config), key=lambda e: list(map(str, e.absolute_path))):
        value = error.instance
        if error.validator == "type" and isinstance(value, float) and not math.isfinite(value):
            continue  # non_finite_values names it (also where the schema allows any type)
        if error.validator == "type" and isinstance(value, float) and "integer" in str(error.validator_value):
            messages.append(f"config key {_key_path(error)}: {value} must be an integer (write it without a decimal point)")
        else:
            messages.append(f"config key {_key_path(error)}: {error.message}")
    return messages


def non_finite_values(config, path: str = "") -> list[str]:
    """Messages for every NaN or infinite number anywhere in ``config`` (schema or not)."""
    if isinstance(config, dict):
        return [m for key, value in config.items() for m in non_finite_values(value, f"{path}{key}.")]
    if isinstance(config, (list, tuple)):
        return [m for i, value in enumerate(config) for m in non_finite_values(value, f"{path}{i}.")]
    if isinstance(config, float) and not math.isfinite(config):
        return [f"config key {path.rstrip('.')}: {config} is not a finite number"]
    return []


def temperature_decimals_errors(key: str, temperatures) -> list[str]:
    """Messages for temperatures that are not exactly what their ``T<t:.3f>`` wildcard says."""
    messages = []
    for t in temperatures or []:
        written = round(float(t), TEMPERATURE_DECIMALS)
        if written <= 0:
            messages.append(f"config key {key}: {t} is written T{written:.{TEMPERATURE_DECIMALS}f} in paths; "
                            f"temperatures must be at least {10.0**-TEMPERATURE_DECIMALS:g}")
        elif not math.isclose(written, float(t), rel_tol=0, abs_tol=1e-9):
            messages.append(f"config key {key}: {t} has more than {TEMPERATURE_DECIMALS} decimals and would run "
                            f"as {written:.{TEMPERATURE_DECIMALS}f}; round it")
    return messages


_YAML_SCALAR_TAGS = {f"tag:yaml.org,2002:{kind}" for kind in ("int", "float", "bool", "null")}


def yaml_typed(value):
    """A `--config` value read as config.yaml would read it.

    Snakemake merges `--config 'figures={dpi: 300}'` into the section (its other keys are kept)
    but hands every value inside the braces over as text ('300'). A text that YAML reads as a
    number, boolean or null becomes one; other text and every key stay as written.
    """
    if isinstance(value, Mapping):
        return {key: yaml_typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [yaml_typed(item) for item in value]
    if isinstance(value, str):
        tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False))
        if tag in _YAML_SCALAR_TAGS:
            return yaml.safe_load(value)
    return value


class ConfigError(ValueError):
    """A config problem the JSON schema cannot express (files, cross-key rules, registries)."""
