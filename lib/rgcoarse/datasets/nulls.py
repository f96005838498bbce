"""Null models: a data matrix with one kind of structure destroyed, run through the same pipeline.

A claim of "structure", "nonlinearity" or "persistence" means more than the same rules find on a
null. Each null keeps what a trivial explanation would need and destroys the rest:

``permute``
    Each feature's samples independently permuted. Keeps every feature's marginal distribution
    exactly; destroys all dependence between features (and any order in time). The null of
    independent samples (Ising configurations).
``shift``
    Each feature's series circularly shifted in time by an independent uniform offset. Keeps
    every feature's marginal and its autocorrelation (up to the one wrap-around seam); destroys
    the alignment in time between features. The null of a time series (p_hop of each particle).
    The seam biases it: under independence a pair's zero-lag products in the data have one
    break in time (the ends of the series), a shifted pair two (each series' wrap), so the
    spurious correlations selection feeds on are a little smaller in a draw than in the data
    (about half the spread of the COD-increment exponent at the glass's slowest temperature).
    :func:`three_seam_series` draws the same null with five extra breaks per pair instead of
    one; the statistic is linear in the breaks (measured), so ``mean(shift) - (mean(three
    seams) - mean(shift)) / 4`` estimates the seam-free null mean
    (:func:`rgcoarse.stats.controls.excess_over_null`).
``covgauss``
    A Gaussian matrix with the data's mean and sample covariance: ``mean + G (X - mean) /
    sqrt(m - 1)`` with ``G`` an m x m standard-normal matrix, so its covariance is the data's in
    expectation (exactly, for every rank, without factorising a singular covariance). Keeps pair
    correlations; destroys everything beyond them (higher-order and nonlinear dependence, the
    marginals' shapes, and the order in time).

``phase``
    Each feature's series with its Fourier phases replaced by independent uniform ones (a
    phase-randomised surrogate, Theiler et al., Physica D 58, 77 (1992)). Keeps every feature's
    mean and periodogram exactly, so its circular autocorrelation, with no seam; destroys the
    alignment in time between features and any non-Gaussian shape of the marginals. A second
    null of a time series, stricter about the autocorrelation than ``shift``.

``local``
    A local field: each feature's series circularly shifted (as ``shift``), then mixed with the
    mean of its ``LOCAL_PARTNERS`` (12) most correlated partners in the data,
    ``x_i = (1 - a) s_i + a mean_{j in N(i)} s_j``, with ``a`` set by bisection so that the mean
    correlation over the data's neighbour pairs (i, j in N(i)) equals the data's. Keeps each
    feature's neighbourhood in the correlation graph and the strength of its pair correlations
    there; destroys every correlation beyond two steps of that graph, so no mode common to many
    features. The control the glass conclusion needs: M2(K) growing faster than K up to the
    neighbourhood size follows from any finite correlation range, so the data show a collective
    mode only where their M2 grows faster than this null's.

Null datasets are named ``<source>-<model>`` (e.g. ``glass-shift``) and their conditions
``<source condition>_n<draw>``; each draw has its own seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from rgcoarse.checks import as_value_matrix
from rgcoarse.datasets.kinds import NULL_SEPARATOR
from rgcoarse.registry import add_to_registry

DRAW_SEPARATOR = "_n"


def permute_samples(values, rng) -> np.ndarray:
    """Each column's samples independently permuted (dtype kept)."""
    return rng.permuted(np.asarray(values), axis=0)


def shift_series(values, rng) -> np.ndarray:
    """Each column circularly shifted down by an independent offset uniform in ``[0, m)`` (dtype kept)."""
    values = np.asarray(values)
    m = values.shape[0]
    offsets = rng.integers(0, m, size=values.shape[1])
    rows = (np.arange(m)[:, None] - offsets[None, :]) % m
    return np.take_along_axis(values, rows, axis=0)


def three_seam_series(values, rng) -> np.ndarray:
    """Each column cut at two independent uniform points and its pieces reordered (last, middle,
    first), then circularly shifted as :func:`shift_series`: three breaks per series where a
    shift has one (dtype kept)."""
    values = np.asarray(values)
    m, n = values.shape
    cuts = np.sort(np.array([rng.choice(np.arange(1, m), size=2, replace=False) for _ in range(n)]).reshape(n, 2), axis=1)
    time = np.arange(m)[:, None]
    first, second = cuts[:, 0][None, :], cuts[:, 1][None, :]
    last_piece = m - second  # rows 0 .. m - c2 - 1 hold x[c2:], then x[c1:c2], then x[:c1]
    rows = np.where(time < last_piece, second + time,
                    np.where(time < last_piece + (second - first), first + time - last_piece,
                             time - last_piece - (second - first)))
    return shift_series(np.take_along_axis(values, rows, axis=0), rng)


# Extra breaks in time per pair of series, beyond the data's one: a shift draw 1, a three-seam draw 5.
SHIFT_EXTRA_BREAKS, THREE_SEAM_EXTRA_BREAKS = 1, 5


def phase_randomised(values, rng) -> np.ndarray:
    """Each column's Fourier phases replaced by independent uniform ones; mean and periodogram kept (float64)."""
    values = as_value_matrix(values, "values")
    m = values.shape[0]
    mean = values.mean(axis=0)
    amplitude = np.abs(np.fft.rfft(values - mean, axis=0))
    phases = rng.uniform(0.0, 2.0 * np.pi, size=amplitude.shape)
    phases[0] = 0.0  # zero frequency: real (zero, the mean is added back)
    if m % 2 == 0:
        phases[-1] = 0.0  # the Nyquist term of an even length is real too
    return mean + np.fft.irfft(amplitude * np.exp(1j * phases), n=m, axis=0)


LOCAL_PARTNERS = 12  # about the first coordination shell of the Kob-Andersen liquid (12-13 neighbours)
_MIXING_STEPS = 30  # bisection steps of the mixing weight: 2^-30, far below the sampling noise


def _neighbour_correlation(values, rows, partners) -> float:
    z = values - values.mean(axis=0)
    z /= np.where(z.std(axis=0) > 0, z.std(axis=0), 1.0)
    return float(np.mean(np.einsum("ti,tij->ij", z, z[:, partners]) / values.shape[0]))


def local_field(values, rng) -> np.ndarray:
    """Shifted series mixed over each feature's data neighbourhood to the data's neighbour correlation (float64)."""
    values = as_value_matrix(values, "values")
    n = values.shape[1]
    partners_count = min(LOCAL_PARTNERS, n - 1)
    correlation = np.corrcoef(values, rowvar=False)
    correlation = np.where(np.isfinite(correlation), correlation, 0.0)
    np.fill_diagonal(correlation, -np.inf)
    partners = np.argsort(-correlation, axis=1, kind="stable")[:, :partners_count]
    rows = np.arange(n)
    target = float(np.mean(correlation[rows[:, None], partners]))
    shifted = shift_series(values, rng)
    neighbourhood_mean = shifted[:, partners].mean(axis=2)

    def mixed(a):
        return (1.0 - a) * shifted + a * neighbourhood_mean

    low, high = 0.0, 1.0
    if _neighbour_correlation(mixed(high), rows, partners) > target:
        for _ in range(_MIXING_STEPS):
            middle = 0.5 * (low + high)
            if _neighbour_correlation(mixed(middle), rows, partners) < target:
                low = middle
            else:
                high = middle
    return mixed(high)  # a = 1 when even the full neighbourhood mean is less correlated than the data


def covariance_matched_gaussian(values, rng) -> np.ndarray:
    """Gaussian samples with the data's mean and (in expectation) its sample covariance, float64."""
    values = as_value_matrix(values, "values")
    m = values.shape[0]
    mean = values.mean(axis=0)
    mixing = rng.standard_normal((m, m)) / np.sqrt(m - 1)
    return mean + mixing @ (values - mean)


@dataclass(frozen=True)
class NullModel:
    """One null model: its generator, what it keeps, and whether its rows stay a time series.

    ``selection_bias_preference`` ranks the nulls that serve as the exponents' selection-bias
    control (:mod:`rgcoarse.stats.controls`; lower first, ``None``: not a control): a time series
    has its time-ordered null, independent samples their permutation.
    """

    name: str
    generate: Callable
    keeps: str
    time_ordered: bool
    selection_bias_preference: int | None = None
    keeps_covariance: bool = False  # every pair covariance kept: linear statistics are the data's (an identity)
    seam_control: Callable | None = None  # the same null with more breaks in time, to extrapolate its seam bias away


NULL_MODELS: dict[str, NullModel] = {}


def register(model: NullModel) -> NullModel:
    """Add a null model to the registry (the one list the schema, wildcards and checks read)."""
    return add_to_registry(NULL_MODELS, model, what="null model")


register(NullModel("permute", permute_samples, "each feature's marginal; no cross-feature dependence", False,
                   selection_bias_preference=1))
register(NullModel("shift", shift_series, "each feature's marginal and autocorrelation; no alignment in time", True,
                   selection_bias_preference=0, seam_control=three_seam_series))
register(NullModel("covgauss", covariance_matched_gaussian, "mean and pair covariances; nothing beyond", False,
                   keeps_covariance=True))
register(NullModel("local", local_field, f"each feature's {LOCAL_PARTNERS} most correlated partners and the mean "
                   "correlation with them, each feature's autocorrelation; nothing beyond two steps of that "
                   "neighbourhood graph", True))
register(NullModel("phase", phase_randomised, "each feature's mean and periodogram; no alignment in time", True))


def null_model_names() -> tuple[str, ...]:
    return tuple(NULL_MODELS)


def time_ordered_nulls() -> tuple[str, ...]:
    """The nulls that keep each feature's time order (the persistence claims' nulls)."""
    return tuple(name for name, model in NULL_MODELS.items() if model.time_ordered)


def selection_bias_nulls() -> tuple[str, ...]:
    """The exponents' selection-bias controls, in order of preference."""
    ranked = [(m.selection_bias_preference, name) for name, m in NULL_MODELS.items()
              if m.selection_bias_preference is not None]
    return tuple(name for _, name in sorted(ranked))


def independent_samples_null() -> str:
    """The selection-bias null of independent samples (the preferred one that does not keep time order)."""
    return next(name for name in selection_bias_nulls() if not NULL_MODELS[name].time_ordered)


def covariance_nulls() -> tuple[str, ...]:
    """Nulls that keep every pair covariance: a linear statistic cannot tell them from the data."""
    return tuple(name for name, model in NULL_MODELS.items() if model.keeps_covariance)


def null_dataset_name(source: str, model: str) -> str:
    """``glass`` + ``shift`` -> ``glass-shift``."""
    return f"{source}{NULL_SEPARATOR}{model}"


def null_condition(condition: str, draw: int) -> str:
    """``T0.400_r0`` + 1 -> ``T0.400_r0_n1``."""
    return f"{condition}{DRAW_SEPARATOR}{int(draw)}"


def split_null_dataset(dataset: str) -> tuple[str, str] | None:
    """``(source, model)`` of a null dataset name, ``None`` for a data dataset."""
    source, separator, model = dataset.rpartition(NULL_SEPARATOR)
    if not separator:
        return None
    if model not in NULL_MODELS:
        raise ValueError(f"dataset {dataset!r}: {model!r} is not a null model; known: {', '.join(NULL_MODELS)}")
    return source, model


def split_null_condition(condition: str) -> tuple[str, int]:
    """``T0.400_r0_n1`` -> ``('T0.400_r0', 1)``."""
    source, separator, draw = condition.rpartition(DRAW_SEPARATOR)
    if not separator or not draw.isdigit():
        raise ValueError(f"condition {condition!r}: a null condition ends in {DRAW_SEPARATOR}<draw>")
    return source, int(draw)


def seam_control_matrix(values, model: str, seed: int) -> np.ndarray | None:
    """One draw of ``model``'s seam control (None when the model has no seam)."""
    control = NULL_MODELS[model].seam_control
    return None if control is None else control(np.asarray(values), np.random.default_rng(seed))


def null_matrix(values, model: str, seed: int) -> np.ndarray:
    """One draw of null ``model`` of ``values`` (samples x features), from its own ``seed``."""
    if model not in NULL_MODELS:
        raise ValueError(f"model: {model!r} is not a null model; known: {', '.join(NULL_MODELS)}")
    values = np.asarray(values)
    if values.ndim != 2 or min(values.shape) < 2:
        raise ValueError(f"values: expected a samples x features matrix with >= 2 of each, got shape {values.shape}")
    return NULL_MODELS[model].generate(values, np.random.default_rng(seed))


def persistence_null() -> str:
    """The null that persistence and time-series exponent claims are judged against: the one null
    that keeps each feature's time order (the first registered, should there be more)."""
    ordered = time_ordered_nulls()
    if not ordered:
        raise ValueError("no registered null model keeps the time order (NullModel.time_ordered)")
    return ordered[0]
