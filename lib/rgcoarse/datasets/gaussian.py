"""The random Gaussian dataset of the paper's Fig. 1."""

import numpy as np


def gaussian_matrix(n_features: int, n_samples: int, seed: int) -> np.ndarray:
    """i.i.d. N(0, 1) entries, shape (n_samples, n_features), from a seeded PCG64 generator."""
    if n_features < 2:
        raise ValueError(f"n_features must be at least 2, got {n_features}")
    if n_samples < 2:
        raise ValueError(f"n_samples must be at least 2, got {n_samples}")
    return np.random.default_rng(seed).standard_normal((n_samples, n_features))
