"""The data of the RMI paper's examples (its Figs. 2 and 3), with explicit seeds.

``wave_packet_samples``
    Fig. 2a: a field on N sites, x_j = xi_j + exp(-(j - jbar)^2 / dj^2), xi_j i.i.d. N(0, sigma^2),
    jbar uniform in [centre_low, centre_high] (the caption: N = 100, dj = 9, [30, 70]); sites are
    numbered j = 1 .. N as in the caption's sums.
``drop_samples``
    Fig. 2c: n particles of a 2-D drop of fixed area pi R^2 whose shape is an ellipse with semi-axes
    R (1 + dr) and R / (1 + dr), dr ~ N(0, spread^2) (cut at |dr| < 0.9 so the axes stay positive),
    at a uniformly random orientation, centred at the origin. The particles are placed uniformly
    inside the ellipse, independently: the ideal-gas (high-temperature) limit of the paper's drop,
    which thermalises randomly placed particles with a Lennard-Jones-type potential constrained by
    the shape. What the features must read (the deformation and its orientation) is the same; the
    particles' packing, which the paper's interaction would make more regular, is not modelled.
    x = (x_1 .. x_n, y_1 .. y_n), N = 2 n.
``twisted_gaussian_density``
    Fig. 3: x = R(alpha r) x' with x' ~ N(0, diag(s1^2, s2^2)), R a rotation and r = |x| = |x'|.
    The twist (r, theta) -> (r, theta + alpha r) has unit Jacobian, so the density is exactly
    p(x) = N(R(-alpha |x|) x; 0, diag(s1^2, s2^2)).
"""

from __future__ import annotations

import numpy as np

MAX_DEFORMATION = 0.9  # |dr| cut: an ellipse axis R / (1 + dr) stays positive and finite


def wave_packet_samples(rng, n_samples: int, sigma: float, *, n_sites: int = 100, width: float = 9.0,
                        centre_low: float = 30.0, centre_high: float = 70.0) -> np.ndarray:
    """Samples (n_samples, n_sites) of the wave packet on a noisy 1-D field (module docstring)."""
    sites = np.arange(1, n_sites + 1, dtype=np.float64)
    centres = rng.uniform(centre_low, centre_high, n_samples)
    packet = np.exp(-((sites[None, :] - centres[:, None]) / width) ** 2)
    return packet + sigma * rng.standard_normal((n_samples, n_sites))


def drop_samples(rng, n_samples: int, spread: float, *, n_particles: int = 50, radius: float = 1.0) -> np.ndarray:
    """Samples (n_samples, 2 n_particles) of particle positions in deformed drops (module docstring)."""
    deformation = rng.standard_normal(n_samples) * spread
    while np.any(np.abs(deformation) >= MAX_DEFORMATION):  # redraw the rare tails (a truncated normal)
        bad = np.abs(deformation) >= MAX_DEFORMATION
        deformation[bad] = rng.standard_normal(np.count_nonzero(bad)) * spread
    angle = rng.uniform(0.0, np.pi, n_samples)
    # uniform in the unit disc, stretched to the ellipse (area preserved), rotated
    r = np.sqrt(rng.uniform(0.0, 1.0, (n_samples, n_particles)))
    phi = rng.uniform(0.0, 2 * np.pi, (n_samples, n_particles))
    u = radius * (1 + deformation[:, None]) * r * np.cos(phi)
    v = radius / (1 + deformation[:, None]) * r * np.sin(phi)
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    return np.hstack([c * u - s * v, s * u + c * v])


def twist(x, alpha: float) -> np.ndarray:
    """R(alpha |x|) x for points x of shape (m, 2)."""
    x = np.asarray(x, dtype=np.float64)
    turn = alpha * np.hypot(x[:, 0], x[:, 1])
    c, s = np.cos(turn), np.sin(turn)
    return np.column_stack([c * x[:, 0] - s * x[:, 1], s * x[:, 0] + c * x[:, 1]])


def twisted_gaussian_samples(rng, n_samples: int, alpha: float, scales: tuple[float, float]) -> np.ndarray:
    """Samples of the Fig. 3 distribution (module docstring)."""
    return twist(rng.standard_normal((n_samples, 2)) * np.asarray(scales, dtype=np.float64), alpha)


def twisted_gaussian_density(x, alpha: float, scales: tuple[float, float]) -> np.ndarray:
    """Exact density of the Fig. 3 distribution at points x (m, 2)."""
    s1, s2 = scales
    u = twist(x, -alpha)
    return np.exp(-0.5 * ((u[:, 0] / s1) ** 2 + (u[:, 1] / s2) ** 2)) / (2 * np.pi * s1 * s2)
