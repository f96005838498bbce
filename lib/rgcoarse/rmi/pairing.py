"""The ``rmi`` pairing rule: merge the pairs whose coarse variable loses the least renormalized information.

Merging x_a and x_b into z = omega (x_a + x_b) is a deterministic feature of the pair X = (x_a, x_b);
what it loses is H(X) - I~(X, z) (Sarra et al., eq. 1, with K = 1, N = 2, grad z = omega (1, 1)):

    loss(a, b) = H(x_a, x_b) - H(z) + 1/2 ln(2 omega^2) = H(x_a, x_b) - H(x_a + x_b) + 1/2 ln 2,

independent of omega (reparametrisation invariance). The rule pairs to lose least, in the
paper's index order (:func:`rgcoarse.coarse.information_pairing.index_order_pairs`).

Details that decide whether it works:

- **Standardised variables.** The loss is computed on each variable divided by its standard
  deviation at the current level: with unequal variances the raw loss prefers quiet,
  uncorrelated pairs (H(x_a, x_b) falls with the variances faster than H(x_a + x_b)).
- **Estimators.** ``knn``: Kozachenko–Leonenko entropies (2-D for the pair, 1-D for the sum;
  :func:`rgcoarse.stats.knn_information.kl_entropy`). ``discrete`` (few-valued data such as
  +-1 spins): the discrete information lost, H(x_a, x_b | z) = H(x_a, x_b) - H(x_a + x_b) from
  exact counts with the Miller–Madow correction (0 when the sum determines the pair). ``gaussian``: the closed form for a
  standardised pair of correlation rho, 1/2 ln(2 pi e (1 - rho)), monotone in rho, so the rule
  then pairs as the ``correlation`` rule ranks partners. ``auto``: ``discrete`` when every variable
  takes at most max(``bins``, sqrt(m)) values (m samples: Ising sums down to level 5 at m = 4,000,
  where a pair's table has at most about m / 4 cells), and at most max(m / 2, 16), ``knn`` otherwise.
- **Lattice values.** Beyond ``bins`` distinct values (deep levels of spin data) the ``knn``
  estimator is used on values spread uniformly over their lattice spacing (:func:`dequantised`),
  since exact ties break nearest-neighbour entropies.
- **Screen.** Each variable's ``width`` candidate partners are those with the largest
  dependence score max(|rho(z_a, z_b)|, |rho(z_a^2, z_b)|, |rho(z_a, z_b^2)|, |rho(z_a^2, z_b^2)|)
  (z standardised; a squared column that is constant, as for +-1 spins, adds nothing): a
  correlation screen alone would discard exactly the pairs (y = x^2) this rule exists for. It
  costs three Gram products, against the binned mutual information's one product of one-hot
  matrices eight times wider (13 s against about 1.5 s at the Ising level 0, N = 4,096).
"""

from __future__ import annotations

import numpy as np

from rgcoarse.coarse.information_pairing import CONTINUOUS_MIN_VALUES, index_order_pairs, shortlist_of
from rgcoarse.stats.information import DEFAULT_BINS, entropy_of_counts, standardise
from rgcoarse.stats.knn_information import kl_entropy

RMI_ESTIMATORS = ("auto", "discrete", "knn", "gaussian")
DEFAULT_WIDTH = 8
HALF_LN_2 = 0.5 * np.log(2.0)


def gaussian_rmi_loss(rho) -> np.ndarray:
    """The loss of a standardised Gaussian pair with correlation ``rho``: 1/2 ln(2 pi e (1 - rho))."""
    return 0.5 * np.log(2.0 * np.pi * np.e * (1.0 - np.asarray(rho, dtype=np.float64)))


def dependence_screen(values) -> np.ndarray:
    """The screen's score for every pair (module docstring), diagonal -inf."""
    z = standardise(values)
    m = z.shape[0]
    squares = standardise(z ** 2).astype(np.float32)  # single precision: a ranking, not a result
    z = z.astype(np.float32)
    screen = np.abs(z.T @ z) / m
    if np.any(squares):  # two-valued symmetric columns (spins) have constant squares
        cross = np.abs(squares.T @ z) / m
        np.maximum(screen, np.maximum(cross, cross.T), out=screen)
        np.maximum(screen, np.abs(squares.T @ squares) / m, out=screen)
    screen = screen.astype(np.float64)
    np.fill_diagonal(screen, -np.inf)
    return screen


DEQUANTISE_BELOW = 0.5  # a column with fewer distinct values than this share of its samples is dequantised
_DEQUANTISE_SEED = 20210601


def dequantised(values) -> np.ndarray:
    """Lattice-valued columns (sums of spins) spread uniformly over their smallest gap.

    Nearest-neighbour entropies need continuous samples: on a lattice of spacing d the k-th
    neighbour is often at distance 0. Adding U(-d/2, d/2) turns a discrete variable into a
    continuous one whose differential entropy is the discrete entropy + ln d, so differences of
    entropies keep their meaning. Deterministic (a fixed seed per call).
    """
    values = np.array(values, dtype=np.float64)
    rng = np.random.default_rng(_DEQUANTISE_SEED)
    m = values.shape[0]
    for j in range(values.shape[1]):
        distinct = np.unique(values[:, j])
        if 1 < distinct.size < DEQUANTISE_BELOW * m:
            gap = np.min(np.diff(distinct))
            values[:, j] += gap * (rng.random(m) - 0.5)
    return values


class RmiLoss:
    """The loss of pairing variable a with each of several candidates, for one level and one estimator."""

    def __init__(self, values, estimator: str):
        self.estimator = estimator
        if estimator == "discrete":
            values = np.asarray(values, dtype=np.float64)
            scale = np.max(np.abs(values)) or 1.0
            # each column's distinct values, rounded so that sums equal up to rounding count as one
            rounded = np.round(values / scale, 9)
            pairs = [np.unique(column, return_inverse=True) for column in rounded.T]
            self.levels = [levels for levels, _ in pairs]
            self.codes = np.column_stack([codes.ravel() for _, codes in pairs])
        else:
            self.z = standardise(dequantised(values) if estimator == "knn" else values)
            if estimator == "gaussian":
                self.correlation = self.z.T @ self.z / self.z.shape[0]

    def __call__(self, a: int, candidates: np.ndarray) -> np.ndarray:
        if self.estimator == "gaussian":
            return gaussian_rmi_loss(np.clip(self.correlation[a, candidates], -1.0, 1.0 - 1e-12))
        loss = self._discrete_loss if self.estimator == "discrete" else self._knn_loss
        return np.array([loss(a, int(b)) for b in candidates])

    def _discrete_loss(self, a: int, b: int) -> float:
        """H(x_a, x_b) - H(x_a + x_b) from the joint counts; the sum's cells grouped by their value."""
        levels_a, levels_b = self.levels[a], self.levels[b]
        joint = np.bincount(self.codes[:, a] * levels_b.size + self.codes[:, b],
                            minlength=levels_a.size * levels_b.size)
        sums = np.round(levels_a[:, None] + levels_b[None, :], 9).ravel()
        sum_counts = np.bincount(np.unique(sums, return_inverse=True)[1].ravel(), weights=joint)
        return (entropy_of_counts(joint[joint > 0], miller_madow=True)
                - entropy_of_counts(sum_counts[sum_counts > 0], miller_madow=True))

    def _knn_loss(self, a: int, b: int) -> float:
        za, zb = self.z[:, a], self.z[:, b]
        total = za + zb
        if np.ptp(total) == 0:
            return np.inf  # the sum cancels exactly: every bit of the pair is lost
        return kl_entropy(np.column_stack([za, zb]), standardise=False) - kl_entropy(total) + HALF_LN_2


def choose_rmi_estimator(values, estimator: str, bins: int) -> str:
    """``auto`` -> ``discrete`` when every column takes at most max(bins, sqrt(m)) values, and at most half
    as many as there are samples or 16, whichever is more (a column of nearly all distinct values is
    continuous whatever ``bins``), else ``knn``."""
    if estimator != "auto":
        return estimator
    values = np.asarray(values)
    limit = min(max(int(bins), int(np.sqrt(values.shape[0]))), max(values.shape[0] // 2, CONTINUOUS_MIN_VALUES))
    few = all(np.unique(column).size <= limit for column in values.T)
    return "discrete" if few else "knn"


def rmi_pairs(values, *, estimator: str = "auto", width: int = DEFAULT_WIDTH, bins: int = DEFAULT_BINS) -> np.ndarray:
    """Pairs of one level by the rmi rule (module docstring): an (n // 2, 2) index array."""
    values = np.asarray(values)
    if values.ndim != 2 or values.shape[1] < 2:
        raise ValueError(f"values: expected a samples x variables matrix with >= 2 variables, got shape {values.shape}")
    if estimator not in RMI_ESTIMATORS:
        raise ValueError(f"estimator: expected one of {RMI_ESTIMATORS}, got {estimator!r}")
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width: expected a positive integer, got {width!r}")
    screen = dependence_screen(values)
    loss = RmiLoss(values, choose_rmi_estimator(values, estimator, bins))
    return index_order_pairs(screen, shortlist_of(screen, min(int(width), values.shape[1] - 1)),
                             lambda a, candidates: -loss(a, candidates))
