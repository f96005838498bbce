"""How a claim row is judged: its status, its margin, and its test against a null.

Every row has one of four statuses:

``agrees`` / ``disagrees``
    Against a paper's value with a tolerance: the whole interval lies within the tolerance of it
    (agrees) or outside it (disagrees), so a wide interval can never agree. Against a null: the
    test's p-value is at most ``alpha`` (agrees) or above twice ``alpha`` (disagrees).
``borderline``
    The interval straddles a boundary of the tolerance, or the p-value lies in
    ``(alpha, 2 alpha]``, or a point estimate without an interval lies within
    :data:`POINT_BORDERLINE` (relative) of its threshold.
``not testable``
    The row's inputs are missing or too few (too few null draws for the test, no usable fit); its
    note says why.

The margin is the distance from the estimate to the decision's boundary, in the units named
by ``margin_unit``: half-widths of the row's interval, standard deviations of the null
draws, or (a point estimate without an interval) a fraction of the threshold. Positive margins
are on the side of ``agrees``.

Tests against a null (:func:`null_test`) use ``n`` draws of the same statistic on the null.
With normally distributed null values (Shapiro-Wilk p >= :data:`NORMALITY_P`), the p-value is
the tail of ``t = z / sqrt(1 + 1/n)``, ``z = (data - mean) / sd``, in Student's t with n - 1 degrees
of freedom (exact for a new draw from a normal null whose mean and sd are estimated from the n
draws); otherwise it is twice the smaller of the rank p-value
``(1 + #{draws at least as extreme}) / (n + 1)``, which cannot go below ``1 / (n + 1)``, and
Cantelli's distribution-free bound ``1 / (1 + k^2)``, ``k = z / sqrt(1 + 1/n)``, which can when the
data lie many null SDs beyond the draws (twice: a Bonferroni over the two). A claim
that spans m levels or temperatures corrects its p-values by Holm's step-down method
(:func:`holm`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from rgcoarse.config.constants import MIN_NULL_DRAWS

AGREES, DISAGREES, BORDERLINE, NOT_TESTABLE = "agrees", "disagrees", "borderline", "not testable"
STATUSES = (AGREES, DISAGREES, BORDERLINE, NOT_TESTABLE)
ALPHA = 0.05  # one-sided level of every test against a null
MIN_DRAWS = MIN_NULL_DRAWS  # the fewest null draws whose rank p-value can reach ALPHA: 1 / (19 + 1)
NORMALITY_P = 0.05  # Shapiro-Wilk p below this: the null values are not treated as normal (rank test)
POINT_BORDERLINE = 0.05  # a point estimate within 5% of its threshold is borderline (no interval to decide)

HALF_WIDTHS, NULL_SDS, RELATIVE = "interval half-widths", "null SDs", "relative to the threshold"


@dataclass(frozen=True)
class Judgement:
    status: str
    margin: float | None
    margin_unit: str = ""


@dataclass(frozen=True)
class NullTest:
    """One statistic of the data against ``draws`` draws of a null (``alternative``: which side is "more")."""

    draws: int
    null_mean: float
    null_sd: float
    z: float
    p_value: float
    method: str  # "t (normal null)" or "rank or Cantelli bound"

    def describe(self, alternative: str) -> str:
        side = {"greater": "one-sided (data > null)", "less": "one-sided (data < null)",
                "two-sided": "two-sided (data != null)"}[alternative]
        return f"{side} {self.method} test on {self.draws} null draws"


def within_tolerance(low: float, high: float, target: float, tolerance: float, estimate: float | None = None) -> Judgement:
    """A quoted number with a tolerance: agrees when [low, high] lies within it, disagrees when outside."""
    low, high = sorted((float(low), float(high)))
    estimate = (low + high) / 2 if estimate is None else float(estimate)
    lo_bound, hi_bound = target - tolerance, target + tolerance
    if lo_bound <= low and high <= hi_bound:
        status = AGREES
    elif high < lo_bound or low > hi_bound:
        status = DISAGREES
    else:
        status = BORDERLINE
    half = (high - low) / 2
    distance = tolerance - abs(estimate - target)
    return Judgement(status, float(distance / half) if half > 0 else None, HALF_WIDTHS if half > 0 else "")


def at_least_interval(low: float, high: float, bound: float, estimate: float) -> Judgement:
    """A lower bound judged with an interval: agrees when all of it is >= bound, disagrees when all is below."""
    low, high = sorted((float(low), float(high)))
    status = AGREES if low >= bound else DISAGREES if high < bound else BORDERLINE
    half = (high - low) / 2
    return Judgement(status, float((estimate - bound) / half) if half > 0 else None, HALF_WIDTHS if half > 0 else "")


def point_against_threshold(value: float, threshold: float, above: bool) -> Judgement:
    """A point estimate with no interval: ``value >= threshold`` (``above``) or ``<=``; borderline within 5%."""
    if not np.isfinite(value):
        return Judgement(NOT_TESTABLE, None)
    scale = abs(threshold) if threshold != 0 else 1.0
    margin = (value - threshold) / scale * (1 if above else -1)
    if abs(margin) <= POINT_BORDERLINE:
        return Judgement(BORDERLINE, float(margin), RELATIVE)
    return Judgement(AGREES if margin > 0 else DISAGREES, float(margin), RELATIVE)


def point_within_tolerance(value: float, target: float, tolerance: float) -> Judgement:
    """A point estimate with no interval against ``target +- tolerance``; margin as a fraction of the tolerance,
    borderline within :data:`POINT_BORDERLINE` of the boundary."""
    if value is None or not np.isfinite(value):
        return Judgement(NOT_TESTABLE, None)
    margin = (tolerance - abs(value - target)) / tolerance
    if abs(margin) <= POINT_BORDERLINE:
        return Judgement(BORDERLINE, float(margin), "fraction of the tolerance")
    return Judgement(AGREES if margin > 0 else DISAGREES, float(margin), "fraction of the tolerance")


def point_in_window(value: float, low: float, high: float) -> Judgement:
    """A point estimate that should lie in ``[low, high]``; margin as a fraction of the window's width,
    borderline within :data:`POINT_BORDERLINE` of an edge."""
    if value is None or not np.isfinite(value):
        return Judgement(NOT_TESTABLE, None)
    margin = min(value - low, high - value) / (high - low)
    if abs(margin) <= POINT_BORDERLINE:
        return Judgement(BORDERLINE, float(margin), "fraction of the window")
    return Judgement(AGREES if margin > 0 else DISAGREES, float(margin), "fraction of the window")


def from_p_value(p_value: float, z: float, alpha: float = ALPHA, two_sided: bool = False) -> Judgement:
    """Status of a test against a null: agrees at p <= alpha, borderline up to 2 alpha; margin in null SDs
    beyond the normal quantile the test needs (|z| against z_{alpha/2} when two-sided)."""
    if not np.isfinite(p_value):
        return Judgement(NOT_TESTABLE, None)
    status = AGREES if p_value <= alpha else BORDERLINE if p_value <= 2 * alpha else DISAGREES
    if two_sided:
        margin = float(abs(z) - stats.norm.isf(alpha / 2)) if np.isfinite(z) else None
    else:
        margin = float(z - stats.norm.isf(alpha)) if np.isfinite(z) else None
    return Judgement(status, margin, NULL_SDS if margin is not None else "")


def count_needed(n: int, chance: float, alpha: float = ALPHA) -> int:
    """The fewest successes of ``n`` whose binomial tail under ``chance`` per trial is <= alpha
    (``n + 1`` when even all ``n`` are not enough)."""
    return next((k for k in range(n + 1) if stats.binom.sf(k - 1, n, chance) <= alpha), n + 1)


def from_count(successes: int, n: int, chance: float, alpha: float = ALPHA) -> tuple[Judgement, float]:
    """A count of successes in ``n`` trials against chance (binomial, one-sided): the status from its
    p-value as :func:`from_p_value` gives it, the margin in successes beyond the fewest that reach
    ``alpha`` (so it is finite also when p = 1). Returns the judgement and the p-value."""
    p_value = float(stats.binom.sf(successes - 1, n, chance)) if n else float("nan")
    status = from_p_value(p_value, float("nan"), alpha).status
    needed = count_needed(n, chance, alpha)
    return Judgement(status, float(successes - needed), f"successes beyond the {needed} needed of {n}"), p_value


def null_test(value: float, null_values, alternative: str = "greater") -> NullTest:
    """Test ``value`` against the null draws (see the module docstring for the choice of test)."""
    draws = np.asarray(null_values, dtype=float)
    draws = draws[np.isfinite(draws)]
    n = int(draws.size)
    if n < 2 or not np.isfinite(value):
        return NullTest(n, float("nan"), float("nan"), float("nan"), float("nan"), "none")
    mean, sd = float(draws.mean()), float(draws.std(ddof=1))
    sign = {"greater": 1.0, "less": -1.0, "two-sided": 1.0}[alternative]
    z = (value - mean) / sd * sign if sd > 0 else float(np.sign(value - mean) * sign * np.inf) if value != mean else 0.0
    normal = n >= 3 and sd > 0 and stats.shapiro(draws).pvalue >= NORMALITY_P
    if normal:
        # A new draw from a normal null with estimated mean and sd: (x - mean) / (sd sqrt(1 + 1/n)) ~ t(n - 1).
        t = z / np.sqrt(1.0 + 1.0 / n)
        tail = stats.t.sf(abs(t), n - 1) * 2 if alternative == "two-sided" else stats.t.sf(t, n - 1)
        return NullTest(n, mean, sd, float(z), min(float(tail), 1.0), "t (normal null)")
    # Not normal: the rank p-value cannot go below 1/(n + 1), however far beyond every draw the data
    # lie; Cantelli's distribution-free bound 1/(1 + k^2) can. The smaller of the two, doubled, is
    # a valid p-value (Bonferroni over the two).
    k = abs(z) / np.sqrt(1.0 + 1.0 / n) if (alternative == "two-sided" or z > 0) else 0.0
    cantelli = (2.0 if alternative == "two-sided" else 1.0) / (1.0 + k * k)
    p = min(1.0, 2.0 * min(rank_p_value(value, draws, alternative), cantelli))
    return NullTest(n, mean, sd, float(z), float(p), "rank or Cantelli bound")


def rank_p_value(value: float, draws, alternative: str = "greater") -> float:
    """``(1 + #{draws at least as extreme as value}) / (n + 1)`` (two-sided: distance from the draws' mean)."""
    draws = np.asarray(draws, dtype=float)
    if alternative == "two-sided":
        extreme = np.abs(draws - draws.mean()) >= abs(value - draws.mean())
    else:
        sign = 1.0 if alternative == "greater" else -1.0
        extreme = sign * draws >= sign * value
    return float((1 + np.count_nonzero(extreme)) / (draws.size + 1))


def holm(p_values) -> np.ndarray:
    """Holm's step-down adjusted p-values (family-wise error at the nominal level, any dependence)."""
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p)
    m = p.size
    adjusted = np.empty(m)
    running = 0.0
    for i, index in enumerate(order):
        running = max(running, min(1.0, (m - i) * p[index]))
        adjusted[index] = running
    return adjusted


def too_few_draws(draws: int, needed: int = MIN_DRAWS) -> str | None:
    """Why a null test is not testable with ``draws`` draws (``None`` when there are enough)."""
    if draws >= needed:
        return None
    return (f"only {draws} null draws; a rank test at {ALPHA:g} needs at least {needed} "
            "(config key nulls.draws)")
