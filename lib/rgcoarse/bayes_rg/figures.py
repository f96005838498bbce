"""Figures of the Bayesian renormalization arm: pruning curves, the Fisher spectrum, the Ky Fan bridge."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.bayes_rg.claims import PAPER_GAP_OVER_MEAN
from rgcoarse.paper.plotting import legend, method_colour, new_figure

SCHEME_STYLES = {"fisher": ("C0", "Fisher cutoff"), "magnitude": ("C1", "magnitude"), "random": ("0.45", "random")}


EIGENVALUE_FLOOR = 1e-12  # relative to the largest: below it an eigenvalue is rounding, not a shell


def relative_losses(pruning: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """``pruning`` with ``relative_loss``: each seed's held-out loss over its unpruned loss (seeds differ in scale)."""
    base = summary.drop_duplicates("seed").set_index("seed")["base_test_loss"]
    return pruning.assign(relative_loss=pruning["test_loss"] / pruning["seed"].map(base))


def _band(ax, rows: pd.DataFrame, x: str, scheme: str, label: bool = True):
    """Median over seeds (and draws) with the range as a band."""
    colour, name = SCHEME_STYLES[scheme]
    grouped = rows.groupby(x)["relative_loss"]
    centre, low, high = grouped.median(), grouped.min(), grouped.max()
    ax.plot(centre.index, centre.to_numpy(), color=colour, label=name if label else None)
    ax.fill_between(centre.index, low.to_numpy(), high.to_numpy(), color=colour, alpha=0.2, lw=0)


def draw_pruning(pruning: pd.DataFrame, summary: pd.DataFrame):
    """(a) loss against the fraction removed, (b) the same with zero-Fisher weights first, (c) against Lambda."""
    fig, axes = new_figure(ncols=3, layout="constrained")
    fig.set_size_inches(12.6, 3.6)
    pruning = relative_losses(pruning, summary)
    for ax, zeros_first, title in ((axes[0], False, "(a) every weight (as the paper)"),
                                   (axes[1], True, "(b) zero-Fisher weights removed first")):
        rows = pruning[pruning["zeros_first"] == zeros_first]
        for scheme in SCHEME_STYLES:
            _band(ax, rows[rows["scheme"] == scheme], "fraction", scheme)
        ax.axhline(1.01, color="k", lw=0.8, ls=":", label="unpruned + 1%")
        ax.set_yscale("log")
        ax.set_xlabel("fraction of encoder weights removed")
        ax.set_ylabel("held-out loss / unpruned")
        ax.set_title(title)
        legend(ax, loc="upper left")
    fisher = pruning[(pruning["scheme"] == "fisher") & (~pruning["zeros_first"]) & (pruning["cutoff"] > 0)]
    for seed, rows in fisher.groupby("seed"):
        axes[2].plot(rows["cutoff"], rows["relative_loss"], color="C0", alpha=0.6, lw=1.0)
    axes[2].axvline(PAPER_GAP_OVER_MEAN, color="k", ls="--", lw=0.8, label=r"paper's $\Lambda \approx 0.1$ (0.14 mean)")
    axes[2].set_xscale("log")
    axes[2].set_yscale("log")
    axes[2].set_xlabel(r"cutoff $\Lambda$ / mean Fisher element")
    axes[2].set_ylabel("held-out loss / unpruned")
    axes[2].set_title("(c) Fisher pruning against its cutoff")
    legend(axes[2], loc="upper left")
    seeds = summary["seed"].nunique()
    draws = pruning.loc[pruning["scheme"] == "random", "draw"].nunique()
    rows = summary[~summary["zeros_first"]].groupby("scheme")["removable_fraction"]
    removable = "; ".join(f"{SCHEME_STYLES[s][1]} {v.median():.2f} ({v.min():.2f}-{v.max():.2f})" for s, v in rows)
    caption = (
        f"Bayesian renormalization: pruning the encoder of a bias-free ReLU autoencoder on the bundled 8 x 8 digits, "
        f"no fine-tuning; held-out MSE over each seed's unpruned MSE. Lines: median over {seeds} training seeds (random: and {draws} orders each); bands: range. "
        "(a) every weight; (b) weights whose diagonal Fisher element is exactly zero (always-blank pixels, dead units) "
        "removed first in each scheme; (c) Fisher pruning against the cutoff Lambda, the Fisher value of the last weight "
        f"removed, in units of the mean element (one line per seed). Fraction removable at < 1% loss increase, "
        f"median (range) over seeds: {removable}."
    )
    return fig, caption


def draw_fisher_spectrum(fisher: pd.DataFrame, eigen: pd.DataFrame, summary: pd.DataFrame):
    """(a) histogram of the diagonal elements over the mean (the paper's Fig. 5), (b) eigenvalues of the full Fisher."""
    fig, axes = new_figure(ncols=2, layout="constrained")
    fig.set_size_inches(10.5, 3.8)
    positive = fisher.loc[fisher["fisher_over_mean"] > 0, "fisher_over_mean"]
    bins = np.logspace(np.log10(positive.min()) - 0.1, np.log10(positive.max()) + 0.1, 60)
    seeds = sorted(fisher["seed"].unique())
    for i, seed in enumerate(seeds):
        values = fisher.loc[(fisher["seed"] == seed) & (fisher["fisher_over_mean"] > 0), "fisher_over_mean"]
        axes[0].hist(values, bins=bins, histtype="step", color=f"C{i}", label=f"seed {i + 1}")
    axes[0].axvline(PAPER_GAP_OVER_MEAN, color="k", ls="--", lw=0.8, label="paper's gap (0.14 mean)")
    gaps = summary.drop_duplicates("seed")
    for location in gaps["window_gap_location"].dropna():
        axes[0].axvline(location, color="C3", lw=0.6, alpha=0.6)
    axes[0].set_xscale("log")
    axes[0].set_yscale("log")
    axes[0].set_xlabel("diagonal Fisher element / mean")
    axes[0].set_ylabel("weights")
    axes[0].set_title("(a) diagonal Fisher elements")
    legend(axes[0], loc="upper left", fontsize=7, ncol=2)
    if eigen.empty:
        axes[1].text(0.5, 0.5, "full Fisher not formed\n(too many weights: the diagonal is used)", ha="center",
                     va="center", transform=axes[1].transAxes)
    for i, (seed, rows) in enumerate(eigen.groupby("seed")):
        values = rows["eigenvalue_over_mean"]
        kept = rows[values > EIGENVALUE_FLOOR * values.max()]
        axes[1].plot(kept["rank"], kept["eigenvalue_over_mean"], color=f"C{i}", lw=1.0)
    axes[1].set_yscale("log")
    axes[1].set_xscale("log")
    axes[1].set_xlabel("rank")
    axes[1].set_ylabel("eigenvalue / mean diagonal")
    axes[1].set_title("(b) eigenvalues of the full Fisher (its shells)")
    zeros = ", ".join(f"{int(r.zero_fisher)} ({int(r.zero_blank_pixel)} of blank pixels, {int(r.zero_dead_unit)} of "
                      f"dead units)" for r in gaps.itertuples())
    significant = int(np.sum(gaps["window_gap_p_value"] <= 0.05))
    caption = (
        "Bayesian renormalization: the empirical Fisher of the encoder at the trained point (decoder fixed; likelihood "
        "exp(-loss / temperature)), in units of its mean diagonal element. (a) Histogram of the non-zero diagonal "
        f"elements per training seed (the paper's Fig. 5); exact zeros per seed, not drawn on log axes: {zeros}. Red "
        f"lines: each seed's widest gap between consecutive elements within 0.01-1 x the mean; {significant} of "
        f"{len(gaps)} seeds have one wider than a smooth spectrum of the same values gives (p <= 0.05). Dashed: the "
        "paper's gap, Lambda ~ 0.1 with a mean of 0.7148. (b) The eigenvalues of the full Fisher matrix, largest first, "
        f"per seed, down to {EIGENVALUE_FLOOR:g} of the largest (below: rounding)."
    )
    return fig, caption


def draw_kyfan(kyfan: pd.DataFrame):
    """Variance kept by each rule's coarse variables over the Ky Fan bound, against the level; one panel per dataset."""
    table = kyfan
    datasets = list(dict.fromkeys(zip(table["dataset"], table["condition"])))
    fig, axes = new_figure(ncols=len(datasets), layout="constrained", squeeze=False, sharey=True)
    fig.set_size_inches(4.4 * len(datasets), 3.6)
    for ax, (dataset, condition) in zip(axes[0], datasets):
        rows = table[(table["dataset"] == dataset) & (table["condition"] == condition)]
        for method, curve in rows.groupby("method", sort=False):
            ax.plot(curve["level"], curve["ratio"], marker="o", color=method_colour(method), label=method)
        ax.set_xlabel("level (cluster size $2^l$)")
        ax.set_ylabel("variance kept / Ky Fan bound")
        ax.set_title(f"{dataset} {condition if condition != 'default' else ''}".strip())
        ax.set_ylim(0, 1.05)
        legend(ax, loc="lower left")
    caption = (
        "Bridge to the pairing rules: at each level the coarse variables (sums over clusters) are a linear "
        "compression of the data to as many variables; the variance they keep, the sum over clusters c of "
        "1_c^T Sigma 1_c / n_c (n_c its size), over the largest any compression of that size keeps (the Ky Fan bound: the sum of the "
        "covariance's top eigenvalues, the principal directions a linear autoencoder's Fisher shells follow). "
        "Level 0 compresses nothing (ratio 1). Per panel: "
        + "; ".join(f"{d} {c}: " + ", ".join(f"{m} {g['ratio'].iloc[1:].median():.2f}" for m, g in
                                            table[(table['dataset'] == d) & (table['condition'] == c)].groupby(
                                                "method", sort=False)) for d, c in datasets)
        + " (median over levels >= 1)."
    )
    return fig, caption
