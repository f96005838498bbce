"""The registry of the paper's figure panels: the one place that lists them.

Each panel names the tables it is drawn from, the settings it reads from ``figures.<panel>`` in
the config, its drawing function and its report caption. The workflow reads this registry for
``rule all``, the panel rule's inputs and wildcard constraint, and the report; the panel script
reads it to draw. Adding a panel means a drawing function (in :mod:`rgcoarse.paper.figures`)
and one :func:`register` call below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from rgcoarse.io.tables import read_table, read_tables_by_temperature


class _Figures:
    """rgcoarse.paper.figures, imported when a panel is drawn: the registry is read when the workflow is
    parsed (every dry-run and cluster job), which needs no matplotlib."""

    def __getattr__(self, name):
        from rgcoarse.paper import figures

        return getattr(figures, name)


pf = _Figures()
#: Which conditions of a dataset a panel input covers.
SELECTIONS = ("default", "all", "temperature", "temperatures")


@dataclass(frozen=True)
class TableInput:
    """One input of a panel: a table of one dataset for one or several conditions.

    Attributes
    ----------
    dataset : str
        ``gaussian``, ``ising`` or ``glass``.
    table : str
        An observables table (``m2``, ``p0``, ``cod``, ...) or ``fit`` (the fitted exponents).
    select : str
        ``default`` (the dataset's one condition), ``all`` (every condition the figures use),
        ``temperature`` (the panel setting ``temperature``) or ``temperatures`` (the setting
        ``temperatures``, a list).
    """

    dataset: str
    table: str
    select: str

    def __post_init__(self):
        if self.select not in SELECTIONS:
            raise ValueError(f"select: expected one of {SELECTIONS}, got {self.select!r}")

    @property
    def many(self) -> bool:
        """Whether this input is a list of tables (one per temperature)."""
        return self.select in ("all", "temperatures")


@dataclass(frozen=True)
class Panel:
    """One figure panel.

    Attributes
    ----------
    name : str
        ``fig<number><letter>``: its target name (``figures/<name>.png``) and config section.
    inputs : dict
        Input name -> :class:`TableInput`.
    settings : tuple of str
        Keys the panel reads from ``figures.<name>`` (all required).
    draw : callable
        ``draw(tables, settings, method) -> (figure, caption)``; ``tables`` maps each input name
        to a DataFrame, a {temperature: DataFrame} dict (list inputs) or a fit row (``fit``).
    caption : str
        The report's caption (reStructuredText), formatted with ``method`` and the settings.
    """

    name: str
    inputs: dict
    settings: tuple
    draw: Callable
    caption: str
    _parts: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        match = re.fullmatch(r"fig([0-9]+)([a-z]?)", self.name)
        if match is None:
            raise ValueError(f"figure panel {self.name!r} is not of the form fig<number>[<letter>]")
        object.__setattr__(self, "_parts", match.groups())

    @property
    def figure(self) -> str:
        """The paper figure it belongs to (the report category), e.g. ``'Fig. 2'``."""
        return f"Fig. {self._parts[0]}"

    @property
    def label(self) -> str:
        """Its label, e.g. ``'Fig. 2c'``."""
        return f"Fig. {self._parts[0]}{self._parts[1]}"


PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    """Add ``panel`` to the registry (its name must be new)."""
    if panel.name in PANELS:
        raise ValueError(f"figure panel {panel.name!r} is already registered")
    PANELS[panel.name] = panel
    return panel


def panel_named(name: str) -> Panel:
    """The registered panel called ``name``."""
    try:
        return PANELS[name]
    except KeyError:
        raise ValueError(f"figure panel {name!r} is not registered; known panels: {', '.join(PANELS)}") from None


def report_caption(name: str, settings: dict, method: str) -> str:
    """The panel's report caption with its settings and pairing rule filled in."""
    values = {key: ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)
              if isinstance(value, (list, tuple)) else value for key, value in settings.items()}
    return panel_named(name).caption.format(method=method, **values)


def _fit_row(path) -> pd.Series:
    fits = read_table(path)[0]
    return fits[fits["observable"] == "m2"].iloc[0]


def load_tables(name: str, paths: dict) -> dict:
    """The tables a panel draws from, read from ``paths`` (input name -> path or list of paths)."""
    tables = {}
    for key, spec in panel_named(name).inputs.items():
        if spec.table == "fit":
            tables[key] = _fit_row(paths[key])
        elif spec.many:
            tables[key] = read_tables_by_temperature(paths[key])
        else:
            tables[key] = read_table(paths[key])[0]
    return tables


def draw_panel(name: str, paths: dict, settings: dict, method: str):
    """Read a panel's tables and draw it: ``(figure, caption)``."""
    return panel_named(name).draw(load_tables(name, paths), settings, method)


# ------------------------------------------------------------------------ the panels

register(Panel(
    name="fig1",
    inputs={"cod": TableInput("gaussian", "cod", "default")},
    settings=("levels",),
    draw=lambda t, s, method: pf.draw_fig1(t["cod"], s["levels"]),
    caption="**Fig. 1 — random Gaussian matrix.** Increment of the coefficient of determination (COD) of "
            "unsupervised stepwise linear selection against rank, at several coarse-graining levels ({method} "
            "pairing). The paper: *\"The COD of the random matrix decreases linearly to rank. Hence, the increment "
            "is almost constant.\"* This is the reference for uncorrelated data.",
))
register(Panel(
    name="fig2a",
    inputs={"m2": TableInput("ising", "m2", "all")},
    settings=("level",),
    draw=lambda t, s, method: pf.draw_m2_vs_temperature(t["m2"], s["level"], method),
    caption="**Fig. 2a — 2D Ising model, mean variance against temperature** of the original spins ({method} "
            "pairing). The paper: *\"The original data's mean-variance is 0.25 because the probabilities for up "
            "and down spin are the same.\"*",
))
register(Panel(
    name="fig2b",
    inputs={"m2": TableInput("ising", "m2", "all")},
    settings=("level",),
    draw=lambda t, s, method: pf.draw_m2_vs_temperature(t["m2"], s["level"], method),
    caption="**Fig. 2b — 2D Ising model, mean variance against temperature** after coarse-graining to level "
            "{level} ({method} pairing). The paper: *\"Interestingly, the transition is revealed after "
            "coarse-graining steps (2b).\"*",
))
for _name, _quote in (
    ("fig2c", "The paper: *\"The exponent of the power-law is almost 1 at high temperatures. For example, it is "
              "1.05 at T = 9.5.\"*"),
    ("fig2d", "The paper: *\"The exponent jumps to values close to 2 below the critical point.\"*"),
):
    register(Panel(
        name=_name,
        inputs={"m2": TableInput("ising", "m2", "temperature"), "fit": TableInput("ising", "fit", "temperature")},
        settings=("temperature",),
        draw=lambda t, s, method: pf.draw_m2_vs_cluster_size(t["m2"], t["fit"], s["temperature"], method),
        caption=f"**Fig. {_name[3:]} — 2D Ising model at T = {{temperature}}: mean variance M2(K) against cluster "
                f"size K** ({{method}} pairing) with the fitted power law M2 ~ K^alpha. {_quote}",
    ))
register(Panel(
    name="fig2e",
    inputs={"cod": TableInput("ising", "cod", "temperatures")},
    settings=("level", "temperatures"),
    draw=lambda t, s, method: pf.draw_cod_vs_rank(t["cod"], s["level"], method),
    caption="**Fig. 2e — 2D Ising model, normalised COD increment against rank** ({method} pairing) at "
            "T = {temperatures}. The paper: *\"At high temperatures T = 9.5, the COD is uniform over the rank, "
            "just like random data. Below the critical point, low rank COD dominates, and COD sharply drops.\"*",
))
register(Panel(
    name="fig2f",
    inputs={"cod": TableInput("ising", "cod", "all")},
    settings=("levels",),
    draw=lambda t, s, method: pf.draw_largest_cod_vs_temperature(t["cod"], s["levels"], method),
    caption="**Fig. 2f — 2D Ising model, largest normalised COD increment against temperature** before and "
            "after coarse-graining ({method} pairing). The paper: *\"The largest normalized COD of the 10th "
            "coarse-grained data shows a much narrower transition than that of the original data.\"*",
))
register(Panel(
    name="fig3a",
    inputs={"cod": TableInput("glass", "cod", "all")},
    settings=("levels",),
    draw=lambda t, s, method: pf.draw_glass_cod_levels(t["cod"], s["levels"], method),
    caption="**Fig. 3a — Kob–Andersen glass, COD of the p_hop data against temperature at several "
            "coarse-graining levels** ({method} pairing). The paper: *\"As the coarse-graining steps are "
            "repeated, the intermediate regions are relocated to one of the states. As a result, the transient "
            "region becomes sharper.\"*",
))
for _name, _quote in (
    ("fig3b", "The paper: *\"At T = 1.0, the exponent near 1.\"*"),
    ("fig3c", "The paper: *\"It is meaningfully larger than 1 at low temperature T = 0.4 ... as large as "
              "1.85.\"*"),
):
    register(Panel(
        name=_name,
        inputs={"m2": TableInput("glass", "m2", "temperature"), "fit": TableInput("glass", "fit", "temperature")},
        settings=("temperature",),
        draw=lambda t, s, method, _letter=_name[-1]: pf.draw_glass_m2(t["m2"], t["fit"], s["temperature"], method,
                                                                      _letter),
        caption=f"**Fig. {_name[3:]} — Kob–Andersen glass at T = {{temperature}}: mean variance M2(K) of p_hop "
                f"cluster sums against cluster size K** ({{method}} pairing) with the fitted power law. {_quote}",
    ))
