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

The exponent is biased by greedy selection, so its interval cannot cover 0; the statistic the
exponents table gives with an interval that can is the **excess over the selection-bias null**
(:func:`rgcoarse.stats.controls.excess_over_null`): the exponent minus the mean of the same fit on
``--draws`` draws of the pipeline's ``shift`` null of the same matrix (each column circularly
shifted), with the t prediction interval. Its population value is 0 for independent columns; the
script prints its coverage of 0 and the interval's half-width, first with the plain shift mean,
then (as the exponents table computes it) with the mean extrapolated past the shift's seam bias
from ``--draws`` draws of the seam control (:func:`rgcoarse.datasets.nulls.three_seam_series`).

    python tests/benchmarks/bench_cod_coverage.py [--replications 2000] [--features 128] [--draws 19] [--case N]
"""

import argparse
import time

import numpy as np
from rgcoarse.coarse.selection import stepwise_cod
from rgcoarse.datasets.nulls import null_matrix, seam_control_matrix
from rgcoarse.stats.controls import excess_over_null
from rgcoarse.stats.fits import fit_cod_increment
from rgcoarse.stats.null_draws import seam_statistic
from scipy import stats
from scipy.signal import lfilter

# (label, frames, tau_int in frames): as bench_coverage.CASES
CASES = (("glass T = 1.0", 1181, 7.4), ("glass T = 0.4", 1181, 25.1), ("glass T = 0.47", 1181, 41.3))
MAX_RANK, RANK_RANGE, BURN_IN = 64, (1, 32), 200


def ar1_columns(rng, frames, n, tau):
    phi = (2 * tau - 1) / (2 * tau + 1)  # Sokal: tau = (1 + phi) / (2 (1 - phi))
    return lfilter([1.0], [1.0, -phi], rng.standard_normal((frames + BURN_IN, n)), axis=0)[BURN_IN:]


def cod_exponent(values):
    cod = stepwise_cod(values, MAX_RANK)
    return fit_cod_increment(cod["rank"], cod["cod_increment"], r_min=RANK_RANGE[0], r_max=RANK_RANGE[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=2000)
    parser.add_argument("--features", type=int, default=128)
    parser.add_argument("--draws", type=int, default=19, help="shift-null draws per replication (nulls.draws)")
    parser.add_argument("--seed", type=int, default=24)
    parser.add_argument("--case", type=int, choices=range(len(CASES)), help="run one case only (0-based)")
    args = parser.parse_args()
    print(f"N = {args.features} independent AR(1) columns, ranks {RANK_RANGE[0]}-{RANK_RANGE[1]} of {MAX_RANK}, "
          f"{args.replications} replications, {args.draws} shift draws each; population exponent 0, population excess 0")
    print("case | mean exponent | replication SD | mean interval half-width | covers 0 | covers the mean | "
          "plain excess: mean | half-width | covers 0 | seam-corrected excess: mean | half-width | covers 0 | s")
    for label, frames, tau in CASES if args.case is None else CASES[args.case:args.case + 1]:
        rng = np.random.default_rng([args.seed, frames, int(10 * tau)])
        start = time.perf_counter()
        estimates, half_widths, excess, corrected = [], [], [], []
        for replication in range(args.replications):
            values = ar1_columns(rng, frames, args.features, tau)
            fit = cod_exponent(values)
            estimates.append(fit.exponent)
            half_widths.append(stats.t.ppf(0.975, fit.n_points - 2) * fit.slope_stderr)
            draws = [cod_exponent(null_matrix(values, "shift", int(rng.integers(2**32)))).exponent
                     for _ in range(args.draws)]
            seams = [seam_statistic(seam_control_matrix(values, "shift", int(rng.integers(2**32))), RANK_RANGE)
                     for _ in range(args.draws)]
            excess.append(excess_over_null(fit.exponent, draws))
            corrected.append(excess_over_null(fit.exponent, draws, seam_values=seams))
        estimates, half_widths = np.array(estimates), np.array(half_widths)
        mean = estimates.mean()
        covers_zero = np.mean(np.abs(estimates) <= half_widths)
        covers_mean = np.mean(np.abs(estimates - mean) <= half_widths)
        columns = " | ".join(_excess_columns(results) for results in (excess, corrected))
        print(f"{label} (tau_int {tau}) | {mean:+.3f} | {estimates.std(ddof=1):.4f} | {half_widths.mean():.4f} | "
              f"{covers_zero:.3f} | {covers_mean:.3f} | {columns} | {time.perf_counter() - start:.0f}", flush=True)


def _excess_columns(results) -> str:
    low, high = (np.array([e[key] for e in results]) for key in ("excess_low", "excess_high"))
    return f"{np.mean((low + high) / 2):+.4f} | {np.mean((high - low) / 2):.4f} | {np.mean((low <= 0) & (0 <= high)):.3f}"


if __name__ == "__main__":
    main()
