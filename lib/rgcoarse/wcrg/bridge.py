"""Scale-by-scale conditioning of any stationary lattice data in its Gaussian approximation.

The bridge between the arm and the main paper: for the Ising spins the pipeline already has (and
any user dataset that declares a square ``lattice_shape``), the Gaussian model with the data's
two-point function has the precision symbol 1 / S(k), S the connected structure factor
(translation invariance on the periodic lattice: the covariance is diagonal in Fourier space).
:func:`rgcoarse.wcrg.conditioning.split_symbol` then gives, exactly for that model, the condition
number of every scale's conditional Hessian (the detail-detail block of the precision in an
orthogonal wavelet basis) and of the full precision. At a critical point S(k) ~ k^-(2 - eta_c), so
the full kappa grows like L^(2 - eta_c) while each conditional's stays of order one; for the 2D
Ising model eta_c = 1/4, and the finest conditional's kappa of the pure power law is 2^(7/4) = 3.36.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.wcrg.conditioning import condition_number, split_symbol
from rgcoarse.wcrg.wavelets import check_lattice_size

MIN_COARSE_SITES = 4  # the last levels (coarse lattices of 2 x 2 and 1 x 1) are finite-size cases


def structure_factor(fields: np.ndarray) -> np.ndarray:
    """Connected S(k) = <|FFT(x - <x>)|^2> / N of fields (m, L, L), <x> over samples and sites."""
    fields = np.asarray(fields, dtype=np.float64)
    centred = fields - fields.mean()
    return (np.abs(np.fft.fft2(centred)) ** 2).mean(axis=0) / fields[0].size


def lattice_fields(values: np.ndarray, lattice_shape, name: str) -> np.ndarray:
    """Samples x features -> (m, L, L) fields, checking the shape can be split by wavelet levels."""
    rows, cols = (int(v) for v in lattice_shape)
    if rows != cols:
        raise ValueError(f"{name}: lattice_shape {rows} x {cols} is not square; the wavelet conditioning needs L x L")
    if rows * cols != values.shape[1]:
        raise ValueError(f"{name}: lattice_shape {rows} x {cols} has {rows * cols} sites, the data {values.shape[1]} features")
    try:
        check_lattice_size(rows)
    except ValueError as error:
        raise ValueError(f"{name}: {error}") from None
    return np.asarray(values, dtype=np.float64).reshape(-1, rows, cols)


def gaussian_conditioning(fields: np.ndarray, wavelet: str = "haar") -> pd.DataFrame:
    """kappa of the full precision (scale 0) and of each conditional (scale j = 1 the finest), down to a
    coarse lattice of MIN_COARSE_SITES x MIN_COARSE_SITES; with the lattice size and the finest S(k) range."""
    spectrum = structure_factor(fields)
    if not np.all(spectrum > 1e-12 * spectrum.max()):
        raise ValueError("wcrg lattice conditioning: the structure factor vanishes at some wave vector (a field with "
                         "no fluctuation there); its Gaussian precision is singular")
    size = spectrum.shape[0]
    levels = max(check_lattice_size(size) - int(np.log2(MIN_COARSE_SITES)), 1)
    symbol = 1.0 / spectrum
    rows = [{"scale": 0, "lattice": size, "kappa": condition_number(symbol)}]
    for scale in range(1, levels + 1):
        eigenvalues, symbol = split_symbol(symbol, wavelet)
        rows.append({"scale": scale, "lattice": size // 2 ** (scale - 1), "kappa": condition_number(eigenvalues)})
    return pd.DataFrame(rows)
