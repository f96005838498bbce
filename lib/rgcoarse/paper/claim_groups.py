"""The registry of the claims table: one entry per group of claims (a figure, an equation).

Each group names the tables it reads (``inputs(plan)``: name -> path or list of paths), the
settings it needs from the config (``settings(config)``) and the builder that turns them into
claim rows (``build(tables, settings)``; the claims rule reads each table once and hands the
builder ``{name: table or list of tables}``). The claims rule's inputs and parameters and the
order of the table's rows come from this registry; adding a group touches its builder, one
:func:`register` call and its tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rgcoarse.io.tables import (
    read_null_statistics,
    read_table,
    read_tables_by_temperature,
)
from rgcoarse.registry import add_to_registry

__all__ = ["ClaimGroup", "CLAIM_GROUPS", "register", "claims_inputs", "claims_settings", "all_claims"]


@dataclass(frozen=True)
class ClaimGroup:
    name: str
    inputs: Callable  # inputs(plan) -> {table name: path or [paths]}
    settings: Callable  # settings(config) -> dict
    build: Callable  # build(paths: {table name: path or [paths]}, settings) -> list[Claim]


CLAIM_GROUPS: dict[str, ClaimGroup] = {}


def register(group: ClaimGroup) -> ClaimGroup:
    return add_to_registry(CLAIM_GROUPS, group, what="claim group", pattern=r"[a-z][a-z0-9_]*")


def claims_inputs(plan) -> dict:
    """Every table the claims table reads (a name read by two groups is the same table)."""
    inputs = {}
    for group in CLAIM_GROUPS.values():
        for key, paths in group.inputs(plan).items():
            if key in inputs and inputs[key] != paths:
                raise ValueError(f"claim group {group.name!r}: input {key!r} differs from another group's")
            inputs[key] = paths
    return inputs


def claims_settings(config) -> dict:
    return {name: group.settings(config) for name, group in CLAIM_GROUPS.items()}


def all_claims(paths: dict, settings: dict) -> list:
    """Every group's claims, in registration order."""
    return [claim for name, group in CLAIM_GROUPS.items() for claim in group.build(paths, settings.get(name, {}))]


# The builders import their claim modules (SciPy) when they run: the registry is read when the
# workflow is parsed, which needs only the groups' inputs and settings.


def _fig1(paths, s):
    from rgcoarse.paper.claims_ising import figure1_claims

    return figure1_claims(read_table(paths["gaussian_cod"])[0], s["levels"])


def _fig2(paths, s):
    from rgcoarse.paper.claims_ising import figure2_claims

    return figure2_claims(read_table(paths["exponents"])[0], read_tables_by_temperature(paths["ising_m2"]),
                          read_tables_by_temperature(paths["ising_cod"]), s["method"], s["below_tc_temperature"],
                          nulls=read_null_statistics(paths["ising_nulls"]))


def _eq29(paths, s):
    from rgcoarse.paper.claims_ising import eq29_claims

    return eq29_claims(read_tables_by_temperature(paths["ising_cod"]), s["cod_rank_range"])


def _other_glass_null_rules(config) -> list[str]:
    """Every rule with glass nulls besides the figures' one (the paper's information rule)."""
    return [m for m in config["nulls"]["methods"]["glass"] if m != config["figures"]["method"]]


def _tables_by_rule(paths) -> dict:
    """{rule: {temperature: frame}} of observable tables, by the rule and temperature their metadata record."""
    by_rule = {}
    for path in paths:
        frame, metadata = read_table(path)
        by_rule.setdefault(metadata["method"], {})[float(metadata["dataset_metadata"]["temperature"])] = frame
    return by_rule


def _fig3(paths, s):
    from rgcoarse.paper.claims_glass import figure3_claims

    if not len(paths["glass_cod"]):
        return []
    high_t, low_t = s["temperatures"]
    return figure3_claims(read_table(paths["exponents"])[0], read_tables_by_temperature(paths["glass_cod"]), s["method"],
                          high_t, low_t, m2_by_t=read_tables_by_temperature(paths["glass_m2"]),
                          nulls=read_null_statistics(paths["glass_nulls"]),
                          other_methods=s["other_methods"], other_m2=_tables_by_rule(paths["glass_m2_other"]))


def _rmi(paths, s):
    if "rmi_wave_packet" not in paths:
        return []  # the arm is switched off (rmi.enabled: false)
    from rgcoarse.rmi.claims import rmi_claims

    return rmi_claims(read_table(paths["rmi_wave_packet"])[0], read_table(paths["rmi_drops"])[0],
                      read_table(paths["rmi_optimisation_runs"])[0], s["crossover_range"])


def _wcrg(paths, s):
    if "wcrg_conditioning" not in paths:
        return []  # the arm is switched off (wcrg.enabled: false)
    import pandas as pd

    from rgcoarse.wcrg.claims import convexity_claims, kappa_claims, sampling_claims

    spectra = pd.concat([read_table(p)[0] for p in paths["wcrg_spectra"]], ignore_index=True)
    sampling = pd.concat([read_table(p)[0] for p in paths["wcrg_sampling"]], ignore_index=True)
    return kappa_claims(read_table(paths["wcrg_conditioning"])[0]) + convexity_claims(spectra) + sampling_claims(sampling)


def _bayes_rg(paths, s):
    if "bayes_rg_summary" not in paths:
        return []  # the arm is switched off (bayes_rg.enabled: false)
    from rgcoarse.bayes_rg.claims import bayes_rg_claims

    return bayes_rg_claims(read_table(paths["bayes_rg_pruning"])[0], read_table(paths["bayes_rg_summary"])[0],
                           s["tolerance"])


register(ClaimGroup(
    "fig1",
    inputs=lambda plan: {"gaussian_cod": plan.observable_path("gaussian", "default", "cod")},
    settings=lambda config: {"levels": config["figures"]["fig1"]["levels"]},
    build=_fig1,
))
register(ClaimGroup(
    "fig2",
    inputs=lambda plan: {"exponents": "results/exponents.parquet",
                         "ising_m2": plan.figure_observable_paths("ising", "m2"),
                         "ising_cod": plan.figure_observable_paths("ising", "cod"),
                         "ising_nulls": plan.figure_null_statistics_paths("ising")},
    settings=lambda config: {"method": config["figures"]["method"],
                             "below_tc_temperature": config["figures"]["fig2d"]["temperature"]},
    build=_fig2,
))
register(ClaimGroup(
    "eq29",
    inputs=lambda plan: {"ising_cod": plan.figure_observable_paths("ising", "cod")},
    settings=lambda config: {"cod_rank_range": config["fits"]["cod_rank_range"]},
    build=_eq29,
))
register(ClaimGroup(
    "fig3",
    inputs=lambda plan: {"exponents": "results/exponents.parquet",
                         "glass_cod": plan.figure_observable_paths("glass", "cod"),
                         "glass_m2": plan.figure_observable_paths("glass", "m2"),
                         # the M2 tables of the other rules with glass nulls, for their slope readings
                         "glass_m2_other": [plan.observable_path("glass", c, "m2", rule)
                                            for rule in _other_glass_null_rules(plan.config)
                                            for c in plan.figure_conditions("glass")
                                            if rule in plan.methods_for("glass", c)],
                         "glass_nulls": plan.null_statistics_files("glass")},
    settings=lambda config: {"method": config["figures"]["method"],
                             # every other rule with glass nulls gets its own exponent rows (the paper's information rule)
                             "other_methods": _other_glass_null_rules(config),
                             "temperatures": [config["figures"]["fig3b"]["temperature"],
                                              config["figures"]["fig3c"]["temperature"]]},
    build=_fig3,
))
register(ClaimGroup(
    "rmi",
    inputs=lambda plan: plan.rmi_claims_inputs(),
    settings=lambda config: {"crossover_range": config.get("rmi", {}).get("crossover_range")},
    build=_rmi,
))
register(ClaimGroup(
    "wcrg",
    inputs=lambda plan: plan.wcrg_claims_inputs(),
    settings=lambda config: {},
    build=_wcrg,
))
register(ClaimGroup(
    "bayes_rg",
    inputs=lambda plan: plan.bayes_rg_claims_inputs(),
    settings=lambda config: {"tolerance": config.get("bayes_rg", {}).get("tolerance")},
    build=_bayes_rg,
))
