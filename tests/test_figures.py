"""Each figure script turns a tiny fixture of Parquet tables into a non-empty PNG (and PDF, caption)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import run_workflow_script
from rgcoarse.panels import panel_named
from rgcoarse.snakemake_job import script_job
from rgcoarse.tables import write_table

REPO = Path(__file__).resolve().parents[1]
TEMPERATURES = [1.5, 2.0, 2.3, 2.4, 9.5]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def m2_table(temperature, n_levels=11):
    """M2 of spins: exponent 2 below Tc, 1 above; one carried odd cluster at level 3."""
    k = 2 ** np.arange(n_levels)
    exponent = 2.0 if temperature < 2.27 else 1.0
    frame = pd.DataFrame({"level": np.arange(n_levels), "cluster_size": k, "n_clusters": 4096 // k,
                          "m2": k.astype(float) ** exponent})
    odd = pd.DataFrame({"level": [3], "cluster_size": [4], "n_clusters": [1], "m2": [3.0]})
    return pd.concat([frame, odd], ignore_index=True)


def cod_table(temperature, n_levels=11, n_ranks=16):
    rows = []
    for level in range(n_levels):
        n = max(4096 >> level, 4)
        ranks = np.arange(1, min(n, n_ranks) + 1)
        decay = 0.0 if temperature > 5 else 1.5
        delta = ranks.astype(float) ** -decay
        rows.append(pd.DataFrame({"level": level, "n_variables": n, "rank": ranks, "variable": ranks - 1,
                                  "cod": np.cumsum(delta), "delta_cod": delta, "norm_delta_cod": delta / n}))
    return pd.concat(rows, ignore_index=True)


def fit_rows(temperature, method="projection", exponent=None):
    exponent = exponent if exponent is not None else (2.0 if temperature < 2.27 else 1.05)
    return pd.DataFrame([{"dataset": "ising", "condition": f"T{temperature:.3f}", "method": method,
                          "temperature": temperature, "observable": "m2", "exponent": exponent, "prefactor": 1.0,
                          "ci_low": exponent - 0.02, "ci_high": exponent + 0.02, "fit_min": 1.0, "fit_max": 256.0,
                          "n_points": 9, "n_resamples": 200, "status": "ok"}])


@pytest.fixture(scope="module")
def fixture_tables(tmp_path_factory):
    root = tmp_path_factory.mktemp("tables")
    paths = {"m2": {}, "cod": {}, "fit": {}, "pairs": []}
    for t in TEMPERATURES:
        meta = {"dataset_metadata": {"temperature": t}, "method": "projection"}
        paths["m2"][t] = root / f"m2_{t}.parquet"
        paths["cod"][t] = root / f"cod_{t}.parquet"
        paths["fit"][t] = root / f"fit_{t}.parquet"
        write_table(paths["m2"][t], m2_table(t), meta)
        write_table(paths["cod"][t], cod_table(t), meta)
        write_table(paths["fit"][t], pd.concat([fit_rows(t), fit_rows(t, "random", 1.0)]), {})
        for method, fraction in (("projection", 0.9), ("random", 0.001)):
            path = root / f"pairs_{t}_{method}.parquet"
            write_table(path, pd.DataFrame({"n_pairs": [2048], "nn_fraction": [fraction],
                                            "random_expectation": [4 / 4095]}),
                        {"method": method, "dataset_metadata": {"temperature": t}})
            paths["pairs"].append(path)
    paths["gaussian_cod"] = root / "gaussian_cod.parquet"
    write_table(paths["gaussian_cod"], cod_table(100.0, n_levels=6), {})
    return paths

def assert_figure(outdir, name):
    png = Path(outdir) / f"{name}.png"
    assert png.read_bytes()[:8] == PNG_MAGIC and png.stat().st_size > 5000
    assert (Path(outdir) / f"{name}.pdf").read_bytes()[:4] == b"%PDF"
    assert len((Path(outdir) / f"{name}.caption.txt").read_text()) > 80


def panel_inputs(panel, tables):
    """Fixture tables for a panel's inputs, as the registry describes them."""
    inputs = {}
    for key, spec in panel_named(panel).inputs.items():
        source = tables["gaussian_cod"] if spec.dataset == "gaussian" else tables[spec.table]
        if spec.select == "default":
            inputs[key] = str(source)
        elif spec.select == "temperature":
            inputs[key] = str(source[PANELS[panel]["temperature"]])
        else:
            inputs[key] = [str(path) for path in source.values()]
    return inputs


def figure_outputs(directory, name):
    return {"pdf": directory / f"{name}.pdf", "png": directory / f"{name}.png",
            "caption": directory / f"{name}.caption.txt"}


PANELS = {
    "fig1": {"levels": [0, 2, 4]},
    "fig2a": {"level": 0},
    "fig2b": {"level": 10},
    "fig2c": {"temperature": 9.5},
    "fig2d": {"temperature": 2.0},
    "fig2e": {"level": 0, "temperatures": [1.5, 2.3, 9.5]},
    "fig2f": {"levels": [0, 10]},
}


@pytest.mark.parametrize("panel", list(PANELS))
def test_paper_panel_renders(tmp_path, fixture_tables, panel):
    job = script_job("paper_figure", input=panel_inputs(panel, fixture_tables), output=figure_outputs(tmp_path, panel),
                     params={"settings": PANELS[panel], "method": "projection", "dpi": 80},
                     wildcards={"panel": panel}, log=[tmp_path / f"{panel}.log"])
    run_workflow_script("paper_figure.py", job)
    assert_figure(tmp_path, panel)


def test_supplementary_pairing_figure_renders(tmp_path, fixture_tables):
    job = script_job("supp_pairing_rules", input={"fits": list(fixture_tables["fit"].values()),
                                                  "pairs": fixture_tables["pairs"]},
                     output=figure_outputs(tmp_path, "supp_pairing_rules"), params={"dpi": 80})
    run_workflow_script("supp_pairing_rules.py", job)
    assert_figure(tmp_path, "supp_pairing_rules")


def test_claims_script_on_fixture(tmp_path, fixture_tables):
    exponents = tmp_path / "exponents.parquet"
    write_table(exponents, pd.concat([fit_rows(t) for t in TEMPERATURES]), {})
    csv, md = tmp_path / "claims.csv", tmp_path / "claims.md"
    job = script_job("claims", input={"exponents": exponents, "gaussian_cod": fixture_tables["gaussian_cod"],
                                      "ising_m2": list(fixture_tables["m2"].values()),
                                      "ising_cod": list(fixture_tables["cod"].values()), "glass_cod": []},
                     output={"csv": csv, "md": md},
                     params={"method": "projection", "below_tc_temperature": 2.0, "glass_temperatures": [1.0, 0.4]})
    run_workflow_script("claims.py", job)
    claims = pd.read_csv(csv).set_index("claim_id")
    # The fixture was built to agree: exponent 1.05 at T = 9.5 and 2 below Tc, M2 = 1 (0.25 occupations).
    assert claims.loc["fig2c_exponent", "verdict"] == "agrees"
    assert claims.loc["fig2d_exponent", "verdict"] == "agrees"
    assert claims.loc["fig2a_level0", "verdict"] == "agrees"
    assert claims.loc["fig1_uniform", "verdict"] == "agrees"
    assert md.read_text().count("\n| fig") == len(claims)
