"""Selection-bias controls beside every exponent: the same rule on the null, the random rule on the data.

A data-driven pairing picks pairs whose sample correlation happens to be positive, so even on
independent features its M2 exponent exceeds 1. Two controls measure that bias:

- the same rule's exponent on the **selection-bias null** of the data: ``shift`` for a time
  series (keeps each series' autocorrelation), ``permute`` otherwise (independent samples); a
  band (median, min, max) over the null's draws;
- the ``random`` rule's exponent on the data itself (no selection at all);
- the **excess** over the selection-bias null, ``exponent - mean(null draws)``, with a prediction
  interval (:func:`excess_over_null`); for the COD-increment exponent under ``shift`` the null
  mean is first extrapolated past the shift's seam bias with the seam-control draws. Its
  population value is 0 whenever the features are independent, whatever bias selection and
  autocorrelation give the exponent itself, so unlike
  the exponent (the COD-increment exponent of independent AR(1) columns is -0.15 to -0.64, not 0)
  it has an interval that covers its population value: ``tests/benchmarks/bench_cod_coverage.py``.

:func:`with_controls` adds them as columns to the exponents table; :func:`null_band` gives the
band of any null model; the bands come from the batched null draws (:mod:`rgcoarse.stats.null_draws`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from rgcoarse.datasets.nulls import (
    SHIFT_EXTRA_BREAKS,
    THREE_SEAM_EXTRA_BREAKS,
    selection_bias_nulls,
)
from rgcoarse.stats.null_draws import SEAM_STATISTIC, WHOLE

SELECTION_BIAS_NULLS = selection_bias_nulls()  # in order of preference: a time series has its time-ordered null
CONTROL_COLUMNS = ("null_model", "null_draws", "null_median", "null_min", "null_max", "random_exponent",
                   "excess", "excess_low", "excess_high")
NO_BAND = {"draws": 0, "median": np.nan, "min": np.nan, "max": np.nan}
NO_EXCESS = {"excess": np.nan, "excess_low": np.nan, "excess_high": np.nan}
EXCESS_LEVEL = 0.95  # two-sided level of the excess's prediction interval


def _usable_exponents(rows: pd.DataFrame) -> np.ndarray:
    """Exponents of the ``ok`` rows."""
    ok = (rows["status"] == "ok") & np.isfinite(rows["exponent"].astype(float))
    return rows.loc[ok, "exponent"].to_numpy(dtype=float)


def null_exponents(nulls: pd.DataFrame, dataset, condition, method, observable, model) -> np.ndarray:
    """The finite exponent draws of one null (``nulls``: the stacked null-statistics tables,
    :mod:`rgcoarse.stats.null_draws`)."""
    return _null_statistic(nulls, dataset, condition, method, f"{observable}_exponent", model)


def seam_exponents(nulls: pd.DataFrame, dataset, condition, method, observable, model) -> np.ndarray:
    """The seam-control draws of one null's COD-increment exponent (empty for other observables)."""
    if observable != "cod_increment":
        return np.empty(0)
    return _null_statistic(nulls, dataset, condition, method, SEAM_STATISTIC, model)


def _null_statistic(nulls, dataset, condition, method, statistic, model) -> np.ndarray:
    rows = nulls[(nulls["dataset"] == dataset) & (nulls["condition"] == condition) & (nulls["model"] == model)
                 & (nulls["method"] == method) & (nulls["statistic"] == statistic) & (nulls["level"] == WHOLE)]
    return _finite(rows["value"])


def excess_over_null(value: float, null_values, level: float = EXCESS_LEVEL, seam_values=None) -> dict:
    """``value - null mean`` with its ``level`` prediction interval (NaNs with fewer than 2 draws).

    If the data's statistic and the n draws are normal with one spread (exchangeable, as a
    `shift` draw of independent series is with the series themselves), ``(value - mean) / (sd
    sqrt(1 + 1/n))`` is Student's t with n - 1 degrees of freedom: the interval covers the
    excess's population value (0 for independent features) with probability ``level``. It is
    the interval form of the t test :func:`rgcoarse.paper.verdicts.null_test` applies to a normal null.

    ``seam_values``: draws of the null's seam control (:func:`rgcoarse.datasets.nulls.three_seam_series`).
    With at least 2, the null mean is extrapolated to no extra break in time, ``mean - w (mean_seams
    - mean)`` with ``w = 1 / (5 - 1)`` (a shift draw has 1 extra break per pair, a seam draw 5), and
    the interval widens by that estimate's variance, ``var (1 + w)^2 / n + var_seams w^2 / n_seams``.
    """
    draws = _finite(null_values)
    if draws.size < 2 or not np.isfinite(value):
        return dict(NO_EXCESS)
    n = draws.size
    centre, centre_variance = draws.mean(), draws.var(ddof=1) / n
    seams = _finite(seam_values if seam_values is not None else [])
    if seams.size >= 2:
        w = SHIFT_EXTRA_BREAKS / (THREE_SEAM_EXTRA_BREAKS - SHIFT_EXTRA_BREAKS)
        centre = centre - w * (seams.mean() - draws.mean())
        centre_variance = (1 + w) ** 2 * draws.var(ddof=1) / n + w**2 * seams.var(ddof=1) / seams.size
    excess = float(value - centre)
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * np.sqrt(draws.var(ddof=1) + centre_variance))
    return {"excess": excess, "excess_low": excess - half, "excess_high": excess + half}


def _finite(values) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return values[np.isfinite(values)]


def null_band(nulls: pd.DataFrame, dataset, condition, method, observable, model) -> dict:
    """``{draws, median, min, max}`` of one null's exponent draws (``draws`` 0 and NaNs when none)."""
    return _band(null_exponents(nulls, dataset, condition, method, observable, model))


def _band(values: np.ndarray) -> dict:
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
        draws = (null_exponents(nulls, dataset, condition, row["method"], row["observable"], model) if model
                 else np.empty(0))
        band = _band(draws)
        usable = row["status"] == "ok" and np.isfinite(float(row["exponent"]))
        seams = (seam_exponents(nulls, dataset, condition, row["method"], row["observable"], model) if model
                 else np.empty(0))
        excess = excess_over_null(float(row["exponent"]), draws, seam_values=seams) if usable else dict(NO_EXCESS)
        controls.append({
            "null_model": model if band["draws"] else "",
            "null_draws": band["draws"],
            "null_median": band["median"],
            "null_min": band["min"],
            "null_max": band["max"],
            "random_exponent": _random_exponent(table, dataset, condition, row["observable"]),
            **excess,
        })
    return pd.concat([table, pd.DataFrame(controls, columns=list(CONTROL_COLUMNS))], axis=1)
