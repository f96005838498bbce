"""Benchmark of the projection pairing rule (not collected by pytest).

1. ``coarse_grain(..., "projection")`` through all levels at N features x m samples on
   one core: wall time and peak memory (tracemalloc peak of Python/NumPy allocations
   and the process's peak resident set size).
2. At a smaller N, in the same run: the project's first-level projection pairing
   against a straightforward implementation of the same rule that recomputes each
   candidate's projection error with ``numpy.linalg.lstsq``. The naive rule is timed
   on a few steps spread over the level (each started from the project's choices, which
   the naive step must reproduce) and its total is extrapolated by the trapezoid rule
   over the step index; the output says so.

Usage::

    .venv/bin/python tests/benchmarks/bench_projection.py
    .venv/bin/python tests/benchmarks/bench_projection.py --n-features 1024 --n-samples 1000
"""

import os

# One core: set before NumPy/numba load their thread pools.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402

from rgcoarse.coarse.coarse_grain import coarse_grain  # noqa: E402
from rgcoarse.coarse.pairing import projection_pairs  # noqa: E402
from rgcoarse.coarse.selection import standardised_columns  # noqa: E402


def correlated_gaussian(n_samples: int, n_features: int, seed: int) -> np.ndarray:
    """Gaussian data with short-range correlations along the feature index (a 1-D chain)."""
    rng = np.random.default_rng(seed)
    white = rng.normal(size=(n_samples, n_features + 4))
    kernel = np.array([0.25, 0.5, 1.0, 0.5, 0.25])
    return sum(kernel[i] * white[:, i : i + n_features] for i in range(5))


def naive_step(z: np.ndarray, features: list, free: list) -> tuple[int, int]:
    """One step of the index-order rule by least squares over every candidate partner."""
    a = free[0]
    best, partner = np.inf, -1
    for b in free[1:]:
        basis = np.column_stack(features + [z[:, a] + z[:, b]])
        coef, *_ = np.linalg.lstsq(basis, z, rcond=None)
        error = float(np.sum((z - basis @ coef) ** 2))
        if error < best:
            best, partner = error, b
    return a, partner


def bench_full(n_features: int, n_samples: int, seed: int, order: str) -> None:
    data = correlated_gaussian(n_samples, n_features, seed)
    tracemalloc.start()
    start = time.perf_counter()
    levels = coarse_grain(data, "projection", order=order, omega=2**-0.5, min_variables=4)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # KiB on Linux
    print(f"[full] projection ({order}) through {len(levels) - 1} levels, N={n_features}, m={n_samples}, one core")
    print(f"[full]   wall time        {elapsed:8.2f} s   (target <= 10 s; load average {os.getloadavg()[0]:.2f})")
    print(f"[full]   tracemalloc peak {peak / 2**30:8.3f} GiB (NumPy + Python allocations during coarse-graining)")
    print(f"[full]   peak RSS         {rss_gib:8.3f} GiB (whole process, includes the input data; target <= 4 GiB)")


def bench_ratio(n_features: int, n_samples: int, seed: int, n_naive_steps: int) -> None:
    data = correlated_gaussian(n_samples, n_features, seed + 1)
    start = time.perf_counter()
    pairs = projection_pairs(data, "index")
    project_time = time.perf_counter() - start

    z = standardised_columns(data)
    n_steps = n_features // 2
    sampled = np.unique(np.linspace(0, n_steps - 1, n_naive_steps).round().astype(int))
    step_times = []
    for step in sampled:
        # Start the naive step from the project's first `step` pairs (same rule, same state).
        features = [z[:, a] + z[:, b] for a, b in pairs[:step]]
        used = set(pairs[:step].ravel().tolist())
        free = [v for v in range(n_features) if v not in used]
        t0 = time.perf_counter()
        choice = naive_step(z, features, free)
        step_times.append(time.perf_counter() - t0)
        agree = "agrees" if tuple(pairs[step]) == tuple(sorted(choice)) else f"DIFFERS {tuple(pairs[step])}"
        print(f"[ratio]   naive step {step:4d}: {step_times[-1]:7.3f} s, pair {choice} {agree}")
    naive_total = np.trapezoid(step_times, sampled) + 0.5 * (step_times[0] + step_times[-1])
    print(f"[ratio] N={n_features}, m={n_samples}, first level (index order), one core")
    print(f"[ratio]   project (blocked G/R updates) {project_time:10.3f} s (measured, all {n_steps} steps)")
    print(
        f"[ratio]   naive lstsq per candidate     {naive_total:10.1f} s "
        f"(EXTRAPOLATED from {sampled.size} timed steps over {n_steps})"
    )
    print(f"[ratio]   speed-up                      {naive_total / project_time:10.0f} x   (target >= 50 x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n-features", type=int, default=4096)
    parser.add_argument("--n-samples", type=int, default=4000)
    parser.add_argument("--order", choices=["index", "greedy"], default="index")
    parser.add_argument("--ratio-features", type=int, default=512)
    parser.add_argument("--ratio-samples", type=int, default=1000)
    parser.add_argument("--naive-steps", type=int, default=5, help="naive steps timed for the extrapolation")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-full", action="store_true")
    parser.add_argument("--skip-ratio", action="store_true")
    args = parser.parse_args()
    if not args.skip_ratio:
        bench_ratio(args.ratio_features, args.ratio_samples, args.seed, max(2, args.naive_steps))
    if not args.skip_full:
        bench_full(args.n_features, args.n_samples, args.seed, args.order)


if __name__ == "__main__":
    main()
