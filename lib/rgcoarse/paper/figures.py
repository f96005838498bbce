"""Drawing of the paper's figure panels from result tables (no physics, no I/O).

Each ``draw_*`` function takes pandas DataFrames in the pipeline's table formats and
returns ``(figure, caption)``; the figure scripts read the tables and save the result.

Table columns used here:
- M2 tables: ``level, cluster_size, m2`` (variance of the raw cluster sum of spins s = ±1);
- COD tables: ``level, n_variables, rank, cod, cod_increment, norm_cod_increment``;
- fit rows: ``observable, exponent, ci_low, ci_high, fit_min, fit_max, prefactor, n_points, status``.

A fit row is drawn only when :func:`rgcoarse.stats.fits.fit_problem` finds nothing wrong with it;
otherwise the panel draws its data without a fit line and says ``no fit: <status>`` in the
legend and the caption (a failed fit has no numbers to print).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from rgcoarse.coarse.pairing_rules import PAIRING_RULES
from rgcoarse.paper.plotting import (
    LINE_STYLES,
    STYLE,
    categorical_styles,
    legend,
    mark_critical_temperature,
    method_colour,
    new_figure,
    plain_log_ticks,
)
from rgcoarse.stats.fits import OK, fit_problem
from rgcoarse.stats.summaries import (
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
        # Deep levels lie on top of each other near 1: line styles keep each one visible.
        ax.plot(rows["rank"] / n, rows["cod_increment"], color=f"C{i}", ls=LINE_STYLES[i % len(LINE_STYLES)],
                marker="o" if n <= 16 else None, ms=3, label=f"level {level} ($N$={n})")
        shown.append(level)
    ax.set_xlabel(r"rank / $N_\ell$")
    ax.set_ylabel(r"COD increment $\Delta\mathrm{COD}(r)$")
    ax.set_ylim(bottom=0)
    legend(ax, loc="lower left")
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
    else:
        _at_least_relative_span(ax, values, 0.1)
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


def _at_least_relative_span(ax, values, span: float) -> None:
    """Linear y-limits covering at least ``span`` times the mean, so sampling noise on a
    constant (M2 = 0.25 at level 0) is not magnified into an apparent feature."""
    centre = float(np.mean(values))
    half = 0.5 * span * abs(centre)
    low, high = ax.get_ylim()
    if half > 0 and high - low < 2 * half:
        ax.set_ylim(min(low, centre - half), max(high, centre + half))


def interval_decimals(low: float, high: float, least: int = 3, most: int = 6) -> int:
    """Decimals that show a non-zero interval as non-zero (``[1.9717, 1.9720]``, not ``[1.972, 1.972]``)."""
    width = abs(float(high) - float(low))
    if not np.isfinite(width) or width == 0:
        return least
    return int(min(most, max(least, np.ceil(-np.log10(width)))))


def fit_caption(fit) -> str:
    """The caption's clause on the fitted power law, or the sentence on why there is none."""
    problem = fit_problem(fit)
    if problem is None:
        d = interval_decimals(fit["ci_low"], fit["ci_high"])
        return (f", with the power law fitted by least squares in log-log over K in [{fit['fit_min']:g}, "
                f"{fit['fit_max']:g}] (exponent {fit['exponent']:.{d}f}, 95% bootstrap CI [{fit['ci_low']:.{d}f}, "
                f"{fit['ci_high']:.{d}f}])")
    rows = "" if fit is None or "n_points" not in fit else f"; {int(fit['n_points'])} (level, K) rows in the fit range"
    return f". No power law is drawn (no fit, {problem}{rows})"


def _no_fit_label(fit) -> str:
    """Legend entry of a fit that is not drawn: ``no fit: <status>``."""
    if fit is None:
        return "no fit: no fit row"
    status = str(fit.get("status", "missing status"))
    return f"no fit: {'invalid fit row' if status == OK else status}"


def draw_m2_vs_cluster_size(m2: pd.DataFrame, fit: pd.Series, temperature: float, method: str):
    """Fig. 2c/2d: M2 against K on log-log axes with the fitted power law (if the fit succeeded)."""
    fig, ax = new_figure()
    per_level = dominant_rows(m2).rename(columns={"cluster_size": "K"})
    per_level = per_level[per_level["m2"] > 0]  # a log axis cannot show M2 = 0
    ax.loglog(per_level["K"], per_level["m2"], "o", color=method_colour(method), label="data")
    problem = fit_problem(fit)
    if problem is None:
        k_fit = np.geomspace(fit["fit_min"], fit["fit_max"], 50)
        d = interval_decimals(fit["ci_low"], fit["ci_high"])
        label = (rf"fit $\propto K^\alpha$, $\alpha$ = {fit['exponent']:.{d}f}" + "\n"
                 + f"95% CI [{fit['ci_low']:.{d}f}, {fit['ci_high']:.{d}f}]")
        ax.loglog(k_fit, fit["prefactor"] * k_fit ** fit["exponent"], "-", color="k", lw=1, label=label)
    else:
        ax.plot([], [], " ", label=_no_fit_label(fit))
    if not per_level.empty:
        k_all = per_level["K"].to_numpy(dtype=float)
        anchor = float(per_level["m2"].iloc[0])
        for slope, style in ((1, ":"), (2, "--")):
            ax.loglog(k_all, anchor * k_all**slope, style, color="0.6", lw=0.8, label=rf"$\propto K^{slope}$")
    ax.set_xlabel(r"cluster size $K$")
    ax.set_ylabel(r"$M_2(K)$")
    # Above the K^2 line from the first point nothing is drawn: the upper left stays empty.
    legend(ax, loc="upper left")
    caption = (
        f"Fig. 2{'c' if temperature > 2.27 else 'd'}. 2D Ising model at T = {temperature:g}: mean variance "
        f"M2(K) of raw cluster sums of spins against cluster size K ({method} pairing){fit_caption(fit)}. "
        "Grey lines: exponents 1 (independent) and 2 (fully correlated)."
    )
    return fig, caption


def draw_cod_vs_rank(cod_by_temperature: dict[float, pd.DataFrame], level: int, method: str):
    """Fig. 2e: normalised COD increment against rank at several temperatures."""
    temperatures = sorted(cod_by_temperature)
    fig, ax = new_figure()
    # One colour, line style and marker per temperature, spaced by rank so that T = 2.2, 2.3
    # and 2.4 near Tc differ as much as 1.5 and 9.5 do; markers at log-spaced ranks.
    for t, style in zip(temperatures, categorical_styles(len(temperatures))):
        rows = cod_by_temperature[t].query("level == @level").sort_values("rank")
        ranks = rows["rank"].to_numpy(dtype=float)
        marks = np.unique(np.searchsorted(ranks, np.geomspace(ranks[0], ranks[-1], 7))) if ranks.size else []
        ax.loglog(ranks, rows["norm_cod_increment"], color=style["color"], ls=style["ls"], marker=style["marker"],
                  markevery=[int(i) for i in marks if i < ranks.size], ms=4, label=f"{t:g}")
    ax.set_xlabel(r"rank $r$")
    ax.set_ylabel(r"$\Delta\mathrm{COD}(r)/N_\ell$")
    # Above the axes: inside, six entries would cover curves (a fraction's axis has no room above 1).
    legend(ax, title="temperature $T$", ncol=3, loc="lower center", bbox_to_anchor=(0.5, 1.0),
           handlelength=2.5, columnspacing=1.2)
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
    legend(ax, loc="upper right")
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


def _usable_fits(exponents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows with a usable fit, rows without one) of an exponents table (:func:`rgcoarse.stats.fits.fit_problem`)."""
    if exponents.empty:
        return exponents, exponents
    usable = np.array([fit_problem(row) is None for _, row in exponents.iterrows()], dtype=bool)
    return exponents[usable], exponents[~usable]


def _fraction_floor(values) -> float:
    """Where a log axis of fractions draws 0: the largest power of ten below the smallest positive value."""
    positive = np.asarray(values, dtype=float)
    positive = positive[np.isfinite(positive) & (positive > 0)]
    smallest = positive.min() if positive.size else 1e-3
    floor = 10 ** (np.ceil(np.log10(smallest)) - 1)
    return float(floor / 10 if floor >= smallest else floor)


def _draw_exponents_against_temperature(ax, usable: pd.DataFrame, bands: pd.DataFrame) -> None:
    """Each rule's M2 exponent (95% CI) against T, and the same rule on the null (median, range of draws)."""
    for method, rows in usable.groupby("method"):
        rows = rows.sort_values("temperature")
        err = np.vstack([rows["exponent"] - rows["ci_low"], rows["ci_high"] - rows["exponent"]])
        # A rule run at a few temperatures only gets no line: a line would invent the T between them.
        few = len(rows) < 4  # drawn on top, as squares, so the other rules' lines do not hide it
        ax.errorbar(rows["temperature"], rows["exponent"], yerr=err, fmt="s" if few else "o-",
                    color=method_colour(method), capsize=2, zorder=4 if few else 2, ms=7 if few else None)
    for method, rows in bands.groupby("method") if not bands.empty else ():
        err = np.vstack([rows["null_median"] - rows["null_min"], rows["null_max"] - rows["null_median"]])
        ax.errorbar(rows["temperature"], rows["null_median"], yerr=err, fmt="D", ms=4, mfc="white",
                    color=method_colour(method), capsize=3, alpha=0.9)
    ax.set_ylabel(r"$M_2$ exponent $\alpha$ (95% CI)")
    ax.axhline(1, color="0.6", lw=0.8, ls=":")
    ax.axhline(2, color="0.6", lw=0.8, ls="--")


def draw_pairing_comparison(exponents: pd.DataFrame, locality: pd.DataFrame, null_bands: pd.DataFrame | None = None,
                            glass_exponents: pd.DataFrame | None = None, glass_null_bands: pd.DataFrame | None = None):
    """Supplementary: M2 exponent against T for every pairing rule, and pair locality.

    ``null_bands`` (rows of the exponents table with ``null_draws > 0``) adds, at each temperature
    that has a null, the same rule's exponent on the null: the median of the draws with their range.
    With ``glass_exponents`` (and ``glass_null_bands``), a middle panel shows the same for the
    glass p_hop data.

    Fits without a usable result (:func:`rgcoarse.stats.fits.fit_problem`) are left out of the exponent
    panels and counted in the caption. The right panel's fraction is on a log axis whose ticks
    are plain non-negative numbers; a fraction of exactly 0 is drawn as an open triangle on
    the floor, the largest power of ten below the smallest positive value.
    """
    glass = glass_exponents if glass_exponents is not None else pd.DataFrame()
    if glass.empty:
        fig, (left, right) = new_figure(ncols=2, layout="constrained")
    else:
        fig, (left, middle, right) = new_figure(ncols=3, layout="constrained")
    usable, dropped = _usable_fits(exponents)
    bands = null_bands if null_bands is not None else pd.DataFrame()
    _draw_exponents_against_temperature(left, usable, bands)
    left.set_title("2D Ising", fontsize=STYLE["axes.labelsize"])
    glass_usable, glass_dropped = _usable_fits(glass)
    if not glass.empty:
        glass_bands = glass_null_bands if glass_null_bands is not None else pd.DataFrame()
        _draw_exponents_against_temperature(middle, glass_usable, glass_bands)
        middle.set_xlabel(r"temperature $T$ ($\epsilon_{AA}/k_B$)")
        middle.set_title(r"glass, $p_{hop}$", fontsize=STYLE["axes.labelsize"])
        dropped = pd.concat([dropped, glass_dropped])
        bands = pd.concat([bands, glass_bands])
    for ax in (left, right):
        mark_critical_temperature(ax)
        ax.set_xscale("log")
        plain_log_ticks(ax)
        ax.set_xlabel(r"temperature $T$ ($J/k_B$)")

    floor = _fraction_floor(np.r_[locality["nn_fraction"], locality["random_expectation"]]) if not locality.empty else 1e-4
    n_zero = 0
    for method, rows in locality.groupby("method"):
        rows = rows.sort_values("temperature")
        fraction = rows["nn_fraction"].to_numpy(dtype=float)
        zero = fraction <= 0
        n_zero += int(zero.sum())
        colour = method_colour(method)
        right.plot(rows["temperature"], np.where(zero, floor, fraction), "-", color=colour)
        right.plot(rows["temperature"][~zero], fraction[~zero], "o", color=colour)
        right.plot(rows["temperature"][zero], np.full(int(zero.sum()), floor), "v", mfc="white", color=colour)
    if not locality.empty:
        right.axhline(float(locality["random_expectation"].iloc[0]), color="0.5", ls=":", lw=0.8)
    right.set_yscale("log")
    right.set_ylim(floor / 2, 2.0)
    right.yaxis.set_major_locator(LogLocator(base=10, numticks=12))
    right.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    right.yaxis.set_minor_formatter(NullFormatter())  # decades only: minor labels would crowd
    right.set_ylabel("nearest-neighbour fraction\nof level-1 pairs")

    # One legend for both panels (the colours are the pairing rules in both), below them.
    shown = set(usable["method"]) | set(glass_usable.get("method", [])) | set(locality.get("method", []))
    methods = [m for m in PAIRING_RULES if m in shown]
    methods += sorted(shown - set(methods))
    handles = [Line2D([], [], color=method_colour(m), marker="o", label=m) for m in methods]
    null_models = sorted(set(bands["null_model"])) if not bands.empty else []
    if null_models:
        handles.append(Line2D([], [], color="0.3", marker="D", mfc="white", ls="", ms=4,
                              label=f"same rule on the {'/'.join(null_models)} null"))
    handles += [Line2D([], [], color="0.6", ls=":", lw=0.8, label=r"$\alpha$ = 1"),
                Line2D([], [], color="0.6", ls="--", lw=0.8, label=r"$\alpha$ = 2"),
                Line2D([], [], color="0.5", ls=":", lw=0.8, label="right: random, 4/(N-1)")]
    if n_zero:
        handles.append(Line2D([], [], color="0.3", marker="v", mfc="white", ls="", label="fraction 0 (on the floor)"))
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 6 if not glass.empty else 4),
               frameon=False, fontsize=STYLE["legend.fontsize"])
    left_out = ""
    if len(dropped):
        reasons = ", ".join(f"{n} {status}" for status, n in dropped["status"].value_counts().items())
        left_out = f" Fits without a usable result are left out ({reasons})."
    caption = (
        "Supplementary. Left: exponent of M2(K) ~ K^alpha against temperature for every pairing rule "
        f"run on the 2D Ising data ({', '.join(methods)}), with 95% bootstrap CIs"
        + ("; middle: the same for the glass p_hop data (block-bootstrap CIs)" if not glass.empty else "")
        + "; grey lines: alpha = 1 (independent) and 2 "
        f"(fully correlated).{left_out}"
        + (f" Open diamonds: the same rule on the {'/'.join(null_models)} null (permute: each spin's samples "
           "shuffled independently; shift: each particle's series shifted in time), median and range of its "
           "draws: the exponent a data-driven rule finds without that structure (selection bias)."
           if null_models else "")
        + " Right: fraction of the first-level pairs that are nearest neighbours on "
        "the lattice (log axis); random pairing gives 4/(N-1) (dotted)"
        + (f"; a fraction of 0 is drawn as an open triangle at {floor:g}." if n_zero else ".")
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
    # Above the axes: inside, the legend would cover curves.
    legend(ax, ncol=3, loc="lower center", bbox_to_anchor=(0.5, 1.0), columnspacing=1.2)
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
