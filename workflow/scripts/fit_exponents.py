"""Glue: fit the scaling exponents of one coarse-graining (M2, -ln P0, COD increment)."""

import argparse

import numpy as np
import pandas as pd

from rgcoarse.coarse_grain import levels_from_frame
from rgcoarse.datamatrix import read_data_matrix
from rgcoarse.fits import bootstrap_exponent, fit_cod_increment
from rgcoarse.joblog import job_logger
from rgcoarse.observables import binarise
from rgcoarse.tables import read_table, write_table


def cod_fit_row(cod: pd.DataFrame, rank_range):
    """Power law of the level-0 COD increment against rank (a point estimate: no bootstrap)."""
    level0 = cod[cod["level"] == 0]
    fit = fit_cod_increment(level0["rank"], level0["delta_cod"], r_min=rank_range[0], r_max=rank_range[1])
    return {
        "observable": "cod_increment",
        "exponent": fit.exponent,
        "prefactor": fit.prefactor,
        "ci_low": fit.exponent,
        "ci_high": fit.exponent,
        "ci_method": f"none (point estimate; log-log r^2 = {fit.r_squared:.3f})",
        "fit_min": fit.fit_min,
        "fit_max": fit.fit_max,
        "n_points": fit.n_points,
        "n_resamples": 0,
        "status": fit.status,
    }


def main(data_path, levels_path, cod_path, output, fits, silence_threshold, seed, log_path=None):
    logger = job_logger("fit_exponents", log_path)
    matrix = read_data_matrix(data_path)
    data = matrix.values.astype(np.float64)
    levels_frame, metadata = read_table(levels_path)
    levels = levels_from_frame(levels_frame)
    rule = dict(k_min=fits["k_min"], min_clusters=fits["min_clusters"], n_resamples=fits["n_bootstrap"],
                confidence=fits["confidence"])
    rows = []
    for observable, observed in (("m2", data), ("p0", binarise(data, silence_threshold))):
        estimate = bootstrap_exponent(observed, levels, observable, seed=seed, **rule)
        row = estimate.as_dict()
        row["ci_method"] = f"bootstrap over samples, {estimate.n_resamples} resamples, percentile"
        rows.append(row)
        logger.info("%s: %s", observable, row)
    rows.append(cod_fit_row(read_table(cod_path)[0], fits["cod_rank_range"]))
    identity = {
        "dataset": matrix.metadata.get("dataset", "unknown"),
        "condition": metadata.get("condition", ""),
        "method": metadata["method"],
        "temperature": float(matrix.metadata.get("temperature", np.nan)),
        "n_samples": matrix.n_samples,
        "n_features": matrix.n_features,
    }
    table = pd.DataFrame([{**identity, **row} for row in rows])
    write_table(output, table, {"fits": fits, "seed": seed, "silence_threshold": silence_threshold})
    logger.info("wrote %s", output)


if "snakemake" in globals():
    i, p = snakemake.input, snakemake.params
    main(i.data, i.levels, i.cod, snakemake.output[0], dict(p.fits), p.silence_threshold, p.seed, snakemake.log[0])
elif __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data")
    parser.add_argument("levels")
    parser.add_argument("cod")
    parser.add_argument("output")
    parser.add_argument("--k-min", type=int, default=1)
    parser.add_argument("--min-clusters", type=int, default=16)
    parser.add_argument("--n-bootstrap", type=int, default=200)
    parser.add_argument("--confidence", type=float, default=0.95)
    parser.add_argument("--cod-rank-range", type=int, nargs=2, default=[1, 32])
    parser.add_argument("--silence-threshold", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    a = parser.parse_args()
    fits = dict(k_min=a.k_min, min_clusters=a.min_clusters, n_bootstrap=a.n_bootstrap, confidence=a.confidence,
                cod_rank_range=a.cod_rank_range)
    main(a.data, a.levels, a.cod, a.output, fits, a.silence_threshold, a.seed)
