"""The registry of supplementary figures: the one list from which `rule all` and the report take them.

Each figure is ``figures/<name>.{pdf,png,caption.txt}``. A figure with a ``draw`` function is made
by the generic ``supplementary_figure`` rule (``workflow/rules/figures.smk``) from the tables its
``inputs`` name, so adding one touches its drawing function, one :func:`register` call and its
tests. A figure drawn together with a table of its own (the planted benchmark, the glass
validation) names the rule that makes it in ``made_by``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from rgcoarse.registry import add_to_registry

__all__ = ["SupplementaryFigure", "SUPPLEMENTARY_FIGURES", "register", "supplementary_figure", "drawn_figure_names"]

GENERIC_RULE = "supplementary_figure"


@dataclass(frozen=True)
class SupplementaryFigure:
    """One supplementary figure.

    ``inputs(plan)`` gives the tables it reads (name -> path or list of paths; the script hands
    ``draw`` each as ``(frame, metadata)``); ``draw(tables) -> (figure, caption)``;
    ``in_run(config)`` says whether the default target (`rule all`) makes it; ``made_by`` is the
    rule that draws it (the generic rule when ``draw`` is given).
    """

    name: str
    label: str
    in_run: Callable
    draw: Callable | None = None
    inputs: Callable | None = None
    made_by: str = GENERIC_RULE


SUPPLEMENTARY_FIGURES: dict[str, SupplementaryFigure] = {}


def register(figure: SupplementaryFigure) -> SupplementaryFigure:
    if (figure.draw is None) != (figure.made_by != GENERIC_RULE) or (figure.draw is None) != (figure.inputs is None):
        raise ValueError(f"supplementary figure {figure.name!r}: give draw and inputs, or the rule that makes it")
    return add_to_registry(SUPPLEMENTARY_FIGURES, figure, what="supplementary figure", pattern=r"supp_[a-z0-9_]+")


def supplementary_figure(name: str) -> SupplementaryFigure:
    if name not in SUPPLEMENTARY_FIGURES:
        raise ValueError(f"{name!r} is not a supplementary figure; known: {', '.join(SUPPLEMENTARY_FIGURES)}")
    return SUPPLEMENTARY_FIGURES[name]


def drawn_figure_names() -> tuple[str, ...]:
    """The figures the generic rule draws (its wildcard constraint)."""
    return tuple(name for name, figure in SUPPLEMENTARY_FIGURES.items() if figure.made_by == GENERIC_RULE)


def draw_ising_exponents(tables):
    """M2 and P0 exponents of the Ising data against T, each with its 95% interval and its null's range."""
    # matplotlib is imported when a figure is drawn, not when the registry is read (workflow parsing)
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    from rgcoarse.paper.plotting import STYLE, legend, new_figure

    exponents = tables["exponents"][0]
    ising = exponents[(exponents["dataset"] == "ising") & (exponents["status"] == "ok")]
    fig, axes = new_figure(ncols=2, layout="constrained")
    for ax, observable, ylabel in zip(axes, ("m2", "p0"), (r"$M_2$ exponent", r"$P_0$ exponent")):
        rows = ising[ising["observable"] == observable]
        for method, group in rows.groupby("method", sort=False):
            group = group.sort_values("temperature")
            t, value = group["temperature"].to_numpy(float), group["exponent"].to_numpy(float)
            err = [value - group["ci_low"].to_numpy(float), group["ci_high"].to_numpy(float) - value]
            sparse = len(group) <= 3  # a rule run at a few temperatures only: no line implied between them
            ax.errorbar(t, value, yerr=err, marker="o", ms=3, capsize=2, ls=":" if sparse else "-", lw=1, label=method)
            nulls = group[group["null_draws"] > 0]
            if len(nulls):
                ax.errorbar(nulls["temperature"], nulls["null_median"],
                            yerr=[nulls["null_median"] - nulls["null_min"], nulls["null_max"] - nulls["null_median"]],
                            fmt="x", color="0.4", ms=5, capsize=3, label=f"{method}: null draws" if observable == "m2" else None)
        if len(rows):  # an observable without a usable fit leaves its panel empty
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(ScalarFormatter())
            ax.xaxis.set_minor_formatter(NullFormatter())
            low, high = rows["temperature"].min(), rows["temperature"].max()
            ax.set_xticks(sorted({t for t in (1.5, 2, 3, 5) if low <= t <= high} | {low, high}))
        ax.set_xlabel(r"temperature $T$ ($J/k_B$)")
        ax.set_ylabel(ylabel)
    legend(axes[0], fontsize=STYLE["legend.fontsize"])
    temperatures = np.unique(ising["temperature"].to_numpy(float))
    caption = (
        f"Supplementary: the Ising exponents of M2(K) (left) and P0(K) (right) against temperature, "
        f"{len(temperatures)} temperatures from T = {temperatures.min():g} to {temperatures.max():g} when fitted, "
        "each with its 95% bootstrap interval, per pairing rule (dotted: a rule run at a few temperatures only); "
        "grey crosses: the median and range of the exponents of the null draws at the temperatures that have "
        "them (each spin's samples permuted: no structure)."
        if len(temperatures) else "Supplementary: no Ising exponent was fitted in this run."
    )
    return fig, caption


register(SupplementaryFigure("supp_pairing_rules", "pairing rules", in_run=lambda config: True,
                             made_by="supp_pairing_rules"))
register(SupplementaryFigure("supp_planted", "planted structure", in_run=lambda config: bool(config["planted"]["structures"]),
                             made_by="planted_benchmark"))
register(SupplementaryFigure("supp_glass_validation", "glass validation", in_run=lambda config: True,
                             made_by="glass_validation_figure"))
register(SupplementaryFigure("supp_glass_study_local_exponent", "glass study: local exponents",
                             in_run=lambda config: False, made_by="glass_study_figures"))
register(SupplementaryFigure("supp_glass_study_rho", "glass study: rho", in_run=lambda config: False,
                             made_by="glass_study_figures"))
register(SupplementaryFigure("supp_ising_exponents", "Ising exponents against T", in_run=lambda config: True,
                             draw=draw_ising_exponents, inputs=lambda plan: {"exponents": "results/exponents.parquet"}))


def _draw_glass_depth(tables):
    from rgcoarse.paper.depth_figure import (
        draw_glass_depth,  # imports the claims module only when drawn
    )

    return draw_glass_depth(tables)


register(SupplementaryFigure("supp_glass_depth", "glass: Fig. 3a depth against the nulls",
                             in_run=lambda config: bool(config["nulls"]["models"]["glass"]),
                             draw=_draw_glass_depth,
                             inputs=lambda plan: {"cod": plan.figure_observable_paths("glass", "cod"),
                                                  "nulls": plan.figure_null_statistics_paths("glass")}))
