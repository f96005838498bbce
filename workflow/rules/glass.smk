# Kob-Andersen glass arm: the rules (helpers in glass_common.smk).


rule ka_prepare:
    """Equilibrate at T from a random start (minimisation, NVT), or start from another T's
    equilibrated configuration and equilibrate (or quench and age) at T. LAMMPS, restartable."""
    input:
        glass_preparation_input,
    output:
        data="results/ka/{condition}/equilibrated.data",
        thermo="results/ka/{condition}/equilibration_thermo.parquet",
    params:
        model=glass_model(),
        stage=lambda w: glass_preparation_stage(w.condition),
        protocol=lambda w: glass_protocol(w.condition),
        engine=_glass_engine(),
        progress_seconds=GLASS_PROGRESS_SECONDS,
    log:
        "logs/ka/{condition}/prepare.log",
    benchmark:
        "benchmarks/ka/{condition}/prepare.tsv"
    wildcard_constraints:
        condition=GLASS_CONDITION,
    priority: 1  # preparations first: the chain of starting temperatures is the critical path
    conda:
        "../../envs/rgcoarse.yaml"
    threads: GLASS["tasks"]
    resources:
        mem_mb=1000,
        runtime=glass_runtime("prepare"),
        tasks=GLASS["tasks"],
    script:
        "../scripts/ka_prepare.py"


rule ka_produce:
    """NVT production from the prepared configuration, unwrapped positions every frame."""
    input:
        data="results/ka/{condition}/equilibrated.data",
        thermo="results/ka/{condition}/equilibration_thermo.parquet",
    output:
        trajectory="results/ka/{condition}/trajectory.parquet",
        summary="results/ka/{condition}/summary.json",
    params:
        model=glass_model(),
        stage=lambda w: glass_production_stage(w.condition),
        engine=_glass_engine(),
        block_count=GLASS["block_count"],
        progress_seconds=GLASS_PROGRESS_SECONDS,
    log:
        "logs/ka/{condition}/produce.log",
    benchmark:
        "benchmarks/ka/{condition}/produce.tsv"
    wildcard_constraints:
        condition=GLASS_CONDITION,
    conda:
        "../../envs/rgcoarse.yaml"
    threads: GLASS["tasks"]
    resources:
        mem_mb=glass_trajectory_mem_mb,
        runtime=glass_runtime("produce"),
        tasks=GLASS["tasks"],
    script:
        "../scripts/ka_produce.py"


rule ka_phop:
    """p_hop (paper eq. 30) of every particle: the glass data matrix."""
    input:
        "results/ka/{condition}/trajectory.parquet",
    output:
        "results/data/ka/{condition}.parquet",
    params:
        phop_window=GLASS["phop_window"],
    log:
        "logs/ka/{condition}/phop.log",
    benchmark:
        "benchmarks/ka/{condition}/phop.tsv"
    wildcard_constraints:
        condition=GLASS_CONDITION,
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=glass_trajectory_mem_mb,
        runtime=10,
    script:
        "../scripts/ka_phop.py"


rule ka_dynamics:
    """F_s(q, t) and MSD(t) of A and B particles; tau_alpha and diffusion constants."""
    input:
        "results/ka/{condition}/trajectory.parquet",
    output:
        table="results/ka/{condition}/dynamics.parquet",
        summary="results/ka/{condition}/dynamics.json",
    params:
        wavenumber=GLASS["validation"]["wavenumber"],
        n_lags=GLASS["validation"]["n_lags"],
        msd_fit_min=GLASS["validation"]["msd_fit_min"],
    log:
        "logs/ka/{condition}/dynamics.log",
    benchmark:
        "benchmarks/ka/{condition}/dynamics.tsv"
    wildcard_constraints:
        condition=GLASS_CONDITION,
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=glass_trajectory_mem_mb,
        runtime=10,
    script:
        "../scripts/ka_dynamics.py"


rule ka_validation:
    """U/N, pressure, T_kin, tau_alpha and D per run, and the equation-of-state check."""
    input:
        summaries=[f"results/ka/{c}/summary.json" for c in glass_validation_conditions()],
        dynamics=[f"results/ka/{c}/dynamics.json" for c in glass_validation_conditions()],
    output:
        report(
            "results/ka/validation.csv",
            caption="../report/ka_validation.rst",
            category=REPORT_TABLES,
            labels={"table": "glass validation"},
        ),
    params:
        reference={
            key: GLASS["validation"][key]
            for key in ("eos_temperature", "eos_u_per_n", "eos_pressure", "u_per_n_tolerance", "pressure_tolerance")
        },
    log:
        "logs/ka/validation.log",
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/ka_validation.py"


rule ka_validation_figure:
    """Supplementary figure: equation of state, F_s(q, t), MSD(t), tau_alpha(T), D(T)."""
    input:
        table="results/ka/validation.csv",
        dynamics=[f"results/ka/{c}/dynamics.parquet" for c in glass_validation_conditions()],
    output:
        pdf="figures/supp_ka_validation.pdf",
        png=report(
            "figures/supp_ka_validation.png",
            caption="../report/supp_ka_validation.rst",
            category=REPORT_SUPPLEMENTARY,
            labels={"figure": "glass validation"},
        ),
        caption="figures/supp_ka_validation.caption.txt",
    params:
        dpi=config["figures"]["dpi"],
    log:
        "logs/figures/supp_ka_validation.log",
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/ka_validation_figure.py"
