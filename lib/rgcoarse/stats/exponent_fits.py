"""The exponents-table rows of one coarse-graining: M2 and -ln P0 with bootstrap intervals, and the
level-0 COD increment's power law against rank (the ``fits`` rows of ``results/fits/``).

The observables job computes them right after the observable tables, on the data and levels it
already holds (one job per coarse-graining instead of two: no second start-up, data read or
level rebuild).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.stats.bootstrap import bootstrap_exponent, series_block_length
from rgcoarse.stats.fits import cod_increment_row

__all__ = ["exponent_rows"]


def exponent_rows(data: np.ndarray, silent: np.ndarray, levels, cod: pd.DataFrame, *, fits: dict,
                  time_series: bool, seed: int, log=None) -> list[dict]:
    """The three rows (``m2``, ``p0``, ``cod_increment``) of one coarse-graining's fits.

    ``data``: the original data (float64); ``silent``: its silence mask; ``cod``: the COD table of
    the same levels; ``fits``: the config's ``fits`` section. Time series are resampled in blocks
    sized from the data's own autocorrelation time (:func:`series_block_length`), with a t
    interval; independent samples by the i.i.d. bootstrap with the percentile interval.
    """
    tau_int, block_length = (series_block_length(data, block_factor=fits["block_factor"])
                             if time_series else (np.nan, 1))
    resampling = (f"moving-block bootstrap over time, blocks of {block_length} frames (tau_int = {tau_int:.3g})"
                  if time_series else "bootstrap over samples")
    interval = (f"t interval with {data.shape[0] // block_length - 1} degrees of freedom" if time_series
                else "percentile")
    rule = {"k_min": fits["k_min"], "min_clusters": fits["min_clusters"], "n_resamples": fits["n_bootstrap"],
            "confidence": fits["confidence"], "block_length": block_length, "max_slope_change": fits["max_slope_change"]}
    rows = []
    for observable, observed in (("m2", data), ("p0", silent)):
        estimate = bootstrap_exponent(observed, levels, observable, seed=seed, **rule)
        row = estimate.as_dict()
        row["ci_method"] = f"{resampling}, {estimate.n_resamples} resamples, {interval}"
        row.update(tau_int=tau_int, block_length=block_length)
        rows.append(row)
        if log is not None:
            log("%s: %s", observable, row)
    rows.append({**cod_increment_row(cod, fits["cod_rank_range"], data.shape[0], fits["confidence"],
                                   n_features=data.shape[1]),
                 "tau_int": tau_int, "block_length": block_length})
    return rows
