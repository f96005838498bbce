"""Drawing of the paper's figure panels from result tables (no physics, no I/O).

Each ``draw_*`` function takes pandas DataFrames in the pipeline's table formats and
returns ``(figure, caption)``; the figure scripts read the tables and save the result.

Table columns used here:
- M2 tables: ``level, cluster_size, m2`` (variance of the raw cluster sum of spins s = ±1);
- COD tables: ``level, n_variables, rank, cod, delta_cod, norm_delta_cod``;
- fit rows: ``observable, exponent, ci_low, ci_high, fit_min, fit_max, prefactor``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.pairing_rules import PAIRING_RULES
from rgcoarse.plotting import (
    method_colour,
    add_temperature_colourbar,
    mark_critical_temperature,
    new_figure,
    plain_log_ticks,
    temperature_colour,
    temperature_norm,
)
from rgcoarse.summaries import (
    OCCUPATION_VARIANCE_FACTOR,
    deepest_level_at_most,
    dominant_rows,
    largest_normalised_cod,
    level_m2,
)

def draw_fig1(cod: pd.DataFrame, levels: list[int]):
    """Random Gaussian matrix: COD increment against rank at several levels."""
    fig, ax = new_figure()
    shown = []
    for i, level in enumerate(levels):
        rows = cod[cod["level"] == level]
        if rows.empty:
            continue
        n = int(rows["n_variables"].iloc[0])
        colour = f"C{i}"
        ax.plot(rows["rank"] / n, rows["delta_cod"], "-", color=colour, label=f"level {level} ($N$={n})")
        shown.append(level)
    ax.set_xlabel(r"rank / $N_\ell$")
    ax.set_ylabel(r"COD increment $\Delta\mathrm{COD}(r)$")
    ax.set_ylim(bottom=0)
    ax.legend()
    caption = (
        "Fig. 1. Random Gaussian matrix (i.i.d. N(0,1)): increment of the summed coefficient of "
        "determination of unsupervised stepwise linear selection against rank (divided by the number "
        f"of variables N_l of the level), at coarse-graining levels {shown} of the projection rule. "
        "For independent variables each selected variable explains itself (increment 1) plus a "
        "sampling-noise share of the others, so the increment is nearly uniform in rank."
    )
    return fig, caption


def draw_m2_vs_temperature(m2_by_temperature: dict[float, pd.DataFrame], level: int, method: str):
    """Fig. 2a/2b: mean variance of occupation-variable cluster sums against temperature."""
    temperatures = np.array(sorted(m2_by_temperature))
    used = deepest_level_at_most(next(iter(m2_by_temperature.values())), level)
    values = np.array([level_m2(m2_by_temperature[t], used) for t in temperatures]) * OCCUPATION_VARIANCE_FACTOR
    first = dominant_rows(m2_by_temperature[temperatures[0]])
    cluster = int(first.loc[first["level"] == used, "cluster_size"].iloc[0])
    fig, ax = new_figure()
    ax.plot(temperatures, values, "o-", color=method_colour(method))
    mark_critical_temperature(ax)
    ax.set_xscale("log")
    plain_log_ticks(ax)
    if values.max() > 20 * max(values.min(), 1e-12):
        ax.set_yscale("log")
    ax.set_xlabel(r"temperature $T$ ($J/k_B$)")
    ax.set_ylabel(rf"$M_2$ at level {used} ($K$={cluster})")
    caption = (
        f"Fig. 2{'a' if level == 0 else 'b'}. 2D Ising model (L x L, periodic): mean variance M2 of the raw "
        f"cluster sums of occupation variables n = (s+1)/2 (rescaling constant 1, as in the paper) at "
        f"coarse-graining level {used} (cluster size K = {cluster}), {method} pairing, against temperature. "
        "Level 0 is 0.25 at every temperature because up and down spins are equally likely (global spin "
        "flip symmetry is sampled); the transition shows only after coarse-graining. Dotted line: Tc."
    )
    return fig, caption


def draw_m2_vs_cluster_size(m2: pd.DataFrame, fit: pd.Series, temperature: float, method: str):
    """Fig. 2c/2d: M2 against K on log-log axes with the fitted power law."""
    fig, ax = new_figure()
    per_level = dominant_rows(m2).rename(columns={"cluster_size": "K"})
    ax.loglog(per_level["K"], per_level["m2"], "o", color=method_colour(method), label="data")
    k_fit = np.geomspace(fit["fit_min"], fit["fit_max"], 50)
    label = rf"fit $K^{{{fit['exponent']:.2f}}}$, 95% CI [{fit['ci_low']:.2f}, {fit['ci_high']:.2f}]"
    ax.loglog(k_fit, fit["prefactor"] * k_fit ** fit["exponent"], "-", color="k", lw=1, label=label)
    k_all = per_level["K"].to_numpy(dtype=float)
    anchor = float(per_level["m2"].iloc[0])
    for slope, style in ((1, ":"), (2, "--")):
        ax.loglog(k_all, anchor * k_all**slope, style, color="0.6", lw=0.8, label=rf"$\propto K^{slope}$")
    ax.set_xlabel(r"cluster size $K$")
    ax.set_ylabel(r"$M_2(K)$")
    ax.legend()
    caption = (
        f"Fig. 2{'c' if temperature > 2.27 else 'd'}. 2D Ising model at T = {temperature:g}: mean variance "
        f"M2(K) of raw cluster sums of spins against cluster size K ({method} pairing), with the power law "
        f"fitted by least squares in log-log over K in [{fit['fit_min']:g}, {fit['fit_max']:g}] "
        f"(exponent {fit['exponent']:.3f}, 95% bootstrap CI [{fit['ci_low']:.3f}, {fit['ci_high']:.3f}]). "
        "Grey lines: exponents 1 (independent) and 2 (fully correlated)."
    )
    return fig, caption


def draw_cod_vs_rank(cod_by_temperature: dict[float, pd.DataFrame], level: int, method: str):
    """Fig. 2e: normalised COD increment against rank at several temperatures."""
    temperatures = sorted(cod_by_temperature)
    norm = temperature_norm(temperatures)
    fig, ax = new_figure()
    for t in temperatures:
        rows = cod_by_temperature[t].query("level == @level")
        ax.loglog(rows["rank"], rows["norm_delta_cod"], "-", color=temperature_colour(t, norm), label=f"T={t:g}")
    add_temperature_colourbar(fig, ax, norm)
    ax.set_xlabel(r"rank $r$")
    ax.set_ylabel(r"$\Delta\mathrm{COD}(r)/N_\ell$")
    ax.legend(ncol=2, fontsize=7)
    caption = (
        f"Fig. 2e. 2D Ising model: normalised increment of the coefficient of determination of unsupervised "
        f"stepwise linear selection against rank at level {level} ({method} pairing), for T = "
        f"{', '.join(f'{t:g}' for t in temperatures)}. High temperature: nearly uniform, as for random "
        "data; below Tc the first ranks dominate and the increment drops sharply."
    )
    return fig, caption


def draw_largest_cod_vs_temperature(cod_by_temperature: dict[float, pd.DataFrame], levels: list[int], method: str):
    """Fig. 2f: largest normalised COD against temperature at two levels."""
    temperatures = np.array(sorted(cod_by_temperature))
    fig, ax = new_figure()
    used_levels = []
    for i, level in enumerate(levels):
        used = deepest_level_at_most(cod_by_temperature[temperatures[0]], level)
        used_levels.append(used)
        values = [largest_normalised_cod(cod_by_temperature[t], used) for t in temperatures]
        ax.plot(temperatures, values, "o-", color=f"C{i}", label=f"level {used}")
    mark_critical_temperature(ax)
    ax.set_xscale("log")
    plain_log_ticks(ax)
    ax.set_xlabel(r"temperature $T$ ($J/k_B$)")
    ax.set_ylabel(r"largest $\Delta\mathrm{COD}/N_\ell$")
    ax.legend()
    caption = (
        f"Fig. 2f. 2D Ising model: the largest normalised COD increment (max over rank of "
        f"DeltaCOD(r)/N_l, i.e. the share of all variance explained by the first selected variable) against "
        f"temperature at levels {used_levels} ({method} pairing). The coarse-grained level shows the "
        "sharper transition. Dotted line: Tc."
    )
    return fig, caption


def pair_locality_by_temperature(tables) -> pd.DataFrame:
    """One frame of the pair-locality tables ``[(frame, metadata), ...]``, labelled by rule and temperature."""
    frames = [frame.assign(method=meta["method"], temperature=meta["dataset_metadata"]["temperature"])
              for frame, meta in tables if not frame.empty]
    columns = ["method", "temperature", "nn_fraction", "random_expectation"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def draw_pairing_comparison(exponents: pd.DataFrame, locality: pd.DataFrame):
    """Supplementary: M2 exponent against T for every pairing rule, and pair locality."""
    fig, (left, right) = new_figure(ncols=2)
    for method, rows in exponents.groupby("method"):
        rows = rows.sort_values("temperature")
        colour = method_colour(method)
        err = np.vstack([rows["exponent"] - rows["ci_low"], rows["ci_high"] - rows["exponent"]])
        left.errorbar(rows["temperature"], rows["exponent"], yerr=err, fmt="o-", color=colour, label=method, capsize=2)
    for ax in (left, right):
        mark_critical_temperature(ax)
        ax.set_xscale("log")
        plain_log_ticks(ax)
        ax.set_xlabel(r"temperature $T$ ($J/k_B$)")
    left.set_ylabel(r"$M_2$ exponent $\alpha$ (95% CI)")
    left.axhline(1, color="0.6", lw=0.8, ls=":")
    left.axhline(2, color="0.6", lw=0.8, ls="--")
    left.legend()
    for method, rows in locality.groupby("method"):
        rows = rows.sort_values("temperature")
        right.plot(rows["temperature"], rows["nn_fraction"], "o-", color=method_colour(method), label=method)
    if not locality.empty:
        right.axhline(float(locality["random_expectation"].iloc[0]), color="0.5", ls=":", lw=0.8,
                      label="random, 4/(N-1)")
    right.set_yscale("symlog", linthresh=1e-3)
    right.set_ylabel("nearest-neighbour fraction of level-1 pairs")
    right.legend()
    caption = (
        "Supplementary. Left: exponent of M2(K) ~ K^alpha against temperature for every pairing rule "
        f"run ({', '.join(m for m in PAIRING_RULES if m in set(exponents['method']))}), with 95% bootstrap CIs. Right: fraction of "
        "the first-level pairs that are nearest neighbours on the lattice; random pairing gives 4/(N-1)."
    )
    return fig, caption


# ----- Fig. 3: the Kob–Andersen glass (p_hop data) -------------------------------------------


def draw_glass_cod_levels(cod_by_temperature: dict[float, pd.DataFrame], levels: list[int], method: str):
    """Fig. 3a: largest normalised COD against T at several coarse-graining levels."""
    temperatures = np.array(sorted(cod_by_temperature))
    fig, ax = new_figure()
    for i, level in enumerate(levels):
        present = [t for t in temperatures if level in set(cod_by_temperature[t]["level"])]
        if not present:
            continue
        values = [largest_normalised_cod(cod_by_temperature[t], level) for t in present]
        ax.plot(present, values, "o-", color=f"C{i}", label=f"level {level}")
    ax.set_xlabel(r"temperature $T$ ($\epsilon_{AA}/k_B$)")
    ax.set_ylabel(r"largest $\Delta\mathrm{COD}/N_\ell$")
    ax.set_yscale("log")
    ax.legend()
    caption = (
        "Fig. 3a. Kob-Andersen glass, p_hop of every particle as the data (time samples x particles): the "
        "largest normalised COD increment (max over rank of DeltaCOD(r)/N_l) against temperature at "
        f"coarse-graining levels {levels} ({method} pairing)."
    )
    return fig, caption


def draw_glass_m2(m2: pd.DataFrame, fit: pd.Series, temperature: float, method: str, panel: str):
    """Fig. 3b/3c: M2 of p_hop cluster sums against K with the fitted power law."""
    fig, caption = draw_m2_vs_cluster_size(m2, fit, temperature, method)
    caption = caption.split(": ", 1)[1]
    caption = (f"Fig. 3{panel}. Kob-Andersen glass at T = {temperature:g}, data p_hop (time samples x "
               f"particles): " + caption.replace("of spins ", "of p_hop "))
    return fig, caption
