"""The config schema, with every list of registered names filled in from its registry.

``workflow/schemas/config.schema.yaml`` states types, bounds and enums. Where a value must name a
registered thing, it says which registry (``x-registry: null_models``) instead of listing names,
and :func:`config_schema` puts the registry's names there as the ``enum``: the registry stays the
one list, and a newly registered null model, planted structure or pairing rule is valid config at
once.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from rgcoarse.coarse.pairing_rules import pairing_rule_names
from rgcoarse.datasets.kinds import dataset_kind_names
from rgcoarse.datasets.nulls import null_model_names
from rgcoarse.datasets.planted import structure_names

__all__ = ["REGISTRIES", "config_schema", "registry_pattern"]

# Registry name (as the schema writes it after x-registry) -> the registered names, in order.
REGISTRIES = {
    "pairing_rules": pairing_rule_names,
    "null_models": null_model_names,
    "planted_structures": structure_names,
    "dataset_kinds": dataset_kind_names,
}


def _fill(node):
    if isinstance(node, dict):
        filled = {key: _fill(value) for key, value in node.items() if key != "x-registry"}
        if "x-registry" in node:
            registry = node["x-registry"]
            if registry not in REGISTRIES:
                raise ValueError(f"schema: x-registry {registry!r} is not a registry; known: {sorted(REGISTRIES)}")
            filled["enum"] = list(REGISTRIES[registry]())
        return filled
    if isinstance(node, list):
        return [_fill(value) for value in node]
    return node


def config_schema(path) -> dict:
    """The schema at ``path`` with each ``x-registry`` replaced by the registry's names as an enum."""
    return _fill(yaml.safe_load(Path(path).read_text()))


def registry_pattern(names) -> str:
    """A wildcard constraint matching exactly ``names`` (and nothing, when there are none)."""
    return "|".join(names) or "(?!)"
