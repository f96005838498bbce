"""Selection-bias controls beside every exponent: the same rule on the null, the random rule on the data.

A data-driven pairing picks pairs whose sample correlation happens to be positive, so even on
independent features its M2 exponent exceeds 1. Two controls measure that bias:

- the same rule's exponent on the **selection-bias null** of the data: ``shift`` for a time
  series (keeps each series' autocorrelation), ``permute`` otherwise (independent samples); a
  band (median, min, max) over the null's draws;
- the ``random`` rule's exponent on the data itself (no selection at all).

:func:`with_controls` adds them as columns to the exponents table; :func:`null_band` gives the
band of any null model; the bands come from the batched null draws (:mod:`rgcoarse.stats.null_draws`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.datasets.nulls import selection_bias_nulls
from rgcoarse.stats.null_draws import WHOLE

SELECTION_BIAS_NULLS = selection_bias_nulls()  # in order of preference: a time series has its time-ordered null
CONTROL_COLUMNS = ("null_model", "null_draws", "null_median", "null_min", "null_max", "random_exponent")
NO_BAND = {"draws": 0, "median": np.nan, "min": np.nan, "max": np.nan}


def _usable_exponents(rows: pd.DataFrame) -> np.ndarray:
    """Exponents of the ``ok`` rows."""
    ok = (rows["status"] == "ok") & np.isfinite(rows["exponent"].astype(float))
    return rows.loc[ok, "exponent"].to_numpy(dtype=float)


def null_band(nulls: pd.DataFrame, dataset, condition, method, observable, model) -> dict:
    """``{draws, median, min, max}`` of one null's exponent draws (``draws`` 0 and NaNs when none).

    ``nulls`` is the stacked null-statistics tables (:mod:`rgcoarse.stats.null_draws`).
    """
    rows = nulls[(nulls["dataset"] == dataset) & (nulls["condition"] == condition) & (nulls["model"] == model)
                 & (nulls["method"] == method) & (nulls["statistic"] == f"{observable}_exponent")
                 & (nulls["level"] == WHOLE)]
    values = rows["value"].to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return dict(NO_BAND)
    return {"draws": int(values.size), "median": float(np.median(values)), "min": float(values.min()),
            "max": float(values.max())}


def selection_bias_null(nulls: pd.DataFrame, dataset: str, condition: str) -> str | None:
    """The selection-bias null model run on one condition of ``dataset`` (``shift`` before ``permute``), if any."""
    present = set(nulls.loc[(nulls["dataset"] == dataset) & (nulls["condition"] == condition), "model"])
    return next((m for m in SELECTION_BIAS_NULLS if m in present), None)


def _random_exponent(exponents, dataset, condition, observable) -> float:
    rows = exponents[(exponents["dataset"] == dataset) & (exponents["condition"] == condition)
                     & (exponents["method"] == "random") & (exponents["observable"] == observable)]
    values = _usable_exponents(rows)
    return float(values[0]) if values.size else np.nan


def empty_null_statistics() -> pd.DataFrame:
    return pd.DataFrame(columns=["dataset", "condition", "temperature", "model", "method", "draw", "statistic",
                                 "level", "value"])


def with_controls(exponents: pd.DataFrame, nulls: pd.DataFrame | None = None) -> pd.DataFrame:
    """The exponents table with :data:`CONTROL_COLUMNS` filled for every row (from the stacked null statistics)."""
    nulls = empty_null_statistics() if nulls is None else nulls
    table = exponents.reset_index(drop=True).copy()
    controls = []
    for row in table.to_dict("records"):
        dataset, condition = str(row["dataset"]), row["condition"]
        model = selection_bias_null(nulls, dataset, condition)
        band = (null_band(nulls, dataset, condition, row["method"], row["observable"], model) if model
                else dict(NO_BAND))
        controls.append({
            "null_model": model if band["draws"] else "",
            "null_draws": band["draws"],
            "null_median": band["median"],
            "null_min": band["min"],
            "null_max": band["max"],
            "random_exponent": _random_exponent(table, dataset, condition, row["observable"]),
        })
    return pd.concat([table, pd.DataFrame(controls, columns=list(CONTROL_COLUMNS))], axis=1)
