"""Feature optimisation by gradient ascent on I~ (the RMI paper's Fig. 3 and appendix D), in NumPy.

The paper's setting: x in R^2 on a square grid of points x_i with weights w_i = p(x_i) dx^2
(normalised to sum 1), a 1-D feature y = f_theta(x), H(y) by the linearly interpolated histogram
between min_i f(x_i) and max_i f(x_i) (:func:`rgcoarse.rmi.estimator.histogram_entropy`), and

    I~(theta) = H(y) - sum_i w_i ln |grad f_theta(x_i)|,

maximised by gradient ascent. The paper's f is a 3 x 150 multilayer perceptron in TensorFlow;
here f is linear in its parameters over a fixed basis,

    f_theta(x) = theta_1 x_1 + theta_2 x_2 + sum_p theta_(p+2) exp(-|x - c_p|^2 / (2 l^2)),

(radial basis functions on a square grid of centres), so both terms and their exact gradients
are a few matrix products: dH/dy from the histogram (including the bounds' dependence on the
extreme samples) and d ln|grad f| / d theta from the basis' gradients; both are checked against
finite differences in the tests. Adam (Kingma and Ba) takes the steps. The feature is defined
up to a bijection, so runs are compared after the caption's normalisation y^ = CDF(y) (under the
grid weights), with the sign of each run fixed so that y^ rises along the same direction as the
first run's (y -> -y is also a bijection).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rgcoarse.rmi.estimator import _interpolation_weights

_LOG_FLOOR = 1e-300


@dataclass(frozen=True)
class RbfBasis:
    """Linear terms and Gaussian bumps of width ``length`` at ``centres`` (p, 2)."""

    centres: np.ndarray
    length: float

    @property
    def size(self) -> int:
        return 2 + self.centres.shape[0]

    def values_and_gradients(self, x) -> tuple[np.ndarray, np.ndarray]:
        """phi (m, P) and grad phi (m, 2, P) at points x (m, 2)."""
        x = np.asarray(x, dtype=np.float64)
        offset = x[:, None, :] - self.centres[None, :, :]  # (m, p, 2)
        bumps = np.exp(-np.sum(offset ** 2, axis=2) / (2 * self.length ** 2))
        phi = np.hstack([x, bumps])
        grad = np.zeros((x.shape[0], 2, self.size))
        grad[:, 0, 0] = 1.0
        grad[:, 1, 1] = 1.0
        grad[:, :, 2:] = -np.transpose(offset, (0, 2, 1)) * bumps[:, None, :] / self.length ** 2
        return phi, grad


def square_basis(half_width: float, per_side: int, length: float) -> RbfBasis:
    side = np.linspace(-half_width, half_width, per_side)
    gx, gy = np.meshgrid(side, side, indexing="ij")
    return RbfBasis(np.column_stack([gx.ravel(), gy.ravel()]), float(length))


def histogram_entropy_and_gradient(y, weights, bins: int) -> tuple[float, np.ndarray]:
    """The paper's 1-D histogram entropy of weighted samples and its exact gradient dH/dy.

    Bin centres run from min(y) to max(y) in ``bins`` steps of width d; with q_k the weight in
    bin k, H = -sum_k q_k ln q_k + ln d. The gradient includes the bounds' dependence on the
    extreme samples, so it is exact wherever the minimum and maximum are unique.
    """
    y = np.asarray(y, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    i_low, i_high = int(np.argmin(y)), int(np.argmax(y))
    low, high = y[i_low], y[i_high]
    if not high > low:
        raise ValueError("feature: constant on the grid; I~ is -infinity")
    width = (high - low) / (bins - 1)
    t = (y - low) / width
    k, share = _interpolation_weights(t, bins)
    q = np.bincount(k, w * (1 - share), minlength=bins) + np.bincount(k + 1, w * share, minlength=bins)
    log_q = np.log(np.maximum(q, _LOG_FLOOR))
    entropy = float(-np.sum(q[q > 0] * log_q[q > 0]) + np.log(width))
    d_t = w * (log_q[k] - log_q[k + 1])  # dH/dt_i: moving t_i shifts weight from bin k to k + 1
    grad = d_t / width
    s, st = d_t.sum(), np.dot(d_t, t)
    span = width * (bins - 1)
    grad[i_low] += -s / width + st / span - 1.0 / span
    grad[i_high] += -st / span + 1.0 / span
    return entropy, grad


@dataclass(frozen=True)
class GridProblem:
    """A weighted 2-D grid, the basis evaluated on it, and the histogram's bin count."""

    points: np.ndarray
    weights: np.ndarray
    phi: np.ndarray
    grad_phi: np.ndarray
    bins: int

    @classmethod
    def build(cls, density, half_width: float, per_side: int, basis: RbfBasis, bins: int) -> GridProblem:
        side = np.linspace(-half_width, half_width, per_side)
        gx, gy = np.meshgrid(side, side, indexing="ij")
        points = np.column_stack([gx.ravel(), gy.ravel()])
        weights = density(points)
        phi, grad_phi = basis.values_and_gradients(points)
        return cls(points, weights / weights.sum(), phi, grad_phi, int(bins))

    def rmi_and_gradient(self, theta) -> tuple[float, np.ndarray]:
        """I~(theta) and dI~/dtheta (module docstring)."""
        y = self.phi @ theta
        entropy, d_y = histogram_entropy_and_gradient(y, self.weights, self.bins)
        gradient = self.grad_phi @ theta  # (m, 2): grad f at every grid point
        norm2 = np.sum(gradient ** 2, axis=1)
        if np.any(norm2 == 0):
            raise ValueError("feature gradient: zero at a grid point; I~ is not finite")
        rmi = entropy - 0.5 * float(np.dot(self.weights, np.log(norm2)))
        d_theta = self.phi.T @ d_y - np.einsum("m,mk,mkp->p", self.weights / norm2, gradient, self.grad_phi)
        return rmi, d_theta


def knn_entropy_and_gradient(y, k: int = 3) -> tuple[float, np.ndarray]:
    """Kozachenko–Leonenko entropy of a 1-D sample and its gradient dH/dy.

    h = psi(m) - psi(k) + ln 2 + (1/m) sum_i ln |y_i - y_(j_i)|, j_i the k-th nearest neighbour of
    i; the neighbour identities are locally constant, so dh/dy_i = (1/m) [1/(y_i - y_(j_i)) -
    sum over the points whose k-th neighbour is i of 1/(y_l - y_i)].
    """
    from scipy.special import digamma

    y = np.asarray(y, dtype=np.float64)
    m = y.size
    order = np.argsort(y, kind="stable")
    ys = y[order]
    offsets = np.concatenate([np.arange(-k, 0), np.arange(1, k + 1)])
    position = np.arange(m)[:, None] + offsets[None, :]
    valid = (position >= 0) & (position < m)
    distance = np.where(valid, np.abs(ys[np.clip(position, 0, m - 1)] - ys[:, None]), np.inf)
    choice = np.argpartition(distance, k - 1, axis=1)[:, k - 1]
    neighbour = np.clip(position, 0, m - 1)[np.arange(m), choice]
    diff = ys - ys[neighbour]
    eps = np.abs(diff)
    if np.any(eps == 0):
        raise ValueError("feature: tied samples; the kNN entropy is not finite")
    h = float(digamma(m) - digamma(k) + np.log(2.0) + np.mean(np.log(eps)))
    inverse = 1.0 / diff / m
    grad_sorted = inverse.copy()
    np.add.at(grad_sorted, neighbour, -inverse)
    grad = np.empty(m)
    grad[order] = grad_sorted
    return h, grad


@dataclass(frozen=True)
class SampleProblem:
    """A pool of samples of x with the basis evaluated once: I~ by the kNN entropy of mini-batches.

    Unlike the grid histogram, whose resolution is fixed by its bin width, the nearest-neighbour
    estimate resolves a feature that flattens on a region (its samples crowd together), so the
    ascent cannot gain by flattening the feature where the estimator cannot see it. Each step
    draws a fresh mini-batch from the pool (a stochastic gradient): the kNN estimate is rough on
    the scale of the smallest sample spacing, and fresh batches average that roughness out.
    """

    phi: np.ndarray
    grad_phi: np.ndarray
    k: int

    @classmethod
    def build(cls, samples, basis: RbfBasis, k: int) -> SampleProblem:
        phi, grad_phi = basis.values_and_gradients(samples)
        return cls(phi, grad_phi, int(k))

    def rmi_and_gradient(self, theta, rows=None) -> tuple[float, np.ndarray]:
        """I~ and dI~/dtheta on the samples ``rows`` (default: the whole pool)."""
        phi = self.phi if rows is None else self.phi[rows]
        grad_phi = self.grad_phi if rows is None else self.grad_phi[rows]
        entropy, d_y = knn_entropy_and_gradient(phi @ theta, self.k)
        gradient = grad_phi @ theta
        norm2 = np.sum(gradient ** 2, axis=1)
        if np.any(norm2 == 0):
            raise ValueError("feature gradient: zero at a sample; I~ is not finite")
        rmi = entropy - 0.5 * float(np.mean(np.log(norm2)))
        d_theta = phi.T @ d_y - np.einsum("mk,mkp->p", gradient / norm2[:, None], grad_phi) / phi.shape[0]
        return rmi, d_theta


def adam_ascent(objective, theta0, *, steps: int, learning_rate: float,
                betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> tuple[np.ndarray, np.ndarray]:
    """Maximise with Adam; ``objective(theta, step) -> (value, gradient)``.

    Returns theta and the objective at every step (before that step's update).
    """
    theta = np.array(theta0, dtype=np.float64)
    first, second = np.zeros_like(theta), np.zeros_like(theta)
    trace = np.empty(steps)
    for step in range(1, steps + 1):
        trace[step - 1], grad = objective(theta, step)
        first = betas[0] * first + (1 - betas[0]) * grad
        second = betas[1] * second + (1 - betas[1]) * grad ** 2
        theta += learning_rate * (first / (1 - betas[0] ** step)) / (np.sqrt(second / (1 - betas[1] ** step)) + eps)
    return theta, trace


def initial_parameters(rng, size: int, bump_scale: float) -> np.ndarray:
    """A random unit linear part and small random bumps: a monotone start with a non-zero gradient."""
    direction = rng.standard_normal(2)
    return np.concatenate([direction / np.linalg.norm(direction), bump_scale * rng.standard_normal(size - 2)])


def normalised_feature(y, weights) -> np.ndarray:
    """y^ = CDF(y) under the grid weights: uniform on [0, 1] for any strictly increasing reparametrisation."""
    order = np.argsort(y, kind="stable")
    cdf = np.empty_like(np.asarray(y, dtype=np.float64))
    cdf[order] = np.cumsum(np.asarray(weights)[order])
    return np.minimum(cdf, 1.0)  # the last cumulative sum may round to just above 1


def aligned(normalised_runs: np.ndarray, weights) -> np.ndarray:
    """Runs' y^ with each flipped (1 - y^) when it anti-correlates (weighted) with the first run."""
    runs = np.array(normalised_runs, dtype=np.float64)
    reference = runs[0] - np.dot(weights, runs[0])
    for r in range(1, runs.shape[0]):
        if np.dot(weights, (runs[r] - np.dot(weights, runs[r])) * reference) < 0:
            runs[r] = 1.0 - runs[r]
    return runs
