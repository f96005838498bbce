"""Null datasets in the workflow: which are planned, what the tiny run writes for them."""

import numpy as np
import pandas as pd
import pytest
from conftest import REPO, copy_workflow, dry_run, load_config, run_snakemake, save_config

from rgcoarse.io.datamatrix import read_data_matrix


def _null_jobs(directory):
    return [job for job in dry_run(directory, "--forceall") if job.rule == "null_dataset"]


def test_default_config_plans_the_nulls_the_claims_use(tmp_path):
    directory = copy_workflow(tmp_path / "workflow", REPO / "config.yaml")
    config = load_config(directory)
    outputs = {job.output[0] for job in _null_jobs(directory)}
    draws = config["nulls"]["draws"]
    assert draws >= 3
    expected = {f"results/data/ising-permute/T{t:.3f}_n{d}.parquet"
                for t in config["nulls"]["temperatures"]["ising"] for d in range(draws)}
    expected |= {f"results/data/glass-{model}/T{t:.3f}_r0_n{d}.parquet"
                 for model in ("shift", "covgauss") for t in config["glass"]["temperatures"] for d in range(draws)}
    assert outputs == expected


def test_nulls_everywhere_with_one_switch(tmp_path):
    directory = copy_workflow(tmp_path / "workflow", REPO / "config.yaml")
    config = load_config(directory)
    config["nulls"]["temperatures"]["ising"] = "all"
    save_config(directory, config)
    ising = [job for job in _null_jobs(directory) if "ising-permute" in job.output[0]]
    assert len(ising) == len(config["ising"]["temperatures"]) * config["nulls"]["draws"]


@pytest.mark.parametrize("change, message", [
    (lambda c: c["nulls"]["temperatures"].update(ising=[7.7]), "nulls.temperatures.ising: 7.7 is not one of"),
    (lambda c: c["nulls"]["models"].pop("glass"), "nulls.models: missing dataset kind"),
])
def test_bad_null_config_is_named(tmp_path, change, message):
    directory = copy_workflow(tmp_path / "workflow", REPO / "config.yaml")
    config = load_config(directory)
    change(config)
    save_config(directory, config)
    proc = run_snakemake(directory, "--dry-run")
    assert proc.returncode != 0 and message in proc.stdout + proc.stderr


def test_tiny_run_fits_nulls_and_puts_their_band_beside_each_exponent(tiny_run):
    null = read_data_matrix(tiny_run / "results/data/ising-permute/T9.500_n0.parquet")
    data = read_data_matrix(tiny_run / "results/data/ising/T9.500.parquet")
    assert null.metadata["null_model"] == "permute" and null.metadata["dataset"] == "ising-permute"
    assert np.array_equal(np.sort(null.values, axis=0), np.sort(data.values, axis=0))
    exponents = pd.read_csv(tiny_run / "results/exponents.csv")
    row = exponents.query("dataset == 'ising' and condition == 'T9.500' and method == 'projection' "
                          "and observable == 'm2'").iloc[0]
    assert row["null_model"] == "permute" and row["null_draws"] >= 1
    assert row["null_min"] <= row["null_median"] <= row["null_max"]
    glass = exponents.query("dataset == 'glass' and observable == 'm2'").iloc[0]
    assert glass["null_model"] == "shift" and glass["block_length"] > 1 and glass["tau_int"] > 0.5
    assert "moving-block" in glass["ci_method"]
    ising = exponents.query("dataset == 'ising' and observable == 'm2'")
    assert (ising["block_length"] == 1).all() and "bootstrap over samples" in ising["ci_method"].iloc[0]
    claims = pd.read_csv(tiny_run / "results/claims.csv")
    assert {"reading", "null_value", "overall"} <= set(claims.columns)
    fig3b = claims[claims["claim_id"] == "fig3b_exponent"].set_index("reading")
    assert {"projection fit (fit range rule)", "projection: all levels", "projection: local slope at the largest K"} \
        <= set(fig3b.index)
    assert np.isfinite(fig3b.loc["projection: all levels", "null_value"])  # the shift null's slope, same reading
