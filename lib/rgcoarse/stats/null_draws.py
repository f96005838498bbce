"""Many draws of a null model, each kept only as the statistics the claims and controls test.

A claim of structure is tested against the same statistic on draws of a null
(:mod:`rgcoarse.datasets.nulls`); a rank test at the 5% level needs at least 19 draws, and a
test over m levels or temperatures more. Running every draw through the whole pipeline (a data
matrix, a coarse-graining, five observable tables and a bootstrap fit per draw) would cost
several jobs per draw; :func:`null_statistics` instead makes every draw of one (data, model,
pairing rule) in one call and keeps, per draw, only the numbers below. Each is computed exactly
as the pipeline computes it on the data (tested), so data and null are compared like with like.

Statistics (``level`` is -1 for a statistic of the whole coarse-graining):

``m2_exponent``, ``p0_exponent``
    The fit-range rule's point estimate (:func:`rgcoarse.stats.fits.select_fit_range`,
    :func:`rgcoarse.stats.fits.fit_power_law`), as in the exponents table; NaN when it has fewer
    than two points.
``cod_increment_exponent``
    The level-0 COD increment's log-log slope over ``cod_rank_range``.
``m2_slope_all_levels``, ``m2_local_slope``
    The model-free readings of the M2 exponent (:func:`m2_slopes`).
``first_pick`` (per level)
    ΔCOD(1)/N: the share of the level's variance its best single variable explains.
``increment_cv`` (level 0)
    Coefficient of variation of ΔCOD(r)/N over the computed ranks of level 0.
``cod_increment_exponent_seams``
    For a null with a seam control (``shift``): the level-0 COD-increment exponent of a draw of
    the control (:func:`rgcoarse.datasets.nulls.three_seam_series`), which the exponents'
    excess uses to remove the shift's seam bias (:func:`rgcoarse.stats.controls.excess_over_null`).
    Level 0 does not depend on the pairing rule, so only the ranks of the fit are computed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.checks import as_value_matrix
from rgcoarse.coarse.coarse_grain import coarse_grain
from rgcoarse.config.seeds import derive_seed
from rgcoarse.datasets.nulls import null_matrix, seam_control_matrix
from rgcoarse.stats.fits import cod_span_problem, fit_cod_increment, fit_power_law, select_fit_range
from rgcoarse.stats.linefit import fit_line
from rgcoarse.stats.observables import (
    binarise,
    mean_variance_table,
    silence_probability_table,
)
from rgcoarse.stats.summaries import dominant_rows

STATISTICS = ("m2_exponent", "p0_exponent", "cod_increment_exponent", "m2_slope_all_levels", "m2_local_slope",
              "first_pick", "increment_cv", "cod_increment_exponent_seams")
SEAM_STATISTIC = "cod_increment_exponent_seams"
WHOLE = -1  # the ``level`` of a statistic of the whole coarse-graining
COLUMNS = ("draw", "statistic", "level", "value")


def point_exponent(table: pd.DataFrame, observable: str, *, k_min: float, min_clusters: int) -> float:
    """The fit-range rule's exponent of an M2 or P0 table (NaN with fewer than two usable points)."""
    y = table[observable].to_numpy(dtype=np.float64)
    fitted = y if observable == "m2" else -np.log(np.where(y > 0, y, np.nan))
    keep = select_fit_range(table["cluster_size"], table["n_clusters"], k_min=k_min, min_clusters=min_clusters)
    keep &= np.isfinite(fitted) & (fitted > 0)
    k = table["cluster_size"].to_numpy(dtype=np.float64)[keep]
    if k.size < 2 or np.ptp(k) == 0:
        return float("nan")
    return fit_power_law(k, fitted[keep]).exponent


def m2_slopes(m2: pd.DataFrame) -> dict:
    """Two model-free readings of the M2 exponent from the dominant row of every level: the
    log-log slope over all levels, and the local slope between the two largest K."""
    rows = dominant_rows(m2).sort_values("cluster_size")
    rows = rows[rows["m2"] > 0]
    if len(rows) < 2:
        return {"m2_slope_all_levels": float("nan"), "m2_local_slope": float("nan")}
    k, y = np.log(rows["cluster_size"].to_numpy(float)), np.log(rows["m2"].to_numpy(float))
    return {"m2_slope_all_levels": fit_line(k, y).slope, "m2_local_slope": float((y[-1] - y[-2]) / (k[-1] - k[-2]))}


def coarse_graining_statistics(values, levels, *, silence_threshold: float, k_min: float, min_clusters: int,
                               cod_max_rank: int, cod_rank_range, level0_products=None) -> list[dict]:
    """Every statistic of :data:`STATISTICS` of one coarse-graining of ``values`` (rows without ``draw``).

    ``level0_products``: level 0's correlation and Gram matrices if the pairing made them already
    (:class:`rgcoarse.coarse.selection.LevelProducts`)."""
    from rgcoarse.coarse.selection import (
        stepwise_cod,  # BLAS kernels only where COD is computed
    )

    data = np.asarray(values, dtype=np.float64)
    m2 = mean_variance_table(data, levels)
    p0 = silence_probability_table(binarise(data, silence_threshold), levels)
    rows = [
        ("m2_exponent", WHOLE, point_exponent(m2, "m2", k_min=k_min, min_clusters=min_clusters)),
        ("p0_exponent", WHOLE, point_exponent(p0, "p0", k_min=k_min, min_clusters=min_clusters)),
        *((name, WHOLE, value) for name, value in m2_slopes(m2).items()),
    ]
    for level in levels:
        max_rank = (cod_max_rank or None) if level.level == 0 else 1
        if level.n_variables < 2:
            continue
        cod = stepwise_cod(level.values, max_rank, products=level0_products if level.level == 0 else None)
        rows.append(("first_pick", level.level, float(cod["norm_cod_increment"].iloc[0])))
        if level.level == 0:
            increments = cod["norm_cod_increment"].to_numpy(float)
            rows.append(("increment_cv", 0, float(increments.std() / abs(increments.mean()))))
            rows.append(("cod_increment_exponent", WHOLE, _cod_increment_exponent(cod, data.shape, cod_rank_range)))
    return [{"statistic": s, "level": int(lev), "value": float(v)} for s, lev, v in rows]


def _cod_increment_exponent(cod: pd.DataFrame, shape, cod_rank_range) -> float:
    samples, features = shape
    if cod_span_problem(cod_rank_range, samples, features) is not None:
        return float("nan")  # as cod_increment_row: not fitted
    r_max = min(cod_rank_range[1], samples - 2)
    return fit_cod_increment(cod["rank"], cod["cod_increment"], r_min=cod_rank_range[0], r_max=r_max).exponent


def seam_statistic(values, cod_rank_range) -> float:
    """The level-0 COD-increment exponent of a seam-control draw (only the fit's ranks computed)."""
    from rgcoarse.coarse.selection import stepwise_cod

    data = np.asarray(values, dtype=np.float64)
    cod = stepwise_cod(data, min(int(cod_rank_range[1]), data.shape[1]))
    return _cod_increment_exponent(cod, data.shape, cod_rank_range)


def null_statistics(values, model: str, method: str, *, n_draws: int, seed: int, coarse: dict,
                    statistics: dict, lattice_shape=None) -> pd.DataFrame:
    """:data:`STATISTICS` of ``n_draws`` draws of null ``model`` of ``values``, coarse-grained by ``method``.

    ``coarse``: ``omega``, ``min_variables`` and the rule's options; ``statistics``: the keyword
    arguments of :func:`coarse_graining_statistics`. Draw ``d`` uses null seed
    ``derive_seed(seed, "draw", d)`` and pairing seed ``derive_seed(seed, "pairing", d)``, so
    adding draws never changes the earlier ones.
    """
    if isinstance(n_draws, bool) or not isinstance(n_draws, (int, np.integer)) or n_draws < 1:
        raise ValueError(f"n_draws: expected a positive integer, got {n_draws!r}")
    from rgcoarse.coarse.selection import LevelProducts

    frames = []
    for draw in range(int(n_draws)):
        # Level 0 is the null matrix as the kernels see it (C-ordered float64): its correlation and
        # Gram matrices serve the pairing and the level-0 COD alike, made once.
        null = as_value_matrix(null_matrix(values, model, derive_seed(seed, "draw", draw)), "null")
        products = LevelProducts(null)
        levels = coarse_grain(null, method, seed=derive_seed(seed, "pairing", draw), lattice_shape=lattice_shape,
                              level0_products=products, **coarse)
        rows = coarse_graining_statistics(null, levels, level0_products=products, **statistics)
        del products  # its two N x N matrices, before the seam control's own selection
        seams = seam_control_matrix(values, model, derive_seed(seed, "seams", draw))
        if seams is not None:
            rows.append({"statistic": SEAM_STATISTIC, "level": WHOLE,
                         "value": seam_statistic(seams, statistics["cod_rank_range"])})
        frames.append(pd.DataFrame(rows).assign(draw=np.int64(draw)))
    return pd.concat(frames, ignore_index=True)[list(COLUMNS)]


def statistic_values(table: pd.DataFrame, statistic: str, level: int = WHOLE) -> np.ndarray:
    """One statistic's finite values over the draws of a null-statistics table."""
    rows = table[(table["statistic"] == statistic) & (table["level"] == level)]
    values = rows["value"].to_numpy(dtype=float)
    return values[np.isfinite(values)]
