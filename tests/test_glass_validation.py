"""The glass validation table and figure on small constructed runs, and their workflow scripts."""

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from conftest import run_workflow_script

from rgcoarse.paper.glass_figures import draw_glass_validation, glass_validation_caption
from rgcoarse.glass import (
    REFERENCE_KEYS,
    VALIDATION_COLUMNS,
    tau_alpha_estimate,
    validation_row,
    validation_table,
)
from rgcoarse.paper.plotting import save_figure
from rgcoarse.pipeline.snakemake_job import script_job
from rgcoarse.io.tables import write_table

REFERENCE = {"eos_temperature": 1.028, "eos_u_per_n": -5.974, "eos_pressure": 10.19,
             "u_per_n_tolerance": 0.02, "pressure_tolerance": 0.1}


def _summary(temperature, replica=0, u=-5.97, p=10.2, equilibrated=True):
    """A production summary as glass_produce.py writes it (only what the table reads)."""
    def value(mean, error):
        return {"mean": mean, "error": error}

    return {
        "condition": f"T{temperature:.3f}_r{replica}",
        "temperature": temperature,
        "protocol": "equilibrate" if equilibrated else "quench_and_age",
        "equilibrated": equilibrated,
        "n_particles": 1000,
        "production_time": 200.0,
        "thermo": {"u_per_n": value(u, 0.003), "u_per_n_drift": value(0.001, 0.004), "pressure": value(p, 0.02),
                   "kinetic_temperature": value(temperature, 0.001)},
    }


def _dynamics(temperature, tau_a=1.2, tau_b=0.9, d_a=0.05, d_b=0.08, replica=0):
    """A dynamics summary as glass_dynamics.py writes it."""
    return {
        "condition": f"T{temperature:.3f}_r{replica}", "temperature": temperature, "wavenumber": 7.25,
        "longest_lag": 100.0, "msd_fit_min": 0.5,
        "tau_alpha_a": tau_a, "tau_alpha_b": tau_b,
        "d_a": d_a, "d_a_error": None if d_a is None else 0.001, "msd_a_final": 30.0 if d_a else 0.2,
        "d_b": d_b, "d_b_error": None if d_b is None else 0.002, "msd_b_final": 40.0 if d_b else 0.3,
    }


def _runs():
    """Four runs: the EOS point, two more equilibrated, one quenched with unresolved dynamics."""
    summaries = [_summary(0.6, u=-6.9, p=1.5), _summary(1.028), _summary(0.4, u=-7.1, p=0.2, equilibrated=False),
                 _summary(1.0, u=-6.0, p=9.5)]
    dynamics = [_dynamics(0.6, tau_a=13.0), _dynamics(1.028, tau_a=0.9), _dynamics(0.4, tau_a=None, d_a=None),
                _dynamics(1.0)]
    return summaries, dynamics


# ---------------------------------------------------------------------------- table rows


def test_row_copies_the_run_and_checks_the_equation_of_state():
    row = validation_row(_summary(1.028, u=-5.97, p=10.2), _dynamics(1.028), REFERENCE)
    assert row["condition"] == "T1.028_r0" and row["replica"] == 0
    assert (row["u_per_n"], row["u_per_n_error"], row["pressure"]) == (-5.97, 0.003, 10.2)
    assert row["tau_alpha_estimate"] == tau_alpha_estimate(1.028)
    assert row["u_per_n_deviation"] == pytest.approx(0.004, abs=1e-12)
    assert row["pressure_deviation"] == pytest.approx(0.01, abs=1e-12)
    assert row["eos_check"] == "pass" and row["note"] == ""
    # Out of tolerance in either quantity fails the check.
    assert validation_row(_summary(1.028, u=-5.95), _dynamics(1.028), REFERENCE)["eos_check"] == "FAIL"
    assert validation_row(_summary(1.028, p=10.4), _dynamics(1.028), REFERENCE)["eos_check"] == "FAIL"


def test_eos_columns_only_for_replica_0_at_the_reference_temperature():
    # The same condition to the written decimals (1.0284 -> T1.028) is the reference point.
    assert validation_row(_summary(1.0284), _dynamics(1.0284), REFERENCE)["eos_check"] == "pass"
    for summary in (_summary(1.03), _summary(1.028, replica=1)):
        row = validation_row(summary, _dynamics(summary["temperature"]), REFERENCE)
        assert "eos_check" not in row and "reference_u_per_n" not in row


def test_unresolved_dynamics_are_noted_and_quenched_runs_have_no_estimate():
    row = validation_row(_summary(0.4, equilibrated=False), _dynamics(0.4, tau_a=None, d_b=None), REFERENCE)
    assert row["tau_alpha_estimate"] is None
    assert row["tau_alpha_a"] is None and row["d_b"] is None
    assert row["note"] == "tau_alpha_a > 100 (F_s above 1/e at the longest lag); D_b unresolved (MSD 0.3 < 0.5)"
    # An equilibrated run at or below T_MCT (an explicit equilibration length) has no estimate either.
    assert validation_row(_summary(0.43), _dynamics(0.43), REFERENCE)["tau_alpha_estimate"] is None


def test_table_columns_order_and_refusals():
    summaries, dynamics = _runs()
    table = validation_table(summaries, dynamics, REFERENCE)
    assert list(table.columns) == VALIDATION_COLUMNS
    assert table["temperature"].tolist() == [1.028, 1.0, 0.6, 0.4]
    assert table["eos_check"].tolist()[0] == "pass" and table["eos_check"].isna().sum() == 3
    with pytest.raises(ValueError, match="4 run summaries but 3 dynamics"):
        validation_table(summaries, dynamics[:3], REFERENCE)
    with pytest.raises(ValueError, match="no runs"):
        validation_table([], [], REFERENCE)
    with pytest.raises(ValueError, match=r"missing key\(s\) \['pressure_tolerance'\]"):
        validation_row(summaries[0], dynamics[0], {k: REFERENCE[k] for k in REFERENCE_KEYS[:-1]})


# ---------------------------------------------------------------------------- figure


def _curves(dynamics):
    """Per run, a dynamics table (time, F_s, MSD of A) with its metadata."""
    time = np.concatenate([[0.0], np.geomspace(0.01, 100.0, 20)])
    curves = []
    for d in dynamics:
        tau = d["tau_alpha_a"] or 1000.0
        frame = pd.DataFrame({"time": time, "fs_a": np.exp(-time / tau), "msd_a": 0.1 * time + 0.01})
        curves.append((d, frame))
    return curves


def test_figure_has_six_panels_and_a_caption_with_the_check(tmp_path):
    summaries, dynamics = _runs()
    table = validation_table(summaries, dynamics, REFERENCE)
    fig, caption = draw_glass_validation(table, _curves(dynamics))
    assert len(fig.axes) == 6
    fs_axis, msd_axis = fig.axes[2], fig.axes[3]
    # Drawn hottest first, one F_s and one MSD curve per run; the MSD panel's legend names both.
    assert len(fs_axis.get_lines()) == 4 + 1  # and the 1/e line
    assert [line.get_label() for line in msd_axis.get_lines()] == ["1.028", "1", "0.6", "0.4"]
    assert "q = 7.25" in caption
    assert caption.endswith("At T = 1.028: U/N = -5.9700 +- 0.0030 (reference -5.974), "
                            "p = 10.200 +- 0.020 (reference 10.19): pass.")
    save_figure(fig, tmp_path / "f.pdf", tmp_path / "f.png", tmp_path / "f.txt", caption, dpi=50)
    assert (tmp_path / "f.pdf").stat().st_size > 0 and (tmp_path / "f.png").stat().st_size > 0
    assert (tmp_path / "f.txt").read_text() == caption + "\n"


def test_figure_curves_are_distinguishable_and_the_legend_covers_no_curve():
    summaries, dynamics = _runs()
    table = validation_table(summaries, dynamics, REFERENCE)
    fig, _ = draw_glass_validation(table, _curves(dynamics))
    msd_axis = fig.axes[3]
    lines = msd_axis.get_lines()
    # Neighbouring temperatures (1.028 and 1 included) differ in colour or line style.
    for a, b in zip(lines, lines[1:]):
        distance = np.linalg.norm(np.subtract(to_rgb(a.get_color()), to_rgb(b.get_color())))
        assert distance > 0.15 or a.get_linestyle() != b.get_linestyle(), (a.get_label(), b.get_label())
    fig.canvas.draw()
    box = msd_axis.get_legend().get_window_extent()
    for line in lines:
        points = msd_axis.transData.transform(np.column_stack(line.get_data()))
        assert box.count_contains(points) == 0, f"the legend covers the T = {line.get_label()} curve"
    plt.close(fig)


def test_figure_without_reference_point_or_equilibrated_runs():
    summaries = [_summary(0.4, equilibrated=False)]
    dynamics = [_dynamics(0.4, tau_a=None)]
    table = validation_table(summaries, dynamics, REFERENCE)
    assert glass_validation_caption(table, 7.25).endswith("(not equilibrated).")
    fig, caption = draw_glass_validation(table, _curves(dynamics))
    assert "At T =" not in caption
    with pytest.raises(ValueError, match="at least one run"):
        draw_glass_validation(table.iloc[:0], [])


# ---------------------------------------------------------------------------- scripts


def test_validation_and_figure_scripts(tmp_path):
    summaries, dynamics = _runs()
    inputs = {"summaries": [], "dynamics": [], "tables": []}
    for s, d in zip(summaries, dynamics):
        (tmp_path / s["condition"]).mkdir()
        for key, name, content in (("summaries", "summary.json", s), ("dynamics", "dynamics.json", d)):
            path = tmp_path / s["condition"] / name
            path.write_text(json.dumps(content))
            inputs[key].append(str(path))
    for (metadata, frame), s in zip(_curves(dynamics), summaries):
        path = tmp_path / s["condition"] / "dynamics.parquet"
        write_table(path, frame, metadata)
        inputs["tables"].append(str(path))
    csv = tmp_path / "validation.csv"
    log = tmp_path / "validation.log"
    run_workflow_script("glass_validation.py", script_job(
        "glass_validation", input={"summaries": inputs["summaries"], "dynamics": inputs["dynamics"]},
        output=[str(csv)], params={"reference": REFERENCE}, log=[str(log)]))
    table = pd.read_csv(csv)
    assert table["condition"].tolist() == ["T1.028_r0", "T1.000_r0", "T0.600_r0", "T0.400_r0"]
    assert "T1.028_r0: U/N = -5.9700" in log.read_text()
    outputs = {"pdf": str(tmp_path / "v.pdf"), "png": str(tmp_path / "v.png"), "caption": str(tmp_path / "v.txt")}
    run_workflow_script("glass_validation_figure.py", script_job(
        "glass_validation_figure", input={"table": str(csv), "dynamics": inputs["tables"]}, output=outputs,
        params={"dpi": 50}, log=[str(tmp_path / "figure.log")]))
    assert Path(outputs["caption"]).read_text().strip().endswith(": pass.")
    assert Path(outputs["png"]).stat().st_size > 0
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic writer left no temporary file


def test_script_failure_goes_to_its_log(tmp_path):
    log = tmp_path / "validation.log"
    job = script_job("glass_validation", input={"summaries": [], "dynamics": []},
                     output=[str(tmp_path / "validation.csv")], params={"reference": REFERENCE}, log=[str(log)])
    with pytest.raises(ValueError, match="no runs to validate"):
        run_workflow_script("glass_validation.py", job)
    assert "job glass_validation failed" in log.read_text() and "Traceback" in log.read_text()
    assert not (tmp_path / "validation.csv").exists()
