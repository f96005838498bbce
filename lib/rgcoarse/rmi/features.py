"""The features the RMI paper compares (its Fig. 2), each with its analytic Jacobian.

A feature is a function ``values (m, N) -> (y, jacobians)`` with y of shape (m,) or (m, K) and
jacobians of shape (m, N) or (m, K, N). The wave-packet features (Fig. 2b; sites j = 1 .. N):

- ``mean``: (1/N) sum_j x_j
- ``position``: (1/N) sum_j j x_j
- ``intensity``: (1/N) sum_j j x_j^2
- ``normalised``: sum_j j x_j^2 / sum_i x_i^2 (an expectation value of the position)
- ``pca``: u . x, u the leading eigenvector of the samples' covariance

and the drop features (Fig. 2d; x = (x_1 .. x_n, y_1 .. y_n)):

- ``pca2``: the two leading principal components (orthonormal rows: J J^T = identity)
- ``quadratic``: ((1/n) sum_j x_j^2, (1/n) sum_j y_j^2)

PCA is fitted on the samples it is evaluated on (as the paper does); the fitted directions are
returned beside the feature so tests can check them.
"""

from __future__ import annotations

import numpy as np

WAVE_PACKET_FEATURES = ("mean", "position", "intensity", "normalised", "pca")
DROP_FEATURES = ("pca2", "quadratic")
FEATURE_LABELS = {
    "mean": r"$\frac{1}{N}\sum_j x_j$",
    "position": r"$\frac{1}{N}\sum_j j\,x_j$",
    "intensity": r"$\frac{1}{N}\sum_j j\,x_j^2$",
    "normalised": r"$\sum_j j\,x_j^2 / \sum_i x_i^2$",
    "pca": "PCA-1",
    "pca2": "PCA (2 components)",
    "quadratic": r"$(\langle x^2\rangle, \langle y^2\rangle)$",
}


def principal_directions(values, count: int) -> np.ndarray:
    """The ``count`` leading eigenvectors (rows) of the samples' covariance, signs fixed (largest entry > 0)."""
    values = np.asarray(values, dtype=np.float64)
    _, vectors = np.linalg.eigh(np.cov(values, rowvar=False))
    leading = vectors[:, ::-1][:, :count].T
    signs = np.sign(leading[np.arange(count), np.argmax(np.abs(leading), axis=1)])
    return leading * signs[:, None]


def wave_packet_feature(name: str, values) -> tuple[np.ndarray, np.ndarray]:
    """(y, jacobians (m, N)) of one wave-packet feature (module docstring)."""
    x = np.asarray(values, dtype=np.float64)
    m, n = x.shape
    j = np.arange(1, n + 1, dtype=np.float64)
    if name == "mean":
        return x.mean(axis=1), np.full((m, n), 1.0 / n)
    if name == "position":
        return x @ j / n, np.broadcast_to(j / n, (m, n)).copy()
    if name == "intensity":
        return (x ** 2) @ j / n, 2 * x * j / n
    if name == "normalised":
        total = np.sum(x ** 2, axis=1)
        y = (x ** 2) @ j / total
        return y, 2 * x * (j[None, :] - y[:, None]) / total[:, None]
    if name == "pca":
        u = principal_directions(x, 1)[0]
        return x @ u, np.broadcast_to(u, (m, n)).copy()
    raise ValueError(f"wave-packet feature: expected one of {WAVE_PACKET_FEATURES}, got {name!r}")


def drop_feature(name: str, values) -> tuple[np.ndarray, np.ndarray]:
    """(y (m, 2), jacobians (m, 2, N)) of one drop feature (module docstring)."""
    x = np.asarray(values, dtype=np.float64)
    m, n = x.shape
    if n % 2:
        raise ValueError(f"drop features: expected (x_1 .. x_n, y_1 .. y_n) with an even number of columns, got {n}")
    half = n // 2
    if name == "pca2":
        u = principal_directions(x, 2)
        return x @ u.T, np.broadcast_to(u, (m, 2, n)).copy()
    if name == "quadratic":
        y = np.column_stack([np.mean(x[:, :half] ** 2, axis=1), np.mean(x[:, half:] ** 2, axis=1)])
        jac = np.zeros((m, 2, n))
        jac[:, 0, :half] = 2 * x[:, :half] / half
        jac[:, 1, half:] = 2 * x[:, half:] / half
        return y, jac
    raise ValueError(f"drop feature: expected one of {DROP_FEATURES}, got {name!r}")
