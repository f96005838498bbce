"""The workflow's plan, built from plain dicts: no Snakemake process, milliseconds per test."""

import copy
from types import SimpleNamespace

import pytest
import yaml

from conftest import REPO, TINY_CONFIG
from rgcoarse.config.layers import layered_config
from rgcoarse.config.validation import ConfigError
from rgcoarse.pipeline.plan import Plan

DEFAULTS = yaml.safe_load((REPO / "config.yaml").read_text())


def tiny():
    return layered_config(REPO / "config.yaml", [TINY_CONFIG])


def test_default_targets_name_every_data_matrix_once():
    plan = Plan(copy.deepcopy(DEFAULTS))
    targets = plan.data_targets()
    assert len(targets) == len(set(targets))
    ising = [t for t in targets if t.startswith("results/data/ising/")]
    assert len(ising) == len(DEFAULTS["ising"]["temperatures"])
    glass = [t for t in targets if t.startswith("results/data/glass/")]
    assert len(glass) == len(DEFAULTS["glass"]["temperatures"]) * DEFAULTS["glass"]["replicas"]


def test_ising_settings_take_a_temperatures_override_only_there():
    config = copy.deepcopy(DEFAULTS)
    config["ising"]["overrides"] = {"2.3": {"n_samples": 8000}}
    plan = Plan(config)
    assert plan.ising_settings("T2.300")["n_samples"] == 8000
    assert plan.ising_settings("T2.000")["n_samples"] == DEFAULTS["ising"]["n_samples"]
    assert plan.ising_settings("T2.000")["seed"] != plan.ising_settings("T2.300")["seed"]


def test_glass_chain_gets_the_highest_priority_at_its_start():
    plan = Plan(copy.deepcopy(DEFAULTS))
    prepare = plan.glass_priority("prepare")
    # 0.5 -> 0.47 -> 0.4: the preparation of T = 0.5 is at the head of the longest chain.
    depth = {t: prepare(SimpleNamespace(condition=f"T{t}_r0")) for t in ("0.500", "0.470", "0.400", "1.000")}
    assert depth["0.500"] > depth["0.470"] > depth["0.400"] == depth["1.000"]


def test_glass_production_starts_from_its_own_preparation():
    plan = Plan(copy.deepcopy(DEFAULTS))
    inputs = plan.glass_production_input(SimpleNamespace(condition="T0.400_r0"))
    assert inputs["data"] == "results/glass/T0.400_r0/equilibrated.data"
    assert plan.glass_preparation_input(SimpleNamespace(condition="T0.400_r0")) == [
        "results/glass/T0.470_r0/equilibrated.data"
    ]


def test_seeds_differ_per_wildcard_and_repeat_per_config():
    a, b = Plan(copy.deepcopy(DEFAULTS)), Plan(copy.deepcopy(DEFAULTS))
    w = SimpleNamespace(dataset="ising", condition="T2.300", method="projection")
    assert a.coarse_seed(w) == b.coarse_seed(w)
    assert a.coarse_seed(w) != a.bootstrap_seed(w)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda c: c["fits"].update(cod_rank_range=[8, 1]), "config key fits.cod_rank_range: [8, 1] is reversed"),
        (lambda c: c["ising"].update(overrides={"7.0": {"n_samples": 10}}), "config key ising.overrides.7.0"),
        (lambda c: c["coarse_graining"]["methods"].update(gaussian=["lattice"]),
         "coarse_graining.methods.gaussian: rule 'lattice' needs lattice data"),
        (lambda c: c["glass"]["overrides"].update({"2.0": {"protocol": "quench", "start_from": None}}),
         "a quench needs a temperature to start from"),
    ],
)
def test_a_bad_config_stops_the_plan_naming_its_key(change, message):
    config = tiny()
    change(config)
    with pytest.raises(ConfigError, match=".*") as info:
        Plan(config)
    assert message in str(info.value)


def test_the_tiny_config_plans_without_error():
    plan = Plan(tiny())
    assert plan.figure_targets()
    assert plan.coarse_graining_targets()[-2:] == ["results/exponents.parquet", "results/exponents.csv"]
