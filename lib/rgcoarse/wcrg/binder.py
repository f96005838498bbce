"""beta_c of the lattice phi^4 model from Binder-cumulant crossings (the named target ``wcrg_binder``).

U4 = 1 - <m^4> / (3 <m^2>^2) tends to 2/3 in the ordered phase and 0 in the disordered one; at the
critical coupling it is nearly independent of L, so the curves of two sizes cross there.
:func:`binder_scan` samples every (L, beta) of a grid (its own seeded Metropolis chain) and gives
U4 with a block-jackknife error; :func:`binder_crossings` locates, for each pair of sizes, where
U4(L1) - U4(L2) changes sign between grid points (linear interpolation). A pair whose curves do not
cross inside the grid has no crossing row: the answer is "not in this range", not a number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.config.seeds import derive_seed
from rgcoarse.wcrg.phi4 import binder_cumulant, phi4_samples

JACKKNIFE_BLOCKS = 10


def jackknife_binder(magnetisation: np.ndarray, blocks: int = JACKKNIFE_BLOCKS) -> tuple[float, float]:
    """(U4, block-jackknife standard error) of a series of magnetisations per site."""
    m = np.asarray(magnetisation, dtype=np.float64)
    if m.size < 2 * blocks:
        raise ValueError(f"binder: {m.size} samples are too few for {blocks} jackknife blocks")
    value = binder_cumulant(m[:, None])
    parts = np.array_split(m, blocks)
    leave_one_out = np.array([binder_cumulant(np.concatenate(parts[:i] + parts[i + 1:])[:, None]) for i in range(blocks)])
    error = np.sqrt((blocks - 1) / blocks * np.sum((leave_one_out - leave_one_out.mean()) ** 2))
    return value, float(error)


def binder_scan(sizes, couplings, *, n_samples: int, burn_in: int, spacing: int, seed: int) -> pd.DataFrame:
    """U4 with its error for every lattice size x coupling (each its own chain, seeded from ``seed``)."""
    rows = []
    for size in sizes:
        for beta in couplings:
            samples, acceptance = phi4_samples(int(size), float(beta), n_samples, burn_in=burn_in, spacing=spacing,
                                               seed=derive_seed(seed, "wcrg_binder", int(size), f"{float(beta):.4f}"))
            value, error = jackknife_binder(samples.mean(axis=1))
            rows.append({"size": int(size), "beta": float(beta), "binder": value, "binder_error": error,
                         "acceptance": acceptance})
    return pd.DataFrame(rows)


def binder_crossings(table: pd.DataFrame) -> pd.DataFrame:
    """beta where U4 of each pair of sizes cross (linear interpolation between grid points)."""
    curves = {size: rows.sort_values("beta") for size, rows in table.groupby("size")}
    sizes = sorted(curves)
    rows = []
    for i, small in enumerate(sizes):
        for large in sizes[i + 1:]:
            a, b = curves[small], curves[large]
            betas = a["beta"].to_numpy()
            difference = b["binder"].to_numpy() - a["binder"].to_numpy()  # < 0 disordered side, > 0 ordered side
            for k in np.flatnonzero(np.sign(difference[:-1]) * np.sign(difference[1:]) < 0):
                t = difference[k] / (difference[k] - difference[k + 1])
                rows.append({"size_small": small, "size_large": large,
                             "beta_crossing": float(betas[k] + t * (betas[k + 1] - betas[k])),
                             "binder_at_crossing": float(a["binder"].iloc[k] + t * (a["binder"].iloc[k + 1]
                                                                                     - a["binder"].iloc[k]))})
    return pd.DataFrame(rows, columns=["size_small", "size_large", "beta_crossing", "binder_at_crossing"])
