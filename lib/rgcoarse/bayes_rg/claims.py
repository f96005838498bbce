"""Claim rows of the Bayesian renormalization arm (Berman, Klinger & Stapleton, section 4).

Each comparison of pruning schemes is made once per training seed and tested across seeds with a
one-sided sign test (ties count against the claim): with 5 seeds it can agree only when every
seed agrees (p = 1/32). Two readings each: every encoder weight (as the paper), and with the
weights whose Fisher element is exactly zero removed first in every scheme (always-blank pixels,
dead units: they may make up the whole of Fisher's advantage).

``bayes_rg_fisher_beats_random``
    The fraction removable at less than ``tolerance`` loss increase is larger by Fisher cutoff than
    by random pruning of equal counts (random: the median over its draws).
``bayes_rg_fisher_beats_magnitude``
    The same against magnitude pruning (the paper: "up to the cutoff Lambda ~ 0.1").
``bayes_rg_magnitude_overtakes``
    Beyond the knee magnitude pruning loses less than Fisher pruning: at the largest fraction of
    the grid, magnitude's held-out loss is below Fisher's.
``bayes_rg_knee_cutoff``
    The hockey stick's knee as a cutoff: Lambda (the Fisher value of the last weight removed, over
    the mean element) at the last removable fraction, median over seeds, within a factor 3 of the
    paper's Lambda ~ 0.1, i.e. 0.1 / 0.7148 = 0.14 times the mean.
``bayes_rg_fisher_gap``
    (a) the diagonal Fisher spectrum has a gap: per seed, its widest log gap among the non-zero
    elements against a smooth spectrum of the same values (``experiment.gap_test``); the count of
    seeds with p <= alpha against the count chance gives (binomial, alpha per seed). (b) the same
    within 0.01-1 x the mean (the whole spectrum's widest gaps lie in its sparse far tail). (c) where:
    the median location of (b)'s gap within a factor 3 of the paper's Lambda ~ 0.1 in its units,
    0.1 / 0.7148 = 0.14 times the mean element.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd
from scipy import stats

from rgcoarse.paper.claims import NOT_EVALUATED, Claim, judged
from rgcoarse.paper.verdicts import (
    AGREES,
    ALPHA,
    Judgement,
    from_count,
    point_within_tolerance,
)

FIGURE = "BRG"
PAPER_GAP_OVER_MEAN = 0.1 / 0.7148  # Fig. 5: a gap at Lambda ~ 0.1; Table 2: mean diagonal Fisher value 0.7148
GAP_LOCATION_FACTOR = 3.0
READINGS = {False: "every weight (as the paper)", True: "exactly-zero Fisher elements removed first"}


def sign_test(differences) -> tuple[int, int, float]:
    """(successes, seeds, one-sided p) for 'the difference is positive' (ties count as failures)."""
    differences = np.asarray(differences, dtype=float)
    wins, n = int(np.sum(differences > 0)), int(differences.size)
    return wins, n, float(stats.binom.sf(wins - 1, n, 0.5)) if n else float("nan")


def _z_of(p_value: float) -> float:
    """The normal quantile of a one-sided p-value; NaN at p = 1 (no finite z; the margin counts seeds)."""
    return float(stats.norm.isf(p_value)) if p_value < 1 else float("nan")


def _sign_claim(claim: Claim, differences) -> Claim:
    wins, n, p_value = sign_test(differences)
    if n == 0:
        return judged(claim, Judgement(NOT_EVALUATED, None), note=claim.note + "; no training seeds")
    judgement, _ = from_count(wins, n, 0.5)
    return judged(claim, judgement, p_value=p_value, z=_z_of(p_value),
                  note=f"{claim.note}; positive in {wins} of {n} seeds (one-sided sign test; p >= 1/2^n, "
                       f"so {int(np.ceil(np.log2(1 / ALPHA)))} seeds are needed to reach alpha = {ALPHA:g})")


def _removable(summary: pd.DataFrame, scheme: str, zeros_first: bool) -> pd.Series:
    rows = summary[(summary["scheme"] == scheme) & (summary["zeros_first"] == zeros_first)]
    return rows.set_index("seed")["removable_fraction"].sort_index()


def _spread(values) -> str:
    values = np.asarray(values, dtype=float)
    return f"median {np.median(values):.2f} (range {values.min():.2f}-{values.max():.2f})"


def scheme_claims(summary: pd.DataFrame, tolerance: float) -> list[Claim]:
    claims = []
    for other, claim_id, text in (("random", "bayes_rg_fisher_beats_random", "Fisher-cutoff pruning removes more "
                                   "weights than random pruning at no loss"),
                                  ("magnitude", "bayes_rg_fisher_beats_magnitude", "Fisher-cutoff pruning removes more "
                                   "weights than magnitude pruning before the loss rises")):
        for zeros_first, reading in READINGS.items():
            fisher, baseline = _removable(summary, "fisher", zeros_first), _removable(summary, other, zeros_first)
            differences = (fisher - baseline).to_numpy()
            claim = Claim(claim_id, FIGURE, text, "Fisher > " + other, float(np.median(differences)),
                          float(differences.min()), float(differences.max()),
                          f"removable fraction at < {100 * tolerance:g}% loss increase, Fisher minus {other}, > 0 "
                          "in a one-sided sign test over training seeds", NOT_EVALUATED,
                          f"Fisher {_spread(fisher)}, {other} {_spread(baseline)}", reading,
                          statistic="median over seeds of the difference of removable fractions (interval: range)")
            claims.append(_sign_claim(claim, differences))
    return claims


def overtaking_claims(pruning: pd.DataFrame) -> list[Claim]:
    claims = []
    for zeros_first, reading in READINGS.items():
        rows = pruning[pruning["zeros_first"] == zeros_first]
        last = rows["fraction"].max()
        at_end = rows[rows["fraction"] == last].pivot_table(index="seed", columns="scheme", values="test_loss")
        differences = (at_end["fisher"] - at_end["magnitude"]).to_numpy()
        ratio = (at_end["fisher"] / at_end["magnitude"]).to_numpy()
        claim = Claim("bayes_rg_magnitude_overtakes", FIGURE, "Beyond the knee magnitude pruning loses less than "
                      "Fisher pruning", "magnitude < Fisher", float(np.median(ratio)), float(ratio.min()),
                      float(ratio.max()), f"held-out loss at {100 * last:.0f}% removed, Fisher minus magnitude, > 0 in "
                      "a one-sided sign test over training seeds", NOT_EVALUATED,
                      f"loss at {100 * last:.0f}% removed: Fisher {_spread(at_end['fisher'])}, magnitude "
                      f"{_spread(at_end['magnitude'])}", reading,
                      statistic="median over seeds of Fisher's over magnitude's loss (interval: range)")
        claims.append(_sign_claim(claim, differences))
    return claims


GAP_READINGS = {"": "a gap beyond a smooth spectrum, whole spectrum",
                "window_": "a gap beyond a smooth spectrum, within 0.01-1 x the mean"}


def gap_claims(summary: pd.DataFrame) -> list[Claim]:
    seeds = summary.drop_duplicates("seed").set_index("seed").sort_index()
    zeros = ", ".join(f"{int(r.zero_fisher)} ({int(r.zero_blank_pixel)} blank-pixel, {int(r.zero_dead_unit)} "
                      f"dead-unit)" for r in seeds.itertuples())
    text = "The diagonal Fisher spectrum has a gap near Lambda ~ 0.1 (0.14 x the mean element)"
    claims = []
    for prefix, reading in GAP_READINGS.items():
        tested = seeds[(seeds[f"{prefix}gap_null_draws"] > 0) & seeds[f"{prefix}gap_p_value"].notna()]
        if tested.empty:
            claims.append(Claim("bayes_rg_fisher_gap", FIGURE, text, "a gap", None, None, None,
                                "widest gap against a smooth spectrum", NOT_EVALUATED,
                                "fewer than 2 non-zero Fisher elements in range", reading))
            continue
        significant = int(np.sum(tested[f"{prefix}gap_p_value"] <= ALPHA))
        n, draws = len(tested), int(tested[f"{prefix}gap_null_draws"].min())
        chance = float(stats.binom.sf(significant - 1, n, ALPHA))
        ratios, locations = tested[f"{prefix}gap_ratio"], tested[f"{prefix}gap_location"]
        claim = Claim("bayes_rg_fisher_gap", FIGURE, text, "a gap", float(np.median(ratios)), float(ratios.min()),
                      float(ratios.max()), f"per seed, the widest gap between non-zero elements beyond {draws} draws "
                      f"of a smooth spectrum (p <= {ALPHA:g}); the count of such seeds against chance (binomial, "
                      f"{ALPHA:g} per seed)", NOT_EVALUATED,
                      f"{significant} of {n} seeds have a gap beyond the smooth spectrum; gap locations (x mean) "
                      + ", ".join(f"{v:.2g}" for v in locations) + f"; exact zeros per seed {zeros} (not counted: "
                      "zeros are no gap among the weights that matter)", reading,
                      statistic="median over seeds of the widest gap (ratio of its ends)",
                      null_model="smooth spectrum (oversmoothed kernel density of the log values)", null_draws=draws)
        judgement, _ = from_count(significant, n, ALPHA)
        claims.append(judged(claim, judgement, p_value=chance, z=_z_of(chance)))
    located = seeds["window_gap_location"].dropna()
    location = float(np.median(located)) if len(located) else float("nan")
    claim = Claim("bayes_rg_fisher_gap", FIGURE, text, f"{PAPER_GAP_OVER_MEAN:.2f} x mean", location, None, None,
                  f"median location of the widest gap within 0.01-1 x the mean, within a factor "
                  f"{GAP_LOCATION_FACTOR:g} of {PAPER_GAP_OVER_MEAN:.2f} x the mean", NOT_EVALUATED,
                  "locations per seed: " + ", ".join(f"{v:.3g}" for v in located) + " (a location says nothing "
                  "unless the gap itself is beyond chance: see the rows above)", "where the gap lies",
                  statistic="median gap location over the mean Fisher element")
    judgement = point_within_tolerance(np.log10(location) if location > 0 else float("nan"),
                                       np.log10(PAPER_GAP_OVER_MEAN), np.log10(GAP_LOCATION_FACTOR))
    if claims[-1].verdict != AGREES:  # the window's widest gap is no gap beyond chance: its place means nothing
        judgement = Judgement(NOT_EVALUATED, None)
        claim = Claim(**{**asdict(claim), "note": claim.note.replace(" (a location says nothing unless the gap itself "
                                                                     "is beyond chance: see the rows above)", "")
                         + "; not judged: the widest gap within 0.01-1 x the mean is not beyond a smooth spectrum"})
    claims.append(judged(claim, judgement))
    return claims


def knee_claims(pruning: pd.DataFrame, summary: pd.DataFrame, tolerance: float) -> list[Claim]:
    """Where Fisher pruning's loss starts to rise, as a cutoff: Lambda at the last removable fraction, per seed."""
    fisher = pruning[(pruning["scheme"] == "fisher") & ~pruning["zeros_first"]]
    removable = _removable(summary, "fisher", False)
    knees = np.array([float(fisher[(fisher["seed"] == seed) & np.isclose(fisher["fraction"], fraction)]["cutoff"].iloc[0])
                      for seed, fraction in removable.items()])
    positive = knees[knees > 0]
    median = float(np.median(knees))
    claim = Claim("bayes_rg_knee_cutoff", FIGURE, "The Fisher scheme's loss is stable up to a cutoff Lambda ~ 0.1 and "
                  "rises beyond it (a hockey stick)", f"{PAPER_GAP_OVER_MEAN:.2f} x mean", median,
                  float(knees.min()), float(knees.max()),
                  f"median over seeds of the cutoff at the last fraction within {100 * tolerance:g}% of the unpruned loss, "
                  f"within a factor {GAP_LOCATION_FACTOR:g} of {PAPER_GAP_OVER_MEAN:.2f} x the mean element", NOT_EVALUATED,
                  "cutoffs per seed (x mean): " + ", ".join(f"{v:.3g}" for v in knees)
                  + ("; a cutoff of 0: the loss rose while weights of zero Fisher were removed" if positive.size < knees.size
                     else ""), "as stated", statistic="median knee cutoff over the mean Fisher element (interval: range)")
    judgement = point_within_tolerance(np.log10(median) if median > 0 else float("nan"),
                                       np.log10(PAPER_GAP_OVER_MEAN), np.log10(GAP_LOCATION_FACTOR))
    return [judged(claim, judgement)]


def bayes_rg_claims(pruning: pd.DataFrame, summary: pd.DataFrame, tolerance: float) -> list[Claim]:
    return (scheme_claims(summary, tolerance) + overtaking_claims(pruning) + knee_claims(pruning, summary, tolerance)
            + gap_claims(summary))
