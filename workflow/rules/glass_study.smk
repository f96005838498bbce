# The glass sensitivity study (issue 14): Fig. 3's exponents of p_hop against system size,
# protocol, history, waiting time, production length, cutoff, fit range, pairing rule and the
# common mode. Not part of the default run:  snakemake --cores all glass_study
#
#   results/glass_study/runs/{variant}/{run}.parquet   M2(K) and local exponents, every rule and reading
#   results/glass_study/runs/{variant}/{run}.json      the run's exponents, rho, thermo correlations, flags
#   results/glass_study/runs.csv, exponents.csv, claims.md       every run; replica spread; the verdicts
#   results/glass_study/size_scaling.csv                          rho against N among runs alike but for N
#   figures/supp_glass_study_{local_exponent,rho}.{pdf,png,caption.txt}
#
# Variants are glass configs (glass_study.variants); runs are shared with the glass arm
# where they are the same (glass_preparation_owner, glass_data_owner in rgcoarse.pipeline.glass_plan).


rule glass_study:
    """The whole sensitivity study (every variant x temperature x replica, its tables and figures)."""
    input:
        GLASS_STUDY_TABLES + GLASS_STUDY_FIGURES,


rule glass_study_run:
    """One run: coarse-grain its p_hop both ways (raw, per-frame mean removed) with each rule;
    M2(K), exponents per fit range, local exponents, rho, thermo correlations, equilibration flag."""
    input:
        unpack(plan.glass_study_run_input),
    output:
        levels="results/glass_study/runs/{variant}/{run}.parquet",
        summary="results/glass_study/runs/{variant}/{run}.json",
    params:
        run=plan.glass_study_run_params,
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
        mem_mb=plan.glass_study_mem_mb,
        runtime=30,
    script:
        "../scripts/glass_study_run.py"


rule glass_study_summary:
    """Every run's row, the replica spread of each exponent, rho against N, and the claims for Fig. 3b/3c."""
    input:
        runs=plan.glass_study_run_targets("json"),
        levels=plan.glass_study_run_targets("parquet"),
    output:
        runs="results/glass_study/runs.csv",
        exponents="results/glass_study/exponents.csv",
        claims="results/glass_study/claims.md",
        scaling="results/glass_study/size_scaling.csv",
        levels="results/glass_study/levels.parquet",
    params:
        fit_ranges=list(plan.glass_study["fit_ranges"]),
        reference_variant=GLASS_BASE_VARIANT,
    log:
        "logs/glass_study/summary.log",
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    conda:
        "../../envs/rgcoarse.yaml"
    script:
        "../scripts/glass_study_summary.py"


rule glass_study_figures:
    """Local exponent against K for every variant and temperature; rho against T and N."""
    input:
        runs="results/glass_study/runs.csv",
        scaling="results/glass_study/size_scaling.csv",
        levels="results/glass_study/levels.parquet",
    output:
        GLASS_STUDY_FIGURES,
    params:
        dpi=config["figures"]["dpi"],
    log:
        "logs/glass_study/figures.log",
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    conda:
        "../../envs/rgcoarse.yaml"
    script:
        "../scripts/glass_study_figures.py"
