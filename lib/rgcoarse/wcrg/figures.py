"""Figures of the wavelet conditional RG arm, from its tables: conditioning against L, Hessian spectra."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.paper.plotting import STYLE, categorical_styles, legend, new_figure


def draw_conditioning(table: pd.DataFrame):
    """kappa of the full Hessian (rising as L^eta) beside the flat kappa_j, per eta; one wavelet per line style."""
    etas = sorted(table["eta"].unique())
    fig, axes = new_figure(ncols=len(etas), layout="constrained", squeeze=False)
    fig.set_size_inches(4.4 * len(etas), 3.8)
    wavelets = list(dict.fromkeys(table["wavelet"]))
    scales = sorted(table["scale"].unique())
    styles = categorical_styles(len(scales), cmap="viridis")
    for ax, eta in zip(axes[0], etas):
        rows = table[table["eta"] == eta]
        rows = rows[(rows["scale"] == 0) | (rows["size"] >= 2 ** (rows["scale"] + 2))]  # K_j away from the coarsest levels
        for scale, style in zip(scales, styles):
            for w_index, wavelet in enumerate(wavelets):
                curve = rows[(rows["scale"] == scale) & (rows["wavelet"] == wavelet)].sort_values("size")
                if curve.empty:
                    continue
                label = ("full K" if scale == 0 else f"$K_{{{scale}}}$") if w_index == 0 else None
                ax.plot(curve["size"], curve["kappa"], color=style["color"], marker=style["marker"],
                        ls=("-", "--", ":")[w_index % 3], label=label, markersize=3.5)
        full = rows[(rows["scale"] == 0) & (rows["wavelet"] == wavelets[0])].sort_values("size")
        slope = np.polyfit(np.log(full["size"]), np.log(full["kappa"]), 1)[0]
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("lattice size $L$")
        ax.set_ylabel(r"condition number $\kappa$")
        ax.set_title(rf"$\eta$ = {eta:g}: full $\kappa \propto L^{{{slope:.2f}}}$")
        legend(ax, loc="upper left", ncol=2, fontsize=STYLE["legend.fontsize"] - 1)
    caption = (
        "Wavelet conditional RG, Gaussian fields: condition number of the Hessian K = (-Delta)^(eta/2) of a massless "
        "field on an L x L periodic lattice (zero mode left out) and of each scale's conditional Hessian K_j "
        "(j = 1 the finest), computed exactly from the Fourier symbol; line styles: "
        + ", ".join(f"{w} ({s})" for w, s in zip(wavelets, ("solid", "dashed", "dotted")))
        + ". The full kappa grows as L^eta; every K_j stays flat in L. K_j is drawn where its coarse lattice still has "
        "at least 2 x 2 sites (the last two levels of each L are finite-size cases)."
    )
    return fig, caption


def draw_hessian_spectra(histograms: pd.DataFrame, spectra: pd.DataFrame):
    """Per coupling: the eigenvalue density of the full fitted energy's Hessian and of each conditional's."""
    betas = sorted(histograms["beta"].unique())
    fig, axes = new_figure(ncols=len(betas), layout="constrained", squeeze=False, sharey=True)
    fig.set_size_inches(3.8 * len(betas), 3.6)
    scales = sorted(histograms["scale"].unique())
    styles = categorical_styles(len(scales), cmap="plasma")
    for ax, beta in zip(axes[0], betas):
        for scale, style in zip(scales, styles):
            rows = histograms[(histograms["beta"] == beta) & (histograms["scale"] == scale)]
            share = spectra[(spectra["beta"] == beta) & (spectra["scale"] == scale)]["negative_fraction"].iloc[0]
            name = "full" if scale == 0 else f"$K_{{{scale}}}$"
            ax.stairs(rows["density"], np.r_[rows["low"].to_numpy(), rows["high"].iloc[-1]], color=style["color"],
                      label=f"{name}: {100 * share:.1f}% < 0", lw=1.2)
        ax.axvline(0, color="0.5", lw=0.8, ls=":")
        ax.set_title(rf"$\phi^4$, $\beta$ = {beta:g}")
        ax.set_xlabel("Hessian eigenvalue")
        legend(ax, loc="upper right", fontsize=STYLE["legend.fontsize"] - 1)
    axes[0][0].set_ylabel("density")
    caption = (
        "Wavelet conditional RG, phi^4 fields: eigenvalue densities of the Hessian of the full energy and of each "
        "scale's conditional energy, both fitted by score matching (Haar wavelets), pooled over a few fields; the "
        "legend gives the share of negative eigenvalues (the slides' 'nearly convex' conditionals)."
    )
    return fig, caption


def _major_labels_only(*axes):
    """Log axes spanning about a decade label their minor ticks, which then overlap: label 1, 2, 5
    on axes under 2.5 decades and only the powers of ten on longer ones."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    for ax in axes:
        for axis, limits in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            if axis.get_scale() != "log":
                continue
            axis.set_minor_formatter(NullFormatter())
            if np.log10(max(limits) / min(limits)) < 2.5:
                axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
                axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))


SAMPLER_STYLES = {"data": {"color": "0.2", "ls": "-"}, "direct": {"color": "tab:blue", "ls": "--"},
                  "multiscale": {"color": "tab:orange", "ls": "-."}}


def draw_sampling(summary: pd.DataFrame, power: pd.DataFrame, marginals: pd.DataFrame, m2: pd.DataFrame):
    """Rows: couplings. Columns: power spectrum, marginal of x, M2(K) / K, and the cost of an independent m."""
    betas = sorted(summary["beta"].unique())
    fig, axes = new_figure(nrows=len(betas), ncols=4, layout="constrained", squeeze=False)
    fig.set_size_inches(13.5, 2.9 * len(betas))
    for row, beta in zip(axes, betas):
        at = {name: table[table["beta"] == beta] for name, table in
              (("power", power), ("marginals", marginals), ("m2", m2), ("summary", summary))}
        for source, style in SAMPLER_STYLES.items():
            p = at["power"][at["power"]["source"] == source]
            row[0].plot(p["k"], p["power"], label=source, lw=1.2, **style)
            h = at["marginals"][at["marginals"]["source"] == source]
            row[1].stairs(h["density"], np.r_[h["low"].to_numpy(), h["high"].iloc[-1]], label=source, lw=1.2, **style)
            c = at["m2"][at["m2"]["source"] == source]
            row[2].plot(c["cluster_size"], c["m2"] / c["cluster_size"], marker="o", markersize=3, label=source, **style)
        samplers = at["summary"][at["summary"]["sampler"] != "data"].set_index("sampler")
        bars = row[3].bar(samplers.index, samplers["tau_m_cost"],
                          color=[SAMPLER_STYLES[s]["color"] for s in samplers.index])
        row[3].bar_label(bars, labels=[f"{v:.0f}\n({int(f)}/{int(n)} flip)" for v, f, n in
                                       zip(samplers["tau_m_cost"], samplers["sign_changing_chains"], samplers["chains"])],
                         fontsize=STYLE["legend.fontsize"] - 1)
        row[3].set_ylim(0, 1.35 * samplers["tau_m_cost"].max())
        row[0].set(xscale="log", yscale="log", ylabel=rf"$\beta$ = {beta:g}" + "\npower $S(k)$")
        row[2].set(xscale="log", yscale="log", ylabel=r"$M_2(K)/K$")
        row[3].set_ylabel(r"$\tau_{int}(m)$ in gradient evals / site")
        row[1].set_ylabel("density of $x$")
        _major_labels_only(row[0], row[2])
        legend(row[0], loc="lower left", fontsize=STYLE["legend.fontsize"] - 1)
    for ax, label in zip(axes[-1], ("wave number $k$", "site value $x$ (sign-aligned)", "cluster size $K$", "sampler")):
        ax.set_xlabel(label)
    caption = (
        "Wavelet conditional RG, sampling phi^4 coarse to fine: new fields drawn through the fitted conditionals "
        "(MALA on the coarsest field, then on the details of each finer scale given the coarser field) against MALA "
        "on the full fitted energy, both with the same number of energy-gradient evaluations per site and both "
        "started from data fields. Columns: radially averaged power spectrum, histogram of the site values, M2(K)/K "
        "of the project's coarse-graining (lattice rule), all on fields aligned to positive magnetisation; and the "
        "integrated autocorrelation time of the magnetisation in gradient evaluations per site (the cost of one "
        "independent m), with the number of chains whose m changed sign (a chain that never does has measured its "
        "time inside one well)."
    )
    return fig, caption


def draw_ising_bridge(kappa: pd.DataFrame, m2: pd.DataFrame):
    """Left: kappa_j of the Ising spins' Gaussian approximation per scale; right: the lattice rule's M2(K) / K."""
    conditions = sorted(kappa["condition"].unique())
    fig, axes = new_figure(ncols=2, layout="constrained")
    fig.set_size_inches(9.6, 3.8)
    styles = categorical_styles(len(conditions), cmap="coolwarm")
    for condition, style in zip(conditions, styles):
        rows = kappa[kappa["condition"] == condition].sort_values("scale")
        label = f"T = {float(condition[1:]):g} (full $\\kappa$ {rows['kappa'].iloc[0]:.3g})"
        conditional = rows[rows["scale"] > 0]
        axes[0].plot(conditional["scale"], conditional["kappa"], marker=style["marker"], color=style["color"], label=label)
        curve = m2[m2["condition"] == condition].sort_values("cluster_size")
        axes[1].plot(curve["cluster_size"], curve["m2"] / curve["cluster_size"], marker=style["marker"], markersize=3.5,
                     color=style["color"], label=f"T = {float(condition[1:]):g}")
    axes[0].axhline(2 ** 1.75, color="0.5", ls=":", lw=0.9, label=r"$2^{2-\eta_c}$ = 3.36 (critical power law)")
    axes[0].set(xlabel="scale $j$ (1 = finest)", ylabel=r"conditional $\kappa_j$ (Gaussian approx.)", yscale="log")
    axes[0].set_xticks(sorted(kappa.loc[kappa["scale"] > 0, "scale"].unique()))
    axes[1].set(xscale="log", yscale="log", xlabel="cluster size $K$", ylabel=r"lattice rule $M_2(K)/K$")
    _major_labels_only(*axes)
    legend(axes[0], loc="upper left", fontsize=STYLE["legend.fontsize"] - 1)
    legend(axes[1], loc="upper left", fontsize=STYLE["legend.fontsize"] - 1)
    caption = (
        "Wavelet conditional RG on the Ising data of the main paper: left, the condition number of each scale's "
        "conditional Hessian (Haar) of the Gaussian model with the spins' measured two-point function (precision "
        "1/S(k)), with the full precision's kappa in the legend; right, M2(K)/K of the same samples coarse-grained by "
        "the lattice rule (Kadanoff block spins, the Haar case of the same decomposition). Near T_c the full kappa is "
        "thousands while every conditional stays of order one; the dotted line is the finest conditional of a pure "
        "critical power law S ~ k^-(2 - eta_c), eta_c = 1/4."
    )
    return fig, caption


def draw_binder(binder: pd.DataFrame, crossings: pd.DataFrame):
    """U4 against beta per lattice size, with the crossings of each pair of sizes marked."""
    fig, ax = new_figure(layout="constrained")
    fig.set_size_inches(5.2, 3.8)
    sizes = sorted(binder["size"].unique())
    for size, style in zip(sizes, categorical_styles(len(sizes), cmap="viridis")):
        rows = binder[binder["size"] == size].sort_values("beta")
        ax.errorbar(rows["beta"], rows["binder"], yerr=rows["binder_error"], marker=style["marker"], color=style["color"],
                    capsize=2, markersize=4, label=f"L = {size}")
    for row in crossings.itertuples():
        ax.axvline(row.beta_crossing, color="0.6", lw=0.8, ls=":")
    text = ", ".join(f"{int(r.size_small)}/{int(r.size_large)}: {r.beta_crossing:.3f}" for r in crossings.itertuples())
    ax.set(xlabel=r"coupling $\beta$", ylabel=r"Binder cumulant $U_4$",
           title="crossings " + (text if text else "none in this range"))
    ax.title.set_fontsize(STYLE["legend.fontsize"])
    legend(ax, loc="lower right")
    caption = (
        "Wavelet conditional RG, phi^4 critical coupling: Binder cumulant U4 = 1 - <m^4>/(3<m^2>^2) against beta for "
        "each lattice size (block-jackknife errors); dotted lines mark where the curves of two sizes cross (linear "
        "interpolation), the finite-size estimates of beta_c in this normalisation."
    )
    return fig, caption
