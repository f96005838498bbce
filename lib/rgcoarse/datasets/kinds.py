"""The registry of dataset kinds: which kinds of data matrix the pipeline knows.

Per-kind settings (the pairing rules run on it, its silence threshold, its COD rank cap) are
config maps keyed by these names (``coarse_graining.methods``, ``observables.silence_threshold``,
``observables.cod_max_rank``); the workflow checks that each map names every kind and no other,
so a typo'd kind stops the dry-run. The built-in datasets are named by their kind; every user
dataset is of kind ``user`` (its entry in ``user_datasets`` may override the kind's settings).
A null dataset (``<source>-<model>``, :mod:`rgcoarse.datasets.nulls`) has the kind of its source, so it
is judged with the same silence threshold and COD ranks as the data it is the null of.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rgcoarse.config.constants import TEMPERATURE_DECIMALS


@dataclass(frozen=True)
class DatasetKind:
    """One kind of data matrix.

    Attributes
    ----------
    name : str
        The kind's key in the config's per-kind maps (and the dataset name of a built-in kind).
    description : str
        One line for docs.
    has_lattice : bool
        Whether its data matrices carry a ``lattice_shape`` (rules that need a lattice may run on it).
    time_series : bool
        Whether its samples are consecutive times of one run (autocorrelated), rather than independent draws.
    builtin : bool
        Whether the pipeline generates it (a dataset of this name), rather than reading user files.
    temperatures : bool
        Whether its config section runs a list of ``temperatures`` (one condition each; nulls may
        select some of them in ``nulls.temperatures``).
    generator : str
        The Snakemake rule that writes its data matrices (``results/data/<dataset>/<condition>.parquet``).
    conditions : str
        How its conditions are named: ``temperature`` (``T2.300``), ``run`` (temperature x replica,
        ``T0.400_r0``), ``structure`` (a planted structure's name) or ``default`` (one matrix).
    seed_name : str, optional
        The name its jobs' seeds are derived from (default: the dataset name). The glass arm keeps
        its former name ``ka`` here, so that renaming the arm changed no seed and no number.
    size : callable, optional
        ``size(config) -> (n_samples or None, n_features, the config keys that set them)`` of a
        built-in kind's data matrices, for the checks before any job (``None``: not run).
    silence_range : (low, high, why), optional
        Where the values are known before any data exist: a silence threshold below ``low``
        silences no variable and one at or above ``high`` every variable (P0 is then 1 or 0), so
        ``observables.silence_threshold`` must lie in ``[low, high)``; ``why`` says what the values are.
    """

    name: str
    description: str
    has_lattice: bool = False
    time_series: bool = False
    builtin: bool = True
    temperatures: bool = False
    generator: str = ""
    conditions: str = "default"
    seed_name: str | None = None
    size: Callable | None = None
    silence_range: tuple[float, float, str] | None = None


DATASET_KINDS: dict[str, DatasetKind] = {}
NULL_SEPARATOR = "-"  # <source>-<null model>; user dataset names are snake_case, so never in a source


def register(kind: DatasetKind) -> DatasetKind:
    """Add ``kind`` to the registry (its name must be new)."""
    if kind.name in DATASET_KINDS:
        raise ValueError(f"dataset kind {kind.name!r} is already registered")
    DATASET_KINDS[kind.name] = kind
    return kind


def dataset_kind_names() -> tuple[str, ...]:
    """Names of every registered kind, in registration order."""
    return tuple(DATASET_KINDS)


def temperature_kinds() -> tuple[str, ...]:
    """Kinds whose config section runs a list of temperatures."""
    return tuple(name for name, kind in DATASET_KINDS.items() if kind.temperatures)


def condition_pattern(kind: str) -> str:
    """The wildcard constraint of a kind's temperature or run conditions (``T2.300``, ``T0.400_r0``)."""
    temperature = rf"T[0-9]+\.[0-9]{{{TEMPERATURE_DECIMALS}}}"
    patterns = {"temperature": temperature, "run": rf"{temperature}_r[0-9]+", "default": "default"}
    return patterns[DATASET_KINDS[kind].conditions]


def builtin_dataset_names() -> tuple[str, ...]:
    """Dataset names the pipeline generates itself (a user dataset may not take one)."""
    return tuple(name for name, kind in DATASET_KINDS.items() if kind.builtin)


def seed_name(dataset: str) -> str:
    """The name a dataset's seeds are derived from (see :attr:`DatasetKind.seed_name`)."""
    kind = DATASET_KINDS.get(dataset)
    return kind.seed_name if kind is not None and kind.builtin and kind.seed_name else dataset


def source_dataset(dataset: str) -> str:
    """The dataset a null dataset was derived from (the dataset itself otherwise)."""
    return dataset.split(NULL_SEPARATOR, 1)[0]


def kind_of_dataset(dataset: str) -> DatasetKind:
    """The kind of a dataset: a built-in kind by name, otherwise ``user``; a null has its source's kind."""
    kind = DATASET_KINDS.get(source_dataset(dataset))
    return kind if kind is not None and kind.builtin else DATASET_KINDS["user"]


# Frozen: the glass arm's seeds derive from its former name; renaming this changes every trajectory.
GLASS_SEED_NAMESPACE = "ka"

def _ising_size(config):
    section = config["ising"]
    samples = max([section["n_samples"]] + [o.get("n_samples", 0) for o in section.get("overrides", {}).values()])
    return samples, section["lattice_size"] ** 2, "ising.lattice_size / ising.n_samples"


def _section_size(name):
    def size(config):
        section = config[name]
        if not section.get("structures", True):  # a planted section with no structure makes no data
            return None
        return section["n_samples"], section["n_features"], f"{name}.n_features / {name}.n_samples"
    return size


def _glass_size(config):
    return None, config["glass"]["n_particles"], "glass.n_particles"


register(DatasetKind("ising", "2D Ising model configurations (samples x spins), spaced by tau_int", has_lattice=True,
                     temperatures=True, generator="ising_chain", conditions="temperature", size=_ising_size,
                     silence_range=(-1.0, 1.0, "spins are -1 or +1")))
register(DatasetKind("gaussian", "an i.i.d. N(0, 1) random matrix (the paper's Fig. 1)", generator="gaussian_matrix",
                     size=_section_size("gaussian")))
register(DatasetKind("glass", "Kob-Andersen glass: p_hop of every particle (time frames x particles)", time_series=True,
                     temperatures=True, generator="glass_phop", conditions="run", seed_name=GLASS_SEED_NAMESPACE,
                     size=_glass_size, silence_range=(0.0, float("inf"), "p_hop is at least 0")))
register(DatasetKind("planted", "planted structure with known truth (blocks, power-law field, nonlinear pairs, noise)",
                     generator="planted_dataset", conditions="structure", size=_section_size("planted")))
register(DatasetKind("user", "your own data matrix (Parquet, CSV or NPY; samples x features)", builtin=False,
                     generator="user_dataset"))
