"""Condition numbers of a Gaussian field's full and scale-conditional Hessians (wavelet conditional RG).

A stationary Gaussian field on an L x L periodic lattice with Hessian K = beta (-Delta)^(eta/2)
(massless; the zero mode, the field's mean, is projected out). In an orthogonal wavelet basis one
level splits the field x_(j-1) into its coarse part x_j (low-pass in both directions) and three
detail channels xbar_j; -log p(xbar_j | x_j) has the Hessian K_j = the detail-detail block of K
in that basis, and the coarse field's marginal has the Schur complement
K_cc - K_cd K_dd^-1 K_dc, the Hessian the next level splits again (p(x) = p(x_J) prod_j
p(xbar_j | x_j)).

Everything here is translation invariant by 2 sites per level, so it block-diagonalises in
Fourier space: at each frequency xi of the coarse lattice, the 4 fine frequencies that alias to
it (xi + (0 | pi, 0 | pi)) couple through the 4 x 4 unitary U(xi) = U1(xi1) (x) U1(xi2),
U1(xi) = [[H(xi), H(xi + pi)], [G(xi), G(xi + pi)]] / sqrt 2, with H, G the Fourier transforms of
the wavelet's low- and high-pass filters (PyWavelets' ``dec_lo`` and ``dec_hi``). The K_j
spectrum is the union over xi of the eigenvalues of the 3 x 3 detail block of
U diag(k) U^H, and the coarse symbol is its Schur complement, so any L (a multiple of 2^J) costs
O(L^2) per level: L = 1,024 in milliseconds. :func:`dense_conditioning` builds the same
matrices explicitly (the wavelet transform of every unit vector by ``pywt.wavedec2``, periodic
mode) for small L; the tests check the two agree, and the exact results: the full
kappa = (2 / sin^2(pi / L))^(eta / 2), the finest conditional's kappa = 2^eta, and kappa_j at
fixed j independent of L.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.wcrg.wavelets import check_lattice_size, wavelet_filters

DETAIL_CHANNELS = 3


def laplacian_symbol(frequencies_1d: np.ndarray) -> np.ndarray:
    """-Delta's symbol 4 sin^2(xi1/2) + 4 sin^2(xi2/2) on the grid of the given 1-D frequencies."""
    s = 4 * np.sin(frequencies_1d / 2) ** 2
    return s[:, None] + s[None, :]


def hessian_symbol(size: int, eta: float, beta: float = 1.0) -> np.ndarray:
    """beta (-Delta)^(eta/2) on the L x L frequency grid (xi = 2 pi n / L); the zero mode is 0."""
    if eta <= 0:
        raise ValueError(f"eta: expected > 0 (a massless field with eta <= 0 has no finite Hessian ratio), got {eta}")
    return beta * laplacian_symbol(2 * np.pi * np.arange(size) / size) ** (eta / 2)


def condition_number(eigenvalues, zero_tol: float = 1e-12) -> float:
    """Largest over smallest eigenvalue, the zero mode (|lambda| <= zero_tol x largest) left out."""
    values = np.abs(np.asarray(eigenvalues, dtype=np.float64)).ravel()
    top = values.max()
    kept = values[values > zero_tol * top]
    if kept.size == 0:
        raise ValueError("condition number: every eigenvalue is zero")
    return float(top / kept.min())


def _filter_symbol(taps, frequencies) -> np.ndarray:
    taps = np.asarray(taps, dtype=np.float64)
    return np.exp(-1j * np.outer(frequencies, np.arange(taps.size))) @ taps


def _one_level_unitaries(wavelet: str, size: int) -> np.ndarray:
    """U1(xi) for the size/2 coarse frequencies of a size-point periodic line: shape (size/2, 2, 2)."""
    low, high = wavelet_filters(wavelet)
    xi = 2 * np.pi * np.arange(size // 2) / size
    h, h_pi = _filter_symbol(low, xi), _filter_symbol(low, xi + np.pi)
    g, g_pi = _filter_symbol(high, xi), _filter_symbol(high, xi + np.pi)
    return np.stack([np.stack([h, h_pi], -1), np.stack([g, g_pi], -1)], -2) / np.sqrt(2)


def split_symbol(symbol: np.ndarray, wavelet: str) -> tuple[np.ndarray, np.ndarray]:
    """One wavelet level of a translation-invariant Hessian given by its L x L ``symbol``.

    Returns the eigenvalues of the detail-detail block (every coarse frequency, 3 each) and the
    coarse field's symbol (L/2 x L/2), the Schur complement.
    """
    size = symbol.shape[0]
    half = size // 2
    u1 = _one_level_unitaries(wavelet, size)  # (half, 2, 2): rows low/high, columns xi / xi + pi
    u = np.einsum("aij,bkl->abikjl", u1, u1).reshape(half, half, 4, 4)  # rows LL, LH, HL, HH
    # the 4 fine frequencies aliasing to (a, b): (a + s half, b + t half), s, t in {0, 1}, in U's column order
    k = np.stack([symbol[:half, :half], symbol[:half, half:], symbol[half:, :half], symbol[half:, half:]], -1)
    m = np.einsum("abik,abk,abjk->abij", u, k, u.conj())
    detail = m[..., 1:, 1:]
    eigenvalues = np.linalg.eigvalsh(detail).reshape(-1)
    solved = np.linalg.solve(detail, m[..., 1:, :1])
    coarse = (m[..., 0, 0] - np.einsum("abi,abi->ab", m[..., 0, 1:], solved[..., 0])).real
    return eigenvalues, coarse


def conditioning_by_scale(size: int, eta: float, wavelet: str, levels: int | None = None) -> tuple[float, list[float]]:
    """(kappa of K, [kappa_1, kappa_2, ...] from the finest conditional) on an L x L lattice."""
    levels = check_lattice_size(size, levels)
    symbol = hessian_symbol(size, eta)
    full = condition_number(symbol)
    conditional = []
    for _ in range(levels):
        eigenvalues, symbol = split_symbol(symbol, wavelet)
        conditional.append(condition_number(eigenvalues))
    return full, conditional


def conditioning_table(sizes, etas, wavelets, levels: int | None = None) -> pd.DataFrame:
    """L x eta x wavelet x scale: kappa of the full Hessian (scale 0) and of each conditional (1 = finest)."""
    rows = []
    for size in sizes:
        for eta in etas:
            for wavelet in wavelets:
                full, conditional = conditioning_by_scale(int(size), float(eta), wavelet, levels)
                rows.append({"size": int(size), "eta": float(eta), "wavelet": wavelet, "scale": 0, "kappa": full})
                rows += [{"size": int(size), "eta": float(eta), "wavelet": wavelet, "scale": j + 1, "kappa": kappa}
                         for j, kappa in enumerate(conditional)]
    return pd.DataFrame(rows)


def dense_hessian(size: int, eta: float, beta: float = 1.0) -> np.ndarray:
    """K = beta (-Delta)^(eta/2) as an (L^2 x L^2) matrix (row-major sites), through its eigenbasis."""
    n = size * size
    laplacian = np.zeros((n, n))
    for r in range(size):
        for c in range(size):
            i = r * size + c
            laplacian[i, i] = 4.0
            for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                laplacian[i, ((r + dr) % size) * size + (c + dc) % size] -= 1.0
    values, vectors = np.linalg.eigh(laplacian)
    values = np.where(values > 1e-9, values, 0.0)  # the zero mode exactly 0, not rounding error to a power
    return beta * (vectors * values ** (eta / 2)) @ vectors.T


def dense_wavelet_level(size: int, wavelet: str) -> np.ndarray:
    """The orthogonal one-level transform (L^2 x L^2; rows: coarse first, then the 3 detail channels)."""
    import pywt

    rows = []
    for i in range(size * size):
        unit = np.zeros(size * size)
        unit[i] = 1.0
        coarse, (lh, hl, hh) = pywt.dwt2(unit.reshape(size, size), wavelet, mode="periodization")
        rows.append(np.concatenate([coarse.ravel(), lh.ravel(), hl.ravel(), hh.ravel()]))
    return np.array(rows).T


def dense_conditioning(size: int, eta: float, wavelet: str, levels: int | None = None) -> tuple[float, list[float]]:
    """:func:`conditioning_by_scale` by explicit matrices (small L only: O(L^6))."""
    levels = check_lattice_size(size, levels)
    hessian = dense_hessian(size, eta)
    full = condition_number(np.linalg.eigvalsh(hessian))
    conditional, current = [], size
    for _ in range(levels):
        w = dense_wavelet_level(current, wavelet)
        m = w @ hessian @ w.T
        c = (current // 2) ** 2
        detail = m[c:, c:]
        conditional.append(condition_number(np.linalg.eigvalsh(detail)))
        hessian = m[:c, :c] - m[:c, c:] @ np.linalg.solve(detail, m[c:, :c])
        current //= 2
    return full, conditional
