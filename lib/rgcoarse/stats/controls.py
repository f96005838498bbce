"""Selection-bias controls beside every exponent: the same rule on the null, the random rule on the data.

A data-driven pairing picks pairs whose sample correlation happens to be positive, so even on
independent features its M2 exponent exceeds 1. Two controls measure that bias:

- the same rule's exponent on the **selection-bias null** of the data: ``shift`` for a time
  series (keeps each series' autocorrelation), ``permute`` otherwise (independent samples); a
  band (median, min, max) over the null's draws;
- the ``random`` rule's exponent on the data itself (no selection at all).

:func:`with_controls` adds them as columns to the exponents table; :func:`null_band` gives the
band of any null model, for claims.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.datasets.kinds import NULL_SEPARATOR
from rgcoarse.datasets.nulls import DRAW_SEPARATOR, null_dataset_name, selection_bias_nulls

SELECTION_BIAS_NULLS = selection_bias_nulls()  # in order of preference: a time series has its time-ordered null
CONTROL_COLUMNS = ("null_model", "null_draws", "null_median", "null_min", "null_max", "random_exponent")


def _usable_exponents(rows: pd.DataFrame) -> np.ndarray:
    """Exponents of the ``ok`` rows (the COD-increment fit is a point estimate without an interval)."""
    ok = (rows["status"] == "ok") & np.isfinite(rows["exponent"].astype(float))
    return rows.loc[ok, "exponent"].to_numpy(dtype=float)


def null_rows(exponents: pd.DataFrame, dataset: str, condition: str, model: str) -> pd.DataFrame:
    """Rows of every draw of null ``model`` of one (dataset, condition)."""
    name = null_dataset_name(dataset, model)
    prefix = f"{condition}{DRAW_SEPARATOR}"
    draws = exponents["condition"].astype(str).str.startswith(prefix)
    return exponents[(exponents["dataset"] == name) & draws]


def null_band(exponents: pd.DataFrame, dataset, condition, method, observable, model) -> dict:
    """``{draws, median, min, max}`` of the usable null exponents (``draws`` 0 and NaNs when none)."""
    rows = null_rows(exponents, dataset, condition, model)
    values = _usable_exponents(rows[(rows["method"] == method) & (rows["observable"] == observable)])
    if values.size == 0:
        return {"draws": 0, "median": np.nan, "min": np.nan, "max": np.nan}
    return {"draws": int(values.size), "median": float(np.median(values)), "min": float(values.min()),
            "max": float(values.max())}


def selection_bias_null(exponents: pd.DataFrame, dataset: str) -> str | None:
    """The selection-bias null model run on ``dataset`` (``shift`` before ``permute``), if any."""
    present = set(exponents["dataset"])
    return next((m for m in SELECTION_BIAS_NULLS if null_dataset_name(dataset, m) in present), None)


def _random_exponent(exponents, dataset, condition, observable) -> float:
    rows = exponents[(exponents["dataset"] == dataset) & (exponents["condition"] == condition)
                     & (exponents["method"] == "random") & (exponents["observable"] == observable)]
    values = _usable_exponents(rows)
    return float(values[0]) if values.size else np.nan


def with_controls(exponents: pd.DataFrame) -> pd.DataFrame:
    """The exponents table with :data:`CONTROL_COLUMNS` filled for every row of data (empty for null rows)."""
    table = exponents.reset_index(drop=True).copy()
    controls = []
    for row in table.to_dict("records"):
        dataset = str(row["dataset"])
        model = None if NULL_SEPARATOR in dataset else selection_bias_null(table, dataset)
        band = (null_band(table, dataset, row["condition"], row["method"], row["observable"], model) if model
                else {"draws": 0, "median": np.nan, "min": np.nan, "max": np.nan})
        controls.append({
            "null_model": model or "",
            "null_draws": band["draws"],
            "null_median": band["median"],
            "null_min": band["min"],
            "null_max": band["max"],
            "random_exponent": (np.nan if NULL_SEPARATOR in dataset
                                else _random_exponent(table, dataset, row["condition"], row["observable"])),
        })
    return pd.concat([table, pd.DataFrame(controls, columns=list(CONTROL_COLUMNS))], axis=1)
