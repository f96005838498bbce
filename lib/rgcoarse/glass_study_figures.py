"""Figures of the glass sensitivity study: the local exponent of M2(K) against K for every
variant and temperature, and the common-mode correlation rho against T and N."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FormatStrFormatter, NullFormatter

from rgcoarse.glass_study import common_mode_local_exponent
from rgcoarse.glass_study_tables import PAPER_EXPONENTS
from rgcoarse.plotting import categorical_styles, legend, new_figure

__all__ = ["LOCAL_EXPONENT_PANELS", "draw_local_exponents", "draw_rho"]

# Rows of the local-exponent figure: (pairing rule, reading of p_hop).
LOCAL_EXPONENT_PANELS = (("projection", "raw"), ("random", "raw"), ("projection", "frame_mean_removed"))
READING_NAMES = {"raw": "p_hop", "frame_mean_removed": "p_hop − frame mean"}
K_TICKS = (1, 8, 64, 512, 4096)
LOCAL_EXPONENT_RANGE = (0.6, 2.1)  # the paper's 1 and 1.85 with room; a local exponent outside is off-scale


def _variant_styles(runs: pd.DataFrame) -> dict:
    variants = list(dict.fromkeys(runs.sort_values(["n_particles"], kind="stable")["variant"]))
    return dict(zip(variants, categorical_styles(len(variants), cmap="tab10", stop=1.0)))


def _variant_label(runs: pd.DataFrame, variant: str) -> str:
    row = runs[runs["variant"] == variant].iloc[0]
    flagged = runs[(runs["variant"] == variant)]
    n_flagged = int((flagged.drop_duplicates(["temperature", "replica"])["equilibration"] != "ok").sum())
    mark = f" ({n_flagged} flagged)" if n_flagged else ""
    return f"{row['label']}{mark}"


def draw_local_exponents(levels: pd.DataFrame, runs: pd.DataFrame):
    """Grid: rows (rule, reading), columns temperatures; one curve per variant (replica mean,
    band min–max), the paper's exponents as dashed lines, and the common-mode prediction
    ``1 + K rho / (1 + (K - 1) rho)`` of the base runs' mean rho."""
    temperatures = sorted(levels["temperature"].unique(), reverse=True)
    styles = _variant_styles(runs)
    fig, axes = new_figure(len(temperatures), len(LOCAL_EXPONENT_PANELS), squeeze=False, sharex=True, sharey=True)
    for row, (method, reading) in enumerate(LOCAL_EXPONENT_PANELS):
        for col, temperature in enumerate(temperatures):
            ax = axes[row, col]
            at = levels[(levels["method"] == method) & (levels["reading"] == reading)
                        & np.isclose(levels["temperature"], temperature) & levels["local_exponent"].notna()]
            for variant, style in styles.items():
                curve = at[at["variant"] == variant]
                if curve.empty:
                    continue
                stats = curve.groupby("k_mid")["local_exponent"].agg(["mean", "min", "max"]).reset_index()
                ax.plot(stats["k_mid"], stats["mean"], color=style["color"], ls=style["ls"], marker=style["marker"],
                        ms=3, lw=1, label=_variant_label(runs, variant))
                ax.fill_between(stats["k_mid"], stats["min"], stats["max"], color=style["color"], alpha=0.12, lw=0)
            base = runs[(runs["variant"] == "base") & (runs["reading"] == reading) & (runs["method"] == method)
                        & np.isclose(runs["temperature"], temperature)]
            if not base.empty and not at.empty:
                k = np.geomspace(1.4, at[at["variant"] == "base"]["k_mid"].max(), 60)
                ax.plot(k, common_mode_local_exponent(k, base["rho_mean"].mean()), color="k", lw=0.8, ls=":",
                        label=r"common mode, base $\bar\rho$")
            for value, name in ((1.0, "1"), (PAPER_EXPONENTS[0.4][1], "1.85")):
                ax.axhline(value, color="0.5", lw=0.7, ls="--", zorder=0)
            ax.set_xscale("log")
            ax.set_xticks(K_TICKS)  # powers of 8: one label per three levels, never crowded
            ax.xaxis.set_major_formatter(FormatStrFormatter("%g"))
            ax.xaxis.set_minor_formatter(NullFormatter())
            ax.set_ylim(*LOCAL_EXPONENT_RANGE)
            if row == 0:
                ax.set_title(f"T = {temperature:g}")
            if col == 0:
                ax.set_ylabel(f"d ln M2 / d ln K\n{method}, {READING_NAMES[reading]}")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    for ax in axes.flat:  # a variant missing at the first temperature still gets a legend entry
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="outside right center", frameon=False, fontsize=7)
    fig.supxlabel("cluster size K (geometric mean of the two levels)", fontsize=9)
    fig.set_layout_engine("constrained")
    caption = (
        "Local exponent d ln M2 / d ln K of p_hop between consecutive coarse-graining levels, for every "
        "variant of the sensitivity study (replica mean; band: min–max over replicas). Rows: projection "
        "pairing, random pairing, projection on p_hop with each frame's mean over particles removed. "
        "Dashed lines: the paper's exponents 1 (Fig. 3b, high T) and 1.85 (Fig. 3c, T = 0.4). Dotted: the "
        "common-mode prediction 1 + K rho / (1 + (K - 1) rho) with the base runs' mean pair correlation rho. "
        "Flagged runs (legend) are quenched rather than equilibrated, drift, or relax slowly (runs.csv)."
    )
    return fig, caption


def draw_rho(runs: pd.DataFrame):
    """Mean pair correlation rho of raw p_hop against T (per variant) and against N."""
    raw = runs[(runs["reading"] == "raw") & (runs["method"] == runs["method"].iloc[0])]
    per_run = raw.drop_duplicates(["variant", "temperature", "replica"])
    styles = _variant_styles(runs)
    fig, (left, right) = new_figure(2, 1, squeeze=True)
    for variant, style in styles.items():
        part = per_run[per_run["variant"] == variant]
        if part.empty:
            continue
        stats = part.groupby("temperature")["rho_mean"].agg(["mean", "min", "max"]).reset_index()
        offset = 1 + 0.004 * (list(styles).index(variant) - len(styles) / 2)  # keep error bars apart, within 2 % of T
        left.errorbar(stats["temperature"] * offset, stats["mean"],
                      yerr=[stats["mean"] - stats["min"], stats["max"] - stats["mean"]], color=style["color"],
                      marker=style["marker"], ms=4, lw=0, elinewidth=1, capsize=2, label=_variant_label(runs, variant))
    left.set_xlabel("T")
    left.set_ylabel(r"mean pair correlation $\bar\rho$ of p_hop")
    left.axhline(0, color="0.6", lw=0.6)
    for temperature, marker in zip(sorted(per_run["temperature"].unique(), reverse=True), ("o", "s", "^", "D")):
        part = per_run[np.isclose(per_run["temperature"], temperature)]
        right.scatter(part["n_particles"], part["rho_mean"], marker=marker, s=18, label=f"T = {temperature:g}", alpha=0.8)
        stats = part.groupby("n_particles")["rho_mean"].mean()
        right.plot(stats.index, stats.values, lw=0.8)
    n = np.geomspace(per_run["n_particles"].min(), per_run["n_particles"].max(), 20)
    right.set_xscale("log")
    right.set_xticks(sorted(per_run["n_particles"].unique()))  # the sizes run, each labelled
    right.xaxis.set_major_formatter(FormatStrFormatter("%g"))
    right.xaxis.set_minor_formatter(NullFormatter())
    right.axhline(0, color="0.6", lw=0.6)
    right.set_xlabel("N (all variants)")
    right.set_ylabel(r"$\bar\rho$")
    right.plot(n, 1.0 / n, color="0.5", ls=":", lw=0.8, label="1/N")
    legend(right, loc="best")
    fig.legend(*left.get_legend_handles_labels(), loc="outside right center", frameon=False, fontsize=7)
    fig.set_layout_engine("constrained")
    caption = (
        "Common mode of p_hop: the mean pair correlation rho (mean off-diagonal covariance over the mean "
        "variance; for random clusters M2(K) = K sigma^2 (1 + (K - 1) rho) exactly in expectation). Left: "
        "against T for every variant (bars: min–max over replicas). Right: against N, every run; dotted 1/N "
        "(the scale at which rho K reaches 1 for K = N). Per-run fits of rho to M2(K) and the correlation of the "
        "per-frame mean p_hop with U/N, T_kin and p are in results/glass_study/runs.csv."
    )
    return fig, caption
