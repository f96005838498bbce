"""The straightforward recomputation of observables from the original data: the test oracle.

Every level's cluster sums are rebuilt from the original data through the membership lists
(no reuse between levels). The package computes each level from the previous one; tests and
the benchmark compare the two.
"""

import numpy as np
import pandas as pd

from rgcoarse.stats.observables import all_silent, cluster_groups, cluster_sums


def direct_mean_variance(data, levels) -> pd.DataFrame:
    rows = []
    for level in levels:
        variances = cluster_sums(data, level.members).var(axis=0)
        for k, idx in cluster_groups(level):
            rows.append((level.level, k, idx.size, float(variances[idx].mean())))
    return pd.DataFrame(rows, columns=["level", "cluster_size", "n_clusters", "m2"])


def direct_bootstrap_points(data, levels, table, selected, observable, counts) -> np.ndarray:
    m = data.shape[0]
    out = np.empty((counts.shape[0], selected.size))
    rows = table.iloc[selected]
    for column, (lev, k) in enumerate(zip(rows["level"].to_numpy(), rows["cluster_size"].to_numpy())):
        level = levels[int(lev)]
        if observable == "m2":
            sums = cluster_sums(data, level.members)
            sums -= sums.mean(axis=0)
            mean = counts @ sums / m
            per_cluster = counts @ (sums * sums) / m - mean * mean
        else:
            per_cluster = counts @ all_silent(data, level).astype(np.float64) / m
        out[:, column] = per_cluster[:, dict(cluster_groups(level))[int(k)]].mean(axis=1)
    return out


def direct_silence_probability(silent, levels) -> pd.DataFrame:
    rows = []
    for level in levels:
        probabilities = all_silent(silent, level).mean(axis=0)
        for k, idx in cluster_groups(level):
            rows.append((level.level, k, idx.size, float(probabilities[idx].mean())))
    return pd.DataFrame(rows, columns=["level", "cluster_size", "n_clusters", "p0"])
