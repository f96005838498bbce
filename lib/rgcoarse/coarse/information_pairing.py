"""The information pairing rule: the paper's nonlinear extension (Sec. III, eq. 24), stepwise.

Eq. 24 chooses the pairs X -> Y (Y the pair's coarse variable, X^c the rest) to minimise
``I(X; Y) - beta I(X^c; Y)``: compress each pair as much as possible (first term) while its
coarse variable keeps as much as possible of what the rest of the system knows (second term),
the information-bottleneck trade-off. A stepwise rule needs a score per candidate pair (a, b)
with Y = x_a + x_b (the scale omega changes no information):

- **Compression term.** Y is a function of X, so I(X; Y) = H(Y), and
  H(Y) = H(x_a) + H(x_b) - I(x_a; x_b) - H(X | Y). ``compression="full"`` (the pairing rule
  ``information_eq24``) scores -H(x_a + x_b), eq. 24 as written. For +-1 spins H(X | Y) = P(a != b) h(P(+- | a != b)) (h the
  binary entropy), so an anti-aligned pair (Y = 0 always) compresses best, an aligned one next;
  for continuous data H is the differential entropy of the sum of the standardised pair, which
  likewise favours anti-correlated pairs. The relevance term below is what keeps such a pair from
  winning: its sum tells nothing about the rest. ``compression="pairwise"`` (the default, the rule
``information``) drops the marginal
  entropies (constant over a complete pairing) and H(X | Y), leaving +I(x_a; x_b): the sign-blind
  "mutual information instead of correlation" reading of the paper's text.
- **Relevance term.** I(X^c; Y) is a high-dimensional information; it is estimated as the mean
  of the pairwise I(Y; x_c) over the environment E_ab of the pair: the shortlisted partners of a
  and of b (below), other than a and b. Each I(Y; x_c) is estimated from the samples of Y itself,
  so a pair whose sum cancels (an anti-correlated pair, Y nearly constant) keeps nothing and
  scores low here.

The score, maximised at every step, is ``-H(x_a + x_b) + beta * mean_{c in E_ab} I(x_a + x_b; x_c)``
(``full``) or ``I(x_a; x_b) + beta * mean ...`` (``pairwise``); ``beta = 0`` with ``pairwise`` is
pure mutual-information pairing. Steps follow the paper's index order: the lowest-index unpaired
variable takes its best-scoring unpaired partner (ties: the lowest index).

**Shortlist.** Only the ``width`` partners with the largest pairwise MI (one matrix product for
all pairs, :func:`rgcoarse.stats.information.pairwise_mutual_information`) are scored for each variable,
and they form the environment; ``width >= N - 1`` is the full search. When all of a variable's
shortlisted partners are paired already, its ``width`` best unpaired partners are scored instead.

**Estimators** (:mod:`rgcoarse.stats.information`, :mod:`rgcoarse.stats.knn_information`):
``discrete`` (exact plug-in counts; the sum's entropy from its exact values), ``binned``
(equal-frequency bins with the Miller–Madow correction; the sum's entropy is that of the sum of
the two bin codes), ``knn`` (the screen and the relevance term binned, the pair term of every
candidate that survives the screen by k nearest neighbours: Kraskov–Stögbauer–Grassberger for
I(x_a; x_b), Kozachenko–Leonenko for H(x_a + x_b) of the standardised pair; the binned pair MI is
biased by -0.13 nats at Gaussian rho = 0.9, KSG by +0.01), ``gaussian`` (-1/2 ln(1 - rho^2) and
H = 1/2 ln(2 pi e (2 + 2 rho_ab)), where the relevance term uses
rho(Y, x_c) = (rho_ac + rho_bc) / sqrt(2 (1 + rho_ab)), the paper's eq. 23), or ``auto``: exact
counts while every variable takes at most ``bins`` values (Ising spins and small spin sums),
``knn`` beyond. The relevance term stays binned under ``knn``: by KSG it would cost about 1 ms for
each of the ~120 (candidate, environment) pairs of a step, about 80 s for the first level of the
1,000-particle glass.
"""

from __future__ import annotations

import numba
import numpy as np

from rgcoarse.stats.information import (
    DEFAULT_BINS,
    discretise,
    entropy_of_counts,
    gaussian_mutual_information,
    pairwise_mutual_information,
    quantile_codes,
    standardise,
)
from rgcoarse.stats.knn_information import KnnColumns, kl_entropy

INFORMATION_ESTIMATORS = ("auto", "discrete", "binned", "knn", "gaussian")
COMPRESSION_TERMS = ("full", "pairwise")
DEFAULT_COMPRESSION = "pairwise"  # the paper's text; "full" is eq. 24 as written (rule information_eq24)
DEFAULT_WIDTH = 8
DEFAULT_BETA = 1.0


CONTINUOUS_MIN_VALUES = 16  # fewer distinct values than this never make a column continuous (tiny samples)


def choose_estimator(values, estimator: str, bins: int) -> str:
    """``auto`` -> ``discrete`` when every column takes at most ``bins`` values, and at most half as many
    as there are samples or 16, whichever is more (a column of nearly all distinct values is continuous
    whatever ``bins``), else ``knn``."""
    if estimator not in INFORMATION_ESTIMATORS:
        raise ValueError(f"estimator: expected one of {INFORMATION_ESTIMATORS}, got {estimator!r}")
    if estimator != "auto":
        return estimator
    values = np.asarray(values)
    limit = min(bins, max(values.shape[0] // 2, CONTINUOUS_MIN_VALUES))
    few = all(np.unique(column).size <= limit for column in values.T)
    return "discrete" if few else "knn"


def _exact_levels(values) -> np.ndarray:
    """Values rounded so that sums equal up to floating-point order count as one value."""
    values = np.asarray(values, dtype=np.float64)
    scale = np.max(np.abs(values)) or 1.0
    return np.round(values / scale, 9)


class _Scorer:
    """Pairwise MI (the screen), the pair term and the relevance term of one level, for one estimator."""

    def __init__(self, values, estimator: str, bins: int, compression: str):
        self.estimator, self.bins, self.compression = estimator, bins, compression
        if estimator == "gaussian":
            z = standardise(values)
            self.correlation = z.T @ z / z.shape[0]
            self.pair_mi = gaussian_mutual_information(self.correlation)
        else:
            self.values = np.asfortranarray(_exact_levels(values) if estimator == "discrete"
                                            else np.asarray(values, np.float64))  # columns contiguous
            self.codes = discretise(self.values, "discrete" if estimator == "discrete" else "binned", bins)
            self.pair_mi = pairwise_mutual_information(self.codes, miller_madow=estimator != "discrete")
            self.codes = np.asfortranarray(self.codes)  # the scores read whole columns: keep each contiguous
            if estimator == "discrete":  # code i of a column is its i-th smallest value
                self.distinct_values = [np.unique(column) for column in self.values.T]
        if estimator == "knn":
            self.knn = KnnColumns(self.values)
        np.fill_diagonal(self.pair_mi, -np.inf)

    def pair_term(self, a: int, candidates: np.ndarray) -> np.ndarray:
        """-H(x_a + x_b) (``full``) or I(x_a; x_b) (``pairwise``) for each candidate b."""
        if self.compression == "pairwise":
            if self.estimator == "knn":
                return self.knn.information(self.knn.z[:, a], candidates)
            return self.pair_mi[a, candidates].copy()
        return -np.array([self._sum_entropy(a, int(b)) for b in candidates])

    def _sum_entropy(self, a: int, b: int) -> float:
        if self.estimator == "gaussian":
            return 0.5 * np.log(2.0 * np.pi * np.e * max(2.0 + 2.0 * self.correlation[a, b], 1e-12))
        if self.estimator == "knn":
            total = self.knn.z[:, a] + self.knn.z[:, b]
            return kl_entropy(total) if np.ptp(total) > 0 else -np.inf  # a sum that cancels exactly: entropy -inf
        source = self.values if self.estimator == "discrete" else self.codes
        total = np.round(source[:, a] + source[:, b], 9)
        return entropy_of_counts(np.unique(total, return_counts=True)[1], miller_madow=self.estimator != "discrete")

    def relevance(self, a: int, b: int, environment: np.ndarray) -> float:
        """Mean over ``environment`` of I(x_a + x_b; x_c)."""
        if environment.size == 0:
            return 0.0
        if self.estimator == "gaussian":
            c = self.correlation
            denominator = np.sqrt(max(2.0 * (1.0 + c[a, b]), 1e-12))
            return float(np.mean(gaussian_mutual_information((c[a, environment] + c[b, environment]) / denominator)))
        y = (self._sum_codes(a, b) if self.estimator == "discrete"
             else quantile_codes(self.values[:, a] + self.values[:, b], self.bins))
        return float(np.mean(_mutual_information_with_columns(y, self.codes[:, environment],
                                                              miller_madow=self.estimator != "discrete")))

    def _sum_codes(self, a: int, b: int) -> np.ndarray:
        """Codes of the distinct values of x_a + x_b (rounded to 1e-9), in ascending order, as
        ``np.unique`` of the sum gives them, from the pair's joint codes: no sort of m samples."""
        values_a, values_b = self.distinct_values[a], self.distinct_values[b]
        joint = self.codes[:, a] * values_b.size + self.codes[:, b]
        present = np.flatnonzero(np.bincount(joint, minlength=values_a.size * values_b.size))
        sums = np.round(values_a[present // values_b.size] + values_b[present % values_b.size], 9)
        lookup = np.zeros(values_a.size * values_b.size, dtype=np.int64)
        lookup[present] = np.unique(sums, return_inverse=True)[1]
        return lookup[joint]


def _entropy_rows(counts: np.ndarray, m: int, miller_madow: bool) -> np.ndarray:
    p = counts / m
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -np.sum(np.where(counts > 0, p * np.log(p), 0.0), axis=-1)
    return h + (np.count_nonzero(counts, axis=-1) - 1) / (2.0 * m) if miller_madow else h


@numba.njit(cache=True)
def _joint_counts(y, columns, ny, nc):
    """(k, ny, nc) table of counts of (y, column c) for every column c, in one pass per column."""
    m, k = columns.shape
    joint = np.zeros((k, ny, nc))
    for c in range(k):
        for i in range(m):
            joint[c, y[i], columns[i, c]] += 1.0
    return joint


def _mutual_information_with_columns(y: np.ndarray, columns: np.ndarray, miller_madow: bool) -> np.ndarray:
    """I(y; column) for every column of ``columns`` (codes), from one pass of counts per column."""
    m, k = columns.shape
    ny, nc = int(y.max()) + 1, int(columns.max()) + 1
    joint = _joint_counts(np.asarray(y, np.int64), np.asarray(columns, np.int64), ny, nc)
    h_y = _entropy_rows(np.bincount(y, minlength=ny)[None, :].astype(np.float64), m, miller_madow)
    h_c = _entropy_rows(joint.sum(axis=1), m, miller_madow)
    h_joint = _entropy_rows(joint.reshape(k, -1), m, miller_madow)
    return h_y + h_c - h_joint


def information_scores(scorer: _Scorer, a: int, candidates: np.ndarray, environment_of, beta: float) -> np.ndarray:
    """The documented score of pairing ``a`` with each candidate (module docstring)."""
    scores = scorer.pair_term(a, candidates)
    if beta:
        for i, b in enumerate(candidates):
            scores[i] += beta * scorer.relevance(a, int(b), environment_of(a, int(b)))
    return scores


def information_pairs(values, *, estimator: str = "auto", beta: float = DEFAULT_BETA, width: int = DEFAULT_WIDTH,
                      bins: int = DEFAULT_BINS, compression: str = DEFAULT_COMPRESSION) -> np.ndarray:
    """Pairs of one level by the information rule (module docstring): an (n // 2, 2) index array.

    Parameters
    ----------
    values : array_like, shape (m, n)
    estimator : {"auto", "discrete", "binned", "knn", "gaussian"}
    beta : float
        Weight of the relevance term (>= 0; 0: pure pairwise mutual information).
    width : int
        Shortlist size per variable (>= 1; ``n - 1`` or more: the full search).
    bins : int
        Equal-frequency bins of the binned estimator, and the ``auto`` switch.
    compression : {"full", "pairwise"}
        The pair term: -H(x_a + x_b) (eq. 24 as written) or I(x_a; x_b) (module docstring).
    """
    values = np.asarray(values)
    if values.ndim != 2 or values.shape[1] < 2:
        raise ValueError(f"values: expected a samples x variables matrix with >= 2 variables, got shape {values.shape}")
    if not np.isfinite(beta) or beta < 0:
        raise ValueError(f"beta: expected a finite number >= 0, got {beta!r}")
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width: expected a positive integer, got {width!r}")
    if compression not in COMPRESSION_TERMS:
        raise ValueError(f"compression: expected one of {COMPRESSION_TERMS}, got {compression!r}")
    n = values.shape[1]
    scorer = _Scorer(values, choose_estimator(values, estimator, bins), bins, compression)
    width = min(int(width), n - 1)
    shortlist = shortlist_of(scorer.pair_mi, width)

    def environment_of(a, b):
        union = np.union1d(shortlist[a], shortlist[b])
        return union[(union != a) & (union != b)]

    return index_order_pairs(scorer.pair_mi, shortlist,
                             lambda a, candidates: information_scores(scorer, a, candidates, environment_of, beta))


def shortlist_of(screen: np.ndarray, width: int) -> np.ndarray:
    """Each variable's ``width`` partners with the largest screen score (ties: the lower index first)."""
    return np.argsort(-screen, axis=1, kind="stable")[:, :width]


def index_order_pairs(screen: np.ndarray, shortlist: np.ndarray, scores_of) -> np.ndarray:
    """Pair in the paper's index order: the lowest-index unpaired variable takes its best-scoring partner.

    ``screen`` (n x n, diagonal -inf) ranks partners, ``shortlist`` (n x width) holds each
    variable's candidates, ``scores_of(a, candidates)`` scores them (larger is better; ties go to
    the lowest index). When all of a variable's shortlisted partners are paired already, its
    ``width`` best unpaired partners by the screen are scored instead. Returns an (n // 2, 2) array.
    """
    n, width = shortlist.shape
    unpaired = np.ones(n, dtype=bool)
    pairs = []
    for a in range(n):
        if not unpaired[a]:
            continue
        unpaired[a] = False
        candidates = shortlist[a][unpaired[shortlist[a]]]
        if candidates.size == 0:
            others = np.flatnonzero(unpaired)
            if others.size == 0:
                break  # a is the odd variable out, carried to the next level
            candidates = others[np.argsort(-screen[a, others], kind="stable")[:width]]
        candidates = np.sort(candidates)  # ties go to the lowest index
        b = int(candidates[int(np.argmax(scores_of(a, candidates)))])
        unpaired[b] = False
        pairs.append((a, b))
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)
