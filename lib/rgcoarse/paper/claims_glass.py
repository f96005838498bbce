"""Claims of the paper's Fig. 3 (the glass): exponents with their readings and nulls, nonlinear depth, persistence."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.config.conditions import find_temperature
from rgcoarse.config.paper_values import paper_value
from rgcoarse.datasets.nulls import NULL_MODELS, persistence_null
from rgcoarse.paper.claims import (
    IDENTITY_SUFFIX,
    NOT_EVALUATED,
    Claim,
    exponent_readings,
    judged,
    null_test_claim,
    null_values,
)
from rgcoarse.paper.verdicts import (
    AGREES,
    ALPHA,
    DISAGREES,
    MIN_DRAWS,
    Judgement,
    from_p_value,
    holm,
    null_test,
    too_few_draws,
)
from rgcoarse.stats.null_draws import m2_slopes

PERSISTENCE_TEMPERATURE = paper_value("glass_persistence_temperature")
PERSISTENCE_DEPTH = paper_value("glass_persistence_depth")
LOCAL_NULL = "local"  # the null of a finite correlation range (rgcoarse.datasets.nulls.local_field)
COLLECTIVE_STATISTICS = {
    "m2_slope_all_levels": "log-log slope of M2(K) over every level",
    "m2_local_slope": "local slope of M2(K) between the two largest K (a common mode drives it towards 2)",
}
NONLINEAR_EXCESS = 2.0  # the previous rule's "nonlinear" COD: the first pick explains >= 2x a median pick


def first_pick(cod: pd.DataFrame, level: int) -> float:
    """ΔCOD(1)/N at one level: the share of the variance the best single variable explains."""
    rows = cod[cod["level"] == level]
    return float(rows.loc[rows["rank"].idxmin(), "norm_cod_increment"]) if len(rows) else float("nan")


def level_tests(cod: pd.DataFrame, null_draws_by_level: dict) -> pd.DataFrame:
    """Per level: the data's ΔCOD(1)/N against the null's draws (one-sided, data > null), Holm-corrected
    across the levels tested. ``null_draws_by_level``: level -> array of the null's values."""
    rows = []
    for level in sorted(cod["level"].unique()):
        draws = null_draws_by_level.get(int(level))
        if draws is None or len(draws) == 0:
            break  # a level no null draw reached ends the curve
        value = first_pick(cod, level)
        test = null_test(value, draws, "greater")
        rows.append({"level": int(level), "data": value, "null_mean": test.null_mean, "null_sd": test.null_sd,
                     "z": test.z, "p_value": test.p_value, "test": test.method, "draws": test.draws})
    frame = pd.DataFrame(rows, columns=["level", "data", "null_mean", "null_sd", "z", "p_value", "test", "draws"])
    frame["p_holm"] = holm(frame["p_value"].to_numpy()) if len(frame) else []
    return frame


def tested_depth(levels: pd.DataFrame, alpha: float = ALPHA) -> int:
    """Consecutive levels from level 0 whose Holm-adjusted p-value is at most ``alpha``."""
    depth = 0
    for p in levels["p_holm"]:
        if not p <= alpha:
            break
        depth += 1
    return depth


def figure3_claims(exponents: pd.DataFrame, cod_by_t: dict, method: str, high_t: float, low_t: float,
                   persistence_t: float = PERSISTENCE_TEMPERATURE, m2_by_t=None, nulls=None,
                   tolerance: float = 0.1, other_methods=(), other_m2=None) -> list[Claim]:
    """Figs. 3a-c: the glass claims (replica 0 of each temperature).

    ``m2_by_t`` (temperature -> table) adds the model-free slope readings of Figs. 3b-c; ``nulls``
    (the stacked null-statistics tables) the tests against the persistence null and Fig. 3a's
    depth. ``other_methods`` (rules with glass nulls besides ``method``, e.g. the paper's
    information rule) get exponent rows of their own, with their nulls, and with ``other_m2``
    (rule -> temperature -> table) the same slope readings.
    """
    m2_by_rule = {method: m2_by_t or {}, **(other_m2 or {})}
    high, low = paper_value("glass_high_t_exponent"), paper_value("glass_low_t_exponent")

    def readings(claim_id, figure, text, value, t, rule, expect_difference):
        tables = m2_by_rule.get(rule) or {}
        m2 = tables.get(find_temperature(t, tables)) if tables else None
        return exponent_readings(claim_id, figure, text, value, exponents, "glass", t, rule, tolerance,
                                 m2=m2, nulls=nulls, null_model=persistence_null(), expect_difference=expect_difference,
                                 with_random=rule == method)

    claims = []
    for rule in dict.fromkeys([method, *other_methods]):
        suffix = "" if rule == method else f"_{rule}"
        claims += readings(f"fig3b_exponent{suffix}", "3b", f"M2 exponent of p_hop at T = {high_t:g} is near {high:g}"
                           + ("" if rule == method else f" ({rule} rule)"), high, high_t, rule, False)
        claims += readings(f"fig3c_exponent{suffix}", "3c", f"M2 exponent of p_hop at T = {low_t:g} is about {low:g} "
                           f"(paper: T = {paper_value('glass_low_t_temperature'):g})"
                           + ("" if rule == method else f" ({rule} rule)"), low, low_t, rule, True)
    claims += persistence_claims(cod_by_t, nulls, method, persistence_t)
    claims += collective_mode_claims(m2_by_rule[method], nulls, method)
    return claims


def collective_mode_claims(m2_by_t: dict, nulls, method: str, model: str = LOCAL_NULL) -> list[Claim]:
    """The glass conclusion restated as a test that could fail: does p_hop's M2(K) grow faster than
    under a local field with the data's neighbourhoods and neighbour correlations (``local``)?

    M2(K) > K follows from any positive correlation, and agreement with the random-pairing formula
    E[M2(K)] = K s^2 (1 + (K - 1) rho) is an identity when rho comes from the same data; only an
    excess over a null of finite correlation range is evidence of a mode common to many particles.
    One row per (statistic, temperature), one-sided (data > null), Holm-corrected across the
    temperatures of each statistic.
    """
    if nulls is None or not len(nulls) or not m2_by_t:
        return []
    text = "p_hop has a collective mode: M2(K) grows faster than a local field with the data's neighbour correlations gives"
    claims = []
    for statistic, meaning in COLLECTIVE_STATISTICS.items():
        entries = []
        for t in sorted(m2_by_t):
            draws = null_values(nulls, "glass", t, method, model, statistic)
            if draws is not None and len(draws):
                value = m2_slopes(m2_by_t[t])[statistic]
                entries.append((t, value, null_test(value, draws, "greater")))
        adjusted = holm([test.p_value if np.isfinite(test.p_value) else 1.0 for _, _, test in entries])
        for (t, value, test), p_holm in zip(entries, adjusted):
            claim = Claim(f"glass_collective_mode_T{t:g}", "3", f"{text} (T = {t:g})", "exceeds the local null",
                          float(value), None, None,
                          f"{meaning}: data > {model} null, {test.describe('greater')}, Holm-corrected over "
                          f"{len(entries)} temperatures, p <= {ALPHA:g} (borderline up to {2 * ALPHA:g})",
                          NOT_EVALUATED, f"{method} rule; unadjusted p = {test.p_value:.3g}",
                          f"{statistic} beyond a finite correlation range", null_value=test.null_mean,
                          statistic=statistic, null_model=model, null_draws=test.draws)
            problem = too_few_draws(test.draws)
            if problem is not None:
                claims.append(judged(claim, Judgement(NOT_EVALUATED, None), note=f"{claim.note}; {problem}"))
                continue
            claims.append(judged(claim, from_p_value(float(p_holm), test.z), p_value=float(p_holm), z=test.z))
    return claims


def persistence_claims(cod_by_t: dict, nulls, method: str, persistence_t: float = PERSISTENCE_TEMPERATURE) -> list[Claim]:
    """Fig. 3a, one reading per null model.

    Against a null that destroys cross-feature structure (``shift``): the depth, the number of
    consecutive levels from level 0 whose ΔCOD(1)/N exceeds the null's draws (one-sided test per
    level, Holm-corrected across levels; no free factor). Against a null that keeps every pair
    covariance (``covgauss``): ΔCOD(1)/N of a linear selection depends only on the covariance, so
    data and null must coincide; that row is an identity check (two-sided, agrees when they do not
    differ), not a test of the claim.
    """
    text = f"Nonlinear COD persists for about {PERSISTENCE_DEPTH} levels at T = {persistence_t:g}"
    rule = (f"Holm-corrected one-sided tests of DeltaCOD(1)/N against the null, level by level at {ALPHA:g}: "
            f"depth (consecutive levels from 0) is {PERSISTENCE_DEPTH} +- 1")
    match = find_temperature(persistence_t, cod_by_t)
    statistic = "depth: levels from 0 where DeltaCOD(1)/N beats the null"
    if match is None:
        return [Claim("fig3a_persistence", "3a", text, f"{PERSISTENCE_DEPTH} levels", None, None, None, rule, NOT_EVALUATED,
                      f"T = {persistence_t:g} not simulated", statistic=statistic)]
    cod = cod_by_t[match]
    models = [] if nulls is None or not len(nulls) else sorted(set(nulls["model"]))
    claims = []
    for model in models:
        by_level = {lev: null_values(nulls, "glass", persistence_t, method, model, "first_pick", level=lev)
                    for lev in sorted(int(x) for x in cod["level"].unique())}
        by_level = {lev: v for lev, v in by_level.items() if v is not None and len(v)}
        if not by_level:
            continue
        if NULL_MODELS[model].keeps_covariance:
            claims.append(identity_check(cod, by_level, model, text))
            continue
        tests = level_tests(cod, by_level)
        depth = tested_depth(tests)
        draws = int(tests["draws"].min()) if len(tests) else 0
        curve = "; ".join(f"L{int(r.level)}: {r.data:.3g} vs {r.null_mean:.3g}+-{r.null_sd:.2g} (p_Holm {r.p_holm:.2g})"
                          for r in tests.itertuples())
        claim = Claim("fig3a_persistence", "3a", text, f"{PERSISTENCE_DEPTH} levels", float(depth), None, None, rule,
                      NOT_EVALUATED, f"per level, data vs null mean+-sd: {curve}", f"against the {model} null",
                      statistic=statistic, null_model=model, null_draws=draws,
                      p_value=float(tests["p_holm"].iloc[0]) if len(tests) else None)
        if draws < MIN_DRAWS:
            claims.append(judged(claim, Judgement(NOT_EVALUATED, None),
                                 note=f"{claim.note}; only {draws} null draws (config key nulls.draws; at least {MIN_DRAWS})"))
            continue
        margin = 1 - abs(depth - PERSISTENCE_DEPTH)  # an integer: 3, 4 and 5 levels agree, nothing is in between
        claims.append(judged(claim, Judgement(AGREES if margin >= 0 else DISAGREES, float(margin), "levels")))
    if not claims:
        claims.append(Claim("fig3a_persistence", "3a", text, f"{PERSISTENCE_DEPTH} levels", None, None, None, rule,
                            NOT_EVALUATED, f"no null model was run at T = {persistence_t:g} (config keys nulls.models, "
                            "nulls.temperatures)", statistic=statistic))
    return claims


def identity_check(cod: pd.DataFrame, by_level: dict, model: str, text: str) -> Claim:
    """ΔCOD(1)/N at level 0 on a covariance-keeping null equals the data's up to sampling (an identity)."""
    value = first_pick(cod, 0)
    draws = by_level.get(0, np.array([]))
    claim = Claim(f"fig3a{IDENTITY_SUFFIX}", "3a", "Linear COD on a null that keeps every pair covariance equals the data's "
                  "(a check of the machinery, not of the paper)", "(identity)", value, None, None,
                  f"DeltaCOD(1)/N at level 0 equals the {model} null's (linear COD depends only on the covariance)",
                  NOT_EVALUATED, "an identity check of the machinery, not a test of the claim",
                  f"identity check: the {model} null", statistic="DeltaCOD(1)/N at level 0")
    return null_test_claim(claim, value, draws, model, alternative="two-sided", expect_difference=False)
