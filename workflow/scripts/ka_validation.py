"""Glue: one validation row per Kob–Andersen run (thermodynamics with block errors, tau_alpha,
D) and the equation-of-state check against Pedersen, Schrøder & Dyre, PRL 120, 165501 (2018)."""

import argparse
import json
import math
from pathlib import Path

import pandas as pd

from rgcoarse.joblog import job_logger
from rgcoarse.kob_andersen import tau_alpha_estimate

COLUMNS = [
    "condition", "temperature", "replica", "protocol", "equilibrated", "n_particles", "production_time",
    "u_per_n", "u_per_n_error", "u_per_n_drift", "u_per_n_drift_error", "pressure", "pressure_error",
    "kinetic_temperature", "kinetic_temperature_error", "tau_alpha_a", "tau_alpha_b", "tau_alpha_estimate",
    "d_a", "d_a_error", "d_b", "d_b_error", "note", "reference_u_per_n", "reference_pressure",
    "u_per_n_deviation", "pressure_deviation", "eos_check",
]


def row(summary, dynamics, reference):
    """One run's row; the EOS columns are filled for the reference temperature only."""
    thermo = summary["thermo"]
    temperature = summary["temperature"]
    notes = []
    for name in ("a", "b"):
        if dynamics[f"tau_alpha_{name}"] is None:
            notes.append(f"tau_alpha_{name} > {dynamics['longest_lag']:g} (F_s above 1/e at the longest lag)")
        if dynamics[f"d_{name}"] is None:
            notes.append(f"D_{name} unresolved (MSD {dynamics[f'msd_{name}_final']:.3g} < {dynamics['msd_fit_min']:g})")
    # The VFT estimate sized the equilibration; for quenched runs it is no prediction.
    estimate = tau_alpha_estimate(temperature) if summary["equilibrated"] else None
    out = {
        "condition": summary["condition"],
        "temperature": temperature,
        "replica": int(summary["condition"].split("_r")[1]),
        "protocol": summary["protocol"],
        "equilibrated": summary["equilibrated"],
        "n_particles": summary["n_particles"],
        "production_time": summary["production_time"],
        "u_per_n": thermo["u_per_n"]["mean"],
        "u_per_n_error": thermo["u_per_n"]["error"],
        "u_per_n_drift": thermo["u_per_n_drift"]["mean"],
        "u_per_n_drift_error": thermo["u_per_n_drift"]["error"],
        "pressure": thermo["pressure"]["mean"],
        "pressure_error": thermo["pressure"]["error"],
        "kinetic_temperature": thermo["kinetic_temperature"]["mean"],
        "kinetic_temperature_error": thermo["kinetic_temperature"]["error"],
        "tau_alpha_a": dynamics["tau_alpha_a"],
        "tau_alpha_b": dynamics["tau_alpha_b"],
        "tau_alpha_estimate": estimate,
        "d_a": dynamics["d_a"],
        "d_a_error": dynamics["d_a_error"],
        "d_b": dynamics["d_b"],
        "d_b_error": dynamics["d_b_error"],
        "note": "; ".join(notes),
    }
    if math.isclose(temperature, reference["eos_temperature"], abs_tol=5e-4) and out["replica"] == 0:
        du = out["u_per_n"] - reference["eos_u_per_n"]
        dp = out["pressure"] - reference["eos_pressure"]
        passed = abs(du) <= reference["u_per_n_tolerance"] and abs(dp) <= reference["pressure_tolerance"]
        out.update(reference_u_per_n=reference["eos_u_per_n"], reference_pressure=reference["eos_pressure"],
                   u_per_n_deviation=du, pressure_deviation=dp, eos_check="pass" if passed else "FAIL")
    return out


def main(summaries, dynamics, output, reference, log_path=None):
    logger = job_logger("ka_validation", log_path)
    rows = [row(json.loads(Path(s).read_text()), json.loads(Path(d).read_text()), reference)
            for s, d in zip(summaries, dynamics)]
    table = pd.DataFrame(rows).reindex(columns=COLUMNS).sort_values(["temperature", "replica"], ascending=[False, True])
    for r in table.itertuples():
        logger.info("%s: U/N = %.4f +- %.4f, p = %.3f +- %.3f, tau_alpha(A) = %s, D(A) = %s %s", r.condition,
                    r.u_per_n, r.u_per_n_error, r.pressure, r.pressure_error, r.tau_alpha_a, r.d_a,
                    f"EOS check: {r.eos_check}" if isinstance(r.eos_check, str) else "")
    if (table["eos_check"] == "FAIL").any():
        logger.warning("equation-of-state check FAILED; see %s", output)
    table.to_csv(output, index=False, float_format="%.6g")


if "snakemake" in globals():
    main(snakemake.input.summaries, snakemake.input.dynamics, snakemake.output[0],
         dict(snakemake.params.reference), snakemake.log[0])
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output")
    parser.add_argument("--summaries", nargs="+", required=True, help="summary.json of each run")
    parser.add_argument("--dynamics", nargs="+", required=True, help="dynamics.json of each run, same order")
    parser.add_argument("--eos-temperature", type=float, default=1.028)
    parser.add_argument("--eos-u-per-n", type=float, default=-5.974)
    parser.add_argument("--eos-pressure", type=float, default=10.19)
    parser.add_argument("--u-per-n-tolerance", type=float, default=0.02)
    parser.add_argument("--pressure-tolerance", type=float, default=0.1)
    a = parser.parse_args()
    reference = {k: getattr(a, k) for k in ("eos_temperature", "eos_u_per_n", "eos_pressure",
                                            "u_per_n_tolerance", "pressure_tolerance")}
    main(a.summaries, a.dynamics, a.output, reference)
