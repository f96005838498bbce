"""What a dataset's size asks of the analysis jobs, checked before any job starts.

Cost model of one analysis job (coarse-graining, observables, fits, null draws) on m samples of
N features, in bytes: the larger of its two phases (:data:`MODEL`),

- the **data phase** (observables and fits): :data:`DATA_COPIES` float64 copies of the data matrix
  (level 0, which is the data; the other levels' values; the centred sums of every level that the
  M2 bootstrap resamples; the silence mask) and one N x N matrix (a higher level's COD);
- the **matrix phase** (the pairing's and stepwise selection's working matrices):
  :data:`PAIRING_DATA_COPIES` copies of the data (its stored float32 or int8 copy, level 0, the
  standardised copy the correlation matrix is made from) and :data:`MATRIX_COPIES` N x N matrices
  (the correlation matrix, ``G = R R`` and their compacted successors).

Measured at commit ``c18a1a1`` (a sampler of the process's resident memory around every step of the
jobs run by hand): the observables job of 20,000 x 2,048 peaked at 5.0 data copies above the
interpreter (in its M2 bootstrap), the coarse-graining at 3.6 and the level-0 COD at 3.1; on
1,000 x 8,192 (matrices dominant) the projection pairing peaked at 4.3 N x N matrices, the
correlation pairing at 3.9 and the level-0 COD at 2.5. The whole-run peaks Snakemake records are in
docs/performance.md; the model is an upper bound fitted to measurements, not a guarantee. Each
analysis job declares to the scheduler (``mem_mb``) :func:`declared_mem_mb` of its dataset, the
model plus :data:`PROCESS_MB` for the interpreter and libraries. Snakemake then never starts jobs
side by side whose declarations exceed the memory it may use (on one machine: what the machine has
available when Snakemake starts, :func:`available_memory_mb`; on a cluster each job gets its own
node's). The most one job may declare is ``resources.analysis_mem_mb`` (one machine's or node's
memory): a dataset above it is refused before any job starts, naming the dataset and the estimate,
so a cluster with bigger nodes raises that key and can go further.

Levels: level l of a coarse-graining of N features has about N / 2^l clusters of 2^l features,
until at most ``min_variables`` variables remain; a level enters an exponent fit when its clusters
are at least ``k_min`` features and at least ``min_clusters`` of them.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

BYTES_PER_VALUE = 8
DATA_COPIES = 5.5  # data phase: copies of the m x N matrix (measured 5.0, module docstring)
DATA_PHASE_MATRICES = 1  # data phase: N x N matrices
PAIRING_DATA_COPIES = 2.5  # matrix phase: copies of the m x N matrix
MATRIX_COPIES = 5  # matrix phase: N x N matrices (measured up to 4.3)
MODEL = (f"8 bytes x max({DATA_COPIES} m N + {DATA_PHASE_MATRICES} N^2, "
         f"{PAIRING_DATA_COPIES} m N + {MATRIX_COPIES} N^2)")
PROCESS_MB = 600  # the interpreter, libraries and JIT-compiled kernels: small-data jobs peaked at up to 530 MB
MIN_FITTABLE_LEVELS = 3  # a power law from two points has no test of its shape


def analysis_bytes(n_samples: int, n_features: int) -> int:
    """The cost model's peak memory of one analysis job (module docstring): the larger phase."""
    data, matrix = n_samples * n_features, n_features * n_features
    return math.ceil(BYTES_PER_VALUE * max(DATA_COPIES * data + DATA_PHASE_MATRICES * matrix,
                                           PAIRING_DATA_COPIES * data + MATRIX_COPIES * matrix))


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
