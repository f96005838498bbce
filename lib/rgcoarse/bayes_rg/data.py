"""Data of the Bayesian renormalization arm: scikit-learn's bundled digits (no download), split.

``load_digits`` ships 1,797 images of 8 x 8 pixels with values 0-16 inside the package; they are
scaled to [0, 1] and split into training and held-out samples by a seeded permutation.
"""

from __future__ import annotations

import numpy as np


def digits(test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) rows of 64 pixels in [0, 1]."""
    from sklearn.datasets import load_digits

    if not 0 < test_fraction < 1:
        raise ValueError(f"bayes_rg.test_fraction: expected a fraction in (0, 1), got {test_fraction}")
    images = load_digits().data / 16.0
    order = np.random.default_rng(seed).permutation(len(images))
    n_test = round(test_fraction * len(images))
    return images[order[n_test:]], images[order[:n_test]]
