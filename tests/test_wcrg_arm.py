"""The wavelet conditional RG arm in the workflow: plan, config checks, tables and claim rows."""

import copy

import pandas as pd
import pytest
import yaml
from conftest import REPO
from rgcoarse.config.validation import ConfigError
from rgcoarse.paper.claim_groups import CLAIM_GROUPS, claims_inputs, claims_settings
from rgcoarse.paper.verdicts import AGREES, DISAGREES
from rgcoarse.pipeline.plan import Plan
from rgcoarse.wcrg.analysis import fit_tables
from rgcoarse.wcrg.claims import convexity_claims, kappa_claims
from rgcoarse.wcrg.conditioning import conditioning_table
from rgcoarse.wcrg.phi4 import phi4_samples

DEFAULTS = yaml.safe_load((REPO / "config.yaml").read_text())


def _config(section=None, **changes):
    config = copy.deepcopy(DEFAULTS)
    target = config["wcrg"] if section is None else config["wcrg"][section]
    target.update(changes)
    return config


def test_default_run_includes_the_arm_and_switching_it_off_removes_it():
    plan = Plan(_config())
    assert "results/wcrg/conditioning.parquet" in plan.wcrg_targets()
    assert "results/wcrg/fits/b0.930/spectra.parquet" in plan.wcrg_targets()
    assert set(plan.wcrg_claims_inputs()) <= set(claims_inputs(plan))
    off = Plan(_config(enabled=False))
    assert off.wcrg_targets() == []
    assert CLAIM_GROUPS["wcrg"].build(off.wcrg_claims_inputs(), claims_settings(off.config)["wcrg"]) == []


@pytest.mark.parametrize("section, change, message", [
    ("conditioning", {"wavelets": ["bior2.2"]}, "wcrg.conditioning.wavelets.*not orthogonal"),
    ("conditioning", {"wavelets": ["nosuch"]}, "wcrg.conditioning.wavelets.*does not know"),
    ("conditioning", {"sizes": [8, 24]}, None),
    ("phi4", {"size": 36}, "wcrg.phi4.size"),
    ("score_matching", {"scales": 4}, "wcrg.score_matching.scales"),
    ("phi4", {"couplings": [0.9301, 0.9302]}, "wcrg.phi4.couplings"),
    ("sampling", {"scales": 6}, "wcrg.sampling.scales: lattice size: 32 is not a multiple of 2\\^6"),
    ("sampling", {"scales": 4}, "wcrg.sampling.scales: 4 levels leave a 2-site"),
    ("sampling", {"budget": 500}, "wcrg.sampling.budget: 500 gradient evaluations"),
])
def test_bad_wcrg_settings_stop_the_plan_naming_the_key(section, change, message):
    if message is None:  # 24 = 2^3 x 3: three levels, allowed
        Plan(_config(section, **change))
        return
    with pytest.raises(ConfigError, match=message):
        Plan(_config(section, **change))


def test_more_sampling_chains_than_data_fields_stop_the_plan():
    config = _config("sampling", chains=100)
    config["wcrg"]["phi4"]["n_samples"] = 50
    with pytest.raises(ConfigError, match="wcrg.sampling.chains: 100 chains start from as many data fields"):
        Plan(config)


def test_claims_on_real_tables():
    table = conditioning_table([8, 16, 32, 64, 128], [1.0, 2.0], ["haar", "db2"])
    rows = kappa_claims(table)
    assert [c.verdict for c in rows] == [AGREES] * 4
    samples, _ = phi4_samples(16, 0.7, 200, seed=1, burn_in=500, spacing=4)
    tables = fit_tables(samples.reshape(-1, 16, 16), scales=2, hessian_samples=2, beta=0.7)
    assert set(tables["spectra"]["scale"]) == {0, 1, 2}
    assert tables["theta"]["term"].nunique() == 8
    fewer, none = convexity_claims(tables["spectra"])
    assert fewer.verdict == AGREES and none.verdict == DISAGREES  # beta = 0.7: fewer, not none (the first trial's 9% / 20%)


def test_convexity_claim_is_not_testable_when_the_full_energy_is_convex():
    spectra = pd.DataFrame({"beta": [1.0, 1.0], "scale": [0, 1], "negative_fraction": [0.0, 0.0]})
    fewer, none = convexity_claims(spectra)
    assert fewer.verdict == "not testable" and none.verdict == AGREES
