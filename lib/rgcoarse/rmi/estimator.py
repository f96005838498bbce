"""The renormalized mutual information of a deterministic feature (Sarra, Aiello, Marquardt, eq. 1).

For data x in R^N and a feature y = f(x) in R^K (K = 1 or 2),

    I~(x, y) = H(y) - E_x[ ln sqrt(det(J J^T)) ],   J = grad f(x), the K x N Jacobian,

and with a noise metric Sigma (the paper's appendix A, for components of mixed units)
J Sigma J^T replaces J J^T. I~ is finite, invariant under any bijection y -> g(y) (eq. 2), and
-inf for a constant feature (like the entropy of a delta distribution): this module raises an
error there instead of returning a number.

Two estimates of the differential entropy H(y) from samples:

``knn`` (the default)
    Kozachenko–Leonenko with k = 3 (:func:`rgcoarse.stats.knn_information.kl_entropy`): no bin width
    to choose, bias within about 0.01 nats at 10^3-10^5 samples of a smooth density, and the
    transformation y -> a y + b shifts it by exactly ln |a| (so eq. 2's affine case holds exactly).
``histogram``
    The paper's binning (its appendix D): ``bins`` bin centres spaced evenly from min(y) to
    max(y), each sample split between its two nearest centres in proportion to its distance
    (bilinear in 2-D), H = -sum_k p_k ln(p_k / bin volume). Differentiable in the samples, which
    the feature optimisation needs (:mod:`rgcoarse.rmi.optimise`); biased by the bin width at
    small bin counts and by the sample count at large ones.

The gradient term needs J at every sample: analytic where the feature is given in closed form
(:mod:`rgcoarse.rmi.features`), otherwise by central finite differences
(:func:`finite_difference_jacobian`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rgcoarse.stats.knn_information import kl_entropy

ENTROPY_ESTIMATORS = ("knn", "histogram")
DEFAULT_ENTROPY = "knn"
DEFAULT_HISTOGRAM_BINS = 100  # per axis; the paper states none
MAX_FEATURE_DIMENSION = 2
FINITE_DIFFERENCE_STEP = 1e-5  # relative to each component's scale (max(1, |x|)): central differences


@dataclass(frozen=True)
class RmiEstimate:
    """I~ and its two terms, in nats."""

    rmi: float
    entropy: float
    gradient_term: float


def as_feature_samples(y) -> np.ndarray:
    """``y`` as an (m, K) array with K in (1, 2), finite and not constant (errors name the problem)."""
    y = np.asarray(y, dtype=np.float64)
    y = y[:, None] if y.ndim == 1 else y
    if y.ndim != 2 or y.shape[0] < 2:
        raise ValueError(f"feature: expected samples of shape (m,) or (m, K) with m >= 2, got {np.shape(y)}")
    if not 1 <= y.shape[1] <= MAX_FEATURE_DIMENSION:
        raise ValueError(f"feature: dimension K = {y.shape[1]}; this estimator handles K = 1 and 2 "
                         "(a kNN or histogram entropy in more dimensions needs far more samples)")
    if not np.all(np.isfinite(y)):
        raise ValueError("feature: the samples have non-finite values")
    constant = [k for k in range(y.shape[1]) if np.ptp(y[:, k]) == 0]
    if constant:
        raise ValueError(f"feature: component(s) {constant} are constant; the renormalized mutual information of a "
                         "constant feature is -infinity by definition (the entropy of a delta distribution)")
    return y


def _interpolation_weights(t: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Lower bin index and the share of the upper bin for positions ``t`` in [0, bins - 1]."""
    lower = np.minimum(np.floor(t).astype(np.int64), bins - 2)
    return lower, t - lower


def histogram_entropy(y, bins: int = DEFAULT_HISTOGRAM_BINS, weights=None) -> float:
    """H(y) by the paper's linearly interpolated histogram (module docstring), for K = 1 or 2.

    ``weights`` (optional, one per sample, summing to anything positive) turns the samples into a
    weighted set, as the grid points of the feature optimisation.
    """
    y = as_feature_samples(y)
    m, dims = y.shape
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 2:
        raise ValueError(f"bins: expected an integer >= 2, got {bins!r}")
    if weights is None:
        if m < bins:
            raise ValueError(f"histogram entropy: {m} samples for {bins} bins per axis; use fewer bins or the knn estimator")
        weights = np.full(m, 1.0 / m)
    else:
        weights = np.asarray(weights, dtype=np.float64)
        if weights.shape != (m,) or np.any(weights < 0) or not weights.sum() > 0:
            raise ValueError("weights: expected one non-negative weight per sample, not all zero")
        weights = weights / weights.sum()
    low, high = y.min(axis=0), y.max(axis=0)
    width = (high - low) / (bins - 1)
    t = (y - low) / width
    lower, share = _interpolation_weights(t, bins)
    p = np.zeros((bins,) * dims)
    if dims == 1:
        np.add.at(p, lower[:, 0], weights * (1 - share[:, 0]))
        np.add.at(p, lower[:, 0] + 1, weights * share[:, 0])
    else:
        for dx in (0, 1):
            for dy in (0, 1):
                w = weights * (share[:, 0] if dx else 1 - share[:, 0]) * (share[:, 1] if dy else 1 - share[:, 1])
                np.add.at(p, (lower[:, 0] + dx, lower[:, 1] + dy), w)
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)) + np.sum(np.log(width)))


def feature_entropy(y, estimator: str = DEFAULT_ENTROPY, bins: int = DEFAULT_HISTOGRAM_BINS) -> float:
    """H(y) in nats by ``knn`` or ``histogram`` (module docstring)."""
    if estimator == "knn":
        return kl_entropy(as_feature_samples(y))
    if estimator == "histogram":
        return histogram_entropy(y, bins)
    raise ValueError(f"entropy estimator: expected one of {ENTROPY_ESTIMATORS}, got {estimator!r}")


def half_log_det(jacobians, metric=None) -> np.ndarray:
    """ln sqrt(det(J Sigma J^T)) per sample; ``jacobians`` (m, K, N) or (m, N) for K = 1.

    ``metric``: None (Sigma = identity, eq. 1), a length-N vector (a diagonal Sigma: per-component
    resolutions squared) or an N x N symmetric positive-definite matrix (appendix A). A zero
    gradient at a sample makes the term infinite: an error naming how many samples have it.
    """
    jac = np.asarray(jacobians, dtype=np.float64)
    jac = jac[:, None, :] if jac.ndim == 2 else jac
    if jac.ndim != 3 or not 1 <= jac.shape[1] <= MAX_FEATURE_DIMENSION:
        raise ValueError(f"jacobians: expected shape (m, N) or (m, K, N) with K <= 2, got {np.shape(jacobians)}")
    if metric is None:
        gram = np.einsum("mki,mli->mkl", jac, jac)
    else:
        metric = np.asarray(metric, dtype=np.float64)
        n = jac.shape[2]
        if metric.shape == (n,):
            if np.any(metric <= 0):
                raise ValueError("metric: a diagonal metric needs positive entries")
            gram = np.einsum("mki,i,mli->mkl", jac, metric, jac)
        elif metric.shape == (n, n):
            if not np.allclose(metric, metric.T) or np.linalg.eigvalsh(metric)[0] <= 0:
                raise ValueError("metric: expected a symmetric positive-definite N x N matrix")
            gram = np.einsum("mki,ij,mlj->mkl", jac, metric, jac)
        else:
            raise ValueError(f"metric: expected shape ({n},) or ({n}, {n}), got {metric.shape}")
    sign, log_det = np.linalg.slogdet(gram)
    degenerate = np.count_nonzero(sign <= 0)
    if degenerate:
        raise ValueError(f"feature gradient: det(J J^T) = 0 at {degenerate} of {jac.shape[0]} samples (a zero or "
                         "rank-deficient gradient); I~ is not finite where that set has positive probability")
    return 0.5 * log_det


def renormalized_mutual_information(y, jacobians, *, estimator: str = DEFAULT_ENTROPY,
                                    bins: int = DEFAULT_HISTOGRAM_BINS, metric=None) -> RmiEstimate:
    """I~(x, y) = H(y) - E[ln sqrt(det(J Sigma J^T))] from samples of y and their Jacobians."""
    y = as_feature_samples(y)
    term = half_log_det(jacobians, metric)
    if term.shape[0] != y.shape[0]:
        raise ValueError(f"jacobians: {term.shape[0]} samples for {y.shape[0]} feature samples")
    entropy = feature_entropy(y, estimator, bins)
    gradient_term = float(np.mean(term))
    return RmiEstimate(entropy - gradient_term, entropy, gradient_term)


def finite_difference_jacobian(feature, x, step: float = FINITE_DIFFERENCE_STEP) -> np.ndarray:
    """Jacobians (m, K, N) of ``feature`` (maps (m, N) -> (m,) or (m, K)) by central differences."""
    x = np.asarray(x, dtype=np.float64)
    base = np.asarray(feature(x), dtype=np.float64)
    dims = 1 if base.ndim == 1 else base.shape[1]
    jac = np.empty((x.shape[0], dims, x.shape[1]))
    for i in range(x.shape[1]):
        h = step * np.maximum(1.0, np.abs(x[:, i]))
        up, down = x.copy(), x.copy()
        up[:, i] += h
        down[:, i] -= h
        diff = (np.asarray(feature(up), dtype=np.float64) - np.asarray(feature(down), dtype=np.float64))
        jac[:, :, i] = (diff.reshape(x.shape[0], dims)) / (2 * h[:, None])
    return jac


def half_sample_interval(y, half_log_dets, *, n_resamples: int, rng, confidence: float,
                         estimator: str = DEFAULT_ENTROPY, bins: int = DEFAULT_HISTOGRAM_BINS) -> tuple[float, float]:
    """Normal interval of I~ with its standard error from random half-samples (without replacement).

    The usual bootstrap resamples with replacement, and its duplicated samples are exact ties,
    at which a nearest-neighbour entropy collapses (ln 0); half-samples have none. An estimate
    from m/2 samples has about twice the variance of one from m, so SE = SD(half-sample
    estimates) / sqrt(2); the interval is centred on the full-sample estimate.
    """
    from scipy.stats import norm

    y = as_feature_samples(y)
    half_log_dets = np.asarray(half_log_dets, dtype=np.float64)
    m = y.shape[0]
    estimate = feature_entropy(y, estimator, bins) - half_log_dets.mean()
    values = []
    for _ in range(n_resamples):
        index = rng.choice(m, m // 2, replace=False)
        values.append(feature_entropy(y[index], estimator, bins) - half_log_dets[index].mean())
    half_width = norm.ppf(0.5 + confidence / 2) * np.std(values, ddof=1) / np.sqrt(2.0)
    return float(estimate - half_width), float(estimate + half_width)
