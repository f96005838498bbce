"""The claims table: every number or statement the paper makes, against what we reproduce.

Each claim is decided by one explicit agreement rule, stated in the table, so a reader can
re-check the verdict. Rules are pure functions of numbers; the builders below turn result
tables into claim rows. A claim whose inputs are missing gets the verdict ``not evaluated``
with the reason, never a silent pass. A fit is used only when
:func:`rgcoarse.fits.fit_problem` finds nothing wrong with it (status ``ok``, finite numbers);
otherwise the claim is ``not evaluated`` and its note names the fit's status. A claim about
every temperature in a range is ``not evaluated`` unless every one of them has a usable fit
(or one of the usable fits already disagrees).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from rgcoarse.conditions import find_temperature
from rgcoarse.constants import ISING_CRITICAL_TEMPERATURE, TEMPERATURE_TOLERANCE
from rgcoarse.fits import fit_problem
from rgcoarse.linefit import fit_line
from rgcoarse.summaries import (
    OCCUPATION_VARIANCE_FACTOR,
    deepest_level_at_most,
    first_pick_excess,
    largest_normalised_cod,
    level_m2,
)

AGREES, DISAGREES, NOT_EVALUATED = "agrees", "disagrees", "not evaluated"


@dataclass(frozen=True)
class Claim:
    claim_id: str
    figure: str
    claim: str
    paper_value: str
    reproduced: float | None
    ci_low: float | None
    ci_high: float | None
    rule: str
    verdict: str
    note: str = ""


# ----- agreement rules (pure; unit-tested on constructed inputs) -----------------------------


def close_to(value: float, target: float, ci_low: float, ci_high: float, tolerance: float) -> bool:
    """Agreement for a quoted number: the CI contains the target or the value is within ``tolerance``."""
    return bool((ci_low <= target <= ci_high) or abs(value - target) <= tolerance)


def at_least(value: float, bound: float) -> bool:
    return bool(value >= bound)


def interval_contains(interval: tuple[float, float], point: float) -> bool:
    lo, hi = sorted(interval)
    return bool(lo <= point <= hi)


def coefficient_of_variation(values) -> float:
    """Standard deviation over mean (0 for a constant sequence)."""
    values = np.asarray(values, dtype=float)
    return float(values.std() / abs(values.mean()))


def steepest_interval(temperatures, values) -> tuple[float, float]:
    """The interval between consecutive temperatures over which ``values`` change most."""
    order = np.argsort(temperatures)
    t, v = np.asarray(temperatures, float)[order], np.asarray(values, float)[order]
    i = int(np.argmax(np.abs(np.diff(v))))
    return float(t[i]), float(t[i + 1])


def transition_width(temperatures, values, low: float = 0.1, high: float = 0.9) -> float:
    """Temperature span over which a monotone-ish curve crosses from ``high`` to ``low`` of its range.

    The curve is normalised to [0, 1] between its minimum and maximum, and the first crossings
    of the two levels (by linear interpolation, scanning up in T) are compared.
    """
    order = np.argsort(temperatures)
    t, v = np.asarray(temperatures, float)[order], np.asarray(values, float)[order]
    span = v.max() - v.min()
    if span <= 0:
        return float("inf")
    scaled = (v - v.min()) / span
    return abs(_first_crossing(t, scaled, low) - _first_crossing(t, scaled, high))


def _first_crossing(t, y, level):
    for i in range(len(t) - 1):
        if (y[i] - level) * (y[i + 1] - level) <= 0 and y[i] != y[i + 1]:
            return t[i] + (level - y[i]) * (t[i + 1] - t[i]) / (y[i + 1] - y[i])
    return t[-1]


# ----- claim builders ------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return AGREES if ok else DISAGREES


def no_fit_note(fit) -> str | None:
    """``None`` for a usable fit, else the note of a claim that cannot use it (with the status)."""
    problem = fit_problem(fit)
    if problem is None:
        return None
    if fit is None:
        return "no fit for this condition (no row in the exponents table)"
    where = f" at T = {float(fit['temperature']):g}" if "temperature" in fit else ""
    return f"no usable fit{where}: status {problem}"


def exponent_claim(claim_id, figure, text, paper_value, fit, tolerance, note=""):
    """A quoted exponent: agree when the CI contains it or the estimate is within ``tolerance``."""
    rule = f"95% CI contains {paper_value} or |exponent - {paper_value}| <= {tolerance}"
    problem = no_fit_note(fit)
    if problem is not None:
        return Claim(claim_id, figure, text, str(paper_value), None, None, None, rule, NOT_EVALUATED, problem)
    ok = close_to(fit["exponent"], paper_value, fit["ci_low"], fit["ci_high"], tolerance)
    note = "; ".join(filter(None, [f"fit over K in [{fit['fit_min']:g}, {fit['fit_max']:g}]", note]))
    return Claim(claim_id, figure, text, str(paper_value), float(fit["exponent"]), float(fit["ci_low"]),
                 float(fit["ci_high"]), rule, verdict(ok), note)


def lower_bound_claim(claim_id, figure, text, paper_value, fit, bound, note=""):
    """An exponent bound: agree when the estimate is at least ``bound``."""
    rule = f"exponent >= {bound}"
    problem = no_fit_note(fit)
    if problem is not None:
        return Claim(claim_id, figure, text, paper_value, None, None, None, rule, NOT_EVALUATED, problem)
    return Claim(claim_id, figure, text, paper_value, float(fit["exponent"]), float(fit["ci_low"]),
                 float(fit["ci_high"]), rule, verdict(at_least(fit["exponent"], bound)), note)


def every_temperature_claim(build, fits: dict, worst) -> Claim | None:
    """A claim about every temperature of a range, judged on the worst usable fit.

    ``fits`` maps temperature -> fit row (or None); ``worst`` picks the fit that decides among
    the usable ones; ``build(fit, note)`` makes the claim from one fit. Temperatures without a
    usable fit are named in the note; with any of them, a verdict other than ``disagrees``
    becomes ``not evaluated`` (the claim is about every temperature). ``None`` when ``fits``
    is empty.
    """
    if not fits:
        return None
    usable = {t: f for t, f in fits.items() if fit_problem(f) is None}
    missing = {t: f for t, f in fits.items() if t not in usable}
    missing_note = "no usable fit at " + "; ".join(f"T = {t:g} ({fit_problem(f)})" for t, f in sorted(missing.items()))
    if not usable:
        claim = build(None, "")
        return Claim(**{**asdict(claim), "verdict": NOT_EVALUATED,
                        "note": f"{missing_note} (no temperature of the range has one)"})
    chosen_t, chosen = worst(usable)
    claim = build(chosen, f"the worst of {len(fits)} temperatures, T = {chosen_t:g}")
    if missing and claim.verdict != DISAGREES:
        return Claim(**{**asdict(claim), "verdict": NOT_EVALUATED,
                        "note": f"{claim.note}; {claim.verdict} at the {len(usable)} fitted temperatures, but "
                                f"{missing_note}"})
    return claim


def claims_frame(claims: list[Claim]) -> pd.DataFrame:
    return pd.DataFrame([asdict(c) for c in claims])


def claims_markdown(frame: pd.DataFrame) -> str:
    """A Markdown rendering of the claims table."""
    def fmt(x):
        if x is None or (isinstance(x, float) and not np.isfinite(x)):
            return "–"
        return f"{x:.3g}" if isinstance(x, (float, np.floating)) else str(x)

    def cell(text):
        return str(text).replace("|", "\\|")  # a bare | would split the Markdown cell

    header = "| id | figure | claim | paper | reproduced | 95% CI | rule | verdict |"
    lines = [header, "|" + "---|" * 8]
    def interval(low, high):
        # Enough significant digits that a non-zero interval never prints as [1.06, 1.06].
        for digits in range(3, 7):
            lo, hi = f"{low:.{digits}g}", f"{high:.{digits}g}"
            if lo != hi or low == high:
                break
        return f"[{lo}, {hi}]"

    for row in frame.itertuples(index=False):
        ci = "–" if row.ci_low is None or pd.isna(row.ci_low) else interval(row.ci_low, row.ci_high)
        lines.append(
            f"| {row.claim_id} | {row.figure} | {cell(row.claim)} | {cell(row.paper_value)} | {fmt(row.reproduced)} | "
            f"{ci} | {cell(row.rule)} | **{row.verdict}** |"
        )
    return "\n".join(lines) + "\n"


# ----- the paper's Figs. 1-2 -----------------------------------------------------------------

def _fit_row(exponents: pd.DataFrame, dataset, temperature, method, observable="m2"):
    rows = exponents[
        (exponents["dataset"] == dataset)
        & (exponents["method"] == method)
        & (exponents["observable"] == observable)
        & np.isclose(exponents["temperature"].astype(float), temperature, atol=TEMPERATURE_TOLERANCE)
    ]
    return None if rows.empty else rows.iloc[0].to_dict()


def _level_curve(tables_by_t: dict, statistic) -> tuple[np.ndarray, np.ndarray]:
    temperatures = np.array(sorted(tables_by_t))
    return temperatures, np.array([statistic(tables_by_t[t]) for t in temperatures])


def linear_r_squared(x, y) -> float:
    """Coefficient of determination of the least-squares straight line through (x, y)."""
    return fit_line(x, y).r_squared


def figure1_claims(gaussian_cod: pd.DataFrame, max_cv: float = 0.25, min_r2: float = 0.99) -> list[Claim]:
    """Fig. 1: the COD increments of a random matrix are nearly uniform, the MSE linear in rank."""
    level0 = gaussian_cod[gaussian_cod["level"] == 0]
    cv = coefficient_of_variation(level0["delta_cod"])
    r2 = linear_r_squared(level0["rank"], level0["cod"])
    return [
        Claim("fig1_uniform", "1", "COD increments of a random Gaussian matrix are nearly uniform over rank",
              "nearly constant", cv, None, None,
              f"coefficient of variation of DeltaCOD(r) over all ranks at level 0 <= {max_cv}", verdict(cv <= max_cv),
              "reproduced value is the coefficient of variation"),
        Claim("fig1_linear", "1", "The MSE of a random Gaussian matrix decreases linearly with rank",
              "linear", r2, None, None, f"R^2 of a straight line through COD(r) against r at level 0 >= {min_r2}",
              verdict(r2 >= min_r2), "reproduced value is R^2 of the straight-line fit"),
    ]


def figure2_claims(exponents, m2_by_t, cod_by_t, method, below_tc_temperature, level_deep=10) -> list[Claim]:
    """Figs. 2a-f: the Ising claims, from M2 and COD tables keyed by temperature."""
    claims = []
    t, m2_level0 = _level_curve(m2_by_t, lambda f: level_m2(f, 0) * OCCUPATION_VARIANCE_FACTOR)
    deviation = float(np.max(np.abs(m2_level0 - 0.25)))
    claims.append(Claim("fig2a_level0", "2a", "Level-0 mean variance of occupation variables is 0.25 at every T",
                        "0.25", deviation, None, None, "max over T of |M2 - 0.25| <= 0.01",
                        verdict(deviation <= 0.01), "reproduced value is the largest deviation from 0.25"))

    deep = deepest_level_at_most(next(iter(m2_by_t.values())), level_deep)
    _, m2_deep = _level_curve(m2_by_t, lambda f: level_m2(f, deep))
    cold, hot = m2_deep[t < ISING_CRITICAL_TEMPERATURE], m2_deep[t > ISING_CRITICAL_TEMPERATURE]
    ratio = float(cold.mean() / hot.mean()) if cold.size and hot.size else float("nan")
    claims.append(Claim("fig2b_transition", "2b", f"Coarse-graining reveals the transition (level {deep})",
                        "M2 jumps at Tc", ratio if np.isfinite(ratio) else None, None, None,
                        "mean M2 below Tc / mean M2 above Tc >= 10",
                        verdict(bool(np.isfinite(ratio) and ratio >= 10)) if np.isfinite(ratio) else NOT_EVALUATED,
                        "needs temperatures on both sides of Tc"))

    claims.append(exponent_claim("fig2c_exponent", "2c", "M2 exponent at T = 9.5 is about 1.05", 1.05,
                                 _fit_row(exponents, "ising", 9.5, method), tolerance=0.05))
    claims.append(exponent_claim("fig2d_exponent", "2d", f"M2 exponent below Tc (T = {below_tc_temperature:g}) is close to 2",
                                 2.0, _fit_row(exponents, "ising", below_tc_temperature, method), tolerance=0.1))
    cold_fits = {float(x): _fit_row(exponents, "ising", float(x), method) for x in t[t < ISING_CRITICAL_TEMPERATURE]}
    claim = every_temperature_claim(
        lambda fit, note: lower_bound_claim("fig2d_all_below_tc", "2c-d", "M2 exponent is close to 2 at every T below Tc",
                                            "close to 2", fit, bound=1.8, note=note),
        cold_fits, lambda usable: min(usable.items(), key=lambda item: item[1]["exponent"]))
    if claim is not None:
        claims.append(claim)
    hot_fits = {float(x): _fit_row(exponents, "ising", float(x), method) for x in t[t >= 5.0]}
    claim = every_temperature_claim(
        lambda fit, note: exponent_claim("fig2c_high_t", "2c", "M2 exponent is almost 1 at every T >= 5", 1.0,
                                         fit, tolerance=0.1, note=note),
        hot_fits, lambda usable: max(usable.items(), key=lambda item: abs(item[1]["exponent"] - 1.0)))
    if claim is not None:
        claims.append(claim)

    t_cod, first = _level_curve(cod_by_t, lambda f: largest_normalised_cod(f, 0))
    lo, hi = steepest_interval(t_cod, first)
    inside = lo >= 2.3 - 1e-9 and hi <= 2.4 + 1e-9
    claims.append(Claim("fig2e_trend_change", "2e", "The COD trend changes substantially between T = 2.3 and 2.4",
                        "2.3 < T < 2.4", (lo + hi) / 2, lo, hi,
                        "the steepest change of the level-0 largest normalised COD between consecutive temperatures "
                        "lies within [2.3, 2.4]", verdict(inside), f"steepest change between T = {lo:g} and {hi:g}"))
    hot_t = max(cod_by_t)
    rows = cod_by_t[hot_t].query("level == 0")
    cv = coefficient_of_variation(rows["norm_delta_cod"])
    claims.append(Claim("fig2e_high_t_uniform", "2e", f"At high T ({hot_t:g}) the COD is uniform over rank, like random data",
                        "uniform", cv, None, None,
                        "coefficient of variation of DeltaCOD(r)/N over the computed ranks at level 0 <= 0.25",
                        verdict(cv <= 0.25), f"ranks 1..{int(rows['rank'].max())}"))

    deep_cod = deepest_level_at_most(cod_by_t[hot_t], level_deep)
    _, first_deep = _level_curve(cod_by_t, lambda f: largest_normalised_cod(f, deep_cod))
    width0, width_deep = transition_width(t_cod, first), transition_width(t_cod, first_deep)
    claims.append(Claim("fig2f_narrower", "2f", f"The level-{deep_cod} transition is narrower than the level-0 one",
                        "narrower", width_deep / width0 if np.isfinite(width0) and width0 > 0 else None, None, None,
                        "10%-90% transition width (in T) at the deep level < width at level 0",
                        verdict(width_deep < width0),
                        f"widths: level 0 {width0:.3g}, level {deep_cod} {width_deep:.3g}; reproduced value is their ratio"))
    return claims


# ----- the paper's Fig. 3 (Kob–Andersen glass) -----------------------------------------------

NONLINEAR_EXCESS = 2.0  # "nonlinear" COD at a level: the first pick explains >= 2x a median pick


def nonlinear_depth(cod: pd.DataFrame, threshold: float = NONLINEAR_EXCESS) -> int:
    """Number of consecutive levels, from level 0, whose COD is "nonlinear".

    A level is nonlinear when ΔCOD(1) is at least ``threshold`` times the median increment of
    its computed ranks (see :func:`rgcoarse.summaries.first_pick_excess`).
    """
    depth = 0
    for level in sorted(cod["level"].unique()):
        if cod.loc[cod["level"] == level, "rank"].size < 3 or first_pick_excess(cod, level) < threshold:
            break
        depth += 1
    return depth


def figure3_claims(exponents: pd.DataFrame, cod_by_t: dict, method: str, high_t: float, low_t: float,
                   persistence_t: float = 0.47) -> list[Claim]:
    """Figs. 3a-c: the glass claims (replica 0 of each temperature)."""
    claims = [
        exponent_claim("fig3b_exponent", "3b", f"M2 exponent of p_hop at T = {high_t:g} is near 1", 1.0,
                       _fit_row(exponents, "glass", high_t, method), tolerance=0.1),
        exponent_claim("fig3c_exponent", "3c", f"M2 exponent of p_hop at T = {low_t:g} is about 1.85 (paper: T = 0.4)",
                       1.85, _fit_row(exponents, "glass", low_t, method), tolerance=0.1),
    ]
    rule = (f"number of consecutive levels from level 0 with DeltaCOD(1) >= {NONLINEAR_EXCESS:g} x median "
            "DeltaCOD(r) is 3, 4 or 5")
    match = find_temperature(persistence_t, cod_by_t)
    if match is None:
        claims.append(Claim("fig3a_persistence", "3a", f"Nonlinear COD persists for about 4 levels at T = {persistence_t:g}",
                            "4 levels", None, None, None, rule, NOT_EVALUATED, f"T = {persistence_t:g} not simulated"))
    else:
        depth = nonlinear_depth(cod_by_t[match])
        claims.append(Claim("fig3a_persistence", "3a", f"Nonlinear COD persists for about 4 levels at T = {persistence_t:g}",
                            "4 levels", float(depth), None, None, rule, verdict(3 <= depth <= 5),
                            "reproduced value is the number of nonlinear levels"))
    return claims
