"""Claim rows of the RMI arm (Sarra, Aiello & Marquardt): its Figs. 2b, 2d and 3, judged from the arm's tables.

The paper's figures are not in our text copy, so the rows compare what the text says
qualitatively, each with a stated check:

``rmi_fig2b_crossover``
    "a sharp transition, as a function of noise strength, in the choice of the best feature":
    the best wave-packet feature (largest I~) changes exactly once along the noise grid, between
    two noise levels inside ``crossover_range``. Agrees when it does and the best feature's interval
    is clear of the runner-up's at both levels flanking the change; borderline when the change is
    where the claim says but one flanking level's best is not clear of its runner-up (the change
    could sit one grid step away); disagrees otherwise (no change, several, or outside the range).
``rmi_fig2b_low_noise``
    "one of [the nonlinear features] yields a higher I~ than PCA": at the lowest noise, the best
    nonlinear feature's I~ minus PCA's, with an interval of half-width sqrt(h1^2 + h2^2) from
    the two features' intervals; agrees when the whole interval is above 0.
``rmi_fig2d_quadratic``
    "the inspection of I~ reveals when a given feature is more descriptive": at the largest
    deformation spread the shape-sensitive quadratic feature beats the two PCA features (as
    above), and at the smallest it does not (the feature that wins depends on the regime).
``rmi_fig3_ascent``
    Fig. 3d, I~ rises during the optimisation: on fresh samples, the final feature's I~ exceeds
    the initial one's in more runs than chance would give (one-sided sign test), and the
    optimised features beat the best linear feature (sign test on the runs).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from rgcoarse.paper.claims import NOT_EVALUATED, Claim, judged
from rgcoarse.paper.verdicts import (
    AGREES,
    ALPHA,
    BORDERLINE,
    DISAGREES,
    NOT_TESTABLE,
    Judgement,
    at_least_interval,
    from_p_value,
)
from rgcoarse.rmi.experiments import best_feature_changes

NONLINEAR_WAVE_PACKET_FEATURES = ("intensity", "normalised")


def _difference(table: pd.DataFrame, parameter: str, level: float, feature: str, reference: str):
    """(difference, low, high) of I~(feature) - I~(reference) at one level, half-widths added in quadrature."""
    rows = table[np.isclose(table[parameter], level)].set_index("feature")
    a, b = rows.loc[feature], rows.loc[reference]
    half = np.hypot((a["ci_high"] - a["ci_low"]) / 2, (b["ci_high"] - b["ci_low"]) / 2)
    difference = float(a["rmi"] - b["rmi"])
    return difference, difference - half, difference + half


def crossover_claim(fig2b: pd.DataFrame, crossover_range) -> Claim:
    changes = best_feature_changes(fig2b, "sigma")
    switched = np.flatnonzero(changes["best"].to_numpy()[1:] != changes["best"].to_numpy()[:-1])
    low, high = crossover_range
    base = Claim("rmi_fig2b_crossover", "RMI 2b", "The best wave-packet feature changes sharply with the noise strength",
                 f"one change, sigma in [{low:g}, {high:g}]", None, None, None,
                 f"the feature with the largest I~ changes exactly once along sigma, between two levels in [{low:g}, {high:g}], "
                 "its interval clear of the runner-up's at both", NOT_EVALUATED,
                 statistic="sigma of the change (geometric midpoint of the flanking levels)")
    sequence = " -> ".join(changes["best"].iloc[np.r_[0, switched + 1]])
    if switched.size != 1:
        return judged(base, Judgement(DISAGREES, -float(abs(switched.size - 1)), "changes more or fewer than one"),
                      note=f"{switched.size} changes along sigma: {sequence}")
    before, after = changes.iloc[switched[0]], changes.iloc[switched[0] + 1]
    location = float(np.sqrt(before["sigma"] * after["sigma"]))
    inside = low <= before["sigma"] and after["sigma"] <= high
    clear = bool(before["separated"] and after["separated"])
    status = (AGREES if inside and clear else BORDERLINE if inside else
              DISAGREES if after["sigma"] < low or before["sigma"] > high else BORDERLINE)
    note = (f"{sequence} between sigma = {before['sigma']:g} and {after['sigma']:g}; gaps to the runner-up "
            f"{before['gap']:.3f} and {after['gap']:.3f} nats" + ("" if clear else " (not clear of the runner-up at both)"))
    if inside:  # the margin: how far the best feature's interval clears the runner-up's at the weaker level
        judgement = Judgement(status, float(min(before["separation"], after["separation"])),
                              "nats between the intervals (weaker flanking level)")
    else:  # negative: how far the bracket lies beyond the range (disagrees) or reaches out of it (borderline)
        if status == DISAGREES:
            outside = max(np.log(low / after["sigma"]), np.log(before["sigma"] / high))
        else:
            outside = max(np.log(low / before["sigma"]), np.log(after["sigma"] / high))
        judgement = Judgement(status, -float(max(outside, 0.0)), "ln sigma outside the stated range")
    return judged(base, judgement,
                  reproduced=location, ci_low=float(before["sigma"]),
                  ci_high=float(after["sigma"]), note=note)


def low_noise_claim(fig2b: pd.DataFrame) -> Claim:
    sigma = float(fig2b["sigma"].min())
    at_low = fig2b[np.isclose(fig2b["sigma"], sigma)].set_index("feature")["rmi"]
    best = max(NONLINEAR_WAVE_PACKET_FEATURES, key=lambda f: at_low[f])
    difference, low, high = _difference(fig2b, "sigma", sigma, best, "pca")
    claim = Claim("rmi_fig2b_low_noise", "RMI 2b", "A nonlinear feature yields a higher I~ than PCA (low noise)",
                  "nonlinear > PCA", difference, low, high,
                  f"I~({best}) - I~(pca) at sigma = {sigma:g}: the interval above 0", NOT_EVALUATED,
                  f"I~ = {at_low[best]:.3f} ({best}) against {at_low['pca']:.3f} (PCA) nats",
                  statistic="I~ difference (nats)")
    return judged(claim, at_least_interval(low, high, 0.0, difference))


def drops_claims(fig2d: pd.DataFrame) -> list[Claim]:
    claims = []
    for reading, spread, sign in (("largest spread: quadratic wins", float(fig2d["spread"].max()), 1.0),
                                  ("smallest spread: PCA wins", float(fig2d["spread"].min()), -1.0)):
        difference, low, high = _difference(fig2d, "spread", spread, "quadratic", "pca2")
        claim = Claim("rmi_fig2d_quadratic", "RMI 2d", "Which 2-D drop feature is more descriptive depends on the deformation",
                      "quadratic > PCA at large deformation", difference, low, high,
                      f"I~(quadratic) - I~(pca2) at spread {spread:g}: the interval {'above' if sign > 0 else 'below'} 0",
                      NOT_EVALUATED, "", reading, statistic="I~ difference (nats)")
        judgement = at_least_interval(sign * low, sign * high, 0.0, sign * difference)
        claims.append(judged(claim, judgement))
    return claims


def _sign_test(wins: int, runs: int) -> tuple[float, float]:
    """One-sided binomial p-value of ``wins`` of ``runs`` under p = 1/2, and its z."""
    p_value = float(stats.binom.sf(wins - 1, runs, 0.5))
    return p_value, float((wins - runs / 2) / np.sqrt(runs / 4))


def ascent_claims(runs: pd.DataFrame) -> list[Claim]:
    knn = runs[runs["objective"] == "knn"]
    linear = float(runs.loc[runs["objective"] == "linear", "final_rmi"].iloc[0])
    paper = runs[runs["objective"] == "histogram"]
    paper_note = ("" if paper.empty else
                  f"; the paper's grid-histogram objective reached {paper['final_objective'].iloc[0]:.2f} on its grid "
                  f"but I~ = {paper['final_rmi'].iloc[0]:.2f} on fresh samples")
    claims = []
    for reading, wins, reference in (
        ("rises from its start", int(np.sum(knn["final_rmi"] > knn["initial_rmi"])), "the run's initial feature"),
        ("beats the best linear feature", int(np.sum(knn["final_rmi"] > linear)), f"the best linear feature ({linear:.3f})"),
    ):
        p_value, z = _sign_test(wins, len(knn))
        judgement = from_p_value(p_value, z)
        if 0.5 ** len(knn) > ALPHA:  # even every run winning could not reach the level
            judgement = Judgement(NOT_TESTABLE, None)
        claim = Claim("rmi_fig3_ascent", "RMI 3", "Gradient ascent on I~ finds a better nonlinear feature",
                      "I~ rises", float(np.median(knn["final_rmi"])), float(knn["final_rmi"].min()),
                      float(knn["final_rmi"].max()),
                      f"runs whose final I~ (fresh samples) exceeds {reference}: one-sided sign test, p <= 0.05",
                      NOT_EVALUATED, f"{wins} of {len(knn)} runs" + paper_note
                      + ("; a sign test needs at least 5 runs to reach p <= 0.05" if judgement.status == NOT_TESTABLE else ""),
                      reading, statistic="median final I~ over runs (range: min-max)")
        claims.append(judged(claim, judgement, p_value=p_value, z=z))
    return claims


def rmi_claims(fig2b: pd.DataFrame, fig2d: pd.DataFrame, fig3_runs: pd.DataFrame, crossover_range) -> list[Claim]:
    return [crossover_claim(fig2b, crossover_range), low_noise_claim(fig2b), *drops_claims(fig2d),
            *ascent_claims(fig3_runs)]
