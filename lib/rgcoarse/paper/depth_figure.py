"""Fig. 3a's depth, drawn level by level: the data's ΔCOD(1)/N against every null's draws.

The depth claim (:func:`rgcoarse.paper.claims_glass.persistence_claims`) counts the levels from
level 0 at which the data beat the null by a Holm-corrected one-sided test; this figure shows the
curve behind that count at every glass temperature, so a reader sees how far from the null each
level is, not only the count.
"""

from __future__ import annotations

import numpy as np

from rgcoarse.datasets.nulls import NULL_MODELS
from rgcoarse.paper.claims_glass import level_tests, tested_depth
from rgcoarse.paper.plotting import MARKERS, STYLE, new_figure


def _temperature(metadata) -> float:
    return float(metadata.get("dataset_metadata", {}).get("temperature", np.nan))


def draw_glass_depth(tables):
    """``tables``: ``cod`` (list of (frame, metadata) of the glass COD tables) and ``nulls`` (list of
    null-statistics tables of the same rule)."""
    cods = sorted(((_temperature(meta), frame) for frame, meta in tables["cod"]), key=lambda item: -item[0])
    nulls = [frame for frame, _ in tables["nulls"]]
    ncols = min(max(len(cods), 1), 3)
    nrows = -(-max(len(cods), 1) // ncols)
    fig, axes = new_figure(ncols=ncols, nrows=nrows, squeeze=False, sharey=True)
    handles = {}
    # One colour and marker per registered null model, in registry order.
    styles = {name: (f"C{i}", MARKERS[i % len(MARKERS)]) for i, name in enumerate(NULL_MODELS)}
    depths = []
    for ax, (t, cod) in zip(axes.flat, cods):
        title = [f"T = {t:g}"]
        levels = sorted(int(x) for x in cod["level"].unique())
        data = [float(cod[(cod["level"] == lev) & (cod["rank"] == cod.loc[cod["level"] == lev, "rank"].min())]
                      ["norm_cod_increment"].iloc[0]) for lev in levels]
        handles["data"], = ax.plot(levels, data, "k-", marker="o", ms=3)
        for frame in nulls:
            rows = frame[np.isclose(frame["temperature"].astype(float), t) & (frame["statistic"] == "first_pick")]
            if rows.empty:
                continue
            model = str(rows["model"].iloc[0])
            colour, marker = styles.get(model, ("0.5", "x"))
            by_level = {int(lev): g["value"].to_numpy(float) for lev, g in rows.groupby("level")}
            xs = sorted(by_level)
            lo = [np.percentile(by_level[x], 2.5) for x in xs]
            hi = [np.percentile(by_level[x], 97.5) for x in xs]
            handles[f"{model} null: central 95% of {len(by_level[xs[0]])} draws"] = ax.fill_between(
                xs, lo, hi, color=colour, alpha=0.25, lw=0)
            if NULL_MODELS[model].keeps_covariance:
                continue  # linear COD on a covariance-keeping null equals the data's: no depth
            tests = level_tests(cod, by_level)
            depth = tested_depth(tests)
            depths.append((t, model, depth))
            passed = tests["level"].to_numpy()[:depth]
            handles[f"levels beating the {model} null (Holm, 5%)"], = ax.plot(
                passed, [data[levels.index(p)] for p in passed], ls="none", marker=marker, ms=7, mfc="none",
                color=colour)
            title.append(f"depth {depth} ({model})")
        ax.set_yscale("log")
        ax.set_title(", ".join(title))
        ax.set_xlabel("level")
    for ax in axes.flat[len(cods):]:
        ax.set_visible(False)
    for row in axes:
        row[0].set_ylabel(r"$\Delta$COD(1)/N")
    fig.legend(list(handles.values()), list(handles), loc="lower center", ncol=min(len(handles), 4),
               frameon=False, fontsize=STYLE["legend.fontsize"])
    fig.tight_layout(rect=(0, 0.1 / nrows + 0.02, 1, 1))
    summary = "; ".join(f"T = {t:g}: {depth} against {model}" for t, model, depth in depths) or "no null draws"
    caption = ("Supplementary (Fig. 3a's depth): the share of a level's variance its best single variable explains, "
               "DeltaCOD(1)/N, against level, for the glass p_hop data (black) and the central 95% of the null "
               "draws (bands). Open markers: the levels, counted from level 0, at which the data beat a null that "
               "destroys cross-particle alignment by a one-sided test, Holm-corrected across levels; the count is the "
               f"depth ({summary}). The covariance-keeping null (covgauss) must overlap the data for a linear "
               "statistic; it checks the machinery.")
    return fig, caption
