"""The registries are the one list of pairing rules, dataset kinds and figure panels; everything reads them."""

import re
from pathlib import Path

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
    levels = coarse_grain(np.random.default_rng(0).standard_normal((20, 16)), "neighbours", min_variables=2, omega=2**-0.5)
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
    with pytest.raises(ValueError, match="known rules: projection, projection_greedy, correlation, lattice, random, information, information_eq24"):
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


# --- Every registry is the one list: the schema's enums, the wildcards and the targets come from it ---

import ast  # noqa: E402

from rgcoarse.datasets import nulls, planted  # noqa: E402
from rgcoarse.paper import supplementary  # noqa: E402
from rgcoarse.pipeline.plan import Plan  # noqa: E402
from rgcoarse.pipeline.schema import REGISTRIES, config_schema, registry_pattern  # noqa: E402

SCHEMA_PATH = REPO / "workflow" / "schemas" / "config.schema.yaml"
NAMED = {
    "pairing rules": lambda: set(pairing_rules.PAIRING_RULES),
    "null models": lambda: set(nulls.NULL_MODELS),
    "planted structures": lambda: set(planted.PLANTED_STRUCTURES),
    "dataset kinds": lambda: set(DATASET_KINDS),
    "figure panels": lambda: set(PANELS),
    "supplementary figures": lambda: set(supplementary.SUPPLEMENTARY_FIGURES),
    "claim groups": lambda: set(__import__("rgcoarse.paper.claim_groups", fromlist=["x"]).CLAIM_GROUPS),
}


def test_the_generated_schema_enums_equal_the_registries():
    def enums(node):
        if isinstance(node, dict):
            return ([node["enum"]] if "enum" in node else []) + [e for v in node.values() for e in enums(v)]
        return [e for v in node for e in enums(v)] if isinstance(node, list) else []

    found = enums(config_schema(SCHEMA_PATH))
    assert list(nulls.NULL_MODELS) in found and list(planted.PLANTED_STRUCTURES) in found
    def keys(node):
        if isinstance(node, dict):
            return set(node) | {k for v in node.values() for k in keys(v)}
        return {k for v in node for k in keys(v)} if isinstance(node, list) else set()

    assert "x-registry" not in keys(config_schema(SCHEMA_PATH))
    assert set(REGISTRIES) >= {"null_models", "planted_structures"}


def test_the_wildcard_constraints_are_the_registries():
    rules = {p.name: p.read_text() for p in (REPO / "workflow" / "rules").glob("*.smk")}
    assert "structure=registry_pattern(structure_names())" in rules["data.smk"]
    assert "model=registry_pattern(null_model_names())" in rules["coarse_graining.smk"]
    assert "figure=registry_pattern(drawn_figure_names())" in rules["figures.smk"]
    for names in (nulls.null_model_names(), planted.structure_names(), supplementary.drawn_figure_names()):
        pattern = re.compile(f"^(?:{registry_pattern(names)})$")
        assert all(pattern.match(name) for name in names)
        assert not pattern.match("x" + names[0]) and not pattern.match(names[0] + "/x")
    assert not re.match(f"^(?:{registry_pattern(())})$", "")


def test_rule_all_makes_every_panel_and_the_supplementary_figures_the_registry_puts_in_the_run():
    plan = Plan(yaml.safe_load((REPO / "config.yaml").read_text()))
    figures = {Path(p).stem for p in plan.figure_targets()}
    expected = set(PANELS) | {n for n, f in supplementary.SUPPLEMENTARY_FIGURES.items() if f.in_run(plan.config)}
    assert figures == expected
    assert "supp_glass_study_rho" not in figures  # the study's figures belong to its own target


def _python_sources():
    for path in sorted((REPO / "lib").rglob("*.py")) + sorted((REPO / "workflow" / "scripts").glob("*.py")):
        yield path, path.read_text()


def literal_name_lists(text: str, names: set[str]) -> list[int]:
    """Lines of ``text`` (Python) holding a literal list, tuple, set or dict keys with two or more of ``names``."""
    lines = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            elements = node.elts
        elif isinstance(node, ast.Dict):
            elements = [key for key in node.keys if key is not None]
        else:
            continue
        strings = {e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)}
        if len(strings & names) >= 2:
            lines.append(node.lineno)
    return lines


def text_name_lists(text: str, names: set[str]) -> list[int]:
    """Lines of a rule file or the schema with a ``[a, b]`` list or an ``"a|b"`` pattern of two or more ``names``."""
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith("required:"):
            continue  # the config's own section keys, not names of registered things
        line = re.sub(r'config(\["[^"]*"\])+', "config", line)  # config lookups name keys, not list names
        groups = re.findall(r"\[([^\]]*)\]", line) + re.findall(r"[\"']([^\"']*\|[^\"']*)[\"']", line)
        if any(len(set(re.findall(r"[a-z][a-z0-9_]*", group)) & names) >= 2 for group in groups):
            lines.append(number)
    return lines


def test_the_scan_finds_a_hand_written_list():
    assert text_name_lists('        structure="blocks|field|nonlinear|noise",', set(planted.PLANTED_STRUCTURES)) == [1]
    assert text_name_lists("items: {type: string, enum: [permute, shift]}", set(nulls.NULL_MODELS)) == [1]
    assert literal_name_lists('MODELS = ("shift", "permute")\n', set(nulls.NULL_MODELS)) == [1]
    assert literal_name_lists('x = {"blocks": 1, "field": 2}\n', set(planted.PLANTED_STRUCTURES)) == [1]
    assert literal_name_lists('x = ["shift"]\n', set(nulls.NULL_MODELS)) == []


@pytest.mark.parametrize("registry", sorted(NAMED))
def test_no_source_lists_a_registrys_names_by_hand(registry):
    """Only the registry lists its names: no literal list of two or more of them in the package,
    the scripts, the rules or the schema (config.yaml chooses among them; that is not a list of the registry)."""
    names = NAMED[registry]()
    found = [f"{path.relative_to(REPO)}:{line}" for path, text in _python_sources()
             for line in literal_name_lists(text, names)]
    texts = [REPO / "Snakefile", SCHEMA_PATH, *sorted((REPO / "workflow" / "rules").glob("*.smk"))]
    found += [f"{path.relative_to(REPO)}:{line}" for path in texts for line in text_name_lists(path.read_text(), names)]
    assert not found, f"{registry} listed by hand at: {found}"


def test_the_claims_rule_reads_what_the_claim_groups_name():
    from rgcoarse.paper import claim_groups

    plan = Plan(yaml.safe_load((REPO / "config.yaml").read_text()))
    inputs = plan.claims_inputs(None)
    named = {key for group in claim_groups.CLAIM_GROUPS.values() for key in group.inputs(plan)}
    assert set(inputs) == named and {"gaussian_cod", "glass_nulls"} <= named
    assert set(plan.claims_settings()) == set(claim_groups.CLAIM_GROUPS)
    rules = (REPO / "workflow" / "rules" / "figures.smk").read_text()
    assert "unpack(plan.claims_inputs)" in rules and "settings=plan.claims_settings()" in rules
    with pytest.raises(ValueError, match="already registered"):
        claim_groups.register(claim_groups.CLAIM_GROUPS["fig1"])


def test_every_dataset_kind_names_its_generator_rule_and_its_conditions():
    from rgcoarse.datasets.kinds import condition_pattern

    rules_text = "".join(p.read_text() for p in (REPO / "workflow" / "rules").glob("*.smk"))
    for kind in DATASET_KINDS.values():
        assert re.search(rf"^rule {kind.generator}:", rules_text, re.M), kind.name
    plan = Plan(yaml.safe_load((REPO / "config.yaml").read_text()))
    by_kind = {}
    for dataset, condition in plan.data_dataset_conditions():
        by_kind.setdefault(kind_of_dataset(dataset).name, []).append(condition)
    for name in ("ising", "glass", "gaussian"):
        assert all(re.fullmatch(condition_pattern(name), c) for c in by_kind[name]), name
    assert by_kind["planted"] == list(plan.config["planted"]["structures"])
