# Coarse-graining, observables and exponent fits: dataset-agnostic, one job per
# (dataset, condition, method), reading only the data matrix of the stage before.


rule coarse_grain:
    """Pair variables level by level with one rule; store every level's variables and memberships."""
    input:
        "results/data/{dataset}/{condition}.parquet",
    output:
        "results/coarse/{dataset}/{condition}/{method}.parquet",
    params:
        omega=config["coarse_graining"]["omega"],
        min_variables=config["coarse_graining"]["min_variables"],
        options=lambda w: plan.pairing_options(w.method),
        seed=plan.coarse_seed,
    log:
        "logs/coarse/{dataset}/{condition}/{method}.log",
    benchmark:
        "benchmarks/coarse/{dataset}/{condition}/{method}.tsv"
    wildcard_constraints:
        method=wildcard_pattern(),
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=plan.analysis_mem_mb,
        runtime=30,
    script:
        "../scripts/coarse_grain.py"


rule level0_cod:
    """Stepwise COD of a condition's own variables: level 0 of every pairing rule, computed once."""
    input:
        "results/data/{dataset}/{condition}.parquet",
    output:
        "results/observables/{dataset}/{condition}/level0_cod.parquet",
    params:
        cod_max_rank=lambda w: plan.cod_max_rank(w.dataset),
    log:
        "logs/observables/{dataset}/{condition}/level0_cod.log",
    benchmark:
        "benchmarks/observables/{dataset}/{condition}/level0_cod.tsv"
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=plan.analysis_mem_mb,
        runtime=30,
    script:
        "../scripts/level0_cod.py"


rule observables:
    """M2(K), P0(K), stepwise COD per level, cluster spectra and nearest-neighbour pair fraction, and the
    power-law exponents of M2, -ln P0 and the COD increment with their intervals (one job: the fits
    reuse the data and levels the observables hold)."""
    input:
        data="results/data/{dataset}/{condition}.parquet",
        levels="results/coarse/{dataset}/{condition}/{method}.parquet",
        level0_cod="results/observables/{dataset}/{condition}/level0_cod.parquet",
    output:
        m2="results/observables/{dataset}/{condition}/{method}/m2.parquet",
        p0="results/observables/{dataset}/{condition}/{method}/p0.parquet",
        cod="results/observables/{dataset}/{condition}/{method}/cod.parquet",
        spectrum="results/observables/{dataset}/{condition}/{method}/spectrum.parquet",
        pairs="results/observables/{dataset}/{condition}/{method}/pairs.parquet",
        fits="results/fits/{dataset}/{condition}/{method}.parquet",
    params:
        silence_threshold=lambda w: plan.silence_threshold(w.dataset),
        cod_max_rank=lambda w: plan.cod_max_rank(w.dataset),
        spectrum_cluster_size=config["observables"]["spectrum_cluster_size"],
        fits=config["fits"],
        time_series=lambda w: plan.is_time_series(w.dataset),
        seed=plan.bootstrap_seed,
    log:
        "logs/observables/{dataset}/{condition}/{method}.log",
    benchmark:
        "benchmarks/observables/{dataset}/{condition}/{method}.tsv"
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=plan.analysis_mem_mb,
        runtime=plan.observables_runtime,  # grows with fits.n_bootstrap (rgcoarse.pipeline.costs)
    script:
        "../scripts/observables.py"


rule null_statistics:
    """Every draw of one null model of one data matrix, coarse-grained by one rule, kept as the claims' statistics."""
    input:
        "results/data/{dataset}/{condition}.parquet",
    output:
        "results/nulls/{dataset}/{condition}/{model}/{method}.parquet",
    params:
        draws=config["nulls"]["draws"],
        omega=config["coarse_graining"]["omega"],
        min_variables=config["coarse_graining"]["min_variables"],
        options=lambda w: plan.pairing_options(w.method),
        silence_threshold=lambda w: plan.silence_threshold(w.dataset),
        cod_max_rank=lambda w: plan.cod_max_rank(w.dataset),
        fit_range=plan.null_fit_range(),
        seed=plan.null_seed,
    log:
        "logs/nulls/{dataset}/{condition}/{model}/{method}.log",
    benchmark:
        "benchmarks/nulls/{dataset}/{condition}/{model}/{method}.tsv"
    wildcard_constraints:
        model=registry_pattern(null_model_names()),
        method=wildcard_pattern(),
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=plan.analysis_mem_mb,
        runtime=plan.null_statistics_runtime,  # grows with nulls.draws (rgcoarse.pipeline.costs)
    script:
        "../scripts/null_statistics.py"


rule exponents_table:
    """Every fitted exponent in one table: results/exponents.{parquet,csv}."""
    input:
        fits=plan.fit_files(),
        nulls=plan.null_statistics_files(),
    output:
        parquet="results/exponents.parquet",
        csv=report(
            "results/exponents.csv",
            caption="../report/exponents.rst",
            category=REPORT_TABLES,
            labels={"table": "exponents"},
        ),
    log:
        "logs/exponents_table.log",
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/exponents_table.py"

