"""Sampling the fitted energies: coarse to fine through the conditionals, or directly on the full model.

Both samplers are Metropolis-adjusted Langevin (MALA), so each samples its fitted model exactly
(no step-size bias), and both are charged in the same currency: **energy-gradient evaluations
per site of the finest lattice**. One step on an L' x L' field costs (L' / L)^2.

- :func:`direct_chains`: MALA on the full fitted energy E_theta0 of the L x L field.
- :func:`multiscale_chains`: the coarsest field x_J (L / 2^J) by MALA on its own full fit; at
  every output, the details of each finer scale, given the coarse field just made, by
  ``detail_steps`` MALA steps on the conditional energy E_thetaj that move only the details
  (gradient and noise projected by P = 1 - block average, so the coarse part stays exact). The
  details start from the previous output's (a warm start: they are typical already).

Chains start from data fields (the coarsest of them for the coarse chain), so neither sampler pays
for equilibration; burn-in only adapts each chain's step towards MALA's optimal acceptance (0.574)
and is not charged. The magnetisation of a field is its coarsest field's mean / 2^J (orthonormal
Haar keeps sums up to that factor), so under the multiscale sampler its autocorrelation is the
coarse chain's, recorded at every coarse step. Kernels are numba loops over sites: the coarse
chain's 4 x 4 fields would otherwise cost NumPy's call overhead, not arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from rgcoarse.wcrg.score_matching import (
    BONDS,
    POTENTIAL_POWERS,
    block_average,
    haar_coarse,
)

TARGET_ACCEPTANCE = 0.574  # optimal MALA acceptance (Roberts and Rosenthal 1998)
ADAPT_EVERY = 10           # burn-in steps between step-size updates
_BOND_ARRAY = np.array(BONDS, dtype=np.int64)
_POWER_ARRAY = np.array(POTENTIAL_POWERS, dtype=np.int64)


@numba.njit(cache=True)
def _power(x, p):
    value = 1.0
    for _ in range(p):
        value *= x
    return value


@numba.njit(cache=True)
def _shifts(size, bonds):
    """(bond, sign, index) -> (index + sign x offset) mod size, for rows (axis 0) and columns (axis 1)."""
    rows = np.empty((bonds.shape[0], 2, size), dtype=np.int64)
    cols = np.empty((bonds.shape[0], 2, size), dtype=np.int64)
    for k in range(bonds.shape[0]):
        for i in range(size):
            rows[k, 0, i] = (i + bonds[k, 0]) % size
            rows[k, 1, i] = (i - bonds[k, 0]) % size
            cols[k, 0, i] = (i + bonds[k, 1]) % size
            cols[k, 1, i] = (i - bonds[k, 1]) % size
    return rows, cols


@numba.njit(cache=True)
def _energy_and_gradient(field, theta, bonds, powers, rows, cols, conditional, out):
    """E_theta(field), with its gradient written to ``out`` (projected on the details if ``conditional``)."""
    size = field.shape[0]
    n_bonds = bonds.shape[0]
    total = 0.0
    for r in range(size):
        for c in range(size):
            x = field[r, c]
            g = 0.0
            for k in range(n_bonds):
                forward = field[rows[k, 0, r], cols[k, 0, c]]
                d = x - forward
                total += theta[k] * 0.5 * d * d
                g += theta[k] * (2 * x - forward - field[rows[k, 1, r], cols[k, 1, c]])
            for p in range(powers.shape[0]):
                total += theta[n_bonds + p] * _power(x, powers[p])
                g += theta[n_bonds + p] * powers[p] * _power(x, powers[p] - 1)
            out[r, c] = g
    if conditional:
        _remove_block_means(out)
    return total


@numba.njit(cache=True)
def _remove_block_means(values):
    size = values.shape[0]
    for r in range(0, size, 2):
        for c in range(0, size, 2):
            mean = 0.25 * (values[r, c] + values[r + 1, c] + values[r, c + 1] + values[r + 1, c + 1])
            values[r, c] -= mean
            values[r + 1, c] -= mean
            values[r, c + 1] -= mean
            values[r + 1, c + 1] -= mean


@numba.njit(cache=True)
def _mala(fields, theta, bonds, powers, conditional, step, n_steps, adapt, record, record_scale, seed):
    """n_steps MALA steps of every chain (fields (m, L, L), changed in place).

    Returns (step, acceptance, record): ``adapt`` moves the step towards the target every
    ADAPT_EVERY steps; ``record`` stores the field means x record_scale at every step.
    """
    np.random.seed(seed)
    m, size = fields.shape[0], fields.shape[1]
    rows, cols = _shifts(size, bonds)
    grad = np.empty((size, size))
    grad_new = np.empty((size, size))
    noise = np.empty((size, size))
    proposal = np.empty((size, size))
    means = np.zeros((m, n_steps if record else 0))
    accepted_total = 0.0
    window = 0.0
    for t in range(n_steps):
        accepted_step = 0
        for chain in range(m):
            field = fields[chain]
            energy_old = _energy_and_gradient(field, theta, bonds, powers, rows, cols, conditional, grad)
            for r in range(size):
                for c in range(size):
                    noise[r, c] = np.random.normal()
            if conditional:
                _remove_block_means(noise)
            scale = np.sqrt(2 * step)
            for r in range(size):
                for c in range(size):
                    proposal[r, c] = field[r, c] - step * grad[r, c] + scale * noise[r, c]
            energy_new = _energy_and_gradient(proposal, theta, bonds, powers, rows, cols, conditional, grad_new)
            forward = 0.0
            backward = 0.0
            for r in range(size):
                for c in range(size):
                    f = proposal[r, c] - field[r, c] + step * grad[r, c]
                    b = field[r, c] - proposal[r, c] + step * grad_new[r, c]
                    forward += f * f
                    backward += b * b
            log_ratio = energy_old - energy_new + (forward - backward) / (4 * step)
            if log_ratio >= 0 or np.random.random() < np.exp(log_ratio):
                field[:, :] = proposal
                accepted_step += 1
            if record:
                means[chain, t] = field.mean() * record_scale
        rate = accepted_step / m
        accepted_total += rate
        window += rate
        if adapt and (t + 1) % ADAPT_EVERY == 0:
            step *= np.exp(window / ADAPT_EVERY - TARGET_ACCEPTANCE)
            window = 0.0
    return step, accepted_total / max(n_steps, 1), means


def energy_and_gradient(fields, theta, conditional: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(E_theta of each field (m, L, L), grad_x E_theta (m, L, L)); ``conditional``: the gradient
    projected onto the Haar details. The ansatz is :mod:`rgcoarse.wcrg.score_matching`'s."""
    fields = np.asarray(fields, dtype=np.float64)
    theta = np.asarray(theta, dtype=np.float64)
    rows, cols = _shifts(fields.shape[1], _BOND_ARRAY)
    gradients = np.empty_like(fields)
    energies = np.array([_energy_and_gradient(np.ascontiguousarray(f), theta, _BOND_ARRAY, _POWER_ARRAY, rows, cols,
                                              conditional, gradients[i]) for i, f in enumerate(fields)])
    return energies, gradients


def haar_reconstruct(coarse: np.ndarray) -> np.ndarray:
    """W_c^T x_j: the finer field with zero details (each 2 x 2 block = coarse value / 2)."""
    return np.repeat(np.repeat(coarse, 2, axis=-2), 2, axis=-1) / 2.0


def haar_coarsen(fields: np.ndarray, levels: int) -> np.ndarray:
    """``levels`` orthonormal Haar levels of fields (m, L, L): block sums / 2 each time."""
    for _ in range(levels):
        fields = haar_coarse(fields)
    return fields


@dataclass
class MalaChains:
    """A batch of MALA chains on E_theta (only the Haar details move if ``conditional``)."""

    theta: np.ndarray
    conditional: bool
    step: float
    seed: int

    def _run(self, fields, n_steps, adapt, record_scale=None):
        self.seed += 1  # each call its own stream, reproducible from the first seed
        step, acceptance, means = _mala(fields, np.asarray(self.theta, dtype=np.float64), _BOND_ARRAY, _POWER_ARRAY,
                                        self.conditional, float(self.step), int(n_steps), adapt,
                                        record_scale is not None, float(record_scale or 1.0), self.seed)
        self.step = float(step)
        return acceptance, means

    def burn_in(self, fields, n_steps: int) -> None:
        self._run(fields, n_steps, adapt=True)

    def advance(self, fields, n_steps: int, record_scale=None):
        """(acceptance, per-step means x record_scale (chains, n_steps) if asked)."""
        return self._run(fields, n_steps, adapt=False, record_scale=record_scale)


def initial_step(theta) -> float:
    """A stable first MALA step: 1 / (a bound on the Hessian's largest eigenvalue at |x| ~ 1)."""
    theta = np.asarray(theta, dtype=np.float64)
    bonds = 4 * np.sum(np.abs(theta[: len(BONDS)]))
    potential = sum(abs(w) * p * (p - 1) for w, p in zip(theta[len(BONDS):], POTENTIAL_POWERS))
    return 1.0 / max(bonds + potential, 1e-6)


@dataclass(frozen=True)
class SamplerRun:
    fields: np.ndarray          # (chains, outputs, L, L) generated fields, in chain order
    magnetisation: np.ndarray   # (chains, steps) at every step of the chain that sets it
    step_cost: float            # gradient evaluations per finest site of one such step
    output_cost: float          # gradient evaluations per finest site between outputs
    acceptance: float           # mean acceptance after burn-in (the finest conditional's for multiscale)


def _check_budget(budget: float, outputs: int, per_output_minimum: float, what: str) -> float:
    per_output = budget / outputs
    if per_output < per_output_minimum:
        raise ValueError(f"wcrg.sampling.budget: {budget:g} gradient evaluations per site cannot pay for {outputs} "
                         f"outputs of at least {per_output_minimum:.3g} each ({what})")
    return per_output


def direct_chains(theta_full, start: np.ndarray, *, outputs: int, budget: float, burn_in: int,
                  seed: int) -> SamplerRun:
    """MALA on the full fitted energy from the fields ``start`` (chains, L, L): ``budget`` per chain."""
    fields = np.array(start, dtype=np.float64)
    spacing = int(_check_budget(budget, outputs, 1.0, "one step each"))
    chains = MalaChains(theta_full, conditional=False, step=initial_step(theta_full), seed=seed)
    chains.burn_in(fields, burn_in)
    kept, records, accepted = [], [], []
    for _ in range(outputs):
        acceptance, means = chains.advance(fields, spacing, record_scale=1.0)
        records.append(means)
        accepted.append(acceptance)
        kept.append(fields.copy())
    return SamplerRun(np.stack(kept, axis=1), np.concatenate(records, axis=1), 1.0, float(spacing),
                      float(np.mean(accepted)))


def multiscale_chains(thetas, start: np.ndarray, *, scales: int, outputs: int, budget: float, burn_in: int,
                      detail_steps: int, seed: int) -> SamplerRun:
    """Coarse to fine from the data fields ``start``: ``thetas[0]`` the full fit of the coarsest field,
    ``thetas[j]`` the conditional fit of scale j (1 = finest).

    The budget per chain is split evenly over ``outputs``: each output pays ``detail_steps`` steps
    at every finer scale, and the rest buys coarse steps before it.
    """
    start = np.array(start, dtype=np.float64)
    size = start.shape[1]
    if len(thetas) != scales + 1:
        raise ValueError(f"multiscale_chains: expected {scales + 1} fits (coarsest full + {scales} conditionals), "
                         f"got {len(thetas)}")
    sizes = {j: size // 2 ** (j - 1) for j in range(1, scales + 2)}  # scale j conditions the L_j-1 field
    coarse_cost = (sizes[scales + 1] / size) ** 2
    detail_cost = detail_steps * sum((sizes[j] / size) ** 2 for j in range(1, scales + 1))
    per_output = _check_budget(budget, outputs, detail_cost + coarse_cost, f"detail_steps {detail_steps} at "
                                                                           f"{scales} scales, one coarse step")
    coarse_steps = int((per_output - detail_cost) / coarse_cost)
    coarse_chain = MalaChains(thetas[0], conditional=False, step=initial_step(thetas[0]), seed=seed)
    detail_chains = {j: MalaChains(thetas[j], conditional=True, step=initial_step(thetas[j]), seed=seed + 1000 * j)
                     for j in range(1, scales + 1)}
    levels = {j: haar_coarsen(start, j - 1) for j in range(1, scales + 2)}  # the data at each scale
    coarse = np.ascontiguousarray(levels[scales + 1])
    coarse_chain.burn_in(coarse, burn_in)
    for j in range(1, scales + 1):
        detail_chains[j].burn_in(np.ascontiguousarray(levels[j]), burn_in)  # the data's own coarse fields held
    previous = {j: levels[j] for j in range(1, scales + 1)}
    kept, records, finest = [], [], []
    for _ in range(outputs):
        _, means = coarse_chain.advance(coarse, coarse_steps, record_scale=2.0 ** -scales)
        records.append(means)
        fine = coarse
        for j in range(scales, 0, -1):
            fine = np.ascontiguousarray(haar_reconstruct(fine) + previous[j] - block_average(previous[j]))
            acceptance, _ = detail_chains[j].advance(fine, detail_steps)
            previous[j] = fine.copy()
            if j == 1:
                finest.append(acceptance)
        kept.append(fine)
    return SamplerRun(np.stack(kept, axis=1), np.concatenate(records, axis=1), coarse_cost, per_output,
                      float(np.mean(finest)))
