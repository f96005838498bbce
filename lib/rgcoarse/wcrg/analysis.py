"""Tables of the wavelet conditional RG arm: score-matching fits per scale and their Hessian spectra.

:func:`scale_fields` gives the field each scale's conditional model describes (scale 1: the data;
scale j: the data after j - 1 orthonormal Haar levels). :func:`fit_tables` fits the full energy
(``scale`` 0) and the conditional energy of every scale, and summarises the spectra of their
Hessians on ``hessian_samples`` fields: the fraction of negative eigenvalues (the slides' "nearly
convex" claim) and a histogram on fixed bins for the figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.wcrg.score_matching import (
    TERM_NAMES,
    fit_score_matching,
    haar_coarse,
    hessian_eigenvalues,
)

HISTOGRAM_EDGES = np.linspace(-8.0, 48.0, 113)  # eigenvalue bins of the figure (shared by every scale and coupling)


def scale_fields(fields: np.ndarray, scale: int) -> np.ndarray:
    """The fields at ``scale`` (1 = the data), as (m, L / 2^(scale-1), L / 2^(scale-1))."""
    for _ in range(scale - 1):
        fields = haar_coarse(fields)
    return fields


def fit_tables(fields: np.ndarray, *, scales: int, hessian_samples: int, beta: float) -> dict[str, pd.DataFrame]:
    """``theta`` (beta, scale, term, value), ``spectra`` (beta, scale, fraction negative, extremes) and
    ``histograms`` (beta, scale, bin edges, density) of the full model and every conditional."""
    fields = np.asarray(fields, dtype=np.float64)
    if fields.shape[1] % 2 ** scales:
        raise ValueError(f"wcrg.score_matching.scales: a {fields.shape[1]} x {fields.shape[1]} lattice cannot be "
                         f"halved {scales} times")
    theta_rows, spectra_rows, histogram_rows = [], [], []
    for scale in range(scales + 1):  # 0: the full energy of the data
        data = scale_fields(fields, max(scale, 1))
        conditional = scale > 0
        fit = fit_score_matching(data, conditional)
        theta_rows += [{"beta": beta, "scale": scale, "term": name, "theta": float(value)}
                       for name, value in zip(TERM_NAMES, fit.theta)]
        eigenvalues = hessian_eigenvalues(data[:hessian_samples], fit.theta, conditional)
        spectra_rows.append({"beta": beta, "scale": scale, "lattice": int(data.shape[1]),
                             "negative_fraction": float(np.mean(eigenvalues < 0)),
                             "min_eigenvalue": float(eigenvalues.min()), "max_eigenvalue": float(eigenvalues.max()),
                             "kappa_abs": float(np.max(np.abs(eigenvalues)) / np.min(np.abs(eigenvalues))),
                             "matrix_condition": fit.matrix_condition, "n_eigenvalues": int(eigenvalues.size)})
        density, _ = np.histogram(np.clip(eigenvalues, HISTOGRAM_EDGES[0], HISTOGRAM_EDGES[-1]), HISTOGRAM_EDGES,
                                  density=True)
        histogram_rows += [{"beta": beta, "scale": scale, "low": float(lo), "high": float(hi), "density": float(d)}
                           for lo, hi, d in zip(HISTOGRAM_EDGES[:-1], HISTOGRAM_EDGES[1:], density)]
    return {"theta": pd.DataFrame(theta_rows), "spectra": pd.DataFrame(spectra_rows),
            "histograms": pd.DataFrame(histogram_rows)}


MAX_DISCRETE_LEVELS = 16  # data with this many distinct values or fewer (spins, counts) have no score


def distinct_levels(fields: np.ndarray, rows: int = 200) -> int:
    """Distinct values among the first ``rows`` samples (enough to tell spins or counts from a density)."""
    return int(np.unique(np.asarray(fields)[:rows]).size)


def empty_fit_tables() -> dict[str, pd.DataFrame]:
    """The tables of :func:`fit_tables` with their columns and no rows: "not fitted"."""
    return {"theta": pd.DataFrame(columns=["beta", "scale", "term", "theta"]),
            "spectra": pd.DataFrame(columns=["beta", "scale", "lattice", "negative_fraction", "min_eigenvalue",
                                             "max_eigenvalue", "kappa_abs", "matrix_condition", "n_eigenvalues"]),
            "histograms": pd.DataFrame(columns=["beta", "scale", "low", "high", "density"])}


def user_fit_tables(fields: np.ndarray, settings: dict, name: str) -> dict[str, pd.DataFrame]:
    """:func:`fit_tables` for a user's lattice fields: as many scales as the lattice allows (at most
    ``settings["scales"]``, keeping a coarse field of 4 x 4 or more), ``beta`` recorded as NaN.

    Score matching needs a density: few-valued data (spins, counts) have none, which is an error.
    """
    fields = np.asarray(fields, dtype=np.float64)
    distinct = distinct_levels(fields)
    if distinct <= MAX_DISCRETE_LEVELS:
        raise ValueError(f"{name}: the values take {distinct} distinct levels; score matching needs continuous data "
                         "(a density with a gradient), so this dataset gets the Gaussian conditioning only")
    size = fields.shape[1]
    scales = 0
    while scales < int(settings["scales"]) and size % 2 ** (scales + 1) == 0 and size // 2 ** (scales + 1) >= 4:
        scales += 1
    if scales == 0:
        raise ValueError(f"{name}: a {size} x {size} lattice has no Haar level leaving a 4 x 4 coarse field")
    return fit_tables(fields, scales=scales, hessian_samples=int(settings["hessian_samples"]), beta=float("nan"))
