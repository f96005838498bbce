"""The registries are the one list of pairing rules, dataset kinds and figure panels; everything reads them."""

import re

import numpy as np
import pytest
import yaml
from conftest import REPO

from rgcoarse.coarse import pairing_rules
from rgcoarse.coarse.coarse_grain import coarse_grain
from rgcoarse.datasets.kinds import DATASET_KINDS, kind_of_dataset
from rgcoarse.coarse.pairing import random_pairs
from rgcoarse.coarse.pairing_rules import LevelPairing, PairingRule, pairing_rule, wildcard_pattern
from rgcoarse.paper.panels import PANELS, panel_named, report_caption
from rgcoarse.paper.plotting import method_colour

CONFIG = yaml.safe_load((REPO / "config.yaml").read_text())
SCHEMA = (REPO / "workflow" / "schemas" / "config.schema.yaml").read_text()


def test_wildcard_pattern_matches_exactly_the_registered_rules():
    pattern = re.compile(f"^({wildcard_pattern()})$")
    for name in pairing_rules.PAIRING_RULES:
        assert pattern.match(name)
    for other in ("pca", "projection2", "", "random/x"):
        assert not pattern.match(other)


def test_the_schema_and_the_workflow_do_not_list_rules_by_hand():
    # The registry is the only list: no enum of rule names in the schema, no regex of them in the rules.
    assert "enum: [projection" not in SCHEMA
    rules_text = "".join(p.read_text() for p in (REPO / "workflow" / "rules").glob("*.smk"))
    assert "projection|correlation" not in rules_text
    assert not re.search(r"PAPER_PANELS|\"fig2c\"", rules_text)


@pytest.fixture
def neighbours_rule():
    """A throw-away rule (pair variables 2k and 2k+1), registered for one test."""
    def neighbours(values, context):
        n = values.shape[1]
        return LevelPairing(np.arange(2 * (n // 2)).reshape(-1, 2))

    rule = pairing_rules.register(PairingRule("neighbours", neighbours, "adjacent columns", "#000000"))
    yield rule
    del pairing_rules.PAIRING_RULES[rule.name]


def test_a_new_rule_registered_in_one_place_runs_through_the_level_loop(neighbours_rule):
    levels = coarse_grain(np.random.default_rng(0).standard_normal((20, 16)), "neighbours", min_variables=2)
    assert [level.n_variables for level in levels] == [16, 8, 4, 2]
    assert list(levels[1].members[0]) == [0, 1]
    assert method_colour("neighbours") == "#000000"
    assert re.fullmatch(wildcard_pattern(), "neighbours")


def test_registering_a_rule_twice_or_with_a_bad_name_fails():
    with pytest.raises(ValueError, match="already registered"):
        pairing_rules.register(pairing_rule("random"))
    with pytest.raises(ValueError, match="lower-case"):
        pairing_rules.register(PairingRule("Bad-Name", random_pairs, "", "k"))


def test_unknown_rule_names_the_registered_ones():
    with pytest.raises(ValueError, match="known rules: projection, projection_greedy, correlation, lattice, random, information"):
        pairing_rule("pca")


def test_every_rule_has_a_description_and_a_distinct_colour():
    rules = pairing_rules.PAIRING_RULES.values()
    assert all(rule.description for rule in rules)
    colours = [rule.colour for rule in rules]
    assert len(set(colours)) == len(colours)
    assert [r.name for r in rules if r.needs_lattice] == ["lattice"]


def test_every_kind_is_configured_in_each_per_kind_map():
    kinds = set(DATASET_KINDS)
    assert set(CONFIG["coarse_graining"]["methods"]) == kinds
    assert set(CONFIG["observables"]["silence_threshold"]) == kinds
    assert set(CONFIG["observables"]["cod_max_rank"]) == kinds


def test_dataset_names_map_to_kinds():
    assert kind_of_dataset("ising").name == "ising" and kind_of_dataset("ising").has_lattice
    assert kind_of_dataset("glass").time_series
    assert kind_of_dataset("my_neurons").name == "user"
    assert kind_of_dataset("user").name == "user"  # a user dataset may be called "user"


def test_every_panel_is_configured_and_its_caption_formats():
    for name, panel in PANELS.items():
        settings = CONFIG["figures"][name]
        assert set(settings) == set(panel.settings), name
        caption = report_caption(name, settings, "projection")
        assert "{" not in caption and "projection" in caption, name
        assert panel.label.startswith(panel.figure)


def test_panel_names_follow_the_figure_pattern():
    assert panel_named("fig2c").figure == "Fig. 2" and panel_named("fig2c").label == "Fig. 2c"
    with pytest.raises(ValueError, match="known panels"):
        panel_named("fig9z")
