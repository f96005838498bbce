"""The bridge from Fisher shells to pairing rules: variance kept by coarse variables against the Ky Fan bound.

For a linear autoencoder the Gauss-Newton Fisher of the encoder is (2/n) (D^T D) kron Sigma: its
input factor is the data covariance, so its "shells" are the covariance's principal directions and
the best linear compression of the data to m variables keeps the sum of Sigma's top m eigenvalues
(Ky Fan's maximum principle: the largest trace of U^T Sigma U over orthonormal N x m frames U).

A coarse-graining level is also a linear compression: each coarse variable is a (scaled) sum of its
cluster's features, i.e. the frame of normalised cluster indicators u_c = 1_c / sqrt(|c|). The
variance it keeps is sum_c 1_c^T Sigma 1_c / |c|, never more than the Ky Fan bound of the same m,
and the ratio of the two says how close a pairing rule's hierarchy comes to the principal
directions (1 at level 0, where nothing is compressed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ("dataset", "condition", "method", "level", "n_variables", "cluster_size", "retained", "bound",
           "ratio", "total")


def covariance(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    centred = values - values.mean(axis=0)
    return centred.T @ centred / (values.shape[0] - 1)


def retained_variance(cov: np.ndarray, members) -> float:
    """sum_c 1_c^T Sigma 1_c / |c| over the clusters (each an array of feature indices)."""
    return float(sum(cov[np.ix_(c, c)].sum() / len(c) for c in members))


def kyfan_bounds(cov: np.ndarray) -> np.ndarray:
    """bounds[m] = the sum of the m largest eigenvalues of the covariance (bounds[0] = 0)."""
    eigenvalues = np.clip(np.linalg.eigvalsh(cov)[::-1], 0.0, None)  # rounding makes tiny negatives
    return np.concatenate([[0.0], np.cumsum(eigenvalues)])


def kyfan_table(values: np.ndarray, levels_by_method: dict, dataset: str, condition: str) -> pd.DataFrame:
    """One row per pairing rule and level (``levels_by_method``: method -> list of Level)."""
    cov = covariance(values)
    bounds = kyfan_bounds(cov)
    rows = []
    for method, levels in levels_by_method.items():
        for level in levels:
            members = [np.asarray(m, dtype=np.int64) for m in level.members]
            retained = retained_variance(cov, members)
            bound = float(bounds[len(members)])
            rows.append({"dataset": dataset, "condition": condition, "method": method, "level": int(level.level),
                         "n_variables": len(members), "cluster_size": int(max(len(m) for m in members)),
                         "retained": retained, "bound": bound, "ratio": retained / bound if bound > 0 else float("nan"),
                         "total": float(bounds[-1])})
    return pd.DataFrame(rows, columns=list(COLUMNS))
