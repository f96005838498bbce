# Renormalized mutual information arm (Sarra, Aiello & Marquardt; rgcoarse.rmi, docs/rmi.md): the paper's
# feature comparisons (Fig. 2b: wave packet, 2d: drops) and feature optimisation (Fig. 3). Its pairing
# rule, rmi, runs with the other rules (coarse_graining.smk). `snakemake --cores all rmi` runs the arm alone.


rule rmi:
    """Every table and figure of the RMI arm."""
    input:
        plan.rmi_targets(),


rule rmi_features:
    """I~ of each feature of one comparison (Fig. 2b: wave_packet against noise; Fig. 2d: drops against deformation)."""
    output:
        table="results/rmi/{experiment}.parquet",
        examples="results/rmi/{experiment}_examples.parquet",
    params:
        settings=lambda w: plan.rmi_comparison_settings(w.experiment),
        seed=lambda w: plan.rmi_seed(w.experiment),
    log:
        "logs/rmi/{experiment}.log",
    benchmark:
        "benchmarks/rmi/{experiment}.tsv"
    wildcard_constraints:
        experiment=registry_pattern(RMI_COMPARISON_FIGURES.values()),
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=config["resources"]["analysis_mem_mb"],
        runtime=10,
    script:
        "../scripts/rmi_features.py"


rule rmi_optimise:
    """Fig. 3: gradient ascent on I~ from random starts; the trace, the runs' held-out I~, the features on a grid."""
    output:
        **plan.rmi_optimisation_paths(),
    params:
        settings=config.get("rmi", {}).get("optimisation", {}),
        seed=plan.rmi_seed("optimisation"),
    log:
        "logs/rmi/optimisation.log",
    benchmark:
        "benchmarks/rmi/optimisation.tsv"
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=config["resources"]["analysis_mem_mb"],
        runtime=15,
    script:
        "../scripts/rmi_optimise.py"


rule rmi_figure:
    """One figure of the RMI arm from its tables."""
    input:
        unpack(plan.rmi_figure_inputs),
    output:
        pdf="figures/{figure}.pdf",
        png=report(
            "figures/{figure}.png",
            caption="../report/rmi_figure.rst",
            category=REPORT_RMI,
            labels=lambda w: {"figure": w.figure},
        ),
        caption="figures/{figure}.caption.txt",
    params:
        settings=plan.rmi_figure_settings,
        dpi=config["figures"]["dpi"],
    log:
        "logs/figures/{figure}.log",
    wildcard_constraints:
        figure=registry_pattern(RMI_FIGURES),
    conda:
        "../../envs/rgcoarse.yaml"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/rmi_figure.py"
