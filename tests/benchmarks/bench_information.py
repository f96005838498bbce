"""Benchmark of the information pairing rule (not collected by pytest).

1. ``coarse_grain(..., "information")`` through all levels on the Ising 64 x 64 data (m = 4000;
   default ``results/data/ising/T2.300.parquet``) on one core, against the projection rule on
   the same data in the same run: wall times and their ratio (target: <= 5 min).
2. On the glass p_hop data (default ``results/data/glass/T0.470_r0.parquet``), first level:
   the shortlist (``--width``) against the full search (width N - 1) on the first ``--subset``
   particles, where both run: times, their ratio, and the fraction of pairs they share.

Make the data first (``snakemake --cores all results/data/ising/T2.300.parquet
results/data/glass/T0.470_r0.parquet``). Usage::

    .venv/bin/python tests/benchmarks/bench_information.py
    .venv/bin/python tests/benchmarks/bench_information.py --subset 400 --width 16
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_var] = "1"  # one core: set before NumPy loads its thread pool

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from rgcoarse.coarse.coarse_grain import coarse_grain  # noqa: E402
from rgcoarse.io.datamatrix import read_data_matrix  # noqa: E402
from rgcoarse.coarse.information_pairing import information_pairs  # noqa: E402


def load(path: str) -> np.ndarray:
    if not Path(path).is_file():
        sys.exit(f"{path}: not found; make it first with `snakemake --cores all {path}`")
    return read_data_matrix(path).values


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ising", default="results/data/ising/T2.300.parquet")
    parser.add_argument("--glass", default="results/data/glass/T0.470_r0.parquet")
    parser.add_argument("--subset", type=int, default=300, help="glass particles for the full-search comparison")
    parser.add_argument("--width", type=int, default=8)
    parser.add_argument("--beta", type=float, default=1.0)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} (1 min), one core")

    ising = load(args.ising)
    levels, t_info = timed(coarse_grain, ising, "information", width=args.width, beta=args.beta)
    _, t_proj = timed(coarse_grain, ising, "projection")
    print(f"Ising {ising.shape[0]} x {ising.shape[1]}, all {len(levels)} levels: information {t_info:.1f} s, "
          f"projection {t_proj:.1f} s, ratio {t_info / t_proj:.1f}x (target <= 300 s: "
          f"{'met' if t_info <= 300 else 'not met'})")

    glass = load(args.glass)[:, : args.subset]
    short, t_short = timed(information_pairs, glass, width=args.width, beta=args.beta)
    full, t_full = timed(information_pairs, glass, width=glass.shape[1] - 1, beta=args.beta)
    shared = len(set(map(tuple, short)) & set(map(tuple, full))) / len(full)
    print(f"glass p_hop {glass.shape[0]} frames x {glass.shape[1]} particles, first level: shortlist (width "
          f"{args.width}) {t_short:.2f} s, full search {t_full:.2f} s, speed-up {t_full / t_short:.1f}x, "
          f"pairs shared {shared:.0%}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
