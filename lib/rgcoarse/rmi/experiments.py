"""The RMI paper's experiments as tables (its Figs. 2b, 2d and 3): pure functions of settings and a seed.

``feature_comparison_table``
    I~ of every feature at every noise level (Fig. 2b: the wave packet, 1-D features) or
    deformation spread (Fig. 2d: the drops, 2-D features), with H(y), the gradient term and a
    half-sample interval (:func:`rgcoarse.rmi.estimator.half_sample_interval`). Each level draws
    its own samples from a seed derived from the level, so adding a level changes no other.
``best_feature_changes``
    Where the best feature (largest I~) changes along the control parameter, and whether each
    side's best is separated from the runner-up by the intervals.
``optimisation_tables``
    Fig. 3: ``runs`` ascents of I~ from random starts (kNN objective, mini-batches of a sample pool;
    :mod:`rgcoarse.rmi.optimise`), each run's I~ along the ascent, its final I~ on fresh samples
    (held out), and the normalised features y^ = CDF(y) on a grid (mean, SD over runs, run 0).
    The runs table ends with the best linear feature (``objective == "linear"``, its angle in
    ``final_objective``), the reference an optimised nonlinear feature should beat.
    One more ascent on the paper's own objective (the grid histogram of its appendix D) is traced
    beside them and evaluated on the same held-out samples, because that objective can be raised
    without raising I~ (the feature flattens below the histogram's resolution).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rgcoarse.config.seeds import derive_seed
from rgcoarse.rmi.estimator import (
    half_log_det,
    half_sample_interval,
    renormalized_mutual_information,
)
from rgcoarse.rmi.features import (
    DROP_FEATURES,
    WAVE_PACKET_FEATURES,
    drop_feature,
    wave_packet_feature,
)
from rgcoarse.rmi.models import (
    drop_samples,
    twisted_gaussian_density,
    twisted_gaussian_samples,
    wave_packet_samples,
)
from rgcoarse.rmi.optimise import (
    GridProblem,
    SampleProblem,
    adam_ascent,
    aligned,
    initial_parameters,
    normalised_feature,
    square_basis,
)

COMPARISONS = {
    # name: (control parameter, sampler(rng, n, level, settings), feature names, feature function)
    "wave_packet": ("sigma", lambda rng, n, level, s: wave_packet_samples(
        rng, n, level, n_sites=s["n_sites"], width=s["width"], centre_low=s["centre_range"][0],
        centre_high=s["centre_range"][1]), WAVE_PACKET_FEATURES, wave_packet_feature),
    "drops": ("spread", lambda rng, n, level, s: drop_samples(rng, n, level, n_particles=s["n_particles"]),
              DROP_FEATURES, drop_feature),
}
BUMP_SCALE = 0.1  # initial RBF weights ~ N(0, 0.1^2) beside a unit linear part


def feature_comparison_table(name: str, levels, model: dict, *, seed: int, n_resamples: int, confidence: float,
                             estimator: str, bins: int) -> pd.DataFrame:
    """One row per (feature, level): I~, its interval, H(y) and the gradient term (module docstring).

    ``name``: ``wave_packet`` (levels: noise sigma) or ``drops`` (levels: deformation spread);
    ``model``: that experiment's settings (``rmi.wave_packet`` or ``rmi.drops`` without the levels).
    """
    if name not in COMPARISONS:
        raise ValueError(f"experiment: expected one of {tuple(COMPARISONS)}, got {name!r}")
    parameter, sampler, features, feature_function = COMPARISONS[name]
    rows = []
    for level in levels:
        rng = np.random.default_rng(derive_seed(seed, name, repr(float(level))))
        x = sampler(rng, model["n_samples"], float(level), model)
        for feature in features:
            y, jac = feature_function(feature, x)
            terms = half_log_det(jac)
            estimate = renormalized_mutual_information(y, jac, estimator=estimator, bins=bins)
            low, high = half_sample_interval(y, terms, n_resamples=n_resamples, rng=rng, confidence=confidence,
                                             estimator=estimator, bins=bins)
            rows.append({"feature": feature, parameter: float(level), "rmi": estimate.rmi, "ci_low": low,
                         "ci_high": high, "entropy": estimate.entropy, "gradient_term": estimate.gradient_term,
                         "n_samples": int(x.shape[0])})
    return pd.DataFrame(rows)


EXAMPLES_PER_PANEL = 3


def example_samples(name: str, levels, model: dict, *, seed: int) -> pd.DataFrame:
    """A few samples to draw (Fig. 2a: one field at the lowest, a middle and the highest noise;
    Fig. 2c: three drops at the largest spread), long format: level, sample, coordinate, value.

    Drawn from their own seed, so they do not change the comparison's samples.
    """
    parameter, sampler, _, _ = COMPARISONS[name]
    ordered = sorted(float(v) for v in levels)
    if name == "wave_packet":
        chosen = [(ordered[0], 1), (ordered[len(ordered) // 2], 1), (ordered[-1], 1)]
    else:
        chosen = [(ordered[-1], EXAMPLES_PER_PANEL)]
    frames = []
    for level, count in chosen:
        rng = np.random.default_rng(derive_seed(seed, name, "examples", repr(level)))
        x = sampler(rng, count, level, model)
        for sample, row in enumerate(x):
            frames.append(pd.DataFrame({parameter: level, "sample": sample, "coordinate": np.arange(row.size),
                                        "value": row}))
    return pd.concat(frames, ignore_index=True)


def best_feature_changes(table: pd.DataFrame, parameter: str) -> pd.DataFrame:
    """Per level: the best feature, the runner-up, the gap between their I~, and how far their intervals
    are apart (``separation``: the best's lower end less the runner-up's upper end; ``separated`` when > 0)."""
    rows = []
    for level, group in table.groupby(parameter, sort=True):
        ranked = group.sort_values("rmi", ascending=False)
        best, second = ranked.iloc[0], ranked.iloc[1]
        rows.append({parameter: float(level), "best": best["feature"], "runner_up": second["feature"],
                     "gap": float(best["rmi"] - second["rmi"]),
                     "separation": float(best["ci_low"] - second["ci_high"]),
                     "separated": bool(best["ci_low"] > second["ci_high"])})
    return pd.DataFrame(rows)


def _grid(half_width: float, per_side: int) -> np.ndarray:
    side = np.linspace(-half_width, half_width, per_side)
    gx, gy = np.meshgrid(side, side, indexing="ij")
    return np.column_stack([gx.ravel(), gy.ravel()])


def optimisation_tables(settings: dict, *, seed: int) -> dict[str, pd.DataFrame]:
    """Fig. 3's tables: ``trace`` (objective, run, step, rmi), ``runs`` (held-out I~), ``grid`` (y^ mean/SD/run 0)."""
    s = settings
    alpha, scales = float(s["alpha"]), tuple(float(v) for v in s["scales"])
    basis = square_basis(s["basis_half_width"], s["basis_per_side"], s["basis_length"])
    pool = twisted_gaussian_samples(np.random.default_rng(derive_seed(seed, "rmi_fig3", "pool")), s["pool"], alpha, scales)
    problem = SampleProblem.build(pool, basis, s["neighbours"])
    held_out = twisted_gaussian_samples(np.random.default_rng(derive_seed(seed, "rmi_fig3", "held_out")),
                                        s["evaluation_samples"], alpha, scales)
    phi_out, grad_out = basis.values_and_gradients(held_out)
    grid = _grid(s["grid_half_width"], s["grid_per_side"])
    grid_weights = twisted_gaussian_density(grid, alpha, scales)
    grid_weights = grid_weights / grid_weights.sum()
    phi_grid = basis.values_and_gradients(grid)[0]

    def held_out_rmi(theta):
        return renormalized_mutual_information(phi_out @ theta, grad_out @ theta).rmi

    traces, runs, normalised = [], [], []
    for run in range(s["runs"]):
        rng = np.random.default_rng(derive_seed(seed, "rmi_fig3", run))
        theta0 = initial_parameters(rng, basis.size, BUMP_SCALE)

        def objective(theta, step, rng=rng):
            return problem.rmi_and_gradient(theta, rng.choice(pool.shape[0], s["batch"], replace=False))

        theta, trace = adam_ascent(objective, theta0, steps=s["steps"], learning_rate=s["learning_rate"])
        traces.append(pd.DataFrame({"objective": "knn", "run": run, "step": np.arange(trace.size), "rmi": trace}))
        runs.append({"objective": "knn", "run": run, "initial_rmi": held_out_rmi(theta0),
                     "final_rmi": held_out_rmi(theta), "final_objective": float(np.mean(trace[-20:]))})
        normalised.append(normalised_feature(phi_grid @ theta, grid_weights))

    # the paper's objective: the weighted grid and its interpolated histogram
    paper = GridProblem.build(lambda p: twisted_gaussian_density(p, alpha, scales), s["grid_half_width"],
                              s["grid_per_side"], basis, s["histogram_bins"])
    theta0 = initial_parameters(np.random.default_rng(derive_seed(seed, "rmi_fig3", 0)), basis.size, BUMP_SCALE)
    theta, trace = adam_ascent(lambda theta, step: paper.rmi_and_gradient(theta), theta0, steps=s["steps"],
                               learning_rate=s["learning_rate"])
    traces.append(pd.DataFrame({"objective": "histogram", "run": 0, "step": np.arange(trace.size), "rmi": trace}))
    runs.append({"objective": "histogram", "run": 0, "initial_rmi": held_out_rmi(theta0),
                 "final_rmi": held_out_rmi(theta), "final_objective": float(trace[-1])})

    linear, angle = best_linear_rmi(s, seed=seed)
    runs.append({"objective": "linear", "run": 0, "initial_rmi": linear, "final_rmi": linear,
                 "final_objective": angle})  # the best linear feature; final_objective holds its angle

    stack = aligned(np.array(normalised), grid_weights)
    grid_table = pd.DataFrame({"x1": grid[:, 0], "x2": grid[:, 1], "density": grid_weights,
                               "mean": stack.mean(axis=0), "sd": stack.std(axis=0, ddof=1) if len(stack) > 1 else 0.0,
                               "run0": stack[0]})
    return {"trace": pd.concat(traces, ignore_index=True), "runs": pd.DataFrame(runs), "grid": grid_table}


def best_linear_rmi(settings: dict, *, seed: int, directions: int = 36) -> tuple[float, float]:
    """The largest I~ of a linear feature w . x over ``directions`` angles in [0, pi) on the held-out samples.

    For a unit w the gradient term is 0, so I~ = H(w . x). Returns (I~, angle in radians).
    """
    alpha, scales = float(settings["alpha"]), tuple(float(v) for v in settings["scales"])
    held_out = twisted_gaussian_samples(np.random.default_rng(derive_seed(seed, "rmi_fig3", "held_out")),
                                        settings["evaluation_samples"], alpha, scales)
    angles = np.linspace(0.0, np.pi, directions, endpoint=False)
    values = [renormalized_mutual_information(held_out @ np.array([np.cos(a), np.sin(a)]),
                                              np.tile([np.cos(a), np.sin(a)], (held_out.shape[0], 1))).rmi
              for a in angles]
    best = int(np.argmax(values))
    return float(values[best]), float(angles[best])
