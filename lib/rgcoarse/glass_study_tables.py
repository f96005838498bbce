"""Tables of the glass sensitivity study: every run's row, the spread over replicas, and the
claims for Fig. 3b/3c (which conditions, if any, reproduce the paper's exponents)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["PAPER_EXPONENTS", "CLAIM_TOLERANCE", "run_rows", "value_columns", "replica_spread", "claim_rows", "claims_markdown"]

# Fig. 3b/3c of the main paper: M2 exponent of p_hop at high T (about 1) and at T = 0.4 (1.85).
PAPER_EXPONENTS = {1.0: ("Fig. 3b", 1.0), 0.4: ("Fig. 3c", 1.85)}
CLAIM_TOLERANCE = 0.1  # as the default run's glass exponent claims
# An interval wider than this (half-width) decides nothing: two replicas give t = 12.7.
MAX_INFORMATIVE_HALF_WIDTH = 0.2
GROUP_COLUMNS = ["variant", "label", "n_particles", "temperature", "reading", "method"]


def run_rows(summaries: list[dict]) -> pd.DataFrame:
    """One row per run x reading x pairing rule from the per-run summaries (``{"run", "fits"}``)."""
    rows = [{**summary["run"], **fit} for summary in summaries for fit in summary["fits"]]
    frame = pd.DataFrame(rows)
    return frame.sort_values(["variant", "temperature", "replica", "reading", "method"], kind="stable").reset_index(drop=True)


def value_columns(rows: pd.DataFrame) -> list[str]:
    """The per-run estimates that get a replica spread."""
    return [c for c in rows.columns if c.startswith("exponent[")] + ["local_exponent_last", "rho_fit", "rho_mean"]


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


def _reading(row) -> str:
    fit = "local exponent between the two largest K" if row["estimate"] == "local_exponent_last" else \
        f"fit {row['estimate'][len('exponent['):-1]}"
    return f"{row['label']} (N = {row['n_particles']}), {row['method']}, p_hop {row['reading'].replace('_', ' ')}, {fit}"


def claims_markdown(claims: pd.DataFrame, tolerance: float = CLAIM_TOLERANCE) -> str:
    """The claims as Markdown: per figure, the conditions that reproduce the paper's exponent,
    then the full table."""
    lines = ["# Glass sensitivity study: Fig. 3b/3c exponents of p_hop", "",
             f"Rule: reproduced when the replica mean is within {tolerance:g} of the paper's exponent, or the 95 % "
             f"interval over replicas contains it with a half-width of at most {MAX_INFORMATIVE_HALF_WIDTH:g}; "
             "undetermined when only a wider interval contains it. Flagged runs are quenched (not equilibrated), drift, "
             "or relax slower than a tenth of their production (runs.csv, column `equilibration`).", ""]
    if claims.empty:
        temperatures = " or ".join(f"{t:g}" for t in PAPER_EXPONENTS)
        return "\n".join(lines + [f"The study has no run at T = {temperatures}: nothing to compare.", ""])
    for figure, group in claims.groupby("figure", sort=True):
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
    return "\n".join(lines)
