"""The glass validation table: one row per run (thermodynamics with block errors, tau_alpha, D)
and the equation-of-state check against Pedersen, Schrøder & Dyre, PRL 120, 165501 (2018)."""

from __future__ import annotations

import pandas as pd

from rgcoarse.config.conditions import same_temperature
from rgcoarse.glass.protocol import MCT_TEMPERATURE, tau_alpha_estimate

__all__ = ["VALIDATION_COLUMNS", "REFERENCE_KEYS", "validation_row", "validation_table"]

VALIDATION_COLUMNS = [
    "condition", "temperature", "replica", "protocol", "equilibrated", "n_particles", "production_time",
    "u_per_n", "u_per_n_error", "u_per_n_drift", "u_per_n_drift_error", "pressure", "pressure_error",
    "kinetic_temperature", "kinetic_temperature_error", "tau_alpha_a", "tau_alpha_b", "tau_alpha_estimate",
    "d_a", "d_a_error", "d_b", "d_b_error", "note", "reference_u_per_n", "reference_pressure",
    "u_per_n_deviation", "pressure_deviation", "eos_check",
]
REFERENCE_KEYS = ("eos_temperature", "eos_u_per_n", "eos_pressure", "u_per_n_tolerance", "pressure_tolerance")
"""Keys of the ``reference`` dict: the equation-of-state point and the tolerances of the check."""


def validation_row(summary: dict, dynamics: dict, reference: dict) -> dict:
    """One run's row of the validation table.

    Parameters
    ----------
    summary : dict
        The run's production summary (``summary.json``: condition, temperature, protocol,
        ``thermo`` block averages, ...).
    dynamics : dict
        The run's dynamics summary (``dynamics.json``: tau_alpha and D of A and B, or None
        where unresolved, longest lag, final MSD, ``msd_fit_min``).
    reference : dict
        :data:`REFERENCE_KEYS`. The equation-of-state columns are filled for replica 0 at the
        reference temperature only; ``eos_check`` is ``"pass"`` when both U/N and p are within
        their tolerances of the reference, else ``"FAIL"``.
    """
    missing = [key for key in REFERENCE_KEYS if key not in reference]
    if missing:
        raise ValueError(f"reference: missing key(s) {missing}")
    thermo = summary["thermo"]
    temperature = summary["temperature"]
    notes = []
    for name in ("a", "b"):
        if dynamics[f"tau_alpha_{name}"] is None:
            notes.append(f"tau_alpha_{name} > {dynamics['longest_lag']:g} (F_s above 1/e at the longest lag)")
        if dynamics[f"d_{name}"] is None:
            notes.append(f"D_{name} unresolved (MSD {dynamics[f'msd_{name}_final']:.3g} < {dynamics['msd_fit_min']:g})")
    # The VFT estimate sized the equilibration; for quenched runs it is no prediction, and at or
    # below T_MCT (an equilibration of explicit length) there is none.
    estimate = tau_alpha_estimate(temperature) if summary["equilibrated"] and temperature > MCT_TEMPERATURE else None
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
    if same_temperature(temperature, reference["eos_temperature"]) and out["replica"] == 0:
        du = out["u_per_n"] - reference["eos_u_per_n"]
        dp = out["pressure"] - reference["eos_pressure"]
        passed = abs(du) <= reference["u_per_n_tolerance"] and abs(dp) <= reference["pressure_tolerance"]
        out.update(reference_u_per_n=reference["eos_u_per_n"], reference_pressure=reference["eos_pressure"],
                   u_per_n_deviation=du, pressure_deviation=dp, eos_check="pass" if passed else "FAIL")
    return out


def validation_table(summaries, dynamics, reference: dict) -> pd.DataFrame:
    """The validation table of several runs: :data:`VALIDATION_COLUMNS`, hottest first, then by replica.

    ``summaries`` and ``dynamics`` are sequences of the runs' summary dicts, in the same order.
    """
    summaries, dynamics = list(summaries), list(dynamics)
    if len(summaries) != len(dynamics):
        raise ValueError(f"{len(summaries)} run summaries but {len(dynamics)} dynamics summaries")
    if not summaries:
        raise ValueError("no runs to validate")
    rows = [validation_row(s, d, reference) for s, d in zip(summaries, dynamics)]
    table = pd.DataFrame(rows).reindex(columns=VALIDATION_COLUMNS)
    return table.sort_values(["temperature", "replica"], ascending=[False, True], ignore_index=True)
