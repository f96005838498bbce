"""Each figure script turns a tiny fixture of Parquet tables into a non-empty PNG (and PDF, caption)."""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from conftest import run_workflow_script
from matplotlib.colors import to_rgb
from rgcoarse.paper import figures as pf
from rgcoarse.coarse.coarse_grain import coarse_grain
from rgcoarse.stats.controls import with_controls
from rgcoarse.stats.bootstrap import bootstrap_exponent
from rgcoarse.paper.panels import panel_named
from rgcoarse.io.tables import read_table
from rgcoarse.pipeline.snakemake_job import script_job
from rgcoarse.io.tables import write_table

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
                                  "cod": np.cumsum(delta), "cod_increment": delta, "norm_cod_increment": delta / n}))
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
    fits = pd.concat([read_table(p)[0] for p in fixture_tables["fit"].values()], ignore_index=True)
    m2 = fits[fits["observable"] == "m2"]
    # One draw of the permute null per temperature, 0.03 below the data: the band is drawn beside each point.
    nulls = pd.DataFrame({"dataset": m2["dataset"], "condition": m2["condition"], "temperature": m2["temperature"],
                          "model": "permute", "method": m2["method"], "draw": 0, "statistic": "m2_exponent",
                          "level": -1, "value": m2["exponent"] - 0.03})
    exponents = tmp_path / "exponents.parquet"
    write_table(exponents, with_controls(fits, nulls), {})
    job = script_job("supp_pairing_rules", input={"fits": list(fixture_tables["fit"].values()),
                                                  "pairs": fixture_tables["pairs"], "exponents": exponents},
                     output=figure_outputs(tmp_path, "supp_pairing_rules"), params={"dpi": 80})
    run_workflow_script("supp_pairing_rules.py", job)
    assert_figure(tmp_path, "supp_pairing_rules")
    assert "permute null" in (tmp_path / "supp_pairing_rules.caption.txt").read_text()


def test_claims_script_on_fixture(tmp_path, fixture_tables):
    exponents = tmp_path / "exponents.parquet"
    write_table(exponents, pd.concat([fit_rows(t) for t in TEMPERATURES]), {})
    csv, md = tmp_path / "claims.csv", tmp_path / "claims.md"
    job = script_job("claims", input={"exponents": exponents, "gaussian_cod": fixture_tables["gaussian_cod"],
                                      "ising_m2": list(fixture_tables["m2"].values()),
                                      "ising_cod": list(fixture_tables["cod"].values()), "glass_cod": [], "ising_nulls": [],
                                      "glass_m2": [], "glass_nulls": []},
                     output={"csv": csv, "md": md},
                     params={"settings": {"fig1": {"levels": [0]},
                                          "fig2": {"method": "projection", "below_tc_temperature": 2.0},
                                          "eq29": {"cod_rank_range": [1, 8]},
                                          "fig3": {"method": "projection", "temperatures": [1.0, 0.4],
                                                   "other_methods": []}}})
    run_workflow_script("claims.py", job)
    table = pd.read_csv(csv)
    claims = table.drop_duplicates("claim_id").set_index("claim_id")
    # The fixture was built to agree: exponent 1.05 at T = 9.5 and 2 below Tc, M2 = 1 (0.25 occupations).
    assert claims.loc["fig2c_exponent", "verdict"] == "agrees"
    assert claims.loc["fig2d_exponent", "verdict"] == "agrees"
    assert claims.loc["fig2a_level0", "verdict"] == "agrees"
    text_reading = table[(table["claim_id"] == "fig1") & table["reading"].str.startswith("text")]
    assert list(text_reading["verdict"]) == ["agrees"]
    assert md.read_text().count("\n| fig") + md.read_text().count("\n| eq29") == len(table)


# ----- failed fits read as failed; legibility -------------------------------------------------

NON_OK = ["too_few_samples", "too_few_points", "no_valid_resamples", "degenerate_interval"]


def failed_fit(status, value):
    """A fit row of a failed fit: NaN numbers (new tables) or zeros (tables of earlier runs)."""
    row = fit_rows(9.5).iloc[0].copy()
    row[["exponent", "prefactor", "ci_low", "ci_high", "fit_min", "fit_max"]] = value
    row["status"], row["n_points"], row["n_resamples"] = status, 0, 0
    return row


def legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def fit_lines_of(ax):
    return [line for line in ax.get_lines() if line.get_label().startswith("fit")]


@pytest.mark.parametrize("status", NON_OK)
@pytest.mark.parametrize("value", [0.0, np.nan])
@pytest.mark.parametrize("glass", [False, True])
def test_failed_fit_draws_the_data_and_says_no_fit(status, value, glass):
    m2, fit = m2_table(9.5), failed_fit(status, value)
    if glass:
        fig, caption = pf.draw_glass_m2(m2, fit, 0.4, "projection", "c")
    else:
        fig, caption = pf.draw_m2_vs_cluster_size(m2, fit, 9.5, "projection")
    ax = fig.axes[0]
    fig.canvas.draw()  # fit_min = fit_max = 0 used to crash here (np.geomspace)
    data = [line for line in ax.get_lines() if line.get_label() == "data"]
    assert len(data) == 1 and len(data[0].get_xdata()) == 11
    assert fit_lines_of(ax) == []
    assert f"no fit: {status}" in legend_texts(ax)
    assert f"no fit, {status}" in caption
    for wrong in ("0.000", "nan", "exponent 0", "bootstrap CI", "K in ["):
        assert wrong not in caption and all(wrong not in text for text in legend_texts(ax))
    plt.close(fig)


def test_k_min_beyond_the_data_still_draws_the_panel():
    """The crash of the issue, end to end: a real fit with k_min beyond the largest cluster."""
    data = np.sign(np.random.default_rng(0).normal(size=(200, 64)))
    levels = coarse_grain(data, "random", seed=1, omega=2**-0.5, min_variables=4)
    fit = pd.Series(bootstrap_exponent(data, levels, "m2", k_min=1000, min_clusters=16, confidence=0.95).as_dict())
    assert fit["status"] == "too_few_points"
    m2 = pd.DataFrame({"level": range(len(levels)), "cluster_size": [int(l.cluster_sizes[0]) for l in levels],
                       "n_clusters": [l.n_variables for l in levels],
                       "m2": [float(np.var(data[:, l.members[0]].sum(axis=1))) + 1.0 for l in levels]})
    fig, caption = pf.draw_m2_vs_cluster_size(m2, fit, 9.5, "random")
    fig.canvas.draw()
    assert fit_lines_of(fig.axes[0]) == [] and "no fit: too_few_points" in legend_texts(fig.axes[0])
    assert "0 (level, K) rows in the fit range" in caption
    plt.close(fig)


def test_ok_fit_is_drawn_with_its_numbers():
    fig, caption = pf.draw_m2_vs_cluster_size(m2_table(9.5), fit_rows(9.5).iloc[0], 9.5, "projection")
    ax = fig.axes[0]
    assert len(fit_lines_of(ax)) == 1 and "1.030, 1.070" in fit_lines_of(ax)[0].get_label()
    assert "exponent 1.050, 95% bootstrap CI [1.030, 1.070]" in caption
    # The legend sits where no data point is.
    fig.canvas.draw()
    box = ax.get_legend().get_window_extent()
    points = ax.transData.transform(np.column_stack([m2_table(9.5)["cluster_size"], m2_table(9.5)["m2"]]))
    assert not any(box.contains(x, y) for x, y in points)
    plt.close(fig)


def pairing_inputs(fixture_tables):
    fits = pd.concat([read_table(p)[0] for p in fixture_tables["fit"].values()], ignore_index=True)
    locality = pf.pair_locality_by_temperature([read_table(p) for p in fixture_tables["pairs"]])
    locality.loc[(locality["method"] == "random") & (locality["temperature"] == 2.3), "nn_fraction"] = 0.0
    return fits, locality


def test_supplementary_pairing_figure_is_legible(fixture_tables):
    fits, locality = pairing_inputs(fixture_tables)
    fig, caption = pf.draw_pairing_comparison(fits, locality)
    left, right = fig.axes
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    # The fraction's axis shows no negative ticks (the symlog axis showed -10^-3 and -10^-2).
    low, high = right.get_ylim()
    assert low > 0
    labels = [(tick, label.get_text()) for tick, label in zip(right.get_yticks(), right.get_yticklabels())
              if low <= tick <= high]
    assert len(labels) >= 3
    for tick, text in labels:
        assert float(text.replace("\N{MINUS SIGN}", "-")) >= 0 and tick > 0
    assert all(not label.get_text() for label in right.get_yticklabels(minor=True))
    # The panels, with their tick and axis labels, do not run into each other.
    assert not left.get_tightbbox(renderer).overlaps(right.get_tightbbox(renderer))
    assert "open triangle" in caption  # the zero fraction is drawn on the floor, and said so
    plt.close(fig)


def test_pairing_figure_leaves_out_failed_fits(fixture_tables):
    fits, locality = pairing_inputs(fixture_tables)
    failed = fits.iloc[[0]].assign(status="too_few_points", exponent=0.0, ci_low=0.0, ci_high=0.0, temperature=3.0)
    fig, caption = pf.draw_pairing_comparison(pd.concat([fits, failed], ignore_index=True), locality)
    plotted = np.concatenate([np.asarray(line.get_xdata(), dtype=float) for line in fig.axes[0].get_lines()])
    assert 3.0 not in plotted  # the failed fit's temperature: no point, no zero exponent
    assert "left out (1 too_few_points)" in caption
    plt.close(fig)


def test_fig2e_temperatures_near_tc_are_distinguishable():
    temperatures = [1.5, 2.2, 2.3, 2.4, 3.0, 9.5]
    fig, _ = pf.draw_cod_vs_rank({t: cod_table(t) for t in temperatures}, 0, "projection")
    ax = fig.axes[0]
    lines = [line for line in ax.get_lines() if line.get_label() in {f"{t:g}" for t in temperatures}]
    assert len(lines) == len(temperatures) and len(legend_texts(ax)) == len(temperatures)
    for a, b in zip(lines, lines[1:]):  # neighbours in T differ in colour, line style and marker
        assert np.linalg.norm(np.subtract(to_rgb(a.get_color()), to_rgb(b.get_color()))) > 0.15
        assert a.get_linestyle() != b.get_linestyle() and a.get_marker() != b.get_marker()
    plt.close(fig)


def test_a_registered_supplementary_figure_renders_through_the_generic_script(tmp_path, fixture_tables):
    fits = pd.concat([read_table(p)[0] for p in fixture_tables["fit"].values()], ignore_index=True)
    m2 = fits[fits["observable"] == "m2"]
    nulls = pd.DataFrame({"dataset": m2["dataset"], "condition": m2["condition"], "temperature": m2["temperature"],
                          "model": "permute", "method": m2["method"], "draw": 0, "statistic": "m2_exponent",
                          "level": -1, "value": m2["exponent"] - 0.03})
    exponents = tmp_path / "exponents.parquet"
    write_table(exponents, with_controls(fits, nulls), {})
    job = script_job("supplementary_figure", input={"exponents": exponents}, wildcards={"figure": "supp_ising_exponents"},
                     output=figure_outputs(tmp_path, "supp_ising_exponents"), params={"dpi": 80})
    run_workflow_script("supplementary_figure.py", job)
    assert_figure(tmp_path, "supp_ising_exponents")
    caption = (tmp_path / "supp_ising_exponents.caption.txt").read_text()
    assert f"{len(TEMPERATURES)} temperatures" in caption and "null draws" in caption


def test_the_supplementary_registry_refuses_a_figure_without_a_maker():
    from rgcoarse.paper.supplementary import SupplementaryFigure, register

    with pytest.raises(ValueError, match="give draw and inputs"):
        register(SupplementaryFigure("supp_nothing", "nothing", in_run=lambda config: True, draw=lambda t: None))
    with pytest.raises(ValueError, match="already registered"):
        register(SupplementaryFigure("supp_planted", "again", in_run=lambda config: True, made_by="planted_benchmark"))
