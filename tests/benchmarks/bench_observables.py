"""Observables and bootstrap fits: level-by-level sums against the direct recomputation per level.

The baseline (the test oracle, also in tests/test_fits.py) rebuilds every level's cluster sums
from the original data with a sparse membership product, as the pipeline did before; the project
builds each level's sums from the previous level's. Both run here on the same data at the default
size (m = 4000 samples, N = 4096 spins, 200 bootstrap resamples); the script checks that they agree
(to 1e-12) and prints both times, their ratio and the machine's load average. Last, reading a
coarse-graining back: the hierarchy-only table plus the data (values rebuilt, one addition per
pair) against a table that also stores every level's values (read back by the fastest route).

    python tests/benchmarks/bench_observables.py [--samples 4000] [--features 4096] [--resamples 200]
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the oracle
from oracle_observables import (  # noqa: E402
    direct_bootstrap_points,
    direct_mean_variance,
    direct_silence_probability,
)

from rgcoarse.coarse.coarse_grain import coarse_grain  # noqa: E402
from rgcoarse.coarse.levels import levels_from_frame, levels_to_frame  # noqa: E402
from rgcoarse.stats.bootstrap import _resampled_points, bootstrap_exponent
from rgcoarse.stats.observables import (  # noqa: E402
    binarise,
    centred_level_sums,
    cluster_spectrum,
    level_all_silent,
    mean_variance_from_sums,
    mean_variance_table,
    silence_probability_from_masks,
    silence_probability_table,
    spectrum_level,
)
from rgcoarse.coarse.selection import stepwise_cod  # noqa: E402


def stored_levels_round_trip(levels, data, directory: Path) -> tuple[float, float, int, int]:
    """Seconds to read a coarse-graining back as the jobs do: the hierarchy table plus the
    data it rebuilds the values from (the project), against a table that also stores every
    level's values as a list column (the pipeline's format before the hierarchy-only table)."""
    hierarchy = directory / "hierarchy.parquet"
    with_values = directory / "with_values.parquet"
    frame = levels_to_frame(levels)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), hierarchy)
    frame["values"] = [column for level in levels for column in np.ascontiguousarray(level.values.T)]
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), with_values)
    start = time.perf_counter()
    rebuilt = levels_from_frame(pq.read_table(hierarchy).to_pandas(), data)
    project = time.perf_counter() - start
    start = time.perf_counter()
    table = pq.read_table(with_values)
    flat = table.column("values").combine_chunks().values.to_numpy()
    level_of = table.column("level").to_numpy()
    m = data.shape[0]
    stored, offset = [], 0
    for level in np.unique(level_of):
        n = int(np.sum(level_of == level))
        stored.append(flat[offset : offset + n * m].reshape(n, m).T)
        offset += n * m
    baseline = time.perf_counter() - start
    for a, b in zip(rebuilt, stored):
        np.testing.assert_array_equal(a.values, b)  # the same numbers, bit for bit
    return project, baseline, hierarchy.stat().st_size, with_values.stat().st_size


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=4000)
    parser.add_argument("--features", type=int, default=4096)
    parser.add_argument("--resamples", type=int, default=200)
    parser.add_argument("--cod-max-rank", type=int, default=256)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    data = rng.choice([-1.0, 1.0], size=(args.samples, args.features))
    levels = coarse_grain(data, "random", seed=2, omega=2**-0.5, min_variables=4)  # the pairing does not change the cost of the observables
    silent = binarise(data, 0.0)
    print(f"load average {os.getloadavg()[0]:.2f}; m = {args.samples}, N = {args.features}, "
          f"{len(levels)} levels, {args.resamples} resamples")

    table, t_m2 = timed(mean_variance_table, data, levels)
    oracle, t_m2_direct = timed(direct_mean_variance, data, levels)
    np.testing.assert_allclose(table["m2"], oracle["m2"], rtol=1e-12)
    _, t_p0 = timed(silence_probability_table, silent, levels)

    counts = rng.multinomial(args.samples, np.full(args.samples, 1 / args.samples),
                             size=args.resamples).astype(np.float64)
    selected = np.arange(len(table))
    points, t_boot = timed(_resampled_points, data, levels, table, selected, "m2", counts)
    direct, t_boot_direct = timed(direct_bootstrap_points, data, levels, table, selected, "m2", counts)
    np.testing.assert_allclose(points, direct, rtol=1e-12)

    _, t_fit_m2 = timed(bootstrap_exponent, data, levels, "m2", n_resamples=args.resamples, seed=3)
    _, t_fit_p0 = timed(bootstrap_exponent, silent, levels, "p0", n_resamples=args.resamples, seed=3)

    print(f"M2 table:                 level by level {t_m2:7.2f} s   direct {t_m2_direct:7.2f} s   "
          f"ratio {t_m2_direct / t_m2:6.1f}x")
    print(f"bootstrap points (M2):    level by level {t_boot:7.2f} s   direct {t_boot_direct:7.2f} s   "
          f"ratio {t_boot_direct / t_boot:6.1f}x")
    print(f"P0 table {t_p0:.2f} s; full M2 fit {t_fit_m2:.2f} s; full P0 fit {t_fit_p0:.2f} s; results equal to 1e-12")

    # Whole jobs at the default settings (cod_max_rank 256, spectrum at K = 16): the project
    # against the same work done the straightforward way (direct sums per level, per-row
    # bootstrap products, the stepwise COD applying its updates every 64 ranks as before).
    def observables_job(m2, p0, cod_block):
        m2(data, levels)
        p0(silent, levels)
        for level in levels:
            stepwise_cod(level.values, args.cod_max_rank, block_size=cod_block)
        cluster_spectrum(data, levels, spectrum_level(levels, 16))

    def fits_job():  # the project: M2's centred sums built once for its table and its resamples
        sums = list(centred_level_sums(data, levels))
        table = mean_variance_from_sums(levels, sums)
        _resampled_points(data, levels, table, np.arange(len(table)), "m2", counts, sums)
        masks = list(level_all_silent(silent, levels))
        table = silence_probability_from_masks(levels, masks)
        _resampled_points(silent, levels, table, np.arange(len(table)), "p0", counts, masks)

    def fits_job_direct():  # every level's sums from the original data, for the table and again per resample
        for observable, observed, table_of in (("m2", data, direct_mean_variance),
                                               ("p0", silent, direct_silence_probability)):
            table = table_of(observed, levels)
            direct_bootstrap_points(observed, levels, table, np.arange(len(table)), observable, counts)

    stepwise_cod(data[:50, :8])  # compile the numba kernels outside the timings
    _, t_obs = timed(observables_job, mean_variance_table, silence_probability_table, None)
    _, t_obs_direct = timed(observables_job, direct_mean_variance, direct_silence_probability, 64)
    _, t_fit = timed(fits_job)
    _, t_fit_direct = timed(fits_job_direct)
    print(f"observables job:          project {t_obs:7.2f} s   straightforward {t_obs_direct:7.2f} s   "
          f"ratio {t_obs_direct / t_obs:6.1f}x")
    print(f"fits job (M2 + P0):       project {t_fit:7.2f} s   straightforward {t_fit_direct:7.2f} s   "
          f"ratio {t_fit_direct / t_fit:6.1f}x")
    with tempfile.TemporaryDirectory() as directory:
        t_read, t_read_stored, size, size_stored = stored_levels_round_trip(levels, data, Path(directory))
    print(f"levels from the stored table: project {t_read:7.2f} s   stored values {t_read_stored:7.2f} s   "
          f"ratio {t_read_stored / t_read:6.1f}x  (values equal bit for bit); file {size / 2**20:.1f} MiB "
          f"against {size_stored / 2**20:.0f} MiB")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
