"""Figures of the glass arm drawn from its result tables (no physics is computed here).

:func:`draw_glass_validation` draws the supplementary validation figure of the Kob–Andersen
runs: equation of state, F_s(q, t), MSD(t), tau_alpha(T) and D(T).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from rgcoarse.glass import MCT_TEMPERATURE, tau_alpha_estimate
from rgcoarse.paper.plotting import new_figure

__all__ = ["draw_glass_validation", "glass_validation_caption"]

CAPTION = (
    "Kob-Andersen 80:20 mixture at density 1.2 (LAMMPS, Nose-Hoover NVT): potential energy per particle and "
    "pressure against temperature with block-average errors, the equation-of-state reference of Pedersen, "
    "Schroder & Dyre (PRL 120, 165501, 2018); self-intermediate scattering function at q = {wavenumber:g} and mean "
    "squared displacement of the A particles; alpha-relaxation time (F_s = 1/e) against 1/T with the VFT "
    "estimate used to size equilibration runs; diffusion constants from MSD = 6Dt + c. Open symbols: "
    "quenched and aged runs (not equilibrated)."
)


def glass_validation_caption(table: pd.DataFrame, wavenumber: float) -> str:
    """The figure's caption, ending with the equation-of-state check when the table has one."""
    caption = CAPTION.format(wavenumber=wavenumber)
    eos = table.dropna(subset=["reference_u_per_n"])
    if not len(eos):
        return caption
    r = eos.iloc[0]
    return caption + (
        f" At T = {r.temperature:g}: U/N = {r.u_per_n:.4f} +- {r.u_per_n_error:.4f} (reference "
        f"{r.reference_u_per_n:g}), p = {r.pressure:.3f} +- {r.pressure_error:.3f} (reference "
        f"{r.reference_pressure:g}): {r.eos_check}."
    )


def _equation_of_state(axes, table, equilibrated):
    ax_u, ax_p = axes
    for ax, column, label in ((ax_u, "u_per_n", "$U/N$"), (ax_p, "pressure", "$p$")):
        for mask, face in ((equilibrated, "C0"), (~equilibrated, "none")):
            part = table[mask]
            ax.errorbar(part["temperature"], part[column], yerr=part[f"{column}_error"], fmt="o",
                        mfc=face, mec="C0", ecolor="C0", label="equilibrated" if face == "C0" else "quench + age")
        reference = table.dropna(subset=[f"reference_{column}"])
        ax.plot(reference["temperature"], reference[f"reference_{column}"], "*", color="C3", ms=10,
                label="Pedersen et al. 2018")
        ax.set_xlabel("$T$")
        ax.set_ylabel(label)
    ax_u.legend()


def _curve_styles(temperatures):
    """Colour and line style per temperature: evenly spaced colours by rank (a log scale puts
    1.028 and 1.0 on one colour), dashed for a run at the temperature of a hotter-named twin."""
    ordered = sorted(set(temperatures), reverse=True)
    colours = plt.get_cmap("plasma")(np.linspace(0.0, 0.85, len(ordered)))
    return {t: (colours[i], "--" if i and np.isclose(t, ordered[i - 1], rtol=0.05) else "-")
            for i, t in enumerate(ordered)}


def _curves(ax_fs, ax_msd, curves, wavenumber):
    styles = _curve_styles([metadata["temperature"] for metadata, _ in curves])
    for metadata, frame in curves:
        colour, line = styles[metadata["temperature"]]
        late = frame["time"] > 0
        ax_fs.semilogx(frame["time"][late], frame["fs_a"][late], color=colour, ls=line)
        ax_msd.loglog(frame["time"][late], frame["msd_a"][late], color=colour, ls=line,
                      label=f"{metadata['temperature']:g}")
    ax_fs.axhline(np.exp(-1), color="0.5", lw=0.8, ls=":")
    ax_fs.set_xlabel(r"$t$ ($\tau$)")
    ax_fs.set_ylabel(rf"$F_s(q{{=}}{wavenumber:g}, t)$, A")
    ax_msd.set_xlabel(r"$t$ ($\tau$)")
    ax_msd.set_ylabel(r"MSD, A ($\sigma_{AA}^2$)")
    # One legend for both panels, where it covers the fewest MSD points (the curves rise to the right).
    ax_msd.legend(title="$T$", fontsize=8, ncol=2, loc="best")


def _relaxation_time(ax_tau, table, curves, equilibrated):
    inverse = 1.0 / table["temperature"]
    ax_tau.semilogy(inverse, table["tau_alpha_a"], "o", color="C0", label=r"measured (A)")
    # Unresolved: F_s still above 1/e at the longest lag, so tau_alpha exceeds that lag.
    unresolved = table["tau_alpha_a"].isna()
    longest = {m["condition"]: m["longest_lag"] for m, _ in curves}
    bounds = [longest[c] for c in table.loc[unresolved, "condition"]]
    ax_tau.plot(inverse[unresolved], bounds, "^", mfc="none", color="C0", label=r"$\tau_\alpha >$ longest lag")
    # The VFT estimate exists above T_MCT only (equilibrated runs below it had explicit lengths).
    estimated = table.loc[equilibrated & (table["temperature"] > MCT_TEMPERATURE), "temperature"]
    if len(estimated):
        grid = np.linspace(estimated.min(), estimated.max(), 100)
        ax_tau.semilogy(1.0 / grid, [tau_alpha_estimate(t) for t in grid], color="0.5", lw=1,
                        label="VFT estimate (equilibration)")
    ax_tau.set_xlabel("$1/T$")
    ax_tau.set_ylabel(r"$\tau_\alpha$ ($\tau$)")
    ax_tau.legend(loc="upper left", fontsize=7)


def _diffusion(ax_d, table):
    inverse = 1.0 / table["temperature"]
    for column, colour, label in (("d_a", "C0", "A"), ("d_b", "C1", "B")):
        ax_d.errorbar(inverse, table[column], yerr=table[f"{column}_error"], fmt="o", color=colour, label=label)
    ax_d.set_yscale("log")
    ax_d.set_xlabel("$1/T$")
    ax_d.set_ylabel("$D$")
    ax_d.legend()


def draw_glass_validation(table: pd.DataFrame, curves):
    """The supplementary glass validation figure and its caption.

    Parameters
    ----------
    table : DataFrame
        The validation table (:func:`rgcoarse.glass.validation_table`, or its CSV).
    curves : sequence of (metadata, DataFrame)
        Per run, the dynamics table (``time``, ``fs_a``, ``msd_a``) with its metadata
        (``condition``, ``temperature``, ``longest_lag``, ``wavenumber``); drawn hottest first.

    Returns
    -------
    (Figure, str)
    """
    if table.empty or not curves:
        raise ValueError("the glass validation figure needs at least one run")
    curves = sorted(curves, key=lambda curve: -curve[0]["temperature"])
    wavenumber = curves[0][0]["wavenumber"]
    fig, axes = new_figure(ncols=3, nrows=2)
    (ax_u, ax_p, ax_fs), (ax_msd, ax_tau, ax_d) = axes
    equilibrated = table["equilibrated"].astype(bool)
    _equation_of_state((ax_u, ax_p), table, equilibrated)
    _curves(ax_fs, ax_msd, curves, wavenumber)
    _relaxation_time(ax_tau, table, curves, equilibrated)
    _diffusion(ax_d, table)
    fig.tight_layout()
    return fig, glass_validation_caption(table, wavenumber)
