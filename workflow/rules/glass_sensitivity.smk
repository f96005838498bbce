# The glass sensitivity study (issue 14): Fig. 3's exponents of p_hop against system size,
# protocol, history, waiting time, production length, cutoff, fit range, pairing rule and the
# common mode. Not part of the default run:  snakemake --cores all glass_sensitivity
#
#   results/glass_study/runs/{variant}/{run}.parquet   M2(K) and local exponents, every rule and reading
#   results/glass_study/runs/{variant}/{run}.json      the run's exponents, rho, thermo correlations, flags
#   results/glass_study/runs.csv, exponents.csv, claims.md       every run; replica spread; the verdicts
#   figures/supp_glass_study_{local_exponent,rho}.{pdf,png,caption.txt}
#
# Variants are glass configs (glass_sensitivity.variants); runs are shared with the glass arm
# where they are the same (glass_preparation_owner, glass_data_owner in glass_common.smk).


def glass_study_run_input(wildcards):
    owner = glass_data_owner(glass_condition(wildcards.variant, *_glass_split(wildcards.run)))
    return {
        "data": f"results/data/glass/{owner}.parquet",
        "thermo": f"results/glass/{owner}/production_thermo.parquet",
        "summary": f"results/glass/{owner}/summary.json",
        "dynamics": f"results/glass/{owner}/dynamics.json",
    }


def glass_study_run_params(wildcards):
    """What the analysis of one run needs to know about it and about the study."""
    temperature, replica = _glass_split(wildcards.run)
    condition = glass_condition(wildcards.variant, temperature, replica)
    glass, settings = glass_config(condition), glass_settings(condition)
    production = glass_production_stage(condition)
    return {
        "variant": wildcards.variant,
        "label": (GLASS_STUDY["variants"][wildcards.variant] or {}).get("label", wildcards.variant),
        "temperature": temperature,
        "replica": replica,
        "condition": condition,
        "data_condition": glass_data_owner(condition),
        "n_particles": glass["n_particles"],
        "cutoff_scaling": glass["cutoff_scaling"],
        "thermostat": production["thermostat"],
        "thermostat_damping": production["thermostat_damping"],
        "production": float(settings["production"]),
        "protocol": glass_protocol(condition),
        "phop_window": glass["phop_window"],
        "methods": list(GLASS_STUDY["methods"]),
        "options": {method: pairing_options(method) for method in GLASS_STUDY["methods"]},
        "seeds": {method: derive_seed(config["seed"], "glass_study", condition, method) for method in GLASS_STUDY["methods"]},
        "null_seed": derive_seed(config["seed"], "glass_study", condition, "thermo_null"),
        "omega": config["coarse_graining"]["omega"],
        "min_variables": config["coarse_graining"]["min_variables"],
        "fit_ranges": dict(GLASS_STUDY["fit_ranges"]),
        "min_clusters": GLASS_STUDY["min_clusters"],
        "null_shifts": GLASS_STUDY["null_shifts"],
        "drift_sigmas": GLASS_STUDY["drift_sigmas"],
        "tau_alpha_fraction": GLASS_STUDY["tau_alpha_fraction"],
    }


def glass_study_mem_mb(wildcards):
    """Projection pairing holds about four N x N float64 matrices, plus 1 GB."""
    n = glass_config(glass_condition(wildcards.variant, *_glass_split(wildcards.run)))["n_particles"]
    return 1000 + math.ceil(32 * n * n / 1e6)


def glass_study_run_targets():
    return [
        f"results/glass_study/runs/{variant}/{replica_condition(t, r)}.{ext}"
        for (variant, t, r) in glass_study_conditions()
        for ext in ("parquet", "json")
    ]


GLASS_STUDY_TABLES = ["results/glass_study/runs.csv", "results/glass_study/exponents.csv", "results/glass_study/claims.md"]
# Per figure: pdf, png, caption (the order the figure script writes them in).
GLASS_STUDY_FIGURES = [f"figures/supp_glass_study_{name}.{ext}" for name in ("local_exponent", "rho") for ext in ("pdf", "png", "caption.txt")]


rule glass_sensitivity:
    """The whole sensitivity study (every variant x temperature x replica, its tables and figures)."""
    input:
        GLASS_STUDY_TABLES + GLASS_STUDY_FIGURES,


rule glass_study_run:
    """One run: coarse-grain its p_hop both ways (raw, per-frame mean removed) with each rule;
    M2(K), exponents per fit range, local exponents, rho, thermo correlations, equilibration flag."""
    input:
        unpack(glass_study_run_input),
    output:
        levels="results/glass_study/runs/{variant}/{run}.parquet",
        summary="results/glass_study/runs/{variant}/{run}.json",
    params:
        run=glass_study_run_params,
    log:
        "logs/glass_study/{variant}/{run}.log",
    benchmark:
        "benchmarks/glass_study/{variant}/{run}.tsv"
    wildcard_constraints:
        variant=r"[A-Za-z0-9_]+",
        run=GLASS_RUN,
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=glass_study_mem_mb,
        runtime=30,
    script:
        "../scripts/glass_study_run.py"


rule glass_study_summary:
    """Every run's row, the replica spread of each exponent, and the claims for Fig. 3b/3c."""
    input:
        runs=[f"results/glass_study/runs/{variant}/{replica_condition(t, r)}.json" for (variant, t, r) in glass_study_conditions()],
        levels=[f"results/glass_study/runs/{variant}/{replica_condition(t, r)}.parquet" for (variant, t, r) in glass_study_conditions()],
    output:
        runs="results/glass_study/runs.csv",
        exponents="results/glass_study/exponents.csv",
        claims="results/glass_study/claims.md",
        levels="results/glass_study/levels.parquet",
    params:
        fit_ranges=list(GLASS_STUDY["fit_ranges"]),
        reference_variant=GLASS_BASE_VARIANT,
    log:
        "logs/glass_study/summary.log",
    conda:
        "../../envs/rgcoarse.yaml"
    script:
        "../scripts/glass_study_summary.py"


rule glass_study_figures:
    """Local exponent against K for every variant and temperature; rho against T and N."""
    input:
        runs="results/glass_study/runs.csv",
        levels="results/glass_study/levels.parquet",
    output:
        GLASS_STUDY_FIGURES,
    params:
        dpi=config["figures"]["dpi"],
    log:
        "logs/glass_study/figures.log",
    conda:
        "../../envs/rgcoarse.yaml"
    script:
        "../scripts/glass_study_figures.py"
