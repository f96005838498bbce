"""The glass sensitivity study end to end on the tiny config (N = 250, a few tau): variants share
the glass arm's runs where their settings agree, every run is analysed both readings x rules,
and the tables and figures are written. The physics of each kernel is tested in
test_glass_study.py and test_glass_model.py."""

import json

import numpy as np
import pandas as pd
import yaml
from conftest import copy_workflow, dry_run_error, run_snakemake

from rgcoarse.config.layers import merge

TINY_STUDY = {
    "temperatures": [2.0],
    "replicas": 2,
    "null_shifts": 20,
    "variants": {
        "base": {"label": "base"},
        "nve": {"label": "NVE", "production_thermostat": "nve"},
        "quenched": {"label": "quenched to 1.5", "temperatures": [1.5], "replicas": 1,
                     "overrides": {"1.5": {"protocol": "quench", "start_from": 2.0, "aging": 0}}},
        "larger": {"label": "N=300", "n_particles": 300, "replicas": 1},
    },
}


def study_workflow(tmp_path, study=TINY_STUDY):
    directory = copy_workflow(tmp_path / "workflow")
    config = yaml.safe_load((directory / "config.yaml").read_text())
    config = merge(config, {"glass_study": study})  # the study's overlay on the tiny config (variants replaced whole)
    (directory / "config.yaml").write_text(yaml.safe_dump(config))
    return directory


def test_study_runs_shares_and_writes_every_table(tmp_path):
    directory = study_workflow(tmp_path)
    run_snakemake(directory, "--cores", "2", "glass_study", check=True)
    glass = directory / "results" / "glass"
    # nve shares the base preparation (only its production is its own); the quench and N = 300
    # variants prepare their own runs; base replica 1 is a run of the glass arm itself.
    assert not (glass / "study" / "nve" / "T2.000_r0" / "equilibrated.data").exists()
    assert (glass / "study" / "nve" / "T2.000_r0" / "trajectory.parquet").exists()
    assert (glass / "study" / "quenched" / "T1.500_r0" / "equilibrated.data").exists()
    assert (glass / "study" / "larger" / "T2.000_r0" / "equilibrated.data").exists()
    assert (glass / "T2.000_r1" / "production_thermo.parquet").exists()
    runs = pd.read_csv(directory / "results" / "glass_study" / "runs.csv")
    assert len(runs) == (2 + 2 + 1 + 1) * 2 * 2  # runs x readings x rules
    per_run = runs.drop_duplicates(["variant", "temperature", "replica"]).set_index("variant")
    assert per_run.loc["larger", "n_particles"] == 300
    assert per_run.loc["quenched", "protocol"] == "quench_and_age"
    assert per_run.loc["quenched", "equilibration"].startswith("quenched")
    assert set(per_run.loc["nve", "thermostat"]) == {"nve"}
    assert runs["rho_mean"].notna().all() and runs["exponent[all levels]"].notna().all()
    removed = runs[runs["reading"] == "frame_mean_removed"]
    # No common mode is left once each frame's mean is removed: rho = -1/(N - 1) exactly (to the
    # CSV's printed digits; test_glass_study.py checks the identity itself to 1e-9).
    np.testing.assert_allclose(removed["rho_mean"], -1 / (removed["n_particles"] - 1), rtol=1e-5)
    summary = json.loads((directory / "results" / "glass_study" / "runs" / "nve" / "T2.000_r0.json").read_text())
    assert summary["run"]["data_condition"] == "study/nve/T2.000_r0"
    base = json.loads((directory / "results" / "glass_study" / "runs" / "base" / "T2.000_r0.json").read_text())
    assert base["run"]["data_condition"] == "T2.000_r0"
    exponents = pd.read_csv(directory / "results" / "glass_study" / "exponents.csv")
    assert set(exponents["n_replicas"]) == {1, 2}
    for name in ("local_exponent", "rho"):
        assert (directory / "figures" / f"supp_glass_study_{name}.png").stat().st_size > 10_000
    # The tiny study has no run at the paper's temperatures (1.0, 0.4): the claims say so.
    claims = (directory / "results" / "glass_study" / "claims.md").read_text()
    assert "no run at T = 1 or 0.4" in claims
    # base (N = 250) and larger (N = 300) are alike but for N; nve differs in its dynamics.
    scaling = pd.read_csv(directory / "results" / "glass_study" / "size_scaling.csv")
    assert list(scaling["n_particles"]) == [250, 300] and list(scaling["n_runs"]) == [2, 1]
    assert set(scaling["thermostat"]) == {"nose_hoover"} and scaling["size_exponent"].notna().all()
    assert "| 2 | " in claims and "size exponent" in claims


def test_bad_study_variant_is_refused_before_any_job(tmp_path):
    study = {"variants": {"cold": {"temperatures": [0.3], "overrides": {"0.3": {"protocol": "quench", "start_from": 0.25}}}}}
    error = dry_run_error(study_workflow(tmp_path, study))
    assert error is not None and "glass_study.variants.cold" in error and "start_from" in error
