"""Glue: the sensitivity study's analysis of one glass run (rgcoarse.glass.study).

For each reading of p_hop (raw, per-frame mean removed) and each pairing rule: coarse-grain,
M2(K), exponents per fit range, local exponents, the common-mode rho; then the per-frame mean
p_hop against the production thermo series, and the equilibration flag.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
from rgcoarse.coarse.coarse_grain import coarse_grain
from rgcoarse.glass import study as gs
from rgcoarse.io.atomic import write_text
from rgcoarse.io.datamatrix import read_data_matrix
from rgcoarse.io.tables import read_table, write_table
from rgcoarse.pipeline.snakemake_job import job_from_command_line, run_job
from rgcoarse.stats.observables import mean_variance_table


def m2_curves(values, run, logger):
    """M2 table rows (with local exponents) and fit rows of every reading x pairing rule."""
    tables, fits = [], []
    for reading in gs.READINGS:
        data = gs.reading_values(values, reading)
        sigma2, rho_mean = gs.mean_pair_correlation(data)
        for method in run["methods"]:
            levels = coarse_grain(data, method, omega=run["omega"], min_variables=run["min_variables"],
                                  seed=run["seeds"][method], **run["options"][method])
            table = mean_variance_table(data, levels)
            slopes = gs.local_exponents(table)
            rows = gs.level_rows(table)
            row = {"reading": reading, "method": method, "sigma2": sigma2, "rho_mean": rho_mean,
                   "rho_fit": gs.fit_common_mode(rows["cluster_size"], rows["m2"], sigma2)}
            for name, k_max in run["fit_ranges"].items():
                fit = gs.range_exponent(table, k_max, run["min_clusters"])
                row[f"exponent[{name}]"] = fit["exponent"]
                row[f"k_high[{name}]"] = fit["k_high"]
            row["local_exponent_last"] = float(slopes["local_exponent"].iloc[-1])
            fits.append(row)
            merged = table.merge(slopes[["level", "k_mid", "local_exponent"]], on="level", how="left")
            tables.append(merged.assign(reading=reading, method=method))
            logger.info("%s %s: exponents %s, rho_fit %.4g, rho_mean %.4g", reading, method,
                        {k: round(v, 3) for k, v in row.items() if k.startswith("exponent")}, row["rho_fit"], rho_mean)
    return pd.concat(tables, ignore_index=True), fits


def thermo_correlations(values, sample_times, thermo, run):
    """Per-frame mean p_hop against U/N, T_kin and p averaged over each p_hop window."""
    common = np.asarray(values, dtype=np.float64).mean(axis=1)
    rng = np.random.default_rng(run["null_seed"])
    out = {}
    for column, name in gs.THERMO_SIGNALS.items():
        windowed = gs.window_means(thermo["time"], thermo[column], sample_times, run["phop_window"] / 2)
        r, p, null95 = gs.shift_null_correlation(common, windowed, run["null_shifts"], rng)
        out.update({f"r[{name}]": r, f"p[{name}]": p, f"null95[{name}]": null95})
    return out


def main(job, logger):
    run = dict(job.params.run)
    matrix = read_data_matrix(job.input.data)
    thermo, _ = read_table(job.input.thermo)
    summary = json.loads(Path(job.input.summary).read_text())
    dynamics = json.loads(Path(job.input.dynamics).read_text())
    logger.info("%s (data of %s): %d frames x %d particles", run["condition"], run["data_condition"], *matrix.values.shape)
    table, fits = m2_curves(matrix.values, run, logger)
    drift = summary["thermo"]["u_per_n_drift"]
    flag = gs.equilibration_flag(
        equilibrated_protocol=bool(run["protocol"]["equilibrated"]), drift=drift["mean"], drift_error=drift["error"],
        tau_alpha=dynamics["tau_alpha_a"], production=run["production"], drift_sigmas=run["drift_sigmas"],
        tau_alpha_fraction=run["tau_alpha_fraction"])
    common = {key: run[key] for key in ("variant", "label", "temperature", "replica", "condition", "data_condition",
                                         "n_particles", "cutoff_scaling", "thermostat", "thermostat_damping", "production")}
    common.update(
        history=run["protocol"]["start"],
        protocol=run["protocol"]["protocol"],
        aging_time=run["protocol"].get("aging_time", 0.0),
        n_frames=int(matrix.values.shape[0]),
        mean_phop=float(matrix.values.mean()),
        u_per_n=summary["thermo"]["u_per_n"]["mean"],
        u_drift=drift["mean"],
        u_drift_error=drift["error"],
        kinetic_temperature=summary["thermo"]["kinetic_temperature"]["mean"],
        tau_alpha=dynamics["tau_alpha_a"],
        equilibration=flag,
        **thermo_correlations(matrix.values, matrix.metadata["sample_times"], thermo, run),
    )
    logger.info("equilibration: %s; thermo correlations: %s", flag,
                {k: round(v, 3) for k, v in common.items() if k.startswith("r[")})
    write_table(job.output.levels, table.assign(**{k: common[k] for k in ("variant", "temperature", "replica")}), common)
    write_text(job.output.summary, json.dumps({"run": common, "fits": fits}, indent=1, sort_keys=True))


if "snakemake" not in globals():  # by hand: python workflow/scripts/glass_study_run.py results/glass_study/runs/base/T1.000_r0.json
    snakemake = job_from_command_line("glass_study_run")
run_job(snakemake, main)
