"""Summaries of result tables that figures and claims share (one number or row per level)."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Spins s = ±1 map to occupations n = (s + 1)/2, so a raw cluster sum's variance is 1/4 of
# the spin one; the paper's Fig. 2a/2b plots occupations (variance 0.25 at level 0).
OCCUPATION_VARIANCE_FACTOR = 0.25


def deepest_level_at_most(frame: pd.DataFrame, level: int) -> int:
    """The requested level, or the deepest level the coarse-graining reached below it."""
    available = np.sort(frame["level"].unique())
    below = available[available <= level]
    return int(below[-1]) if below.size else int(available[0])


def dominant_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Per level, the row of the cluster size most clusters have.

    A level can hold clusters of two sizes when an odd variable was carried over; the
    single odd cluster never stands for the level.
    """
    order = table.sort_values(["level", "n_clusters", "cluster_size"], ascending=[True, False, True])
    return order.drop_duplicates("level").reset_index(drop=True)


def level_m2(m2: pd.DataFrame, level: int) -> float:
    """M2 of the dominant cluster size at one level."""
    rows = dominant_rows(m2)
    return float(rows.loc[rows["level"] == level, "m2"].iloc[0])


def largest_normalised_cod(cod: pd.DataFrame, level: int) -> float:
    """max over ranks of ΔCOD(r)/N_level at one level (docs/method.md's definition)."""
    return float(cod.loc[cod["level"] == level, "norm_cod_increment"].max())
