"""Figures of the RMI arm, drawn from its tables only: Fig. 2b, Fig. 2d (with the H(y) inset) and Fig. 3."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import NullFormatter

from rgcoarse.paper.plotting import STYLE, categorical_styles, legend, new_figure
from rgcoarse.rmi.experiments import best_feature_changes
from rgcoarse.rmi.features import DROP_FEATURES, FEATURE_LABELS, WAVE_PACKET_FEATURES


def _feature_curves(ax, table: pd.DataFrame, parameter: str, features, value: str = "rmi", band: bool = True):
    for feature, style in zip(features, categorical_styles(len(features), cmap="viridis")):
        rows = table[table["feature"] == feature].sort_values(parameter)
        ax.plot(rows[parameter], rows[value], label=FEATURE_LABELS[feature], **style)
        if band:
            ax.fill_between(rows[parameter], rows["ci_low"], rows["ci_high"], color=style["color"], alpha=0.25, lw=0)


def draw_fig2b(table: pd.DataFrame, examples: pd.DataFrame, n_sites: int, width: float, n_samples: int):
    fig, (sample_ax, ax) = new_figure(ncols=2, layout="constrained", gridspec_kw={"width_ratios": [1, 1.5]})
    fig.set_size_inches(9.6, 3.8)
    levels = sorted(examples["sigma"].unique())
    offset, top = 0.0, None
    for level, style in zip(levels, categorical_styles(len(levels), cmap="cividis")):
        rows = examples[examples["sigma"] == level]
        if top is not None:  # stack the samples without overlap
            offset = top - rows["value"].min() + 0.5
        sample_ax.plot(rows["coordinate"] + 1, rows["value"] + offset, color=style["color"], lw=0.9,
                       label=rf"$\sigma$ = {level:g}")
        top = offset + rows["value"].max()
    sample_ax.set_xlabel("site $j$")
    sample_ax.set_ylabel("$x_j$ (samples stacked)")
    sample_ax.set_yticks([])
    sample_ax.set_title("(a) one sample per noise level")
    legend(sample_ax, loc="upper left", bbox_to_anchor=(0.0, 1.0), ncol=3, fontsize=STYLE["legend.fontsize"] - 1)
    sample_ax.set_ylim(top=top + 0.25 * top)
    ax.set_title("(b)")
    _feature_curves(ax, table, "sigma", WAVE_PACKET_FEATURES)
    ax.set_xscale("log")
    ticks = [v for v in (0.01, 0.03, 0.1, 0.3, 1, 3, 10) if table["sigma"].min() <= v <= table["sigma"].max()]
    ax.set_xticks(ticks, [f"{v:g}" for v in ticks])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(r"noise $\sigma = \sqrt{\langle \xi_j^2 \rangle}$")
    ax.set_ylabel(r"$\tilde I(x, y)$ (nats)")
    low = table["rmi"].min()
    ax.set_ylim(max(low, table.loc[table["feature"] != "mean", "rmi"].min() - 0.5), table["ci_high"].max() + 0.2)
    legend(ax, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    changes = best_feature_changes(table, "sigma")
    switched = np.flatnonzero(changes["best"].to_numpy()[1:] != changes["best"].to_numpy()[:-1])
    for index in switched:
        ax.axvspan(changes["sigma"].iloc[index], changes["sigma"].iloc[index + 1], color="0.85", zorder=0)
    where = "; ".join(f"{changes['best'].iloc[i]} to {changes['best'].iloc[i + 1]} between sigma = "
                      f"{changes['sigma'].iloc[i]:g} and {changes['sigma'].iloc[i + 1]:g}" for i in switched)
    caption = (
        f"RMI Fig. 2a-b: (a) samples of a wave packet on a noisy field; (b) renormalized mutual information of five "
        "features of it "
        f"(N = {n_sites} sites, packet width {width:g}, centre uniform in the caption's range, {n_samples} samples per "
        "noise level; H(y) by Kozachenko-Leonenko, bands: 95% intervals from half-samples). The mean field is off the "
        f"scale at low noise (I~ = {table.loc[table['feature'] == 'mean', 'rmi'].min():.1f} nats at the lowest). "
        f"Grey: where the best feature changes ({where or 'nowhere'})."
    )
    return fig, caption


def draw_fig2d(table: pd.DataFrame, examples: pd.DataFrame, n_particles: int, n_samples: int):
    fig, (drop_ax, ax, inset) = new_figure(ncols=3, layout="constrained", gridspec_kw={"width_ratios": [1.3, 1.6, 1]})
    fig.set_size_inches(11.0, 3.6)
    for (sample, rows), style in zip(examples.groupby("sample"), categorical_styles(3, cmap="cividis")):
        half = len(rows) // 2
        values = rows.sort_values("coordinate")["value"].to_numpy()
        drop_ax.plot(values[:half], values[half:] - 2.6 * sample, ls="", marker=style["marker"], color=style["color"],
                     markersize=2.5)
    drop_ax.set_aspect("equal")
    drop_ax.set_title(f"(c) drops at spread {examples['spread'].iloc[0]:g}")
    drop_ax.set_xlabel("$x$")
    drop_ax.set_ylabel("$y$ (drops stacked)")
    drop_ax.set_yticks([])
    ax.set_title("(d)")
    _feature_curves(ax, table, "spread", DROP_FEATURES)
    ax.set_xlabel(r"deformation spread $\sqrt{\langle \delta r^2 \rangle}$")
    ax.set_ylabel(r"$\tilde I(x, y)$ (nats)")
    legend(ax, loc="upper left")
    _feature_curves(inset, table, "spread", DROP_FEATURES, value="entropy", band=False)
    inset.set_title("(inset of d) entropy")
    inset.set_xlabel(r"$\sqrt{\langle \delta r^2 \rangle}$")
    inset.set_ylabel(r"$H(y)$ (nats, not invariant)")
    caption = (
        f"RMI Fig. 2c-d: (c) three samples; drops of {n_particles} particles (uniform in an ellipse of fixed area with axes 1 + dr and "
        f"1/(1 + dr), dr ~ N(0, spread^2), random orientation; {n_samples} samples per spread). (d) I~ of the two "
        "leading principal components and of the quadratic feature (mean x^2, mean y^2), bands: 95% intervals from "
        "half-samples. Right: the entropy H(y) of the same features, which is not reparametrisation invariant."
    )
    return fig, caption


def _grid_image(grid: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    side = round(np.sqrt(len(grid)))
    x1 = grid["x1"].to_numpy().reshape(side, side)
    x2 = grid["x2"].to_numpy().reshape(side, side)
    return x1, x2, grid[column].to_numpy().reshape(side, side)


def draw_fig3(trace: pd.DataFrame, runs: pd.DataFrame, grid: pd.DataFrame, settings: dict):
    fig, axes = new_figure(ncols=2, nrows=2, layout="constrained")
    fig.set_size_inches(8.4, 7.0)
    (mean_ax, single_ax), (sd_ax, trace_ax) = axes
    x1, x2, density = _grid_image(grid, "density")
    for ax, column, title in ((mean_ax, "mean", "(a) mean normalised feature over runs"),
                              (single_ax, "run0", "(b) one run")):
        ax.contourf(x1, x2, density, levels=12, cmap="Greys")
        lines = ax.contour(x1, x2, _grid_image(grid, column)[2], levels=np.linspace(0.1, 0.9, 9), cmap="viridis",
                           linewidths=1.0)
        ax.clabel(lines, fmt="%.1f", fontsize=7)
        ax.set_title(title)
    image = sd_ax.pcolormesh(x1, x2, _grid_image(grid, "sd")[2], cmap="magma", shading="auto")
    sd_ax.contour(x1, x2, density, levels=5, colors="w", linewidths=0.6)
    fig.colorbar(image, ax=sd_ax, label=r"SD of $\hat y$ over runs")
    sd_ax.set_title("(c) spread over runs (white: density)")
    for ax in (mean_ax, single_ax, sd_ax):
        ax.set_aspect("equal")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
    knn = trace[trace["objective"] == "knn"]
    for run, rows in knn.groupby("run"):
        smooth = rows["rmi"].rolling(20, min_periods=1).mean()
        trace_ax.plot(rows["step"], smooth, color="#1b6ca8", lw=0.7, alpha=0.6,
                      label="kNN objective (20 runs, 20-step mean)" if run == 0 else None)
    paper = trace[trace["objective"] == "histogram"]
    if len(paper):
        trace_ax.plot(paper["step"], paper["rmi"], color="#d35400", lw=1.2, label="paper's grid histogram (run 0)")
    linear = float(runs.loc[runs["objective"] == "linear", "final_rmi"].iloc[0])
    trace_ax.axhline(linear, color="0.3", ls=":", lw=1.0, label=f"best linear feature ({linear:.2f})")
    trace_ax.set_ylim(top=trace["rmi"].max() + 0.35 * (trace["rmi"].max() - trace["rmi"].min()))  # room for the legend
    trace_ax.set_xlabel("ascent step")
    trace_ax.set_ylabel(r"objective $\tilde I$ (nats)")
    trace_ax.set_title("(d) the objective during the ascent")
    legend(trace_ax, loc="upper left", fontsize=STYLE["legend.fontsize"] - 1)
    final = runs[runs["objective"] == "knn"]["final_rmi"]
    paper_row = runs[runs["objective"] == "histogram"]
    s = settings
    caption = (
        f"RMI Fig. 3: a 1-D feature of the 2-D distribution x = R(alpha r) x', r the radius, x' ~ N(0, diag({s['scales'][0]:g}^2, "
        f"{s['scales'][1]:g}^2)), alpha = {s['alpha']:g}, optimised by gradient ascent on I~ (f = linear terms + "
        f"{s['basis_per_side']}x{s['basis_per_side']} Gaussian bumps; Adam, {s['steps']} steps of {s['batch']} fresh "
        f"samples; H(y) by k = {s['neighbours']} nearest neighbours). (a) Contours of the mean normalised feature "
        f"y^ = CDF(y) over {s['runs']} runs on the density (grey); (b) one run; (c) the SD of y^ over runs; (d) the "
        f"objective along the ascent. On {s['evaluation_samples']} fresh samples the final features have I~ = "
        f"{final.median():.2f} (median; {final.min():.2f}-{final.max():.2f}) against {linear:.2f} for the best linear feature."
        + ("" if paper_row.empty else
           f" The paper's objective (the grid histogram of its appendix D, {s['histogram_bins']} bins) climbs to "
           f"{paper_row['final_objective'].iloc[0]:.2f} while I~ on fresh samples is {paper_row['final_rmi'].iloc[0]:.2f}: "
           "the feature flattens below the histogram's resolution.")
    )
    return fig, caption


def draw_comparison(experiment: str, table: pd.DataFrame, examples: pd.DataFrame, settings: dict):
    """The figure of one feature comparison (``wave_packet``: Fig. 2a-b; ``drops``: Fig. 2c-d)."""
    if experiment == "wave_packet":
        return draw_fig2b(table, examples, settings["n_sites"], settings["width"], settings["n_samples"])
    if experiment == "drops":
        return draw_fig2d(table, examples, settings["n_particles"], settings["n_samples"])
    raise ValueError(f"experiment: expected wave_packet or drops, got {experiment!r}")
