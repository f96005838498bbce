"""Nulls in the workflow: one batched job per (condition, model, rule), and what the tiny run writes for them."""

import numpy as np
import pandas as pd
import pytest
from conftest import (
    REPO,
    copy_workflow,
    dry_run,
    load_config,
    run_snakemake,
    save_config,
)
from rgcoarse.datasets.nulls import NULL_MODELS
from rgcoarse.io.tables import read_table
from rgcoarse.paper.verdicts import MIN_DRAWS


def _null_jobs(directory):
    return [job for job in dry_run(directory, "--forceall") if job.rule == "null_statistics"]


def test_default_config_plans_the_nulls_the_claims_use(tmp_path):
    directory = copy_workflow(tmp_path / "workflow", REPO / "config.yaml")
    config = load_config(directory)
    outputs = {job.output[0] for job in _null_jobs(directory)}
    assert config["nulls"]["draws"] >= MIN_DRAWS
    expected = {f"results/nulls/ising/T{t:.3f}/permute/projection.parquet" for t in config["nulls"]["temperatures"]["ising"]}
    expected |= {f"results/nulls/glass/T{t:.3f}_r0/{model}/projection.parquet"
                 for model in ("shift", "covgauss", "local") for t in config["glass"]["temperatures"]}
    information = config["nulls"]["per_method"]["information"]
    expected |= {f"results/nulls/glass/T{t:.3f}_r0/{model}/information.parquet"
                 for model in information["models"]["glass"] for t in information["temperatures"]["glass"]}
    assert outputs == expected


def test_nulls_everywhere_with_one_switch(tmp_path):
    directory = copy_workflow(tmp_path / "workflow", REPO / "config.yaml")
    config = load_config(directory)
    config["nulls"]["temperatures"]["ising"] = "all"
    save_config(directory, config)
    ising = [job for job in _null_jobs(directory) if "/ising/" in job.output[0]]
    assert len(ising) == len(config["ising"]["temperatures"])  # every draw of a temperature in one job


@pytest.mark.parametrize("change, message", [
    (lambda c: c["nulls"]["temperatures"].update(ising=[7.7]), "nulls.temperatures.ising: 7.7 is not one of"),
    (lambda c: c["nulls"]["models"].pop("glass"), "nulls.models: missing dataset kind"),
    (lambda c: c["nulls"]["methods"].pop("glass"), "nulls.methods: missing dataset kind"),
    (lambda c: c["nulls"]["methods"].update(glass=["lattice"]), "nulls.methods.glass: rule 'lattice' needs lattice data"),
    (lambda c: c["nulls"]["per_method"].update(nosuch={"temperatures": {"glass": "all"}}),
     "nulls.per_method: ['nosuch'] are not pairing rules"),
    (lambda c: c["nulls"]["per_method"].update(information={"temperatures": {"glass": [0.33]}}),
     "nulls.per_method.information.temperatures.glass: 0.33 is not one of"),
    (lambda c: c["nulls"]["per_method"].update(information={"models": {"fluid": ["shift"]}}),
     "nulls.per_method.information.models: unknown dataset kind(s) ['fluid']"),
])
def test_bad_null_config_is_named(tmp_path, change, message):
    directory = copy_workflow(tmp_path / "workflow", REPO / "config.yaml")
    config = load_config(directory)
    change(config)
    save_config(directory, config)
    proc = run_snakemake(directory, "--dry-run")
    assert proc.returncode != 0 and message in proc.stdout + proc.stderr


def test_tiny_run_tests_claims_against_null_draws_and_bands_each_exponent(tiny_run):
    config = load_config(tiny_run)
    nulls, metadata = read_table(tiny_run / "results/nulls/ising/T9.500/permute/projection.parquet")
    assert sorted(nulls["draw"].unique()) == list(range(config["nulls"]["draws"]))
    assert {"m2_exponent", "first_pick", "increment_cv"} <= set(nulls["statistic"]) and metadata["draws"] >= 1
    exponents = pd.read_csv(tiny_run / "results/exponents.csv")
    row = exponents.query("dataset == 'ising' and condition == 'T9.500' and method == 'projection' "
                          "and observable == 'm2'").iloc[0]
    assert row["null_model"] == "permute" and row["null_draws"] >= 1
    assert row["null_min"] <= row["null_median"] <= row["null_max"]
    glass = exponents.query("dataset == 'glass' and observable == 'm2'").iloc[0]
    assert glass["null_model"] == "shift" and glass["block_length"] > 1 and glass["tau_int"] > 0.5
    assert "block" in glass["ci_method"]
    ising = exponents.query("dataset == 'ising' and observable == 'm2'")
    assert (ising["block_length"] == 1).all() and "bootstrap over samples" in ising["ci_method"].iloc[0]
    claims = pd.read_csv(tiny_run / "results/claims.csv")
    assert {"reading", "null_model", "null_draws", "p_value", "margin", "verdict", "overall"} <= set(claims.columns)
    assert set(claims["verdict"]) <= {"agrees", "disagrees", "borderline", "not testable"}
    fig3b = claims[claims["claim_id"].isin(["fig3b_exponent", "fig3b_exponent_vs_null"])].set_index("reading")
    assert {"projection fit (fit range rule)", "projection fit is like the shift null", "projection: all levels"} \
        <= set(fig3b.index)
    assert np.isnan(fig3b.loc["projection: all levels", "null_value"])  # a point estimate against the paper's number
    # ... and the same slope on the shift null's draws, a test in a row of its own
    assert np.isfinite(fig3b.loc["projection: all levels is like the shift null", "null_value"])
    # The tiny run has fewer null draws (nulls.draws) than a test needs: every test against those nulls
    # says so instead of a verdict (the Bayesian arm's gap test draws its own smooth spectra).
    tested = claims[(claims["null_draws"] > 0) & claims["null_model"].isin(NULL_MODELS)]
    assert len(tested) and (tested["verdict"] == "not testable").all()
    assert tested["note"].str.contains("nulls.draws").all()
