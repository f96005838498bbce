"""Tables of the glass sensitivity study: every run's row, the spread over replicas, and the
claims for Fig. 3b/3c (which conditions, if any, reproduce the paper's exponents)."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from rgcoarse.config.paper_values import paper_value
from rgcoarse.glass.study import common_mode_slope, local_exponents

__all__ = [
    "PAPER_EXPONENTS",
    "CLAIM_TOLERANCE",
    "run_rows",
    "add_common_mode_columns",
    "value_columns",
    "replica_spread",
    "claim_rows",
    "size_scaling",
    "claims_markdown",
]

# Fig. 3b/3c of the main paper: M2 exponent of p_hop at high T (about 1) and at T = 0.4 (1.85).
PAPER_EXPONENTS = {
    1.0: ("Fig. 3b", paper_value("glass_high_t_exponent")),
    paper_value("glass_low_t_temperature"): ("Fig. 3c", paper_value("glass_low_t_exponent")),
}
CLAIM_TOLERANCE = 0.1  # as the default run's glass exponent claims
# An interval wider than this (half-width) decides nothing: two replicas give t = 12.7.
MAX_INFORMATIVE_HALF_WIDTH = 0.2
GROUP_COLUMNS = ["variant", "label", "n_particles", "temperature", "reading", "method"]
CURVE_KEYS = ["variant", "temperature", "replica", "reading", "method"]  # one M2(K) curve
# Runs alike in all of these differ only in N: their rho against N is a size scaling. `start` is the
# run's history without the run's own name (the state it was quenched from, or `random`).
SCALING_KEYS = ["temperature", "start", "thermostat", "thermostat_damping", "cutoff_scaling", "production", "aging_time"]
START_STATE = re.compile(r"^(?:study/[^/]+/)?(T[0-9.]+)_r\d+$")


def start_state(history: str) -> str:
    """The state a run started from, without the run's variant and replica: ``study/n4000/T1.000_r1``
    and ``T1.000_r0`` are both ``T1.000``; ``random`` stays."""
    match = START_STATE.match(str(history))
    return match.group(1) if match else str(history)


def run_rows(summaries: list[dict]) -> pd.DataFrame:
    """One row per run x reading x pairing rule from the per-run summaries (``{"run", "fits"}``)."""
    rows = [{**summary["run"], **fit} for summary in summaries for fit in summary["fits"]]
    frame = pd.DataFrame(rows)
    return frame.sort_values(["variant", "temperature", "replica", "reading", "method"], kind="stable").reset_index(drop=True)


def add_common_mode_columns(rows: pd.DataFrame, levels: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with ``rho_n`` (rho times N), the two largest levels' K (``k_last_low``,
    ``k_last_high``) and ``local_exponent_last_common_mode``: the local exponent between them that
    a common mode of the run's own measured rho gives (:func:`~rgcoarse.glass.study.common_mode_slope`).

    ``levels`` holds every run's M2 table (columns :data:`CURVE_KEYS` plus the M2 table's).
    """
    last = []
    for keys, curve in levels.groupby(CURVE_KEYS, sort=False):
        tail = local_exponents(curve).iloc[-1]
        last.append({**dict(zip(CURVE_KEYS, keys)), "k_last_low": tail["k_low"], "k_last_high": tail["k_high"]})
    out = rows.merge(pd.DataFrame(last, columns=[*CURVE_KEYS, "k_last_low", "k_last_high"]), on=CURVE_KEYS,
                     how="left", validate="one_to_one")
    out["rho_n"] = out["rho_mean"] * out["n_particles"]
    out["local_exponent_last_common_mode"] = common_mode_slope(out["k_last_low"], out["k_last_high"], out["rho_mean"])
    return out


def value_columns(rows: pd.DataFrame) -> list[str]:
    """The per-run estimates that get a replica spread."""
    extra = [c for c in ("rho_n", "local_exponent_last_common_mode") if c in rows.columns]
    return [c for c in rows.columns if c.startswith("exponent[")] + ["local_exponent_last", "rho_fit", "rho_mean", *extra]


def _interval(values: np.ndarray) -> tuple[float, float]:
    """95 % Student-t interval of the mean over replicas (NaN with fewer than 2)."""
    from scipy.stats import t  # only the study's tables need it

    values = values[np.isfinite(values)]
    if values.size < 2:
        return np.nan, np.nan
    half = t.ppf(0.975, values.size - 1) * values.std(ddof=1) / math.sqrt(values.size)
    return float(values.mean() - half), float(values.mean() + half)


def replica_spread(rows: pd.DataFrame) -> pd.DataFrame:
    """Per variant x temperature x reading x rule and estimate: mean, sd, min, max over replicas,
    the 95 % interval of the mean, the number of replicas and of flagged (non-equilibrium) runs."""
    out = []
    for keys, group in rows.groupby(GROUP_COLUMNS, sort=True):
        flagged = int((group["equilibration"] != "ok").sum())
        for column in value_columns(rows):
            values = group[column].to_numpy(dtype=np.float64)
            finite = values[np.isfinite(values)]
            low, high = _interval(values)
            out.append({
                **dict(zip(GROUP_COLUMNS, keys)),
                "estimate": column,
                "mean": float(finite.mean()) if finite.size else np.nan,
                "sd": float(finite.std(ddof=1)) if finite.size > 1 else np.nan,
                "min": float(finite.min()) if finite.size else np.nan,
                "max": float(finite.max()) if finite.size else np.nan,
                "ci_low": low,
                "ci_high": high,
                "n_replicas": int(finite.size),
                "n_flagged": flagged,
            })
    return pd.DataFrame(out)


def claim_rows(spread: pd.DataFrame, tolerance: float = CLAIM_TOLERANCE) -> pd.DataFrame:
    """Every (condition, reading, rule, fit range) at the paper's temperatures against its number.

    ``verdict``: ``reproduced`` when the replica mean is within ``tolerance`` of the paper's
    exponent, or the 95 % interval over replicas contains it and is informative (half-width at
    most :data:`MAX_INFORMATIVE_HALF_WIDTH`); ``undetermined`` when only an uninformative interval
    contains it; ``not reproduced`` otherwise. ``reproduced`` is the boolean of the first.
    """
    rows = []
    estimates = [c for c in spread["estimate"].unique() if c.startswith("exponent[") or c == "local_exponent_last"]
    for temperature, (figure, paper) in PAPER_EXPONENTS.items():
        at_t = spread[np.isclose(spread["temperature"].astype(float), temperature) & spread["estimate"].isin(estimates)]
        for _, row in at_t.iterrows():
            inside = np.isfinite(row["ci_low"]) and row["ci_low"] <= paper <= row["ci_high"]
            informative = inside and (row["ci_high"] - row["ci_low"]) / 2 <= MAX_INFORMATIVE_HALF_WIDTH
            close = np.isfinite(row["mean"]) and abs(row["mean"] - paper) <= tolerance
            verdict = "reproduced" if close or informative else "undetermined" if inside else "not reproduced"
            rows.append({"figure": figure, "paper": paper, **row.to_dict(), "verdict": verdict,
                         "reproduced": verdict == "reproduced"})
    return pd.DataFrame(rows, columns=["figure", "paper", *spread.columns, "verdict", "reproduced"])


def _slope_and_error(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Least-squares slope of y on x and its standard error (NaN error with 2 points)."""
    x_centred = x - x.mean()
    sxx = float(np.sum(x_centred**2))
    slope = float(np.sum(x_centred * (y - y.mean())) / sxx)
    residual = y - y.mean() - slope * x_centred
    error = math.sqrt(float(np.sum(residual**2)) / (x.size - 2) / sxx) if x.size > 2 else np.nan
    return slope, error


def size_scaling(rows: pd.DataFrame, method: str = "random") -> pd.DataFrame:
    """rho against N among runs alike in everything but N (:data:`SCALING_KEYS`), raw p_hop.

    One row per such group and N: the replicas, mean ``rho_mean`` and ``rho_n``, and, with
    ``method`` pairing, the mean measured local exponent between the two largest levels beside
    the common-mode one (:func:`add_common_mode_columns`). ``size_exponent`` is the least-squares
    slope of ln rho on ln N over the group's runs (-1: rho N constant, a mode shared by the box;
    0: rho independent of N), with its standard error; NaN with fewer than two sizes or a rho <= 0.
    """
    means = ["rho_mean", "rho_n", "k_last_high", "local_exponent_last", "local_exponent_last_common_mode"]
    runs = rows[(rows["reading"] == "raw") & (rows["method"] == method)]
    runs = runs.assign(start=runs["history"].map(start_state))
    out = []
    for keys, group in runs.groupby(SCALING_KEYS, sort=True, dropna=False):
        sizes = np.sort(group["n_particles"].unique())
        if sizes.size < 2:
            continue
        rho = group["rho_mean"].to_numpy(dtype=np.float64)
        slope, error = (_slope_and_error(np.log(group["n_particles"].to_numpy(dtype=np.float64)), np.log(rho))
                        if np.all(rho > 0) else (np.nan, np.nan))
        for n, at_n in group.groupby("n_particles", sort=True):
            out.append({**dict(zip(SCALING_KEYS, keys)), "n_particles": int(n), "n_runs": len(at_n),
                        **{c: float(at_n[c].mean()) for c in means},
                        "size_exponent": slope, "size_exponent_se": error})
    return pd.DataFrame(out, columns=[*SCALING_KEYS, "n_particles", "n_runs", *means, "size_exponent", "size_exponent_se"])


def _scaling_markdown(scaling: pd.DataFrame) -> list[str]:
    lines = ["## The common mode across system sizes", "",
             "Runs alike in everything but N (same T, starting state, dynamics, cutoff, production and waiting time), raw "
             "p_hop, random pairing. `size exponent` is the slope of ln rho against ln N over the runs (-1: rho N "
             "constant). The last two columns are the local exponent between the two largest levels, measured and "
             "as a common mode of the run's own rho gives it.", ""]
    if scaling.empty:
        return lines + ["The study has no two sizes run alike: no size scaling.", ""]
    lines += ["| T | started from | N | runs | rho | rho N | size exponent | largest K | local exponent | common mode |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for _, row in scaling.iterrows():
        lines.append(f"| {row['temperature']:g} | {row['start']} | {row['n_particles']} | {row['n_runs']} | "
                     f"{row['rho_mean']:.4f} | {row['rho_n']:.2f} | {row['size_exponent']:.2f} ± "
                     f"{row['size_exponent_se']:.2f} | {row['k_last_high']:g} | {row['local_exponent_last']:.2f} | "
                     f"{row['local_exponent_last_common_mode']:.2f} |")
    return lines + [""]


def _reading(row) -> str:
    fit = "local exponent between the two largest K" if row["estimate"] == "local_exponent_last" else \
        f"fit {row['estimate'][len('exponent['):-1]}"
    return f"{row['label']} (N = {row['n_particles']}), {row['method']}, p_hop {row['reading'].replace('_', ' ')}, {fit}"


def claims_markdown(claims: pd.DataFrame, tolerance: float = CLAIM_TOLERANCE, scaling: pd.DataFrame | None = None) -> str:
    """The claims as Markdown: per figure, the conditions that reproduce the paper's exponent,
    then the full table; last, with ``scaling`` (:func:`size_scaling`), the common mode against N."""
    lines = ["# Glass sensitivity study: Fig. 3b/3c exponents of p_hop", "",
             f"Rule: reproduced when the replica mean is within {tolerance:g} of the paper's exponent, or the 95 % "
             f"interval over replicas contains it with a half-width of at most {MAX_INFORMATIVE_HALF_WIDTH:g}; "
             "undetermined when only a wider interval contains it. Flagged runs are quenched (not equilibrated), drift, "
             "or relax slower than a tenth of their production (runs.csv, column `equilibration`).", ""]
    if claims.empty:
        temperatures = " or ".join(f"{t:g}" for t in PAPER_EXPONENTS)
        lines += [f"The study has no run at T = {temperatures}: nothing to compare.", ""]
    for figure, group in claims.groupby("figure", sort=True):  # none when empty
        paper = group["paper"].iloc[0]
        hits = group[group["reproduced"]]
        undetermined = int((group["verdict"] == "undetermined").sum())
        lines.append(f"## {figure}: paper exponent {paper:g} at T = {group['temperature'].iloc[0]:g}")
        lines.append("")
        if hits.empty:
            lines.append("Reproduced under no condition of the study.")
        else:
            lines.append(f"Reproduced under {len(hits)} of {len(group)} conditions:")
            lines += [f"- {_reading(row)}: {row['mean']:.3f} [{row['ci_low']:.3f}, {row['ci_high']:.3f}], "
                      f"{row['n_replicas']} replicas, {row['n_flagged']} flagged" for _, row in hits.iterrows()]
        if undetermined:
            lines.append(f"Undetermined (an interval wider than ±{MAX_INFORMATIVE_HALF_WIDTH:g} contains it): {undetermined}.")
        lines.append("")
        lines.append("| condition | mean | 95% interval | min–max | replicas (flagged) | verdict |")
        lines.append("|---|---|---|---|---|---|")
        for _, row in group.iterrows():
            lines.append(f"| {_reading(row)} | {row['mean']:.3f} | [{row['ci_low']:.3f}, {row['ci_high']:.3f}] | "
                         f"{row['min']:.3f}–{row['max']:.3f} | {row['n_replicas']} ({row['n_flagged']}) | "
                         f"{row['verdict']} |")
        lines.append("")
    if scaling is not None:
        lines += _scaling_markdown(scaling)
    return "\n".join(lines)
