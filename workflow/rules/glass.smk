# Kob-Andersen glass arm: the rules (helpers in rgcoarse.pipeline.glass_plan).


rule glass_prepare:
    """Equilibrate at T from a random start (minimisation, NVT), or start from another T's
    equilibrated configuration and equilibrate (or quench and age) at T. LAMMPS, restartable."""
    input:
        plan.glass_preparation_input,
    output:
        data="results/glass/{condition}/equilibrated.data",
        thermo="results/glass/{condition}/equilibration_thermo.parquet",
    params:
        model=lambda w: plan.glass_model(w.condition),
        stage=lambda w: plan.glass_preparation_stage(w.condition),
        protocol=lambda w: plan.glass_protocol(w.condition),
        engine=lambda w: plan.glass_engine(w.condition),
        progress_seconds=GLASS_PROGRESS_SECONDS,
    log:
        "logs/glass/{condition}/prepare.log",
    benchmark:
        "benchmarks/glass/{condition}/prepare.tsv"
    wildcard_constraints:
        condition=GLASS_CONDITION,
    priority: plan.glass_priority("prepare")
    conda:
        "../../envs/rgcoarse.yaml"
    threads: plan.glass_tasks
    resources:
        mem_mb=1000,
        runtime=plan.glass_runtime("prepare"),
        tasks=plan.glass_tasks,
    script:
        "../scripts/glass_prepare.py"


rule glass_produce:
    """Production from the prepared configuration (glass.production_thermostat), unwrapped
    positions every frame and the thermo series."""
    input:
        unpack(plan.glass_production_input),
    output:
        trajectory="results/glass/{condition}/trajectory.parquet",
        summary="results/glass/{condition}/summary.json",
        thermo="results/glass/{condition}/production_thermo.parquet",
    params:
        model=lambda w: plan.glass_model(w.condition),
        stage=lambda w: plan.glass_production_stage(w.condition),
        engine=lambda w: plan.glass_engine(w.condition),
        block_count=plan.glass["block_count"],
        progress_seconds=GLASS_PROGRESS_SECONDS,
    log:
        "logs/glass/{condition}/produce.log",
    benchmark:
        "benchmarks/glass/{condition}/produce.tsv"
    wildcard_constraints:
        condition=GLASS_CONDITION,
    priority: plan.glass_priority("produce")
    conda:
        "../../envs/rgcoarse.yaml"
    threads: plan.glass_tasks
    resources:
        mem_mb=plan.glass_trajectory_mem_mb,
        runtime=plan.glass_runtime("produce"),
        tasks=plan.glass_tasks,
    script:
        "../scripts/glass_produce.py"


rule glass_phop:
    """p_hop (paper eq. 30) of every particle: the glass data matrix."""
    input:
        "results/glass/{condition}/trajectory.parquet",
    output:
        "results/data/glass/{condition}.parquet",
    params:
        phop_window=plan.glass_phop_window,
    log:
        "logs/glass/{condition}/phop.log",
    benchmark:
        "benchmarks/glass/{condition}/phop.tsv"
    wildcard_constraints:
        condition=GLASS_CONDITION,
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=plan.glass_trajectory_mem_mb,
        runtime=10,
    script:
        "../scripts/glass_phop.py"


rule glass_dynamics:
    """F_s(q, t) and MSD(t) of A and B particles; tau_alpha and diffusion constants."""
    input:
        "results/glass/{condition}/trajectory.parquet",
    output:
        table="results/glass/{condition}/dynamics.parquet",
        summary="results/glass/{condition}/dynamics.json",
    params:
        wavenumber=plan.glass["validation"]["wavenumber"],
        n_lags=plan.glass["validation"]["n_lags"],
        msd_fit_min=plan.glass["validation"]["msd_fit_min"],
    log:
        "logs/glass/{condition}/dynamics.log",
    benchmark:
        "benchmarks/glass/{condition}/dynamics.tsv"
    wildcard_constraints:
        condition=GLASS_CONDITION,
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=plan.glass_trajectory_mem_mb,
        runtime=10,
    script:
        "../scripts/glass_dynamics.py"


rule glass_validation:
    """U/N, pressure, T_kin, tau_alpha and D per run, and the equation-of-state check."""
    input:
        summaries=plan.glass_validation_files("summary.json"),
        dynamics=plan.glass_validation_files("dynamics.json"),
    output:
        report(
            "results/glass/validation.csv",
            caption="../report/glass_validation.rst",
            category=REPORT_TABLES,
            labels={"table": "glass validation"},
        ),
    params:
        reference=plan.glass_validation_reference(),
    log:
        "logs/glass/validation.log",
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    script:
        "../scripts/glass_validation.py"


rule glass_validation_figure:
    """Supplementary figure: equation of state, F_s(q, t), MSD(t), tau_alpha(T), D(T)."""
    input:
        table="results/glass/validation.csv",
        dynamics=plan.glass_validation_files("dynamics.parquet"),
    output:
        pdf="figures/supp_glass_validation.pdf",
        png=report(
            "figures/supp_glass_validation.png",
            caption="../report/supp_glass_validation.rst",
            category=REPORT_SUPPLEMENTARY,
            labels={"figure": "glass validation"},
        ),
        caption="figures/supp_glass_validation.caption.txt",
    params:
        dpi=config["figures"]["dpi"],
    log:
        "logs/figures/supp_glass_validation.log",
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/glass_validation_figure.py"
