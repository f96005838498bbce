"""Claims of the paper's Fig. 3 (the glass): exponents with their readings and nulls, nonlinear depth, persistence."""

from __future__ import annotations

import pandas as pd

from rgcoarse.config.conditions import find_temperature
from rgcoarse.config.paper_values import paper_value
from rgcoarse.datasets.nulls import persistence_null
from rgcoarse.paper.claims import NOT_EVALUATED, Claim, exponent_readings, verdict
from rgcoarse.stats.summaries import (
    first_pick_excess,
)

PERSISTENCE_TEMPERATURE = paper_value("glass_persistence_temperature")
PERSISTENCE_DEPTH = paper_value("glass_persistence_depth")
NONLINEAR_EXCESS = 2.0  # the previous rule's "nonlinear" COD: the first pick explains >= 2x a median pick


NULL_EXCESS = 2.0  # "nonlinear" against a null: ΔCOD(1)/N >= this x the null draws' largest


def nonlinear_depth(cod: pd.DataFrame, threshold: float = NONLINEAR_EXCESS) -> int:
    """Number of consecutive levels, from level 0, whose COD is "nonlinear" (no null: the previous rule).

    A level is nonlinear when ΔCOD(1) is at least ``threshold`` times the median increment of
    its computed ranks (see :func:`rgcoarse.stats.summaries.first_pick_excess`). Data without any
    cross-feature structure pass this rule too; :func:`depth_against_null` replaces it.
    """
    depth = 0
    for level in sorted(cod["level"].unique()):
        if cod.loc[cod["level"] == level, "rank"].size < 3 or first_pick_excess(cod, level) < threshold:
            break
        depth += 1
    return depth


def first_pick(cod: pd.DataFrame, level: int) -> float:
    """ΔCOD(1)/N at one level: the share of the variance the best single variable explains."""
    rows = cod[cod["level"] == level]
    return float(rows.loc[rows["rank"].idxmin(), "norm_cod_increment"]) if len(rows) else float("nan")


def depth_against_null(cod: pd.DataFrame, null_cods: list, factor: float = NULL_EXCESS) -> int:
    """Consecutive levels from level 0 where the data's ΔCOD(1)/N is at least ``factor`` times the
    largest ΔCOD(1)/N of the null draws at that level (a level no null draw reached ends the count)."""
    depth = 0
    for level in sorted(cod["level"].unique()):
        null_values = [first_pick(n, level) for n in null_cods if level in set(n["level"])]
        if not null_values or first_pick(cod, level) < factor * max(null_values):
            break
        depth += 1
    return depth


def figure3_claims(exponents: pd.DataFrame, cod_by_t: dict, method: str, high_t: float, low_t: float,
                   persistence_t: float = PERSISTENCE_TEMPERATURE, m2_by_t=None, null_m2_by_t=None, null_cods=None,
                   tolerance: float = 0.1) -> list[Claim]:
    """Figs. 3a-c: the glass claims (replica 0 of each temperature).

    ``m2_by_t`` / ``null_m2_by_t`` (temperature -> table, or -> list of the shift null's draws)
    add the fit-range readings of Figs. 3b-c; ``null_cods`` (model -> temperature -> list of
    COD tables) the null comparisons of Fig. 3a.
    """
    m2_by_t, null_m2_by_t, null_cods = m2_by_t or {}, null_m2_by_t or {}, null_cods or {}

    def readings(claim_id, figure, text, paper_value, t):
        m2 = m2_by_t.get(find_temperature(t, m2_by_t)) if m2_by_t else None
        nulls = null_m2_by_t.get(find_temperature(t, null_m2_by_t), []) if null_m2_by_t else []
        return exponent_readings(claim_id, figure, text, paper_value, exponents, "glass", t, method, tolerance,
                                 m2=m2, null_m2s=nulls, null_model=persistence_null())

    high, low = paper_value("glass_high_t_exponent"), paper_value("glass_low_t_exponent")
    claims = readings("fig3b_exponent", "3b", f"M2 exponent of p_hop at T = {high_t:g} is near {high:g}", high, high_t)
    claims += readings("fig3c_exponent", "3c", f"M2 exponent of p_hop at T = {low_t:g} is about {low:g} "
                       f"(paper: T = {paper_value('glass_low_t_temperature'):g})", low, low_t)
    claims += persistence_claims(cod_by_t, null_cods, persistence_t)
    return claims


def persistence_claims(cod_by_t: dict, null_cods: dict, persistence_t: float = PERSISTENCE_TEMPERATURE) -> list[Claim]:
    """Fig. 3a, one reading per null model: the depth of nonlinear COD against that null."""
    text = f"Nonlinear COD persists for about {PERSISTENCE_DEPTH} levels at T = {persistence_t:g}"
    rule = (f"number of consecutive levels from level 0 with DeltaCOD(1)/N >= {NULL_EXCESS:g} x the null draws' "
            "largest is 3, 4 or 5")
    match = find_temperature(persistence_t, cod_by_t)
    if match is None:
        return [Claim("fig3a_persistence", "3a", text, f"{PERSISTENCE_DEPTH} levels", None, None, None, rule, NOT_EVALUATED,
                      f"T = {persistence_t:g} not simulated")]
    cod = cod_by_t[match]
    legacy = nonlinear_depth(cod)
    claims = []
    for model, by_t in sorted(null_cods.items()):
        draws = by_t.get(find_temperature(persistence_t, by_t), []) if by_t else []
        if not draws:
            claims.append(Claim("fig3a_persistence", "3a", text, f"{PERSISTENCE_DEPTH} levels", None, None, None, rule, NOT_EVALUATED,
                                f"no {model} null at T = {persistence_t:g}", f"against the {model} null"))
            continue
        depth = depth_against_null(cod, draws)
        null_legacy = max(nonlinear_depth(d) for d in draws)
        claims.append(Claim("fig3a_persistence", "3a", text, f"{PERSISTENCE_DEPTH} levels", float(depth), None, None, rule,
                            verdict(PERSISTENCE_DEPTH - 1 <= depth <= PERSISTENCE_DEPTH + 1),
                            f"reproduced value is the depth; {len(draws)} null draws; null_value is their largest "
                            f"DeltaCOD(1)/N at level 0 (data: {first_pick(cod, 0):.3g}). The previous rule (DeltaCOD(1) >= {NONLINEAR_EXCESS:g} x median, "
                            f"no null) gives depth {legacy} on the data and up to {null_legacy} on this null",
                            f"against the {model} null", max(first_pick(d, 0) for d in draws)))
    if not claims:
        claims.append(Claim("fig3a_persistence", "3a", text, f"{PERSISTENCE_DEPTH} levels", None, None, None, rule, NOT_EVALUATED,
                            f"no null model was run at T = {persistence_t:g} (config nulls.models.glass); the previous "
                            f"rule without a null gives depth {legacy}"))
    return claims
