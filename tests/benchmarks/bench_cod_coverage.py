"""Coverage of the COD-increment exponent's 95% interval on independent AR(1) columns (issue 24, point 4).

Each replication draws N independent AR(1) columns of the glass series' length and
autocorrelation time (as ``bench_coverage.py``), runs the pipeline's stepwise selection up to
rank 64 and fits the COD-increment power law over ranks 1-32 exactly as the exponents table does
(:func:`rgcoarse.stats.fits.fit_cod_increment`, interval: slope +- t(0.975, n - 2) x the
regression's standard error). For independent columns of equal variance every rank explains the
same share in the population, so the population exponent is 0. The script prints how often the
interval covers 0 and how often it covers the statistic's own expectation (the mean over the
replications), beside the bias and the replication spread, so the two failures an interval can
have (off-centre, too narrow) are told apart.

    python tests/benchmarks/bench_cod_coverage.py [--replications 2000] [--features 128]
"""

import argparse
import time

import numpy as np
from rgcoarse.coarse.selection import stepwise_cod
from rgcoarse.stats.fits import fit_cod_increment
from scipy import stats
from scipy.signal import lfilter

# (label, frames, tau_int in frames): as bench_coverage.CASES
CASES = (("glass T = 1.0", 1181, 7.4), ("glass T = 0.4", 1181, 25.1), ("glass T = 0.47", 1181, 41.3))
MAX_RANK, RANK_RANGE, BURN_IN = 64, (1, 32), 200


def ar1_columns(rng, frames, n, tau):
    phi = (2 * tau - 1) / (2 * tau + 1)  # Sokal: tau = (1 + phi) / (2 (1 - phi))
    return lfilter([1.0], [1.0, -phi], rng.standard_normal((frames + BURN_IN, n)), axis=0)[BURN_IN:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=2000)
    parser.add_argument("--features", type=int, default=128)
    parser.add_argument("--seed", type=int, default=24)
    args = parser.parse_args()
    print(f"N = {args.features} independent AR(1) columns, ranks {RANK_RANGE[0]}-{RANK_RANGE[1]} of {MAX_RANK}, "
          f"{args.replications} replications; population exponent 0")
    print("case | mean exponent | replication SD | mean interval half-width | covers 0 | covers the mean | s")
    for label, frames, tau in CASES:
        rng = np.random.default_rng([args.seed, frames, int(10 * tau)])
        start = time.perf_counter()
        estimates, half_widths = [], []
        for _ in range(args.replications):
            cod = stepwise_cod(ar1_columns(rng, frames, args.features, tau), MAX_RANK)
            fit = fit_cod_increment(cod["rank"], cod["cod_increment"], r_min=RANK_RANGE[0], r_max=RANK_RANGE[1])
            estimates.append(fit.exponent)
            half_widths.append(stats.t.ppf(0.975, fit.n_points - 2) * fit.slope_stderr)
        estimates, half_widths = np.array(estimates), np.array(half_widths)
        mean = estimates.mean()
        covers_zero = np.mean(np.abs(estimates) <= half_widths)
        covers_mean = np.mean(np.abs(estimates - mean) <= half_widths)
        print(f"{label} (tau_int {tau}) | {mean:+.3f} | {estimates.std(ddof=1):.4f} | {half_widths.mean():.4f} | "
              f"{covers_zero:.3f} | {covers_mean:.3f} | {time.perf_counter() - start:.0f}")


if __name__ == "__main__":
    main()
