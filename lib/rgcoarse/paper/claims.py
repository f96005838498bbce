"""The claims table: every number or statement the paper makes, against what we reproduce.

Each claim is decided by one explicit claim check, stated in the table, so a reader can
re-check the verdict. A claim the paper words in more than one defensible way (caption against
text, which ranks a "sum" runs over, which range of K an exponent is fitted over) has one row per
reading, and every row carries the claim's overall verdict across its readings
(:func:`overall_verdict`). Claims of structure, nonlinearity or persistence compare the data's
statistic with the same statistic on null datasets (:mod:`rgcoarse.datasets.nulls`), in ``null_value``;
claims of where a curve changes use slopes per unit T or the curve's shape, never differences
between neighbours of an uneven temperature grid. Rules are pure functions of numbers; the builders below turn result
tables into claim rows. A claim whose inputs are missing gets the verdict ``not evaluated``
with the reason, never a silent pass. A fit is used only when
:func:`rgcoarse.stats.fits.fit_problem` finds nothing wrong with it (status ``ok``, finite numbers);
otherwise the claim is ``not evaluated`` and its note names the fit's status. A claim about
every temperature in a range is ``not evaluated`` unless every one of them has a usable fit
(or one of the usable fits already disagrees).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from rgcoarse.config.constants import TEMPERATURE_TOLERANCE
from rgcoarse.config.paper_values import paper_value
from rgcoarse.paper.verdicts import (
    AGREES,
    BORDERLINE,
    DISAGREES,
    NOT_TESTABLE,
    Judgement,
    at_least_interval,
    from_p_value,
    null_test,
    point_within_tolerance,
    too_few_draws,
    within_tolerance,
)
from rgcoarse.stats.fits import fit_problem
from rgcoarse.stats.null_draws import m2_slopes

NOT_EVALUATED = NOT_TESTABLE  # the one word for a row whose inputs are missing or too few


@dataclass(frozen=True)
class Claim:
    claim_id: str
    figure: str
    claim: str
    paper_value: str
    reproduced: float | None
    ci_low: float | None
    ci_high: float | None
    check: str  # the claim check: how the verdict is decided (not a Snakemake rule, not a pairing rule)
    verdict: str
    note: str = ""
    reading: str = "as stated"
    null_value: float | None = None
    statistic: str = ""  # what ``reproduced`` is
    null_model: str = ""
    null_draws: int = 0
    p_value: float | None = None
    z: float | None = None
    margin: float | None = None  # distance to the decision's boundary, in margin_unit (positive: agrees' side)
    margin_unit: str = ""


def judged(claim: Claim, judgement: Judgement, **changes) -> Claim:
    """``claim`` with the status and margin of ``judgement`` (and any other fields changed)."""
    return Claim(**{**asdict(claim), "verdict": judgement.status, "margin": judgement.margin,
                    "margin_unit": judgement.margin_unit, **changes})


def null_test_claim(claim: Claim, value: float, null_values, model: str, alternative: str = "greater",
                    expect_difference: bool = True) -> Claim:
    """``claim`` judged by a test of ``value`` against ``null_values`` (draws of the same statistic on ``model``).

    ``expect_difference``: the claim is that the data differ from the null (structure); otherwise
    that they do not ("like random data": agrees when p > 2 alpha, disagrees at p <= alpha).
    """
    test = null_test(value, null_values, alternative)
    base = dict(null_model=model, null_draws=test.draws,
                null_value=float(np.median(null_values)) if test.draws else None)
    problem = too_few_draws(test.draws)
    if problem is not None:
        return judged(claim, Judgement(NOT_TESTABLE, None), **base,
                      note="; ".join(filter(None, [claim.note, problem])))
    judgement = from_p_value(test.p_value, test.z, two_sided=alternative == "two-sided")
    if not expect_difference:
        flipped = {AGREES: DISAGREES, DISAGREES: AGREES}.get(judgement.status, judgement.status)
        margin = None if judgement.margin is None else -judgement.margin
        judgement = Judgement(flipped, margin, judgement.margin_unit)
    check = f"{claim.check}: {test.describe(alternative)}, p <= {ALPHA_TEXT}"
    return judged(claim, judgement, **base, p_value=test.p_value, z=test.z, check=check)


ALPHA_TEXT = "0.05 (borderline up to 0.1)"


# ----- claim checks (pure; unit-tested on constructed inputs) -----------------------------


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


def steepest_slope_interval(temperatures, values) -> tuple[float, float]:
    """The interval between consecutive temperatures where ``values`` change fastest per unit T.

    Unlike :func:`steepest_interval` (the largest absolute change), a wide grid step does not
    win merely by being wide.
    """
    order = np.argsort(temperatures)
    t, v = np.asarray(temperatures, float)[order], np.asarray(values, float)[order]
    i = int(np.argmax(np.abs(np.diff(v) / np.diff(t))))
    return float(t[i]), float(t[i + 1])


def half_crossing(temperatures, values) -> float:
    """Temperature where the curve, scaled to [0, 1] between its minimum and maximum, first crosses 1/2."""
    t, scaled = _scaled_curve(temperatures, values)
    return float(_first_crossing(t, scaled, 0.5)) if scaled is not None else float("nan")


def cold_side_width(temperatures, values, edge: float = 0.1) -> float:
    """Temperature span from the cold plateau's edge to the half-way crossing of the scaled curve.

    The curve is scaled to [0, 1]; on the cold side it sits near 1 (or 0), and the width is
    the distance between the crossings of ``1 - edge`` (or ``edge``) and 1/2.
    """
    t, scaled = _scaled_curve(temperatures, values)
    if scaled is None:
        return float("inf")
    cold_level = 1.0 - edge if scaled[0] >= 0.5 else edge
    return abs(_first_crossing(t, scaled, 0.5) - _first_crossing(t, scaled, cold_level))


def overall_verdict(verdicts: dict) -> str:
    """One claim's verdict across its readings (``{reading: status}``).

    One reading: ``reproduced`` / ``not reproduced`` / ``borderline`` / ``not testable``. Several:
    reproduced under every reading, under some (the shorter list is named: the readings that
    agree, or those that do not), or under none (of those tested); borderline readings are counted.
    """
    agreeing = [r for r, v in verdicts.items() if v == AGREES]
    borderline = [r for r, v in verdicts.items() if v == BORDERLINE]
    tested = [r for r, v in verdicts.items() if v != NOT_TESTABLE]
    if not tested:
        return NOT_TESTABLE
    if len(verdicts) == 1:
        return "reproduced" if agreeing else BORDERLINE if borderline else "not reproduced"
    close = f"; {len(borderline)} borderline" if borderline else ""
    if len(agreeing) == len(verdicts):
        return "reproduced under every reading"
    if agreeing:
        others = [r for r in verdicts if r not in agreeing]
        if len(agreeing) <= len(others):
            return f"reproduced under some ({len(agreeing)} of {len(verdicts)}{close}): " + "; ".join(agreeing)
        return f"reproduced under some ({len(agreeing)} of {len(verdicts)}{close}); not under: " + "; ".join(others)
    return ("reproduced under none" + ("" if len(tested) == len(verdicts) else " of the tested readings") + close)


def transition_width(temperatures, values, low: float = 0.1, high: float = 0.9) -> float:
    """Temperature span over which a monotone-ish curve crosses from ``high`` to ``low`` of its range.

    The curve is normalised to [0, 1] between its minimum and maximum, and the first crossings
    of the two levels (by linear interpolation, scanning up in T) are compared.
    """
    t, scaled = _scaled_curve(temperatures, values)
    if scaled is None:
        return float("inf")
    return abs(_first_crossing(t, scaled, low) - _first_crossing(t, scaled, high))


def _scaled_curve(temperatures, values):
    """``(t, scaled)``: the curve sorted by T and scaled to [0, 1]; ``scaled`` is None for a flat curve."""
    order = np.argsort(temperatures)
    t, v = np.asarray(temperatures, float)[order], np.asarray(values, float)[order]
    span = v.max() - v.min()
    return t, ((v - v.min()) / span if span > 0 else None)


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
    """A quoted exponent: agrees when the whole 95% interval lies within ``tolerance`` of it
    (:func:`rgcoarse.paper.verdicts.within_tolerance`)."""
    rule = f"the 95% interval lies within {paper_value} +- {tolerance}"
    problem = no_fit_note(fit)
    if problem is not None:
        return Claim(claim_id, figure, text, str(paper_value), None, None, None, rule, NOT_EVALUATED, problem,
                     statistic="fitted exponent")
    note = "; ".join(filter(None, [f"fit over K in [{fit['fit_min']:g}, {fit['fit_max']:g}]", note]))
    claim = Claim(claim_id, figure, text, str(paper_value), float(fit["exponent"]), float(fit["ci_low"]),
                  float(fit["ci_high"]), rule, NOT_EVALUATED, note, statistic="fitted exponent")
    return judged(claim, within_tolerance(fit["ci_low"], fit["ci_high"], paper_value, tolerance, fit["exponent"]))


def lower_bound_claim(claim_id, figure, text, paper_value, fit, bound, note=""):
    """An exponent bound: agrees when the whole 95% interval is at least ``bound``."""
    rule = f"the 95% interval lies at or above {bound}"
    problem = no_fit_note(fit)
    if problem is not None:
        return Claim(claim_id, figure, text, paper_value, None, None, None, rule, NOT_EVALUATED, problem,
                     statistic="fitted exponent")
    claim = Claim(claim_id, figure, text, paper_value, float(fit["exponent"]), float(fit["ci_low"]),
                  float(fit["ci_high"]), rule, NOT_EVALUATED, note, statistic="fitted exponent")
    return judged(claim, at_least_interval(fit["ci_low"], fit["ci_high"], bound, fit["exponent"]))


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


FRAME_COLUMNS = ("claim_id", "reading", "figure", "claim", "paper_value", "statistic", "reproduced", "ci_low",
                 "ci_high", "null_model", "null_draws", "null_value", "p_value", "z", "margin", "margin_unit", "check",
                 "verdict", "overall", "note")


def claims_frame(claims: list[Claim]) -> pd.DataFrame:
    """One row per (claim, reading), with the claim's overall verdict on each of its rows."""
    frame = pd.DataFrame([asdict(c) for c in claims])
    overall = {cid: overall_verdict(dict(zip(rows["reading"], rows["verdict"])))
               for cid, rows in frame.groupby("claim_id", sort=False)}
    frame["overall"] = frame["claim_id"].map(overall)
    return frame[list(FRAME_COLUMNS)]


IDENTITY_SUFFIX = "_identity_check"  # a claim id of a check that two computations coincide (no verdict on the paper)


def claims_summary(frame: pd.DataFrame) -> str:
    """The honest count: statuses over every reading, and how many null tests would pass by chance.

    A test against a null at level alpha "agrees" (finds structure) by chance with probability
    about alpha when the data have none, so among k such tests about alpha x k agree by chance
    (rank tests: at most 1/(n+1) each); a reading against a paper's value has no such rate.
    """
    counts = frame["verdict"].value_counts()
    claims = frame["claim_id"].nunique()
    reproduced = frame.groupby("claim_id")["overall"].first()
    every = int(reproduced.str.startswith("reproduced").sum() - reproduced.str.startswith("reproduced under none").sum())
    tests = frame[(frame["null_draws"] > 0) & frame["p_value"].notna()]
    structure = tests[~tests["check"].str.contains(" = its ", regex=False)]
    found = int((structure["verdict"] == AGREES).sum())
    by_chance = 0.05 * len(structure)
    parts = ", ".join(f"{int(counts.get(s, 0))} {s}" for s in (AGREES, BORDERLINE, DISAGREES, NOT_TESTABLE))
    identities = int(reproduced.index.str.endswith(IDENTITY_SUFFIX).sum())  # checks of the machinery, not verdicts
    among = (f" (of which {identities} {'is an identity check' if identities == 1 else 'are identity checks'} of the "
             "machinery, not a claim of the paper)") if identities else ""
    return (f"{len(frame)} readings of {claims} claims: {parts}. {every} of {claims} claims are reproduced under at "
            f"least one reading{among}. {len(tests)} readings are tests against a null; of the {len(structure)} that look "
            f"for structure beyond the null, {found} find it, where about {by_chance:.1f} would by chance at the 5% "
            "level if the data had none.\n")


def claims_markdown(frame: pd.DataFrame) -> str:
    """A Markdown rendering of the claims table."""
    def fmt(x):
        if x is None or (isinstance(x, float) and not np.isfinite(x)):
            return "–"
        return f"{x:.3g}" if isinstance(x, (float, np.floating)) else str(x)

    def cell(text):
        return str(text).replace("|", "\\|")  # a bare | would split the Markdown cell

    header = ("| id | reading | figure | claim | paper | reproduced | 95% CI | null (draws): median | p | margin | "
              "check | verdict | overall |")
    lines = [header, "|" + "---|" * 13]
    def interval(low, high):
        # Enough significant digits that a non-zero interval never prints as [1.06, 1.06].
        for digits in range(3, 7):
            lo, hi = f"{low:.{digits}g}", f"{high:.{digits}g}"
            if lo != hi or low == high:
                break
        return f"[{lo}, {hi}]"

    for row in frame.itertuples(index=False):
        ci = "–" if row.ci_low is None or pd.isna(row.ci_low) else interval(row.ci_low, row.ci_high)
        null = fmt(None if pd.isna(row.null_value) else float(row.null_value))
        if isinstance(row.null_model, str) and row.null_model:
            null = f"{row.null_model} ({int(row.null_draws)}): {null}"
        p = fmt(None if pd.isna(row.p_value) else float(row.p_value))
        margin = "–" if pd.isna(row.margin) else f"{float(row.margin):+.2g} {row.margin_unit}"
        lines.append(
            f"| {row.claim_id} | {cell(row.reading)} | {row.figure} | {cell(row.claim)} | {cell(row.paper_value)} | "
            f"{fmt(row.reproduced)} | {ci} | {null} | {p} | {cell(margin)} | {cell(row.check)} | **{row.verdict}** | "
            f"{cell(row.overall)} |"
        )
    return "\n".join(lines) + "\n"


# ----- the paper's Figs. 1-2 -----------------------------------------------------------------


# ----- the paper's eq. 29: the COD increment's power law near Tc ----------------------------------

EQ29_EXPONENT = paper_value("eq29_exponent")  # (eta - 2) / d = -0.875 for the 2D Ising model


EQ29_READINGS = {
    "rank": "a power of rank r (the decay the text describes)",
    "remaining": "a power of N - r (eq. 29 as printed)",
}


# ----- the paper's Fig. 3 (Kob–Andersen glass) -----------------------------------------------


def fit_row(exponents: pd.DataFrame, dataset, temperature, method, observable="m2"):
    rows = exponents[
        (exponents["dataset"] == dataset)
        & (exponents["method"] == method)
        & (exponents["observable"] == observable)
        & np.isclose(exponents["temperature"].astype(float), temperature, atol=TEMPERATURE_TOLERANCE)
    ]
    return None if rows.empty else rows.iloc[0].to_dict()


def null_exponent_claim(claim: Claim, nulls, dataset, temperature, method, model, expect_difference=True,
                        statistic="m2_exponent", label: str | None = None) -> Claim:
    """The data's exponent against the same rule's exponent on draws of ``model``. ``expect_difference``:
    the claim is structure beyond what selection bias and the kept structure give (data > null);
    otherwise that the data behave like the null (two-sided). ``claim`` carries the data's estimate;
    ``label`` names the reading (default: the rule's fit)."""
    label = label or f"{method} fit"
    reading = f"{label} {'exceeds' if expect_difference else 'is like'} the {model} null"
    check = f"{statistic} of the data {'>' if expect_difference else '='} its {model} null draws"
    # A claim of its own: whether the data differ from the null is not a reading of the paper's number,
    # so it must not count towards that number's verdict.
    text = (f"{claim.claim} -- the data's exponent {'exceeds' if expect_difference else 'is like'} the same rule's "
            f"on the {model} null")
    base = Claim(**{**asdict(claim), "claim_id": f"{claim.claim_id}_vs_null", "claim": text, "reading": reading,
                    "check": check, "ci_low": claim.ci_low, "ci_high": claim.ci_high})
    if claim.reproduced is None:
        return base
    draws = null_values(nulls, dataset, temperature, method, model, statistic)
    if draws is None:
        return judged(base, Judgement(NOT_TESTABLE, None), note=f"no {model} null of rule {method} at T = "
                      f"{temperature:g} (config keys nulls.methods, nulls.temperatures, nulls.temperatures_per_method)")
    return null_test_claim(base, claim.reproduced, draws, model,
                           alternative="greater" if expect_difference else "two-sided",
                           expect_difference=expect_difference)


def null_values(nulls, dataset, temperature, method, model, statistic, level=-1):
    """One statistic's null draws at one temperature (``None`` when that null was not run)."""
    if nulls is None or not len(nulls):
        return None
    rows = nulls[(nulls["dataset"] == dataset) & (nulls["method"] == method) & (nulls["model"] == model)
                 & (nulls["statistic"] == statistic) & (nulls["level"] == level)
                 & np.isclose(nulls["temperature"].astype(float), temperature, atol=TEMPERATURE_TOLERANCE)]
    if rows.empty:
        return None
    values = rows["value"].to_numpy(dtype=float)
    return values[np.isfinite(values)]


def exponent_readings(claim_id, figure, text, paper_value, exponents, dataset, temperature, method, tolerance,
                      m2=None, nulls=None, null_model="", expect_difference=True, with_random=True) -> list[Claim]:
    """An exponent claim under every reading we can make of it.

    - the pipeline's fit (bootstrap interval) against the paper's value;
    - the same fit against the same rule on ``null_model``'s draws (a test: data > null);
    - the ``random`` rule's fit on the same data (no selection bias), where it was run;
    - with the M2 table: the slope over all levels and the local slope at the largest K
      (:func:`m2_slopes`, point estimates), with the null draws' median of the same.
    """
    fit = fit_row(exponents, dataset, temperature, method)
    main = exponent_claim(claim_id, figure, text, paper_value, fit, tolerance)
    claims = [Claim(**{**asdict(main), "reading": f"{method} fit (fit range rule)"})]
    if null_model:
        claims.append(null_exponent_claim(main, nulls, dataset, temperature, method, null_model, expect_difference))
    random_fit = fit_row(exponents, dataset, temperature, "random")
    if with_random and random_fit is not None and method != "random":
        claim = exponent_claim(claim_id, figure, text, paper_value, random_fit, tolerance,
                               note="random pairing: no selection bias")
        claims.append(Claim(**{**asdict(claim), "reading": "random fit (no selection)"}))
    if m2 is not None:
        for statistic, value in m2_slopes(m2).items():
            reading = {"m2_slope_all_levels": "all levels", "m2_local_slope": "local slope at the largest K"}[statistic]
            claim = Claim(claim_id, figure, text, str(paper_value), value if np.isfinite(value) else None, None, None,
                          f"|slope - {paper_value}| <= {tolerance} (a point estimate)", NOT_EVALUATED,
                          f"{method} rule; dominant cluster size of every level", f"{method}: {reading}",
                          statistic=f"log-log slope of M2 ({reading})")
            claims.append(judged(claim, point_within_tolerance(value, paper_value, tolerance)))
            if null_model:  # the same slope on the null's draws: a test, in a row of its own
                claims.append(null_exponent_claim(claim, nulls, dataset, temperature, method, null_model,
                                                  expect_difference, statistic=statistic,
                                                  label=f"{method}: {reading}"))
    return claims
