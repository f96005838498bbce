"""Orthogonal wavelets from PyWavelets, checked: the filters and the lattice sizes they can split."""

from __future__ import annotations

import numpy as np


def wavelet_filters(name: str) -> tuple[np.ndarray, np.ndarray]:
    """(low-pass, high-pass) decomposition filters of an orthogonal PyWavelets wavelet.

    A name PyWavelets does not know, or a wavelet that is not orthogonal (a biorthogonal one
    would make the coarse and detail parts correlated by construction), is an error.
    """
    import pywt

    try:
        wavelet = pywt.Wavelet(name)
    except ValueError:
        raise ValueError(f"wavelet: PyWavelets does not know {name!r} (orthogonal ones: haar, dbN, symN, coifN)") from None
    if not wavelet.orthogonal:
        raise ValueError(f"wavelet: {name!r} is not orthogonal; the conditional decomposition needs an orthogonal "
                         "wavelet (haar, dbN, symN, coifN)")
    return np.asarray(wavelet.dec_lo, dtype=np.float64), np.asarray(wavelet.dec_hi, dtype=np.float64)


def check_lattice_size(size: int, levels: int | None = None) -> int:
    """The number of levels an L x L lattice allows (L = 2^J m): all of them by default, down to one site.

    ``levels`` given: L must be a multiple of 2^levels.
    """
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 2:
        raise ValueError(f"lattice size: expected an integer >= 2, got {size!r}")
    possible = 0
    while size % 2 ** (possible + 1) == 0:
        possible += 1
    if levels is None:
        if possible == 0:
            raise ValueError(f"lattice size: {size} is odd; a wavelet level halves the lattice")
        return possible
    if isinstance(levels, bool) or not isinstance(levels, (int, np.integer)) or levels < 1:
        raise ValueError(f"levels: expected a positive integer, got {levels!r}")
    if levels > possible:
        raise ValueError(f"lattice size: {size} is not a multiple of 2^{levels} = {2 ** levels}, needed for {levels} levels")
    return int(levels)
