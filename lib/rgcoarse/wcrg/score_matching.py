"""Scale-by-scale conditional energies fitted by score matching, and their Hessians (Haar wavelets).

At scale j the field x = x_(j-1) (the original field at j = 1, the normalised Haar coarse field
before) splits into its coarse part x_j and details xbar_j: x = W_c^T x_j + W_d^T xbar_j. The
ansatz for the conditional energy -log p(xbar_j | x_j), written through the reconstructed field,
is linear in its parameters:

    E_theta(x) = sum_e theta_e (1/2) sum_n (x_n - x_(n+e))^2 + sum_p theta_p sum_n x_n^p,

with bonds e = (0,1), (1,0) (nearest), (1,1), (1,-1) (diagonal), (0,2), (2,0) (next along the
axes), and p = 2, 4 (``POTENTIAL_POWERS``). Quadratic terms couple each detail coefficient with
its neighbours and, through the coarse field held fixed, with its parents; the polynomial
potential of the reconstructed field is the slides' non-Gaussian part.

Score matching (Hyvärinen) minimises the Fisher divergence
J(theta) = E[ |grad_xbar E|^2 / 2 - Lap_xbar E ], quadratic in theta: A theta = b with
A_kl = E[ g_k^T P g_l ], b_k = E[ tr(P H_k) ], g_k = grad_x Phi_k, H_k its Hessian, and
P = W_d^T W_d the projector onto the details (for Haar: identity minus the 2 x 2 block average).
No partition function appears. The full model is the same fit with P = identity (the Hessian of
-log p(x)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BONDS = ((0, 1), (1, 0), (1, 1), (1, -1), (0, 2), (2, 0))
POTENTIAL_POWERS = (2, 4)
TERM_NAMES = tuple(f"bond_{a}_{b}" for a, b in BONDS) + tuple(f"x^{p}" for p in POTENTIAL_POWERS)
MAX_CONDITION = 1e12  # a score-matching matrix beyond this is ill-posed (a term the data cannot tell apart)


def haar_coarse(fields: np.ndarray) -> np.ndarray:
    """One orthonormal Haar level of fields (m, L, L): the coarse part (m, L/2, L/2), block sums / 2."""
    m, size, _ = fields.shape
    if size % 2:
        raise ValueError(f"lattice size: {size} is odd; a Haar level halves it")
    return fields.reshape(m, size // 2, 2, size // 2, 2).sum(axis=(2, 4)) / 2.0


def block_average(values: np.ndarray) -> np.ndarray:
    """(W_c^T W_c) v: each 2 x 2 block replaced by its mean."""
    m, size, _ = values.shape
    means = values.reshape(m, size // 2, 2, size // 2, 2).mean(axis=(2, 4))
    return np.repeat(np.repeat(means, 2, axis=1), 2, axis=2)


def _project(values: np.ndarray, conditional: bool) -> np.ndarray:
    return values - block_average(values) if conditional else values


def _bond_gradient(fields, bond):
    a, b = bond
    forward = np.roll(fields, (-a, -b), axis=(1, 2))
    backward = np.roll(fields, (a, b), axis=(1, 2))
    return 2 * fields - forward - backward


def _projector_trace_of_bond(size: int, bond, conditional: bool) -> float:
    """tr(P H_e) with H_e = 2 I - S_e - S_-e (per field; independent of the field).

    tr(H_e) = 2 N; with B = I - P the 2 x 2 block average (B_nm = 1/4 within a block),
    tr(B H_e) = N / 2 - (1/4) #{n: n + e in n's block} - (1/4) #{n: n - e in n's block}.
    """
    n = size * size
    if not conditional:
        return 2.0 * n
    r, c = np.indices((size, size))
    block = (r // 2) * (size // 2) + c // 2
    a, b = bond
    same = np.count_nonzero(block == np.roll(block, (-a, -b), axis=(0, 1)))
    same += np.count_nonzero(block == np.roll(block, (a, b), axis=(0, 1)))
    return 2.0 * n - (n / 2 - same / 4)


def term_gradients(fields: np.ndarray) -> list[np.ndarray]:
    """grad_x Phi_k for every term of the ansatz: a list of (m, L, L) arrays."""
    grads = [_bond_gradient(fields, bond) for bond in BONDS]
    grads += [p * fields ** (p - 1) for p in POTENTIAL_POWERS]
    return grads


def term_laplacians(fields: np.ndarray, conditional: bool) -> np.ndarray:
    """tr(P H_k) per field and term: (m, terms)."""
    m, size, _ = fields.shape
    share = 0.75 if conditional else 1.0  # P_nn
    columns = [np.full(m, _projector_trace_of_bond(size, bond, conditional)) for bond in BONDS]
    columns += [share * p * (p - 1) * np.sum(fields ** (p - 2), axis=(1, 2)) for p in POTENTIAL_POWERS]
    return np.column_stack(columns)


@dataclass(frozen=True)
class ScoreMatchingFit:
    theta: np.ndarray
    matrix_condition: float
    fisher_divergence: float  # J at the optimum (up to the theta-free constant)


def fit_score_matching(fields, conditional: bool) -> ScoreMatchingFit:
    """theta of the conditional (details given the coarse field) or full energy of fields (m, L, L)."""
    fields = np.asarray(fields, dtype=np.float64)
    if fields.ndim != 3 or fields.shape[1] != fields.shape[2] or fields.shape[1] % 2:
        raise ValueError(f"fields: expected (samples, L, L) with L even, got shape {fields.shape}")
    grads = [_project(g, conditional) for g in term_gradients(fields)]
    flat = np.stack([g.reshape(g.shape[0], -1) for g in grads], axis=-1)  # (m, N, terms)
    matrix = np.einsum("mnk,mnl->kl", flat, flat) / fields.shape[0]  # P g_k . P g_l = g_k . P g_l (P a projector)
    vector = term_laplacians(fields, conditional).mean(axis=0)
    condition = float(np.linalg.cond(matrix))
    if not np.isfinite(condition) or condition > MAX_CONDITION:
        raise ValueError(f"score matching: the system is ill-posed (condition number {condition:.3g} > "
                         f"{MAX_CONDITION:g}); the samples cannot tell the ansatz's terms apart (too few samples, "
                         "or a field with no fluctuation at this scale)")
    theta = np.linalg.solve(matrix, vector)
    return ScoreMatchingFit(theta, condition, float(0.5 * theta @ matrix @ theta - vector @ theta))


def energy_hessian(field: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """The Hessian (N x N) of E_theta at one field (L, L)."""
    size = field.shape[0]
    n = size * size
    index = np.arange(n).reshape(size, size)
    hessian = np.zeros((n, n))
    for weight, (a, b) in zip(theta[: len(BONDS)], BONDS):
        partner = np.roll(index, (-a, -b), axis=(0, 1)).ravel()
        rows = index.ravel()
        np.add.at(hessian, (rows, rows), 2 * weight)  # (x_n - x_m)^2 / 2 summed over n: both ends
        np.add.at(hessian, (rows, partner), -weight)
        np.add.at(hessian, (partner, rows), -weight)
    diagonal = sum(w * p * (p - 1) * field.ravel() ** (p - 2) for w, p in zip(theta[len(BONDS):], POTENTIAL_POWERS))
    hessian[np.diag_indices(n)] += diagonal
    return hessian


def detail_basis(size: int) -> np.ndarray:
    """Orthonormal rows spanning the Haar details of an L x L field (3 N / 4 x N)."""
    n = size * size
    rows = []
    for r in range(0, size, 2):
        for c in range(0, size, 2):
            sites = [r * size + c, r * size + c + 1, (r + 1) * size + c, (r + 1) * size + c + 1]
            for signs in ((1, -1, 1, -1), (1, 1, -1, -1), (1, -1, -1, 1)):
                row = np.zeros(n)
                row[sites] = np.array(signs) / 2.0
                rows.append(row)
    return np.array(rows)


def hessian_eigenvalues(fields, theta, conditional: bool) -> np.ndarray:
    """Eigenvalues of the fitted energy's Hessian at each field (conditional: the detail-detail block)."""
    fields = np.asarray(fields, dtype=np.float64)
    basis = detail_basis(fields.shape[1]) if conditional else None
    values = []
    for field in fields:
        hessian = energy_hessian(field, theta)
        if conditional:
            hessian = basis @ hessian @ basis.T
        values.append(np.linalg.eigvalsh(hessian))
    return np.concatenate(values)
