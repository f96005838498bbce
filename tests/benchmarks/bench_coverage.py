"""Coverage of the exponents' 95% intervals on time series like the glass's p_hop (issue 24, point 4).

Each replication draws N independent AR(1) columns of the glass series' length with the
autocorrelation time measured on the glass data at one temperature, pairs them at random (so the
true M2 exponent is exactly 1; silent below the 90% quantile, as most p_hop values are below the
hop threshold, the true P0 exponent is 1 too: P0(K) = 0.9^K),
and fits both exponents with the pipeline's own block bootstrap (block length
``ceil(block_factor x tau_int)`` from the measured tau_int). It counts how often the interval covers
1, for the pipeline's interval (a t interval over the number of blocks) and, in the same run, for
the percentile interval it replaced. The binomial spread of a coverage of 0.95 at 2,000
replications is 0.005.

    python tests/benchmarks/bench_coverage.py [--replications 2000] [--features 256] [--resamples 200]
"""

import argparse
import time

import numpy as np
from scipy.signal import lfilter

from rgcoarse.coarse.coarse_grain import coarse_grain
from rgcoarse.stats.bootstrap import (
    _resampled_points,
    _transform,
    block_bootstrap_counts,
    block_interval,
    series_block_length,
)
from rgcoarse.stats.fits import fit_power_law, select_fit_range
from rgcoarse.stats.linefit import fit_lines
from rgcoarse.stats.observables import (
    binarise,
    centred_level_sums,
    level_all_silent,
    mean_variance_from_sums,
    silence_probability_from_masks,
)

# (label, frames, tau_int in frames): the default run's glass series (1181 frames) at T = 1.0, 0.4
# and 0.47 (tau_int measured there: 7.4, 25.1, 41.3), and the AR(1) case phi = 0.9, n = 600.
CASES = (("glass T = 1.0", 1181, 7.4), ("glass T = 0.4", 1181, 25.1), ("glass T = 0.47", 1181, 41.3),
         ("phi = 0.9, n = 600", 600, 9.5))


SILENT_BELOW = 1.2815515655446004  # the standard normal's 90% quantile: each column silent 90% of the time


def phi_of(tau: float) -> float:
    """AR(1) coefficient of an integrated autocorrelation time (Sokal: tau = (1 + phi) / (2 (1 - phi)))."""
    return (2 * tau - 1) / (2 * tau + 1)


def intervals(values, levels, observable, block, resamples, rng, confidence=0.95):
    """(point, t interval, percentile interval) of one exponent, exactly as bootstrap_exponent builds them."""
    if observable == "m2":
        per_level = list(centred_level_sums(values, levels))
        table = mean_variance_from_sums(levels, per_level)
    else:
        per_level = list(level_all_silent(values, levels))
        table = silence_probability_from_masks(levels, per_level)
    keep = select_fit_range(table["cluster_size"], table["n_clusters"], k_min=1, min_clusters=16)
    fitted = _transform(observable, table[observable].to_numpy(float))
    keep &= np.isfinite(fitted) & (fitted > 0)
    selected = np.flatnonzero(keep)
    k = table["cluster_size"].to_numpy(float)[selected]
    point = fit_power_law(k, fitted[selected]).exponent
    counts = block_bootstrap_counts(values.shape[0], block, resamples, rng)
    resampled = _transform(observable, _resampled_points(values, levels, table, selected, observable, counts, per_level))
    valid = np.all(np.isfinite(resampled) & (resampled > 0), axis=1)
    slopes, _ = fit_lines(np.log(k), np.log(resampled[valid]))
    t_interval = block_interval(point, slopes, values.shape[0] // block, confidence)
    percentile = tuple(np.percentile(slopes, [2.5, 97.5]))
    return point, t_interval, percentile


def run_case(frames, tau, replications, features, resamples, block_factor, seed):
    rng = np.random.default_rng(seed)
    phi = phi_of(tau)
    covered = {(o, kind): 0 for o in ("m2", "p0") for kind in ("t", "percentile")}
    taus, blocks = [], []
    for _ in range(replications):
        noise = rng.standard_normal((frames, features)) * np.sqrt(1 - phi**2)
        values = lfilter([1.0], [1.0, -phi], noise, axis=0)
        levels = coarse_grain(values, "random", omega=2**-0.5, min_variables=2, seed=int(rng.integers(1 << 30)))
        measured, block = series_block_length(values, block_factor=block_factor)
        taus.append(measured)
        blocks.append(frames // block)
        for observable, observed in (("m2", values), ("p0", binarise(values, SILENT_BELOW))):
            _, t_interval, percentile = intervals(observed, levels, observable, block, resamples, rng)
            covered[(observable, "t")] += t_interval[0] <= 1.0 <= t_interval[1]
            covered[(observable, "percentile")] += percentile[0] <= 1.0 <= percentile[1]
    return {key: value / replications for key, value in covered.items()}, float(np.median(taus)), int(np.median(blocks))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replications", type=int, default=2000)
    parser.add_argument("--features", type=int, default=256, help="N independent columns (random pairing)")
    parser.add_argument("--resamples", type=int, default=200)
    parser.add_argument("--block-factor", type=float, default=6.0, help="the config's fits.block_factor")
    args = parser.parse_args()
    print(f"{args.replications} replications, N = {args.features} columns, {args.resamples} resamples, "
          f"block factor {args.block_factor:g}; nominal coverage 0.95")
    print("| case | frames | tau_int (true / measured median) | blocks (median) | M2: t | M2: percentile | "
          "P0: t | P0: percentile |")
    print("|---|---|---|---|---|---|---|---|")
    for i, (label, frames, tau) in enumerate(CASES):
        start = time.perf_counter()
        coverage, measured, blocks = run_case(frames, tau, args.replications, args.features, args.resamples,
                                              args.block_factor, seed=20261206 + i)
        print(f"| {label} | {frames} | {tau:g} / {measured:.1f} | {blocks} | {coverage[('m2', 't')]:.3f} | "
              f"{coverage[('m2', 'percentile')]:.3f} | {coverage[('p0', 't')]:.3f} | "
              f"{coverage[('p0', 'percentile')]:.3f} |  ({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
