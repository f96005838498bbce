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
