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


# ----- time: what a job asks of the scheduler, checked against resources.max_job_minutes -----
#
# A setting that only costs time (sweeps, resamples, MD steps) cannot exhaust memory, but it can ask
# for a job no scheduler runs to its end, or one that a cluster kills at its declared time limit.
# Each such job declares (``runtime``) twice its estimate plus 5 minutes, at least its rule's usual
# request (:data:`RUNTIME_FLOOR_MINUTES`), as the LAMMPS stages do (glass.atom_steps_per_second);
# a setting whose request exceeds resources.max_job_minutes is refused before any job starts.

#: Spin updates per second of an Ising chain: measured 3.5e7 (Wolff, T = 2.3) to 1.2e8 (Metropolis)
#: at L = 64 on the 2-core reference machine (the default run's logs); the slower rate is used.
ISING_UPDATES_PER_SECOND = 3.5e7
#: Values the M2 and P0 bootstrap resamples per second (n_bootstrap x m x N): measured about 8e9 on
#: the default Ising observables jobs (4,000 x 4,096, 200 resamples in about 0.4 s); a slower
#: machine (1.8x) is allowed for.
BOOTSTRAP_VALUES_PER_SECOND = 4e9
#: The minutes a rule asks for whatever its settings (the defaults need far less).
RUNTIME_FLOOR_MINUTES = {"ising_chain": 30, "observables": 50, "null_statistics": 60}
#: A null-statistics job asks for its floor per this many draws (the default run's slowest, 19 Ising
#: projection draws of 4,096 spins, takes about 3 minutes on the reference machine).
NULL_DRAWS_PER_FLOOR = 19


def ising_chain_seconds(lattice_size: int, burn_in_sweeps: int, pilot_sweeps: int, n_samples: int,
                        spacing_factor: float) -> float:
    """Estimated time of one Ising chain: its sweeps (samples ``spacing_factor`` x tau_int sweeps apart;
    tau_int is measured by the pilot, taken as 1 here) times L^2 spins at :data:`ISING_UPDATES_PER_SECOND`."""
    sweeps = burn_in_sweeps + pilot_sweeps + n_samples * max(spacing_factor, 1.0)
    return sweeps * lattice_size**2 / ISING_UPDATES_PER_SECOND


def bootstrap_seconds(n_bootstrap: int, n_samples: int, n_features: int) -> float:
    """Estimated time of the exponent fits' bootstrap in one observables job: each resample reads the
    data's level sums once, at :data:`BOOTSTRAP_VALUES_PER_SECOND`."""
    return n_bootstrap * n_samples * n_features / BOOTSTRAP_VALUES_PER_SECOND


def requested_minutes(rule: str, seconds: float) -> int:
    """``runtime`` a job declares: twice the estimate plus 5 minutes, at least the rule's floor."""
    return max(RUNTIME_FLOOR_MINUTES[rule], 5 + math.ceil(2 * seconds / 60))


def null_statistics_minutes(draws: int) -> int:
    """``runtime`` a null-statistics job declares: its floor per :data:`NULL_DRAWS_PER_FLOOR` draws."""
    return RUNTIME_FLOOR_MINUTES["null_statistics"] * math.ceil(draws / NULL_DRAWS_PER_FLOOR)
