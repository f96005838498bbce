"""Fields generated coarse to fine against fields from direct sampling, at equal cost, and against the data.

:func:`sampling_tables` fits the energies :mod:`rgcoarse.wcrg.sampling` needs (the full energy of
the data, the full energy of its coarsest field, the conditional of every finer scale), runs both
samplers from the same data fields with the same budget, and tabulates:

- ``sampling``: per sampler, the integrated autocorrelation time of the magnetisation in steps and
  in gradient evaluations per site (the cost of one effectively independent magnetisation), how
  long the series is in units of it, how many chains changed the sign of m (a chain that never
  does has measured its time inside one well), and what the generated fields look like next to
  the data (energy U per site, <|m|>, site variance);
- ``power``: the radially averaged power spectrum of data and generated fields;
- ``marginals``: the histogram of the site values x;
- ``m2``: M2(K) of each, through the project's coarse-graining (the ``lattice`` rule).

Fields are compared sign-aligned (each multiplied by the sign of its magnetisation; the model is
symmetric under x -> -x): in the ordered phase the data's single Metropolis chain and the direct
chains keep one sign while the multiscale chains change it, and without the alignment M2 at large
K would measure how often the sign changes, not the fields.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.coarse.coarse_grain import coarse_grain
from rgcoarse.stats.autocorrelation import integrated_autocorrelation_time
from rgcoarse.stats.observables import mean_variance_table
from rgcoarse.wcrg.bridge import structure_factor
from rgcoarse.wcrg.phi4 import energy as phi4_energy
from rgcoarse.wcrg.sampling import direct_chains, haar_coarsen, multiscale_chains
from rgcoarse.wcrg.score_matching import fit_score_matching

MARGINAL_EDGES = np.linspace(-3.0, 3.0, 61)
SOURCES = ("data", "direct", "multiscale")


def radial_power_spectrum(fields: np.ndarray) -> pd.DataFrame:
    """<|FFT(x - <x>)|^2> / N averaged over fields and over wave vectors with the same rounded |n|."""
    power = structure_factor(fields)
    size = power.shape[0]
    n = np.fft.fftfreq(size, d=1.0 / size)
    shell = np.rint(np.hypot(n[:, None], n[None, :])).astype(int)
    rows = [{"k": 2 * np.pi * s / size, "power": float(power[shell == s].mean())}
            for s in range(1, size // 2 + 1)]
    return pd.DataFrame(rows)


def marginal_histogram(fields: np.ndarray) -> pd.DataFrame:
    density, _ = np.histogram(np.clip(fields, MARGINAL_EDGES[0], MARGINAL_EDGES[-1]), MARGINAL_EDGES, density=True)
    return pd.DataFrame({"low": MARGINAL_EDGES[:-1], "high": MARGINAL_EDGES[1:], "density": density})


def lattice_m2(fields: np.ndarray, omega: float) -> pd.DataFrame:
    """M2(K) of fields (m, L, L) coarse-grained by the lattice rule (Kadanoff pairs, the Haar case)."""
    m, size, _ = fields.shape
    values = fields.reshape(m, size * size)
    levels = coarse_grain(values, "lattice", omega=omega, min_variables=4, lattice_shape=(size, size))
    return mean_variance_table(values, levels)[["cluster_size", "m2"]]


def _sampler_row(run, fields, beta) -> dict:
    taus = np.array([integrated_autocorrelation_time(series) for series in run.magnetisation])
    tau = float(taus.mean())
    flat = run.fields.reshape(-1, *run.fields.shape[2:])
    signs = np.sign(run.magnetisation)
    return {"tau_m_steps": tau, "step_cost": run.step_cost, "tau_m_cost": tau * run.step_cost,
            "length_over_tau": run.magnetisation.shape[1] / tau,
            "sign_changing_chains": int(np.sum(np.any(signs != signs[:, :1], axis=1))),
            "chains": int(run.magnetisation.shape[0]), "acceptance": run.acceptance, "output_cost": run.output_cost,
            **_field_summary(flat, beta)}


def sign_aligned(fields: np.ndarray) -> np.ndarray:
    """Each field (m, L, L) times the sign of its magnetisation (x -> -x is a symmetry of the model)."""
    signs = np.where(fields.mean(axis=(1, 2)) < 0, -1.0, 1.0)
    return fields * signs[:, None, None]


def _field_summary(fields, beta) -> dict:
    return {"energy_per_site": float(np.mean(phi4_energy(fields, beta)) / fields[0].size),
            "mean_abs_m": float(np.mean(np.abs(fields.mean(axis=(1, 2))))), "site_variance": float(sign_aligned(fields).var())}


def sampler_fits(fields: np.ndarray, scales: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """(theta of the full energy, [theta of the coarsest field's full energy, conditional 1, ..., scales])."""
    full = fit_score_matching(fields, conditional=False).theta
    chain = [fit_score_matching(haar_coarsen(fields, scales), conditional=False).theta]
    chain += [fit_score_matching(haar_coarsen(fields, j - 1), conditional=True).theta for j in range(1, scales + 1)]
    return full, chain


def sampling_tables(fields: np.ndarray, *, beta: float, settings: dict, omega: float, seed: int) -> dict:
    """The four tables of the module docstring for the data ``fields`` (m, L, L) at coupling ``beta``."""
    fields = np.asarray(fields, dtype=np.float64)
    scales, chains = int(settings["scales"]), int(settings["chains"])
    if chains > fields.shape[0]:
        raise ValueError(f"wcrg.sampling.chains: {chains} chains need as many data fields to start from, "
                         f"there are {fields.shape[0]}")
    full, chain = sampler_fits(fields, scales)
    start = fields[np.linspace(0, fields.shape[0] - 1, chains).astype(int)]  # spread over the data's run
    common = {"outputs": int(settings["outputs"]), "budget": float(settings["budget"]),
              "burn_in": int(settings["burn_in"])}
    runs = {"direct": direct_chains(full, start, seed=seed, **common),
            "multiscale": multiscale_chains(chain, start, scales=scales, detail_steps=int(settings["detail_steps"]),
                                            seed=seed + 1, **common)}
    generated = {"data": sign_aligned(fields),
                 **{name: sign_aligned(run.fields.reshape(-1, *fields.shape[1:])) for name, run in runs.items()}}
    data_row = {"beta": beta, "sampler": "data", **_field_summary(fields, beta)}
    summary = pd.DataFrame([data_row] + [{"beta": beta, "sampler": name, **_sampler_row(run, fields, beta)}
                                         for name, run in runs.items()])
    return {
        "sampling": summary,
        "power": _stacked(generated, radial_power_spectrum, beta),
        "marginals": _stacked(generated, marginal_histogram, beta),
        "m2": _stacked(generated, lambda f: lattice_m2(f, omega), beta),
    }


def _stacked(generated: dict, table_of, beta) -> pd.DataFrame:
    return pd.concat([table_of(f).assign(beta=beta, source=name) for name, f in generated.items()], ignore_index=True)
