"""Benchmark of the Ising Monte Carlo kernels (not collected by pytest).

1. Metropolis throughput, in spin-flip attempts per ns on one core, of the
   project's numba kernel against a plain NumPy checkerboard Metropolis, measured
   in the same run at the same temperature and lattice size; prints the ratio.
2. Wall time of generating a default Ising data set (one ``simulate_ising`` call
   per temperature) spread over worker processes; prints total and per-temperature
   times.

Run:  .venv/bin/python tests/benchmarks/bench_ising.py [--help]
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

os.environ.setdefault("NUMBA_NUM_THREADS", "1")  # one core per process, before numba loads

import numpy as np  # noqa: E402

from rgcoarse.ising import metropolis_sweeps, new_rng_state, simulate_ising  # noqa: E402

DEFAULT_TEMPERATURES = [1.5, 2.0, 2.2, 2.25, 2.3, 2.35, 2.4, 2.5, 3.0, 4.0, 5.0, 9.5]


def numpy_checkerboard_sweeps(spins: np.ndarray, beta: float, n_sweeps: int, rng: np.random.Generator) -> None:
    """Baseline: vectorised checkerboard Metropolis with a precomputed acceptance table."""
    size = spins.shape[0]
    rows, cols = np.indices((size, size))
    sublattices = [((rows + cols) % 2) == parity for parity in (0, 1)]
    acceptance = np.minimum(1.0, np.exp(-2.0 * beta * np.arange(-4, 5, 2)))
    for _ in range(n_sweeps):
        for sublattice in sublattices:
            field = np.roll(spins, 1, 0) + np.roll(spins, -1, 0) + np.roll(spins, 1, 1) + np.roll(spins, -1, 1)
            probability = acceptance[(spins * field + 4) // 2]
            flip = sublattice & (rng.random((size, size)) < probability)
            spins[flip] *= -1


def best_time(run, repeats: int) -> tuple[float, float]:
    """Best wall-clock and best process-CPU time over ``repeats`` calls of ``run()``."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall0)
        cpus.append(time.process_time() - cpu0)
    return min(walls), min(cpus)


def benchmark_metropolis(temperature: float, size: int, sweeps: int, baseline_sweeps: int, repeats: int) -> None:
    beta = 1.0 / temperature
    attempts = size * size
    spins = np.ones((size, size), dtype=np.int8)
    state = new_rng_state(1)
    metropolis_sweeps(spins, beta, 200, state)  # compile (or load the cache) and equilibrate a little
    wall, cpu = best_time(lambda: metropolis_sweeps(spins, beta, sweeps, state), repeats)
    project = (sweeps * attempts / wall / 1e9, sweeps * attempts / cpu / 1e9)

    spins_np = np.ones((size, size), dtype=np.int8)
    rng = np.random.default_rng(1)
    numpy_checkerboard_sweeps(spins_np, beta, 20, rng)
    wall, cpu = best_time(lambda: numpy_checkerboard_sweeps(spins_np, beta, baseline_sweeps, rng), repeats)
    baseline = (baseline_sweeps * attempts / wall / 1e9, baseline_sweeps * attempts / cpu / 1e9)

    print(f"Metropolis, T = {temperature}, L = {size}, one thread (best of {repeats}):")
    print(f"  project numba kernel : {project[0]:.3f} attempts/ns wall, {project[1]:.3f} attempts/ns CPU")
    print(f"  NumPy checkerboard   : {baseline[0]:.4f} attempts/ns wall, {baseline[1]:.4f} attempts/ns CPU")
    print(f"  ratio                : {project[0] / baseline[0]:.1f}x wall, {project[1] / baseline[1]:.1f}x CPU")


def one_temperature(temperature: float, size: int, n_samples: int, seed: int) -> tuple[float, float, dict]:
    start = time.perf_counter()
    run = simulate_ising(temperature, size, n_samples, seed)
    return temperature, time.perf_counter() - start, run.metadata


def benchmark_dataset(temperatures: list[float], size: int, n_samples: int, workers: int, seed: int) -> None:
    print(f"\nDataset: {len(temperatures)} temperatures, L = {size}, n_samples = {n_samples}, {workers} workers")
    start = time.perf_counter()
    results = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(one_temperature, t, size, n_samples, seed + i) for i, t in enumerate(temperatures)]
        for future in as_completed(futures):
            results.append(future.result())
    total = time.perf_counter() - start
    print(f"  {'T':>6} {'algorithm':>10} {'tau_E':>7} {'tau_|m|':>7} {'sweeps/sample':>13} {'<C>':>8} {'time [s]':>9}")
    for temperature, elapsed, md in sorted(results):
        cluster = f"{md['mean_cluster_size']:.0f}" if md["mean_cluster_size"] is not None else "-"
        print(
            f"  {temperature:6.3f} {md['algorithm']:>10} {md['tau_int_energy']:7.2f} {md['tau_int_abs_m']:7.2f}"
            f" {md['sweeps_between_samples']:13d} {cluster:>8} {elapsed:9.2f}"
        )
    print(f"  total wall time: {total:.1f} s (sum of per-temperature times {sum(r[1] for r in results):.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--temperature", type=float, default=2.27, help="kernel benchmark temperature")
    parser.add_argument("--lattice-size", type=int, default=64)
    parser.add_argument("--sweeps", type=int, default=2000, help="numba kernel sweeps per timing")
    parser.add_argument("--baseline-sweeps", type=int, default=200, help="NumPy baseline sweeps per timing")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--temperatures", type=float, nargs="+", default=DEFAULT_TEMPERATURES)
    parser.add_argument("--n-samples", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--skip-dataset", action="store_true")
    args = parser.parse_args()

    benchmark_metropolis(args.temperature, args.lattice_size, args.sweeps, args.baseline_sweeps, args.repeats)
    if not args.skip_dataset:
        benchmark_dataset(args.temperatures, args.lattice_size, args.n_samples, args.workers, args.seed)


if __name__ == "__main__":
    main()
