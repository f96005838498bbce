"""The Fisher information of the encoder at the trained point (decoder fixed).

The likelihood is the paper's eq. 54, p(x | theta) proportional to exp(-l(x) / temperature), l the
per-sample loss. Its score is -grad l / temperature, so the **empirical Fisher** is
F = E_s[g_s g_s^T] / temperature^2 with g_s = grad_theta l(x_s) over the data's samples (the
choice the paper's code makes; the expected Fisher would need samples of the model). Raw values
depend on the pixel scale, the sample count and the temperature, so cutoffs are stated in units of
the mean diagonal element. At an exact optimum of a model that fits every sample, each g_s is zero
and so is F: the closed-form tests are therefore made away from the optimum.
"""

from __future__ import annotations

import numpy as np

from rgcoarse.bayes_rg.autoencoder import Autoencoder, per_sample_encoder_gradients

GRADIENT_CHUNK = 512  # samples per block of per-sample gradients (bounds the diagonal's memory)
MAX_FULL_PARAMETERS = 5000  # a full Fisher of more parameters (> 200 MB) is not formed: the diagonal is used


def fisher_diagonal(model: Autoencoder, x: np.ndarray, temperature: float = 1.0, chunk: int = GRADIENT_CHUNK) -> np.ndarray:
    """Diagonal of the empirical Fisher of the encoder, shaped like the encoder (k, n)."""
    total = np.zeros(model.encoder.size)
    for start in range(0, x.shape[0], chunk):
        g = per_sample_encoder_gradients(model, x[start:start + chunk])
        total += np.sum(g * g, axis=0)
    return (total / x.shape[0] / temperature ** 2).reshape(model.encoder.shape)


def fisher_matrix(model: Autoencoder, x: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """The full empirical Fisher of the encoder (k n x k n); an error beyond MAX_FULL_PARAMETERS."""
    if model.encoder.size > MAX_FULL_PARAMETERS:
        raise MemoryError(f"bayes_rg Fisher: the full matrix of {model.encoder.size} encoder weights would take "
                          f"{8 * model.encoder.size ** 2 / 1e9:.1f} GB; use the diagonal (fisher_diagonal)")
    g = per_sample_encoder_gradients(model, x)
    return g.T @ g / x.shape[0] / temperature ** 2


def linear_fisher_closed_form(encoder: np.ndarray, decoder: np.ndarray, covariance: np.ndarray) -> np.ndarray:
    """Population Fisher of a linear autoencoder's encoder on zero-mean Gaussian data (Isserlis' theorem).

    With A = D E - I and B = D^T A, g_ab = (2/n) (B x)_a x_b, and E[x_i x_b x_j x_d] =
    S_ib S_jd + S_ij S_bd + S_id S_bj give F_(ab),(cd) = (4/n^2) [(BS)_ab (BS)_cd + (BSB^T)_ac S_bd
    + (BS)_ad (BS)_cb].
    """
    n = encoder.shape[1]
    b = decoder.T @ (decoder @ encoder - np.eye(n))
    bs = b @ covariance
    bsb = bs @ b.T
    f = (np.einsum("ab,cd->abcd", bs, bs) + np.einsum("ac,bd->abcd", bsb, covariance)
         + np.einsum("ad,cb->abcd", bs, bs))
    k = encoder.shape[0]
    return 4.0 / n ** 2 * f.reshape(k * n, k * n)
