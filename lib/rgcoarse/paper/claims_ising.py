"""Claims of the paper's Figs. 1 and 2 (Gaussian data and the Ising model): scaling, COD shapes and where they change with T."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd

from rgcoarse.config.constants import ISING_CRITICAL_TEMPERATURE
from rgcoarse.config.paper_values import paper_value
from rgcoarse.datasets.nulls import independent_samples_null
from rgcoarse.paper.claims import (
    EQ29_EXPONENT,
    EQ29_READINGS,
    NOT_EVALUATED,
    Claim,
    coefficient_of_variation,
    cold_side_width,
    every_temperature_claim,
    exponent_claim,
    exponent_readings,
    fit_row,
    half_crossing,
    judged,
    lower_bound_claim,
    null_test_claim,
    null_values,
    steepest_slope_interval,
    transition_width,
)
from rgcoarse.paper.verdicts import (
    AGREES,
    DISAGREES,
    Judgement,
    point_against_threshold,
    point_in_window,
    within_tolerance,
)
from rgcoarse.stats.linefit import fit_line
from rgcoarse.stats.summaries import (
    OCCUPATION_VARIANCE_FACTOR,
    deepest_level_at_most,
    largest_normalised_cod,
    level_m2,
)


def _level_curve(tables_by_t: dict, statistic) -> tuple[np.ndarray, np.ndarray]:
    temperatures = np.array(sorted(tables_by_t))
    return temperatures, np.array([statistic(tables_by_t[t]) for t in temperatures])


def linear_r_squared(x, y) -> float:
    """Coefficient of determination of the least-squares straight line through (x, y)."""
    return fit_line(x, y).r_squared


def figure1_claims(gaussian_cod: pd.DataFrame, levels=(0,), max_cv: float = 0.25, min_r2: float = 0.99) -> list[Claim]:
    """Fig. 1, two readings per level: the caption's (the MSE decreases linearly with rank: R^2 of
    COD(r) against r) and the text's (nearly uniform increments: coefficient of variation of ΔCOD)."""
    claims = []
    text = "COD of a random Gaussian matrix: MSE linear in rank (caption), increments nearly uniform (text)"
    for level in [lev for lev in levels if lev in set(gaussian_cod["level"])]:
        rows = gaussian_cod[gaussian_cod["level"] == level]
        cv = coefficient_of_variation(rows["cod_increment"])
        r2 = linear_r_squared(rows["rank"], rows["cod"]) if len(rows) > 2 else float("nan")
        claim = Claim("fig1", "1", text, "linear", r2, None, None,
                      f"1 - R^2 of a straight line through COD(r) against r at level {level} <= {1 - min_r2:.2g}",
                      NOT_EVALUATED, f"reproduced value is R^2; {len(rows)} ranks; the margin is on 1 - R^2",
                      f"caption: MSE linear, level {level}", statistic="R^2 of COD(r) against r")
        claims.append(judged(claim, point_against_threshold(1 - r2, 1 - min_r2, above=False)))
        claim = Claim("fig1", "1", text, "nearly uniform", cv, None, None,
                      f"coefficient of variation of DeltaCOD(r) over all ranks at level {level} <= {max_cv}",
                      NOT_EVALUATED, "", f"text: uniform increment, level {level}",
                      statistic="coefficient of variation of DeltaCOD(r)")
        claims.append(judged(claim, point_against_threshold(cv, max_cv, above=False)))
    return claims


def figure2_claims(exponents, m2_by_t, cod_by_t, method, below_tc_temperature, level_deep=10,
                   top_ranks: int = 5, nulls=None) -> list[Claim]:
    """Figs. 2a-f: the Ising claims, from M2 and COD tables keyed by temperature.

    ``nulls`` (the stacked null-statistics tables, :mod:`rgcoarse.stats.null_draws`) adds the
    tests against the independent-samples null: the high-T exponent and the "like random data" COD.
    """
    null_model = independent_samples_null()
    claims = []
    t, m2_level0 = _level_curve(m2_by_t, lambda f: level_m2(f, 0) * OCCUPATION_VARIANCE_FACTOR)
    level0 = paper_value("ising_level0_m2")
    deviation = float(np.max(np.abs(m2_level0 - level0)))
    claims.append(judged(Claim("fig2a_level0", "2a", f"Level-0 mean variance of occupation variables is {level0:g} at every T",
                               f"{level0:g}", deviation, None, None, f"max over T of |M2 - {level0:g}| <= 0.01",
                               NOT_EVALUATED, "", statistic=f"largest deviation of level-0 M2 from {level0:g}"),
                         point_against_threshold(deviation, 0.01, above=False)))

    deep = deepest_level_at_most(next(iter(m2_by_t.values())), level_deep)
    _, m2_deep = _level_curve(m2_by_t, lambda f: level_m2(f, deep))
    cold, hot = m2_deep[t < ISING_CRITICAL_TEMPERATURE], m2_deep[t > ISING_CRITICAL_TEMPERATURE]
    ratio = float(cold.mean() / hot.mean()) if cold.size and hot.size else float("nan")
    claims.append(judged(Claim("fig2b_transition", "2b", f"Coarse-graining reveals the transition (level {deep})",
                               "M2 jumps at Tc", ratio if np.isfinite(ratio) else None, None, None,
                               "mean M2 below Tc / mean M2 above Tc >= 10", NOT_EVALUATED,
                               "" if np.isfinite(ratio) else "needs temperatures on both sides of Tc",
                               statistic=f"mean level-{deep} M2 below Tc over above Tc"),
                         point_against_threshold(ratio, 10.0, above=True)))

    high_t, high_t_exponent = paper_value("ising_high_t_temperature"), paper_value("ising_high_t_exponent")
    claims += exponent_readings("fig2c_exponent", "2c", f"M2 exponent at T = {high_t:g} is about {high_t_exponent:g}",
                                high_t_exponent, exponents, "ising", high_t, method, tolerance=0.05, nulls=nulls,
                                null_model=null_model, expect_difference=False)
    claims.append(exponent_claim("fig2d_exponent", "2d", f"M2 exponent below Tc (T = {below_tc_temperature:g}) is close to 2",
                                 paper_value("ising_low_t_exponent"), fit_row(exponents, "ising", below_tc_temperature, method), tolerance=0.1))
    cold_fits = {float(x): fit_row(exponents, "ising", float(x), method) for x in t[t < ISING_CRITICAL_TEMPERATURE]}
    claim = every_temperature_claim(
        lambda fit, note: lower_bound_claim("fig2d_all_below_tc", "2c-d", "M2 exponent is close to 2 at every T below Tc",
                                            "close to 2", fit, bound=1.8, note=note),
        cold_fits, lambda usable: min(usable.items(), key=lambda item: item[1]["exponent"]))
    if claim is not None:
        claims.append(claim)
    for rule_name in dict.fromkeys([method, "random"]):
        hot_fits = {float(x): fit_row(exponents, "ising", float(x), rule_name) for x in t[t >= 5.0]}
        if rule_name != method and all(f is None for f in hot_fits.values()):
            continue
        claim = every_temperature_claim(
            lambda fit, note: exponent_claim("fig2c_high_t", "2c", "M2 exponent is almost 1 at every T >= 5",
                                             paper_value("ising_high_t_almost_1"), fit, tolerance=0.1, note=note),
            hot_fits, lambda usable: max(usable.items(), key=lambda item: abs(item[1]["exponent"] - 1.0)))
        if claim is not None:
            reading = f"{rule_name} fit (fit range rule)" if rule_name == method else "random fit (no selection)"
            claims.append(Claim(**{**asdict(claim), "reading": reading}))

    claims += trend_change_claims(cod_by_t)
    claims += uniform_high_t_claims(cod_by_t, nulls, null_model, method)
    claims += narrowing_claims(cod_by_t, level_deep, top_ranks)
    return claims


UNIFORM_CV = 0.25  # "uniform over rank": coefficient of variation of the increments at most this


def uniform_high_t_claims(cod_by_t: dict, nulls, null_model: str, method: str) -> list[Claim]:
    """Fig. 2e at the hottest T, two readings of "uniform over rank, like random data": an absolute
    bound on the increments' coefficient of variation, and a two-sided test against the null's draws
    (the claim is that the data do not differ from it)."""
    hot_t = max(cod_by_t)
    text = f"At high T ({hot_t:g}) the COD is uniform over rank, like random data"
    rows = cod_by_t[hot_t].query("level == 0")
    cv = coefficient_of_variation(rows["norm_cod_increment"])
    ranks = f"ranks 1..{int(rows['rank'].max())}"
    statistic = "coefficient of variation of DeltaCOD(r)/N at level 0"
    claims = [judged(Claim("fig2e_high_t_uniform", "2e", text, "uniform", cv, None, None,
                           f"coefficient of variation of DeltaCOD(r)/N over the computed ranks at level 0 <= {UNIFORM_CV}",
                           NOT_EVALUATED, ranks, "uniform: absolute bound", statistic=statistic),
                     point_against_threshold(cv, UNIFORM_CV, above=False))]
    claim = Claim("fig2e_high_t_uniform", "2e", text, "uniform", cv, None, None,
                  "the data's coefficient of variation does not differ from the null's", NOT_EVALUATED, ranks,
                  f"like the {null_model} null", statistic=statistic)
    draws = null_values(nulls, "ising", hot_t, method, null_model, "increment_cv", level=0)
    if draws is None:
        claims.append(judged(claim, Judgement(NOT_EVALUATED, None),
                             note=f"no {null_model} null at T = {hot_t:g} (config keys nulls.models, nulls.temperatures)"))
    else:
        claims.append(null_test_claim(claim, cv, draws, null_model, alternative="two-sided", expect_difference=False))
    return claims


TREND_WINDOW = paper_value("ising_cod_trend_window")  # Fig. 2e: "changes substantially between T = 2.3 and 2.4"


def trend_change_claims(cod_by_t: dict, window=TREND_WINDOW) -> list[Claim]:
    """Fig. 2e, two readings of where the level-0 largest normalised COD changes: the steepest
    slope per unit T, and the half-way crossing of the curve (its shape, independent of the grid)."""
    lo_w, hi_w = window
    text = f"The COD trend changes substantially between T = {lo_w:g} and {hi_w:g}"
    t, first = _level_curve(cod_by_t, lambda f: largest_normalised_cod(f, 0))
    lo, hi = steepest_slope_interval(t, first)
    crossing = half_crossing(t, first)
    steepest = Claim("fig2e_trend_change", "2e", text, f"{lo_w:g} < T < {hi_w:g}", (lo + hi) / 2, lo, hi,
                     f"the grid interval of the steepest slope per unit T lies within [{lo_w:g}, {hi_w:g}]",
                     NOT_EVALUATED, f"steepest between T = {lo:g} and {hi:g}; the interval columns are those T "
                     "(an interval touching the window is borderline: the grid cannot say more)",
                     "steepest slope per unit T", statistic="midpoint of the steepest grid interval")
    half_way = Claim("fig2e_trend_change", "2e", text, f"{lo_w:g} < T < {hi_w:g}", crossing, None, None,
                     f"the curve (scaled to [0, 1]) crosses 1/2 within [{lo_w:g}, {hi_w:g}]", NOT_EVALUATED,
                     "linear interpolation between grid temperatures", "curve shape: half-way crossing",
                     statistic="half-way temperature")
    return [judged(steepest, within_tolerance(lo, hi, (lo_w + hi_w) / 2, (hi_w - lo_w) / 2)),
            judged(half_way, point_in_window(crossing, lo_w, hi_w))]


def top_normalised_cod_sum(cod: pd.DataFrame, level: int, k: int) -> float:
    """Sum of the ``k`` largest ΔCOD(r)/N at one level (k = 1: the largest normalised COD)."""
    values = np.sort(cod.loc[cod["level"] == level, "norm_cod_increment"].to_numpy())[::-1]
    return float(values[:k].sum())


def narrowing_claims(cod_by_t: dict, level_deep: int, top_ranks: int) -> list[Claim]:
    """Fig. 2f, four readings of "the deep level's transition is narrower": the statistic (the
    largest normalised COD, or the sum over the top ranks) by the width (10%-90%, or the cold side)."""
    hot_t = max(cod_by_t)
    deep = deepest_level_at_most(cod_by_t[hot_t], level_deep)
    text = f"The level-{deep} transition is narrower than the level-0 one"
    claims = []
    for k in (1, top_ranks):
        statistic = "largest normalised COD" if k == 1 else f"sum of the top {k} normalised COD"
        t, shallow = _level_curve(cod_by_t, lambda f: top_normalised_cod_sum(f, 0, k))
        _, deeper = _level_curve(cod_by_t, lambda f: top_normalised_cod_sum(f, deep, k))
        for width_name, width in (("10%-90% width", transition_width), ("cold-side width", cold_side_width)):
            w0, wd = width(t, shallow), width(t, deeper)
            ratio = wd / w0 if np.isfinite(w0) and w0 > 0 and np.isfinite(wd) else None
            claim = Claim("fig2f_narrower", "2f", text, "narrower", ratio, None, None,
                          f"{width_name} (in T) at level {deep} / at level 0 < 1", NOT_EVALUATED,
                          f"widths: level 0 {w0:.3g}, level {deep} {wd:.3g}", f"{statistic}; {width_name}",
                          statistic="ratio of transition widths")
            claims.append(judged(claim, point_against_threshold(np.nan if ratio is None else ratio, 1.0, above=False)))
    return claims


def cod_decay_slope(cod: pd.DataFrame, rank_range, against: str = "rank") -> tuple[float, float, int]:
    """``(slope, standard error, points)`` of ln ΔCOD at level 0 over ``rank_range``, against ln r
    (``against="rank"``) or against ln(N - r) (``"remaining"``, eq. 29 as printed)."""
    rows = cod[(cod["level"] == 0) & cod["rank"].between(*rank_range) & (cod["cod_increment"] > 1e-8)]
    if len(rows) < 3:
        return float("nan"), float("nan"), len(rows)
    rank = rows["rank"].to_numpy(float)
    if against == "remaining":
        n_variables = float(np.median(rows["cod_increment"] / rows["norm_cod_increment"]))
        rank = n_variables - rank
    line = fit_line(np.log(rank), np.log(rows["cod_increment"].to_numpy(float)))
    return line.slope, line.slope_stderr, len(rows)


def eq29_rank_ranges(cod_by_t: dict, rank_range) -> list[tuple[int, int]]:
    """The rank ranges eq. 29 is read over: the configured one, without its first rank, and both
    extended to the largest rank computed at level 0 (the slope should not hinge on one choice)."""
    r0, r1 = (int(r) for r in rank_range)
    largest = int(min(f.loc[f["level"] == 0, "rank"].max() for f in cod_by_t.values()))
    ranges = [(r0, r1), (r0 + 1, r1), (r0, largest), (r0 + 1, largest)]
    return list(dict.fromkeys((a, b) for a, b in ranges if b - a >= 2))


def _slope_interval(cod, ranks, against="rank"):
    slope, stderr, n = cod_decay_slope(cod, ranks, against)
    return slope, slope - 1.96 * stderr, slope + 1.96 * stderr, n


EQ29_NEAR_TC = 0.1  # "T_c singled out": every temperature whose slope agrees lies within this of Tc


def eq29_claims(cod_by_t: dict, rank_range, n_nearest: int = 2, tolerance: float = 0.1) -> list[Claim]:
    """Eq. 29: near Tc the level-0 COD increment follows a power law with exponent (eta - 2)/d = -0.875
    (2D Ising). The text calls it a decay with rank; the printed equation has (N - r) as the base.

    Readings: the slope against rank over several rank ranges (:func:`eq29_rank_ranges`) at the
    ``n_nearest`` temperatures closest to Tc, and, per range, whether the temperatures whose slope
    agrees with the paper's value single out Tc (all within :data:`EQ29_NEAR_TC` of it); against
    N - r over the configured range. Intervals are the regression's (ranks treated as independent,
    so a lower bound on the uncertainty)."""
    target = EQ29_EXPONENT
    text = f"Near Tc the COD increment follows a power law with exponent (eta - 2)/d = {target:g}"
    nearest = sorted(cod_by_t, key=lambda t: abs(t - ISING_CRITICAL_TEMPERATURE))[:n_nearest]
    rule = f"the 95% interval lies within {target:g} +- {tolerance}"
    statistic = "log-log slope of DeltaCOD at level 0"

    def reading_claim(t, ranks, against, description):
        reading = f"T = {t:g}, {description}, ranks {ranks[0]}-{ranks[1]}"
        slope, low, high, n = _slope_interval(cod_by_t[t], ranks, against)
        if not np.isfinite(slope):
            return Claim("eq29_cod_decay", "eq. 29", text, f"{target:g}", None, None, None, rule, NOT_EVALUATED,
                         f"fewer than 3 ranks with an increment in {list(ranks)}", reading, statistic=statistic)
        span = ""
        if against == "remaining":
            rows = cod_by_t[t].query("level == 0")
            n_variables = float(np.median(rows["cod_increment"] / rows["norm_cod_increment"]))
            span = (f"; over these ranks N - r changes by only {100 * ranks[1] / n_variables:.2g}% "
                    f"(N = {n_variables:.0f}), so this slope is ill-determined")
        claim = Claim("eq29_cod_decay", "eq. 29", text, f"{target:g}", slope, low, high, rule, NOT_EVALUATED,
                      f"{n} ranks at level 0; interval from the regression's standard error{span}", reading,
                      statistic=statistic)
        return judged(claim, within_tolerance(low, high, target, tolerance, slope))

    claims = []
    ranges = eq29_rank_ranges(cod_by_t, rank_range)
    for t in sorted(nearest):
        for ranks in ranges:
            claims.append(reading_claim(t, ranks, "rank", EQ29_READINGS["rank"]))
        claims.append(reading_claim(t, tuple(rank_range), "remaining", EQ29_READINGS["remaining"]))
    for ranks in ranges:
        claims.append(tc_singled_out_claim(cod_by_t, ranks, target, tolerance, text))
    return claims


def tc_singled_out_claim(cod_by_t: dict, ranks, target: float, tolerance: float, text: str) -> Claim:
    """Whether the slope agrees with ``target`` near Tc only: a reading that fails when every T agrees.

    The margin is that of the temperature closest to tipping the call, in half-widths of its own
    interval: a temperature "agrees" here when its interval is not wholly outside the tolerance
    (within-tolerance margin m >= -1), so a T away from Tc contributes -1 - m (positive while it
    disagrees) and the best T near Tc contributes m + 1 (positive while it agrees). The note lists
    every temperature's slope and interval."""
    agreeing, closest, slopes = [], (np.inf, np.nan), []
    away_margins, near_margins = [], []
    for t in sorted(cod_by_t):
        slope, low, high, _ = _slope_interval(cod_by_t[t], ranks)
        if not np.isfinite(slope):
            continue
        slopes.append(f"{t:g}: {slope:.3f} [{low:.3f}, {high:.3f}]")
        closest = min(closest, (abs(slope - target), t))
        judgement = within_tolerance(low, high, target, tolerance, slope)
        if judgement.status != DISAGREES:
            agreeing.append(t)
        m = judgement.margin if judgement.margin is not None else (1.0 if judgement.status == AGREES else -np.inf)
        if abs(t - ISING_CRITICAL_TEMPERATURE) > EQ29_NEAR_TC:
            away_margins.append(-1.0 - m)
        else:
            near_margins.append(m + 1.0)
    away = [t for t in agreeing if abs(t - ISING_CRITICAL_TEMPERATURE) > EQ29_NEAR_TC]
    status = NOT_EVALUATED if not np.isfinite(closest[1]) else (
        AGREES if agreeing and not away else DISAGREES)
    margin = min(min(away_margins, default=np.inf), max(near_margins, default=-np.inf))
    listed = ", ".join(f"{t:g}" for t in agreeing) or "none"
    return judged(Claim("eq29_cod_decay", "eq. 29", text, f"{target:g} near Tc only", float(closest[1]), None, None,
                        f"every T whose slope's interval is not outside {target:g} +- {tolerance} lies within "
                        f"{EQ29_NEAR_TC:g} of Tc = {ISING_CRITICAL_TEMPERATURE:.4g}", NOT_EVALUATED,
                        f"{len(agreeing)} of {len(cod_by_t)} temperatures agree or are borderline (T = {listed}); "
                        f"slope [95% interval] per T: " + "; ".join(slopes),
                        f"Tc singled out, ranks {ranks[0]}-{ranks[1]}",
                        statistic="temperature whose slope is closest to the paper's"),
                  Judgement(status, float(margin) if np.isfinite(margin) else None,
                            "interval half-widths (the temperature closest to tipping the call)"
                            if np.isfinite(margin) else ""))
