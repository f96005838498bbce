"""The RMI arm in the workflow: its plan, config checks and claim rows (no Snakemake process)."""

import copy

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import REPO
from rgcoarse.config.validation import ConfigError
from rgcoarse.paper.claim_groups import CLAIM_GROUPS, claims_inputs, claims_settings
from rgcoarse.paper.verdicts import AGREES, BORDERLINE, DISAGREES
from rgcoarse.pipeline.plan import Plan
from rgcoarse.rmi.claims import (
    ascent_claims,
    crossover_claim,
    drops_claims,
    low_noise_claim,
)

DEFAULTS = yaml.safe_load((REPO / "config.yaml").read_text())


def _config(**rmi_changes):
    config = copy.deepcopy(DEFAULTS)
    for key, value in rmi_changes.items():
        section, _, name = key.partition("__")
        if name:
            config["rmi"][section][name] = value
        else:
            config["rmi"][section] = value
    return config


def test_default_run_includes_the_arm_and_switching_it_off_removes_it():
    plan = Plan(_config())
    targets = plan.rmi_targets()
    assert "figures/rmi_fig2b.png" in targets and "results/rmi/wave_packet.parquet" in targets
    assert set(plan.rmi_claims_inputs()) <= set(claims_inputs(plan))
    off = Plan(_config(enabled=False))
    assert off.rmi_targets() == [] and not off.rmi_claims_inputs()
    assert CLAIM_GROUPS["rmi"].build(off.rmi_claims_inputs(), claims_settings(off.config)["rmi"]) == []


def test_rmi_rule_is_configured_where_the_issue_asks():
    plan = Plan(_config())
    assert "rmi" in plan.methods_for("glass", "T0.400_r0")
    assert "rmi" in plan.methods_for("ising", "T2.000") and "rmi" not in plan.methods_for("ising", "T2.300")
    assert plan.pairing_options("rmi") == {"estimator": "auto", "width": 8, "bins": 8}


@pytest.mark.parametrize("change, message", [
    ({"optimisation__batch": 10**6}, "rmi.optimisation.batch"),
    ({"optimisation__neighbours": 100, "optimisation__batch": 50}, "rmi.optimisation.neighbours"),
    ({"wave_packet__centre_range": [70, 30]}, "rmi.wave_packet.centre_range"),
    ({"crossover_range": [0.5, 0.05]}, "rmi.crossover_range"),
    ({"entropy_estimator": "histogram", "histogram_bins": 4000}, "rmi.histogram_bins"),
    ({"wave_packet__n_sites": 10**6, "wave_packet__centre_range": [1, 2]}, "rmi.wave_packet"),
    ({"entropy_estimator": "kde"}, "entropy_estimator"),
    ({"drops__spreads": [0.0, 0.9]}, "spreads"),
])
def test_bad_rmi_settings_stop_the_plan_naming_the_key(change, message):
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        Plan(_config(**change))


def _comparison(levels, values, parameter="sigma", half=0.05):
    """A feature table from {feature: [I~ per level]}."""
    rows = [{"feature": f, parameter: level, "rmi": v, "ci_low": v - half, "ci_high": v + half}
            for f, per_level in values.items() for level, v in zip(levels, per_level)]
    return pd.DataFrame(rows)


def test_crossover_claim_agrees_disagrees_and_is_borderline_when_the_change_is_unclear():
    levels = [0.01, 0.1, 0.2, 1.0]
    one = _comparison(levels, {"normalised": [2.5, 1.9, 1.2, 0.8], "pca": [1.0, 1.3, 1.5, 2.0]})
    claim = crossover_claim(one, (0.05, 0.5))
    assert claim.verdict == AGREES and claim.ci_low == 0.1 and claim.ci_high == 0.2
    assert claim.margin == pytest.approx(0.2)  # at sigma = 0.2: pca's [1.45, 1.55] clears normalised's [1.15, 1.25]
    none = _comparison(levels, {"normalised": [2.5, 2.4, 2.3, 2.2], "pca": [1.0, 1.3, 1.5, 2.0]})
    assert crossover_claim(none, (0.05, 0.5)).verdict == DISAGREES
    assert crossover_claim(none, (0.05, 0.5)).margin == -1  # no change where one was expected
    straddling = _comparison(levels, {"normalised": [2.5, 2.4, 2.3, 1.0], "pca": [1.0, 1.3, 1.5, 2.0]})
    assert crossover_claim(straddling, (0.05, 0.5)).verdict == BORDERLINE  # between 0.2 and 1.0: could be either side
    assert crossover_claim(straddling, (0.05, 0.5)).margin == pytest.approx(-np.log(1.0 / 0.5))
    late = _comparison([0.01, 0.1, 0.6, 1.0], {"normalised": [2.5, 2.4, 2.3, 1.0], "pca": [1.0, 1.3, 1.5, 2.0]})
    assert crossover_claim(late, (0.05, 0.5)).verdict == DISAGREES
    assert crossover_claim(late, (0.05, 0.5)).margin == pytest.approx(-np.log(0.6 / 0.5))
    close = _comparison(levels, {"normalised": [2.5, 1.9, 1.52, 0.8], "pca": [1.0, 1.3, 1.55, 2.0]})
    assert crossover_claim(close, (0.05, 0.5)).verdict == BORDERLINE


def test_low_noise_claim_needs_the_whole_difference_interval_above_zero():
    levels = [0.01, 1.0]
    clear = _comparison(levels, {"intensity": [0.3, 1], "normalised": [2.7, 1], "pca": [1.1, 2], "mean": [-3, 1],
                                 "position": [0.1, 1]})
    claim = low_noise_claim(clear)
    assert claim.verdict == AGREES and claim.reproduced == pytest.approx(1.6)
    tight = _comparison(levels, {"intensity": [0.3, 1], "normalised": [1.15, 1], "pca": [1.1, 2], "mean": [-3, 1],
                                 "position": [0.1, 1]})
    assert low_noise_claim(tight).verdict == BORDERLINE


def test_drops_claims_read_both_ends_of_the_deformation_range():
    table = _comparison([0.0, 0.4], {"pca2": [1.7, 1.9], "quadratic": [0.0, 2.5]}, parameter="spread")
    assert [c.verdict for c in drops_claims(table)] == [AGREES, AGREES]
    flat = _comparison([0.0, 0.4], {"pca2": [1.7, 1.9], "quadratic": [0.0, 1.0]}, parameter="spread")
    assert [c.verdict for c in drops_claims(flat)] == [DISAGREES, AGREES]


def test_ascent_claims_are_sign_tests_over_the_runs():
    runs = pd.DataFrame({"objective": ["knn"] * 20 + ["linear"], "run": list(range(20)) + [0],
                         "initial_rmi": [1.0] * 20 + [1.2], "final_rmi": [1.4] * 15 + [0.9] * 5 + [1.2],
                         "final_objective": [1.4] * 20 + [0.3]})
    rises, beats = ascent_claims(runs)
    assert rises.note.startswith("15 of 20") and rises.verdict == AGREES
    assert rises.p_value == pytest.approx(0.0207, abs=1e-4)  # P(Binomial(20, 1/2) >= 15)
    half = runs.assign(final_rmi=[1.4] * 10 + [0.9] * 10 + [1.2])
    assert ascent_claims(half)[0].verdict == DISAGREES
    assert np.isfinite(beats.z)
    few = runs[runs["run"].isin([0, 1, 2]) | (runs["objective"] == "linear")]
    assert {c.verdict for c in ascent_claims(few)} == {"not testable"}  # 3 runs: p >= 1/8 whatever happens


def test_glass_rules_limited_to_some_temperatures():
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    plan = Plan(config)
    assert "rmi" in plan.methods_for("glass", "T0.400_r0") and "rmi" not in plan.methods_for("glass", "T0.500_r0")
    assert "results/fits/glass/T0.500_r0/rmi.parquet" not in plan.fit_files()
    wrong = copy.deepcopy(config)
    wrong["coarse_graining"]["glass_temperatures_per_method"] = {"rmi": [0.45]}
    with pytest.raises(ConfigError, match="glass_temperatures_per_method.rmi: 0.45 is not one of glass.temperatures"):
        Plan(wrong)
    wrong["coarse_graining"]["glass_temperatures_per_method"] = {"nosuch": [0.4]}
    with pytest.raises(ConfigError, match="'nosuch' is not a pairing rule"):
        Plan(wrong)
