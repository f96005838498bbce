"""What a dataset's size asks of the analysis jobs, checked before any job starts.

Cost model of one analysis job (coarse-graining, observables, fits, null draws) on m samples of
N features, in bytes: ``8 (8 m N + 2 N^2)``, :data:`DATA_COPIES` float64 copies of the data
matrix (the data, its standardised and binarised copies, every level's values, the fits'
resampled sums) and :data:`MATRIX_COPIES` N x N matrices (the correlation matrix and the working
matrices of the pairing and of stepwise selection). Fitted to the peaks Snakemake's benchmark
files recorded for 20,000 samples (``tests/benchmarks/bench_scale.py``, recorded in
docs/performance.md): the largest job peaked at 2,588, 5,125 and 8,296 MB at N = 2,048, 4,096 and
8,192 (6.6, 6.7 and 4.9 data copies beyond the N^2 term and the process), against 2,964, 5,656 and
11,424 MB declared; the Ising default (m = 4,000, N = 4,096) peaked at 0.8 GB against 1,656 MB.
The model is an upper bound fitted to measurements, not a guarantee. Each analysis job declares
to the scheduler (``mem_mb``) :func:`declared_mem_mb` of its dataset, the model plus
:data:`PROCESS_MB` for the interpreter and libraries. Snakemake then never starts jobs side by side
whose declarations exceed the memory it may use (on one machine: what the machine has available
when Snakemake starts, :func:`available_memory_mb`; on a cluster each job gets its own node's). The
most one job may declare is ``resources.analysis_mem_mb`` (one machine's or node's memory): a
dataset above it is refused before any job starts, naming the dataset and the estimate, so a
cluster with bigger nodes raises that key and can go further.

Levels: level l of a coarse-graining of N features has about N / 2^l clusters of 2^l features,
until at most ``min_variables`` variables remain; a level enters an exponent fit when its clusters
are at least ``k_min`` features and at least ``min_clusters`` of them.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

BYTES_PER_VALUE = 8
DATA_COPIES = 8  # measured: up to 6.7 copies of the m x N matrix at the peak (module docstring)
MATRIX_COPIES = 2  # N x N matrices at the peak
PROCESS_MB = 400  # the interpreter and the libraries an analysis job imports, before its data (measured 250-300)
MIN_FITTABLE_LEVELS = 3  # a power law from two points has no test of its shape


def analysis_bytes(n_samples: int, n_features: int) -> int:
    """The cost model's peak memory of one analysis job (module docstring)."""
    return BYTES_PER_VALUE * (DATA_COPIES * n_samples * n_features + MATRIX_COPIES * n_features * n_features)


def declared_mem_mb(n_samples: int, n_features: int) -> int:
    """The memory (MB) an analysis job of an m x N dataset declares to the scheduler (module docstring)."""
    return PROCESS_MB + math.ceil(analysis_bytes(n_samples, n_features) / 2**20)


def available_memory_mb(meminfo: str = "/proc/meminfo") -> int:
    """The memory this machine has available now (``MemAvailable``; the physical total where that is
    not reported), in MB."""
    try:
        for line in Path(meminfo).read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024 // 2**20  # kB
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20


def level_sizes(n_features: int, min_variables: int) -> list[int]:
    """Variables per level, from level 0 until at most ``min_variables`` remain."""
    sizes = [int(n_features)]
    while sizes[-1] > min_variables:
        sizes.append(math.ceil(sizes[-1] / 2))
    return sizes


def deepest_level(n_features: int, min_variables: int) -> int:
    return len(level_sizes(n_features, min_variables)) - 1


def fittable_levels(n_features: int, min_variables: int, k_min: float, min_clusters: int) -> int:
    """Levels whose clusters (2^l features, about N / 2^l of them) enter an exponent fit."""
    return sum(1 for level, n in enumerate(level_sizes(n_features, min_variables))
               if 2**level >= k_min and n >= min_clusters)
